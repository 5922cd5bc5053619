public import BookingCore
import Foundation
import HTTPServer
import Outbound
import Store

/// The Stripe calls of memberships paid by card (issue 18): the first month (or a month whose
/// renewal failed) paid on the page, saving the card for later; each renewal charged to the saved
/// card off-session by the worker. Each attempt is written by the Store before Stripe is called, with
/// the attempt's idempotency key, and its outcome recorded after; the Store grants each month once.
extension PaymentService {
    /// Makes the on-session charge's PaymentIntent (once: the charge's idempotency key) for a Stripe
    /// customer of the membership (made once), asking Stripe to keep the card for off-session use.
    /// Stripe unreachable or refusing is 503 with nothing charged or granted.
    func startMembershipPayment(_ charge: MembershipCharge, account: PaymentAccount, business: Business, now: Instant) throws {
        guard charge.stripeIntent == nil else { return }
        do {
            let stripe = try client(account)
            let customer = try charge.stripeCustomer ?? stripe.post("/v1/customers", [
                ("email", charge.customerEmail), ("metadata[membership]", String(charge.membershipID)), ("metadata[business]", business.slug),
            ], idempotencyKey: "bizing-membership-\(charge.membershipID)-customer").id
            var fields: [(String, String)] = [
                ("amount", String(charge.amount)), ("currency", charge.currency.lowercased()), ("payment_method_types[0]", "card"),
                ("customer", customer), ("metadata[membership]", String(charge.membershipID)), ("metadata[period]", String(charge.periodIndex)),
                ("metadata[business]", business.slug), ("metadata[customer_email]", charge.customerEmail),
            ]
            if settings.optionalFields {
                fields.append(("setup_future_usage", "off_session"))
                fields.append(("receipt_email", charge.customerEmail))
                fields.append(("description", "\(charge.planName) membership — \(business.name)"))
            }
            let created = try stripe.post("/v1/payment_intents", fields, idempotencyKey: charge.idempotencyKey)
            try database.recordMembershipIntent(businessID: business.id, chargeID: charge.id, stripeID: created.id,
                                                clientSecret: created[string: "client_secret"] ?? "", customer: customer, now: now)
        } catch let error as StripeError {
            throw WebError(.serviceUnavailable, code: "payments_unavailable",
                           "The payment service could not be reached just now, so nothing was charged (\(error.description)). Please try again in a minute.")
        }
    }

    /// Asks Stripe how the charge's intent stands and, when it succeeded, records the payment (the
    /// month granted once; the card kept). nil while it has not succeeded.
    func settleMembershipFromStripe(_ charge: MembershipCharge, account: PaymentAccount, now: Instant, actor: Actor) throws -> MembershipSettlement? {
        guard let stripeID = charge.stripeIntent else { return nil }
        let intent = try fetch(account, "/v1/payment_intents/" + stripeID, asking: "how the payment stands")
        guard intent[string: "status"] == "succeeded" else { return nil }
        return try database.settleMembershipCharge(businessID: charge.businessID, stripeID: stripeID,
                                                   amount: intent[int: "amount_received"] ?? intent[int: "amount"] ?? 0,
                                                   paymentMethod: intent.reference("payment_method"), eventID: nil, actor: actor, now: now)
    }

    /// The worker's step: each renewal charge due is made off-session on the membership's saved card,
    /// with the attempt's idempotency key (a pass run twice, or after a crash between the call and
    /// the record, gets Stripe's first answer again, never a second charge). Success grants the
    /// month; a decline (or a card needing authentication) is recorded as failed, which plans the
    /// retry or suspends; Stripe unreachable leaves the attempt for the next pass.
    public func chargeMembershipRenewals(now: Instant) {
        guard let due = try? database.membershipChargesDue(now: now) else { return }
        for charge in due {
            guard let account = try? database.paymentAccount(businessID: charge.businessID), let stripe = try? client(account) else { continue }
            guard let customer = charge.stripeCustomer, let method = charge.paymentMethod else {
                try? database.membershipChargeDeclined(businessID: charge.businessID, chargeID: charge.id,
                                                       message: "No card is saved for this membership.", now: now)
                continue
            }
            do {
                let intent = try stripe.post("/v1/payment_intents", [
                    ("amount", String(charge.amount)), ("currency", charge.currency.lowercased()), ("customer", customer),
                    ("payment_method", method), ("confirm", "true"), ("off_session", "true"),
                    ("metadata[membership]", String(charge.membershipID)), ("metadata[period]", String(charge.periodIndex)),
                ], idempotencyKey: charge.idempotencyKey)
                try database.recordMembershipIntent(businessID: charge.businessID, chargeID: charge.id, stripeID: intent.id,
                                                    clientSecret: intent[string: "client_secret"] ?? "", customer: nil, now: now)
                switch intent[string: "status"] {
                case "succeeded":
                    _ = try database.settleMembershipCharge(businessID: charge.businessID, stripeID: intent.id,
                                                            amount: intent[int: "amount_received"] ?? intent[int: "amount"] ?? 0,
                                                            paymentMethod: nil, eventID: nil, actor: .system, now: now)
                case "requires_action", "requires_payment_method", "canceled":
                    let message = intent[object: "last_payment_error"]?[string: "message"] ?? "The card needs the cardholder's authentication."
                    try database.membershipChargeDeclined(businessID: charge.businessID, chargeID: charge.id, message: message, now: now)
                default:
                    break   // processing: the webhook (or the next pass, same key) settles it
                }
            } catch {
                // (A `catch StripeError.refused(…)` pattern crashes Swift 6.3.1's compiler.)
                guard case StripeError.refused(_, _, let text) = error else { continue }   // unreachable: the next pass
                try? database.membershipChargeDeclined(businessID: charge.businessID, chargeID: charge.id, message: text, now: now)
            }
        }
    }

    /// The worker's step: each membership refund owed (money that came for a month that cannot be
    /// granted) is made at Stripe with its idempotency key, so a pass run twice, or after a crash
    /// between the call and the record, never refunds twice. One Stripe refuses is kept failed (for
    /// staff); Stripe unreachable leaves it for the next pass.
    public func makeOwedMembershipRefunds(now: Instant) {
        guard let owed = try? database.membershipRefundsOwed() else { return }
        for due in owed {
            guard let account = try? database.paymentAccount(businessID: due.businessID), let stripe = try? client(account) else { continue }
            do {
                let refund = try stripe.post("/v1/refunds", [
                    ("payment_intent", due.stripeIntent), ("amount", String(due.amount)), ("metadata[membership]", String(due.membershipID)),
                ], idempotencyKey: due.idempotencyKey)
                try database.recordMembershipRefund(due, refundID: refund.id, now: now)
            } catch {
                // (A `catch StripeError.refused(…)` pattern crashes Swift 6.3.1's compiler.)
                guard case StripeError.refused(_, _, let text) = error else { continue }   // unreachable: the next pass
                try? database.membershipRefundFailed(due, message: "Stripe refused the refund: \(text)", now: now)
            }
        }
    }
}
