import BookingCore
import HTTPServer
import Store

/// The sentences and rows the wallet pages share (the customer's, the staff's, checkout).
enum WalletWords {
    /// The last local date a lot can be used ("Tuesday 5 January 2027"): the day before its expiry instant.
    static func validUntil(_ lot: EntitlementLot, _ clock: ZoneClock) -> String {
        HumanTime.longDate(clock.local(lot.expiresAt - 1).date)
    }

    /// Why no credit can pay for a booking, as the checkout page says it.
    static func refusal(_ refusal: CreditRefusal, _ clock: ZoneClock) -> String {
        switch refusal {
        case .noCredits:
            "You have no credits for this service. Pay as usual instead."
        case .usedUp:
            "You have used all your credits for this service. Pay as usual instead."
        case .expired(let at):
            "Your credits for this service expired at the end of \(HumanTime.longDate(clock.local(at - 1).date)), "
                + "so they cannot be used. Pay as usual instead."
        case .notShareable:
            "Your package is for you only, so it cannot pay for a household member's booking. Book for yourself, or pay as usual."
        }
    }

    /// Why a promo code does not apply, as the checkout page says it.
    static func promo(_ refusal: PromoRefusal) -> String {
        switch refusal {
        case .unknown: "We do not know that promo code. Check its spelling, or leave it empty."
        case .notForOffer: "That promo code is not valid for this service."
        case .notYet(let date): "That promo code can be used from \(HumanTime.longDate(date))."
        case .ended(let date): "That promo code ended on \(HumanTime.longDate(date))."
        case .usedUp: "That promo code has been used as often as it can be."
        case .usedByCustomer(let limit):
            limit == 1 ? "You have already used that promo code." : "You have already used that promo code \(limit) times, as often as it allows."
        }
    }

    /// "Use 1 credit from 5-class pass (3 left, valid until Tuesday 5 January 2027)".
    struct GiftCard: Sendable {
        struct Row: Sendable {
            let date: String
            let what: String
            let amount: String
        }

        let title: String
        let business: String
        let balance: String
        let movements: [Row]
    }

    /// A card as the wallet pages show it: its code only to its holder (and on the page of the sale).
    static func giftCard(_ card: GiftCardInfo, showCode: Bool) -> GiftCard {
        let zone = ZoneClock(identifier: card.timeZone) ?? ZoneClock(identifier: "UTC")!
        return GiftCard(
            title: "Gift card " + (showCode ? card.code : GiftCards.masked(card.code)), business: card.businessName,
            balance: Currency.format(card.balance, card.currency) + " left",
            movements: card.movements.map { movement in
                GiftCard.Row(date: HumanTime.longDate(zone.local(movement.at).date),
                             what: ["issue": "Bought", "redeem": "Paid for a booking", "refund": "Returned by a cancellation"][movement.kind]
                                 ?? movement.kind,
                             amount: (movement.amount > 0 ? "+" : "−") + Currency.format(abs(movement.amount), card.currency))
            })
    }

    static func giftCard(_ refusal: GiftCardRefusal) -> String {
        switch refusal {
        case .empty: "That gift card has nothing left on it."
        case .otherCurrency(let currency): "That gift card is in \(currency), and this booking is not."
        case .anotherCard: "This booking is already paid in part with another gift card."
        }
    }

    static func offer(_ lot: EntitlementLot, _ clock: ZoneClock, now: Instant) -> String {
        "Use 1 credit from \(lot.packageName) (\(lot.usable(at: now)) left, valid until \(validUntil(lot, clock)))"
    }

    /// A checkbox per live offer, for the forms that name offers (packages, promo codes).
    struct OfferChoice: Sendable {
        let id: String
        let name: String
        let checked: Bool
    }

    static func offerChoices(_ offers: [OfferInfo], checked: Set<String>) -> [OfferChoice] {
        offers.map { OfferChoice(id: $0.id.description, name: $0.name, checked: checked.contains($0.id.description)) }
    }

    struct Movement: Sendable {
        let date: String
        let what: String
        let credits: String
    }

    /// One lot as the wallet pages list it.
    struct Lot: Sendable {
        let business: String
        let packageName: String
        let offers: String
        let balance: Int
        let status: String
        let purchased: String
        let paid: String
        let movements: [Movement]
    }

    static func lot(_ entry: WalletEntry, now: Instant) -> Lot {
        let clock = ZoneClock(identifier: entry.timeZone) ?? ZoneClock(identifier: "UTC")!
        let lot = entry.lot
        let status = lot.isExpired(at: now)
            ? "Expired at the end of \(validUntil(lot, clock))"
            : "\(lot.usable(at: now)) left, valid until \(validUntil(lot, clock))"
        let method = switch entry.method {
        case .atVenue: "paid at the venue"
        case .cash: "paid in cash"
        case .card: "paid by card"
        }
        return Lot(business: entry.businessName, packageName: lot.packageName, offers: entry.offerNames.joined(separator: ", "),
                   balance: lot.isExpired(at: now) ? 0 : lot.balance, status: status,
                   purchased: HumanTime.longDate(clock.local(entry.purchasedAt).date),
                   paid: Currency.format(entry.pricePaid, entry.currency) + ", " + method,
                   movements: lot.movements.map { movement in
                       Movement(date: HumanTime.longDate(clock.local(movement.at).date), what: describe(movement.kind),
                                credits: movement.credits > 0 ? "+\(movement.credits)" : String(movement.credits))
                   })
    }

    static func describe(_ kind: EntitlementMovementKind) -> String {
        switch kind {
        case .grant: "Bought"
        case .redeem: "Used for a booking"
        case .expire: "Expired"
        case .refund: "Returned by a cancellation"
        case .transfer: "Transferred"
        }
    }

    /// A purchase waiting to be paid at the venue: on the buyer's wallet, and on the staff's with
    /// the forms that record it paid or cancel it.
    struct Pending: Sendable {
        let id: String
        let title: String
        let detail: String
        let paidAction: String?
        let cancelAction: String?
        let url: String?
    }

    static func pending(_ purchase: PurchaseInfo, staff: Bool) -> Pending {
        let zone = ZoneClock(identifier: purchase.timeZone) ?? ZoneClock(identifier: "UTC")!
        let price = Currency.format(purchase.amount, purchase.currency)
        let reserved = HumanTime.longDate(zone.local(purchase.createdAt).date)
        let base = "/staff/\(PercentDecoding.encode(purchase.businessSlug))/wallet/purchases/\(purchase.id)"
        return Pending(id: String(purchase.id),
                       title: staff ? "\(purchase.name) for \(purchase.customerName) (\(purchase.customerEmail))"
                                    : "\(purchase.name) at \(purchase.businessName)",
                       detail: staff ? "\(price) to pay at the venue, reserved \(reserved)."
                                     : "Pending: pay \(price) at the venue (reserved \(reserved)); it is added to your wallet once the staff record your payment.",
                       paidAction: staff ? base + "/paid" : nil, cancelAction: staff ? base + "/cancel" : nil,
                       url: staff ? nil : PurchasePages.purchasePath(purchase))
    }

    /// Where a customer buys more from a business.
    struct Shop: Sendable {
        let name: String
        let url: String
    }
}
