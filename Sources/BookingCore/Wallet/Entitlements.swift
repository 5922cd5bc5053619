/// What moves credits in or out of an entitlement (a customer's lot of credits from one package).
public enum EntitlementMovementKind: String, Hashable, Sendable, CaseIterable, Codable {
    /// Credits given by a purchase (positive).
    case grant
    /// One credit used by a booking (negative).
    case redeem
    /// What was left when the lot passed its expiry (negative).
    case expire
    /// A redeemed credit given back by a cancellation (positive).
    case refund
    /// Credits moved to or from another lot (either sign).
    case transfer
}

/// One append-only movement of credits; the balance of a lot is the sum of its movements.
public struct EntitlementMovement: Hashable, Sendable {
    public var kind: EntitlementMovementKind
    /// Signed: positive in, negative out.
    public var credits: Int
    public var at: Instant
    /// The booking that redeemed it or was refunded, if any.
    public var orderID: BookingID?

    public init(kind: EntitlementMovementKind, credits: Int, at: Instant, orderID: BookingID? = nil) {
        self.kind = kind
        self.credits = credits
        self.at = at
        self.orderID = orderID
    }
}

/// A customer's lot of credits: bought once, valid for some offers until `expiresAt`.
public struct EntitlementLot: Hashable, Sendable {
    public var id: EntitlementID
    public var packageName: String
    /// The offers a credit of this lot pays for.
    public var offerIDs: Set<OfferID>
    /// Whether the buyer may use it for their household members, not only themselves.
    public var shareable: Bool
    public var expiresAt: Instant
    public var movements: [EntitlementMovement]

    public init(id: EntitlementID, packageName: String, offerIDs: Set<OfferID>, shareable: Bool, expiresAt: Instant,
                movements: [EntitlementMovement]) {
        self.id = id
        self.packageName = packageName
        self.offerIDs = offerIDs
        self.shareable = shareable
        self.expiresAt = expiresAt
        self.movements = movements
    }

    /// The sum of the movements: never stored, always derived (invariant 10).
    public var balance: Int { movements.reduce(0) { $0 + $1.credits } }

    /// Expired from `expiresAt` on (half-open: valid before it).
    public func isExpired(at now: Instant) -> Bool { now >= expiresAt }

    /// Credits that can still be used at `now`.
    public func usable(at now: Instant) -> Int { isExpired(at: now) ? 0 : Swift.max(0, balance) }

    /// Whether credits were left when the lot expired: still on it, or already closed by an
    /// `expire` movement (the sweeper's), so a checkout can say they expired rather than ran out.
    public func lapsedWithCredits(at now: Instant) -> Bool {
        isExpired(at: now) && (balance > 0 || movements.contains { $0.kind == .expire })
    }
}

/// Why a credit cannot pay for a booking; the checkout page says the sentence.
public enum CreditRefusal: Error, Hashable, Sendable {
    /// No lot of this customer covers the offer.
    case noCredits
    /// Credits that would cover it have run out (all used).
    case usedUp
    /// Credits that would cover it expired at this instant.
    case expired(Instant)
    /// The lot is for its buyer only, and the booking is for a household member.
    case notShareable
}

/// The rules of prepaid credits. Pure: `now` is passed in.
public enum Entitlements {
    /// The instant a lot bought at `purchasedAt` expires: the end of the business-local day `validDays`
    /// days after the purchase date (so "valid 30 days" means the whole 30th day, DST or not).
    public static func expiry(purchasedAt: Instant, validDays: Int, clock: ZoneClock) -> Instant {
        let purchaseDate = clock.local(purchasedAt).date
        return clock.day(purchaseDate.adding(days: Swift.max(1, validDays) + 1)).start
    }

    /// The lot a booking of `offerID` redeems a credit from: the usable one that expires first;
    /// otherwise the reason none can (expired before used up, used up before none at all).
    /// `forHouseholdMember`: the booking is for one of the buyer's household members.
    public static func choose(_ lots: [EntitlementLot], offerID: OfferID, forHouseholdMember: Bool,
                              now: Instant) -> Result<EntitlementLot, CreditRefusal> {
        let covering = lots.filter { $0.offerIDs.contains(offerID) }
        guard !covering.isEmpty else { return .failure(.noCredits) }
        let allowed = covering.filter { !forHouseholdMember || $0.shareable }
        guard !allowed.isEmpty else { return .failure(.notShareable) }
        if let lot = allowed.filter({ $0.usable(at: now) > 0 }).min(by: { ($0.expiresAt, $0.id) < ($1.expiresAt, $1.id) }) {
            return .success(lot)
        }
        if let lapsed = allowed.filter({ $0.lapsedWithCredits(at: now) }).max(by: { $0.expiresAt < $1.expiresAt }) {
            return .failure(.expired(lapsed.expiresAt))
        }
        return .failure(.usedUp)
    }

    /// The movement that redeems one credit of `lot` for a booking; refused when the lot is expired or empty.
    public static func redeem(_ lot: EntitlementLot, orderID: BookingID, at now: Instant) throws(CreditRefusal) -> EntitlementMovement {
        if lot.isExpired(at: now) { throw lot.lapsedWithCredits(at: now) ? .expired(lot.expiresAt) : .usedUp }
        guard lot.balance > 0 else { throw .usedUp }
        return EntitlementMovement(kind: .redeem, credits: -1, at: now, orderID: orderID)
    }

    /// The movement that closes an expired lot's remaining credits (nil when nothing is left or it is still valid).
    public static func expire(_ lot: EntitlementLot, at now: Instant) -> EntitlementMovement? {
        guard lot.isExpired(at: now), lot.balance > 0 else { return nil }
        return EntitlementMovement(kind: .expire, credits: -lot.balance, at: now)
    }

    /// How many of the `redeemed` credits a cancellation gives back: the percent of the version's
    /// cancellation tier in effect (the same tier money would get), rounded down to whole credits, so a
    /// full-refund tier returns the credit and any partial tier lets the business keep it; everything
    /// when the business cancels.
    public static func creditsReturned(redeemed: Int, start: Instant, now: Instant, tiers: [CancellationTier],
                                       byBusiness: Bool) -> Int {
        let redeemed = Swift.max(0, redeemed)
        if byBusiness { return redeemed }
        let percent = Policies.refund(paid: 0, start: start, now: now, tiers: tiers).percent
        return redeemed * percent / 100
    }

    /// The price line of a booking paid with a credit: the whole price off, so the total is 0.
    public static func paidWithCredit(_ price: PriceBreakdown, packageName: String) -> PriceBreakdown {
        var paid = price
        paid.lines.append(.init(label: "Paid with 1 credit (\(packageName))", amount: -price.total))
        paid.total = 0
        paid.deposit = 0
        return paid
    }
}
