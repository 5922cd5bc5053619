import BookingCore
import Foundation
import HTTPServer
import Outbound
import Store

/// The Stripe calls of buying a package or gift card online (issue 18): like a booking's deposit,
/// each asks Stripe first (outside any transaction, with an idempotency key derived from the
/// purchase) and records the outcome through the Store door, which grants the purchase once.
extension PaymentService {
    /// Makes the purchase's PaymentIntent for its price (once: the key is the purchase's id) and
    /// remembers it. Stripe unreachable or refusing is 503 with nothing charged or granted.
    func startPurchasePayment(_ purchase: PurchaseInfo, account: PaymentAccount, business: Business, now: Instant) throws {
        var fields: [(String, String)] = [
            ("amount", String(purchase.amount)), ("currency", purchase.currency.lowercased()), ("payment_method_types[0]", "card"),
            ("metadata[purchase]", purchase.publicID), ("metadata[business]", business.slug),
            ("metadata[customer_email]", purchase.customerEmail),
        ]
        if settings.optionalFields {
            fields.append(("receipt_email", purchase.customerEmail))
            fields.append(("description", "\(purchase.name) — \(business.name)"))
        }
        let created: StripeObject
        do {
            created = try client(account).post("/v1/payment_intents", fields, idempotencyKey: "bizing-purchase-\(purchase.publicID)")
        } catch {
            throw WebError(.serviceUnavailable, code: "payments_unavailable",
                           "The payment service could not be reached just now, so nothing was charged (\(error)). Please try again in a minute.")
        }
        try database.recordPurchaseIntent(businessID: business.id, purchaseID: purchase.id, stripeID: created.id,
                                          clientSecret: created[string: "client_secret"] ?? "", now: now)
    }

    /// Attaches the card to a purchase's or membership's intent and confirms it; Stripe's refusal (a
    /// declined card) is returned as its sentence, anything else thrown.
    func confirmCard(intent: String?, account: PaymentAccount, paymentMethod: String) throws -> String? {
        guard let intent else { return "The payment was not started. Please start again." }
        let stripe = try client(account)
        return try BookingPages.refusal { () throws(StripeError) in
            _ = try stripe.post("/v1/payment_intents/" + intent, [("payment_method", paymentMethod)])
            _ = try stripe.post("/v1/payment_intents/\(intent)/confirm", [], idempotencyKey: "bizing-confirm-\(intent)-\(paymentMethod)")
        }
    }

    /// Asks Stripe how the purchase's intent stands and, when it succeeded, records the payment and
    /// grants the purchase (once). nil while it has not succeeded.
    func settlePurchaseFromStripe(_ purchase: PurchaseInfo, account: PaymentAccount, now: Instant, actor: Actor) throws -> PurchaseSettlement? {
        guard let stripeID = purchase.stripeIntent else { return nil }
        let intent = try fetch(account, "/v1/payment_intents/" + stripeID, asking: "how the payment stands")
        guard intent[string: "status"] == "succeeded" else { return nil }
        return try database.settlePurchase(businessID: purchase.businessID, stripeID: stripeID,
                                           amount: intent[int: "amount_received"] ?? intent[int: "amount"] ?? 0, eventID: nil, now: now,
                                           actor: actor)
    }

    /// How long a card purchase may wait unpaid before the sweeper abandons it.
    static let unpaidPurchaseLifetime: Int64 = 24 * 3600

    /// Closes a purchase that was not paid, granting nothing: the buyer cancels it, or the sweeper
    /// abandons a card purchase left unpaid. A card purchase's PaymentIntent is cancelled at Stripe
    /// first, so no money can arrive for it afterwards; when Stripe will not cancel because the
    /// payment went through meanwhile, the purchase is granted instead (once), and when it is still
    /// being processed it stays pending (returned unchanged). Stripe unreachable is thrown.
    func closeUnpaidPurchase(_ purchase: PurchaseInfo, reason: String, actor: String, now: Instant) throws -> PurchaseInfo {
        if purchase.method == .card, let stripeID = purchase.stripeIntent,
           let account = try database.paymentAccount(businessID: purchase.businessID) {
            let stripe = try client(account)
            let refused = try BookingPages.refusal { () throws(StripeError) in
                _ = try stripe.post("/v1/payment_intents/\(stripeID)/cancel", idempotencyKey: "bizing-cancel-\(stripeID)")
            }
            if refused != nil {
                let intent = try stripe.get("/v1/payment_intents/" + stripeID)
                switch intent[string: "status"] {
                case "succeeded":
                    let settled = try database.settlePurchase(businessID: purchase.businessID, stripeID: stripeID,
                                                              amount: intent[int: "amount_received"] ?? intent[int: "amount"] ?? 0,
                                                              eventID: nil, now: now, actor: .system)
                    switch settled {
                    case .granted(let info)?, .alreadyPaid(let info)?, .notGranted(let info)?: return info
                    case nil: return purchase
                    }
                case "canceled": break
                default: return purchase
                }
            }
        }
        return try database.closeUnpaidPurchase(businessID: purchase.businessID, purchaseID: purchase.id, reason: reason, actor: actor,
                                                now: now)
    }

    /// The sweeper's pass: card purchases left unpaid for `unpaidPurchaseLifetime` are abandoned
    /// (their intents cancelled at Stripe). One that fails (Stripe unreachable) is tried on the next pass.
    public func abandonUnpaidPurchases(now: Int64) {
        guard let unpaid = try? database.unpaidCardPurchases(startedBefore: now - Self.unpaidPurchaseLifetime) else { return }
        for purchase in unpaid {
            _ = try? closeUnpaidPurchase(purchase, reason: "abandoned", actor: Actor.system.label, now: now)
        }
    }
}
