public import BookingCore
import HTTPServer
import Logging
import Foundation
public import Outbound
public import Store

/// How the app reaches Stripe: the API base (`BIZING_STRIPE_API_BASE`), the box that opens stored
/// secrets (`BIZING_SECRET_KEY`), and whether to send the optional fields a Stripe double refuses
/// (`receipt_email`, `description`, `setup_future_usage`).
public struct PaymentSettings: Sendable {
    public var stripeBase: String
    public var box: SecretBox
    public var optionalFields: Bool

    public init(stripeBase: String = StripeClient.defaultBase, box: SecretBox = .ephemeral(), optionalFields: Bool = true) {
        self.stripeBase = stripeBase
        self.box = box
        self.optionalFields = optionalFields
    }
}

/// The payment flows that call Stripe: each asks Stripe first (outside any transaction, with an
/// idempotency key derived from what it is for), then records the outcome through the Store door.
public struct PaymentService: Sendable {
    let database: AppDatabase
    public let settings: PaymentSettings

    public init(database: AppDatabase, settings: PaymentSettings) {
        self.database = database
        self.settings = settings
    }

    func client(_ account: PaymentAccount) throws -> StripeClient {
        StripeClient(base: settings.stripeBase, secretKey: try settings.box.open(account.secretKeySealed))
    }

    func webhookSecret(_ account: PaymentAccount) throws -> String { try settings.box.open(account.webhookSecretSealed) }

    /// Checks a secret key against Stripe (a read every key may do).
    func checkKey(_ secretKey: String) throws(StripeError) {
        _ = try StripeClient(base: settings.stripeBase, secretKey: secretKey).get("/v1/balance")
    }

    /// The hold's PaymentIntent for what is due now, made once per hold (the idempotency keys derive
    /// from the hold's id): the customer's email, the booking reference as metadata.
    /// When the amount due changed after an intent was made (a promo code or gift card added at
    /// checkout), the old intent is cancelled at Stripe, so it can no longer take the old amount, and
    /// a new one asks for the new amount.
    func intent(for payment: HoldPayment, email: String, now: Instant) throws -> PaymentIntentRecord {
        if let existing = payment.intent, existing.amount == payment.dueNow, existing.status != .canceled { return existing }
        let stripe = try client(payment.account)
        var key = "bizing-\(payment.order.publicID)-\(payment.dueNow)"
        if let stale = payment.intent, stale.status == .open {
            _ = try stripe.post("/v1/payment_intents/\(stale.stripeID)/cancel", idempotencyKey: "bizing-cancel-\(stale.stripeID)")
            try database.markIntent(businessID: payment.business.id, stripeID: stale.stripeID, status: .canceled,
                                    error: "replaced: the amount due changed to \(payment.dueNow)", now: now)
            key += "-after-\(stale.stripeID)"
        }
        var customer: String?
        if payment.saveCard {
            customer = try stripe.post("/v1/customers", [("email", email), ("metadata[booking]", payment.order.publicID)],
                                       idempotencyKey: key + "-customer").id
        }
        var fields: [(String, String)] = [
            ("amount", String(payment.dueNow)), ("currency", payment.order.price.currency.lowercased()),
            ("payment_method_types[0]", "card"),
            ("metadata[booking]", payment.order.publicID), ("metadata[business]", payment.business.slug),
            ("metadata[customer_email]", email),
        ]
        if let customer { fields.append(("customer", customer)) }
        if settings.optionalFields {
            fields.append(("receipt_email", email))
            fields.append(("description", "\(payment.order.offerName) — \(payment.business.name)"))
            if payment.saveCard { fields.append(("setup_future_usage", "off_session")) }
        }
        let created = try stripe.post("/v1/payment_intents", fields, idempotencyKey: key)
        return PaymentIntentRecord(businessID: payment.business.id, orderID: payment.order.id, stripeID: created.id,
                                   clientSecret: created[string: "client_secret"] ?? "", purpose: .booking, amount: payment.dueNow,
                                   currency: payment.order.price.currency, stripeCustomer: customer, paymentMethod: nil, status: .open,
                                   lastError: "", accessTokenSealed: nil)
    }

    /// The hold keeps the customer's details and a fresh guest token (sealed beside the intent, for
    /// the confirmation the webhook may send), then gets its PaymentIntent. A Stripe that cannot be
    /// reached is 503 with nothing charged; the hold stays until it expires.
    func startPayment(_ payment: HoldPayment, customer: CustomerDetails, now: Instant) throws -> (order: OrderView, intent: PaymentIntentRecord, token: String) {
        let token = Tokens.secret()
        let order = try database.askForPayment(business: payment.business, holdID: payment.order.publicID, customer: customer,
                                               dueNow: payment.dueNow, tokenHash: Tokens.hash(token), now: now)
        let intent: PaymentIntentRecord
        do {
            intent = try self.intent(for: HoldPayment(business: payment.business, order: order, account: payment.account, dueNow: payment.dueNow,
                                                      saveCard: payment.saveCard, intent: payment.intent),
                                     email: customer.email, now: now)
        } catch let error as StripeError {
            throw WebError(.serviceUnavailable, code: "payments_unavailable",
                           "The payment service could not be reached just now, so nothing was charged (\(error.description)). Please try again in a minute.")
        }
        try database.recordPaymentIntent(businessID: payment.business.id, orderID: order.id, stripeID: intent.stripeID,
                                         clientSecret: intent.clientSecret, purpose: .booking, amount: intent.amount, currency: intent.currency,
                                         stripeCustomer: intent.stripeCustomer, paymentMethod: nil,
                                         accessTokenSealed: try settings.box.seal(token), now: now)
        return (order, intent, token)
    }

    /// Asks Stripe how the intent stands and records a success (the redirect back; `POST …/confirm` of the API).
    func settleFromStripe(business: Business, account: PaymentAccount, stripeID: String, now: Instant, actor: Actor) throws -> PaymentSettlement? {
        let intent = try fetch(account, "/v1/payment_intents/" + stripeID, asking: "how the payment stands")
        guard intent[string: "status"] == "succeeded" else { return nil }
        return try settle(business: business, account: account, intent: intent, eventID: nil, now: now, actor: actor)
    }

    /// Reads a Stripe object for a page or an API answer: Stripe unreachable (or refusing) is 503,
    /// with `what` was asked in the sentence; nothing is recorded.
    func fetch(_ account: PaymentAccount, _ path: String, asking what: String) throws -> StripeObject {
        do {
            return try client(account).get(path)
        } catch {
            throw WebError(.serviceUnavailable, code: "payments_unavailable",
                           "We could not ask the payment service \(what) (\(error)). Please try again in a minute.")
        }
    }

    /// Records a succeeded intent (from Stripe's answer or a webhook's object); money for a hold that
    /// is gone goes back at once.
    func settle(business: Business, account: PaymentAccount, intent: StripeObject, eventID: String?, now: Instant,
                actor: Actor) throws -> PaymentSettlement? {
        let amount = intent[int: "amount_received"] ?? intent[int: "amount"] ?? 0
        let outcome = try database.settlePayment(business: business, stripeID: intent.id, amount: amount,
                                                 paymentMethod: intent.reference("payment_method"), chargeID: intent.reference("latest_charge"),
                                                 eventID: eventID, box: settings.box, now: now, actor: actor)
        if case .holdGone(_, let due)? = outcome {
            try refund(business: business, account: account, due: due, note: "the hold had expired when the payment arrived", now: now)
        }
        return outcome
    }

    /// Refunds through Stripe (idempotent per booking and amount) and records Stripe's refund.
    func refund(business: Business, account: PaymentAccount, due: StripeRefundDue, note: String, now: Instant) throws {
        guard due.amount > 0 else { return }
        let refund = try client(account).post("/v1/refunds", [("payment_intent", due.paymentIntent), ("amount", String(due.amount)),
                                                              ("metadata[booking_order]", String(due.orderID))],
                                              idempotencyKey: due.reference)
        try database.recordRefund(businessID: business.id, paymentIntent: due.paymentIntent, refundID: refund.id,
                                  amount: refund[int: "amount"] ?? due.amount, currency: due.currency, note: note, eventID: nil, now: now)
        try database.markIntent(businessID: business.id, stripeID: due.reference, status: .succeeded, now: now)
    }

    /// Makes the refunds still owed (sweeper): Stripe's idempotency key is the refund's reference, so
    /// a refund already made is not made twice. One Stripe refuses is marked failed (owed, for staff
    /// and `payments reconcile`); one Stripe cannot be reached now is tried on the next sweep.
    public func makeOwedRefunds(now: Instant) {
        guard let owed = try? database.refundsOwed(now: now) else { return }
        for (businessID, due) in owed {
            guard let business = try? database.business(id: businessID),
                  let account = try? database.paymentAccount(businessID: businessID) else { continue }
            do {
                try refund(business: business, account: account, due: due,
                           note: due.percent == 100 ? "refunded in full" : "\(due.percent)% per cancellation policy", now: now)
            } catch {
                // (A `catch StripeError.refused(…)` pattern crashes Swift 6.3.1's compiler.)
                guard case StripeError.refused(_, _, let text) = error else { continue }   // unreachable: the next sweep
                try? database.markIntent(businessID: businessID, stripeID: due.reference, status: .failed,
                                         error: "Stripe refused the refund: \(text)", now: now)
            }
        }
    }

    /// Cancels the intents of holds that expired (sweeper); an intent Stripe will not cancel is left marked.
    public func cancelExpiredIntents(now: Instant) {
        guard let expired = try? database.intentsOfExpiredHolds(now: now) else { return }
        for (businessID, stripeID) in expired {
            guard let account = try? database.paymentAccount(businessID: businessID), let stripe = try? client(account) else { continue }
            let refused: String?
            do {
                refused = try BookingPages.refusal { () throws(StripeError) in
                    _ = try stripe.post("/v1/payment_intents/\(stripeID)/cancel", idempotencyKey: "bizing-cancel-\(stripeID)")
                }
            } catch {
                continue   // unreachable: tried again on the next sweep
            }
            try? database.markIntent(businessID: businessID, stripeID: stripeID, status: .canceled,
                                     error: refused.map { "Stripe refused the cancel: \($0)" } ?? "", now: now)
        }
    }
}

extension App {
    /// The origin the visitor reached this site at (Stripe sends them back to it after paying).
    func publicOrigin(_ context: RequestContext) -> String { context.publicOrigin }
}

extension PaymentService {
    /// Compares the business's ledger with Stripe's records: every intent's charge and refunds, and
    /// every ledger row that names a Stripe object. One sentence per difference (none: they agree).
    public func reconcile(businessSlug: String) throws -> [String] {
        guard let (business, account) = try database.paymentWebhookTarget(businessSlug: businessSlug) else {
            throw PaymentServiceError(description: "no business \(businessSlug) with Stripe connected")
        }
        let stripe = try client(account)
        let records = try database.paymentRecords(businessID: business.id)
        var differences: [String] = []
        var known = Set<String>()
        let rowsByID = Dictionary(grouping: records.ledger.filter { $0.stripeID != nil }, by: { $0.stripeID! })
        for intent in records.intents where intent.purpose != .refund && !(intent.status == .failed && intent.clientSecret.isEmpty) {
            let remote = try stripe.get("/v1/payment_intents/" + intent.stripeID)
            known.insert(intent.stripeID)
            let received = remote[string: "status"] == "succeeded" ? (remote[int: "amount_received"] ?? remote[int: "amount"] ?? 0) : 0
            let recorded = (rowsByID[intent.stripeID] ?? []).reduce(Int64(0)) { $0 + $1.amount }
            if received != recorded {
                differences.append("\(intent.stripeID): Stripe received \(received), the ledger records \(recorded) (\(intent.currency))")
            }
            guard received > 0 else { continue }
            let refunds = try stripe.get("/v1/refunds", query: [("payment_intent", intent.stripeID)])[list: "data"]
            for refund in refunds where refund[string: "status"] != "failed" && refund[string: "status"] != "canceled" {
                known.insert(refund.id)
                let amount = refund[int: "amount"] ?? 0
                let rows = rowsByID[refund.id] ?? []
                if rows.isEmpty {
                    differences.append("\(refund.id): Stripe refunded \(amount) of \(intent.stripeID), the ledger has no row for it")
                } else if rows.reduce(Int64(0), { $0 - $1.amount }) != amount {
                    differences.append("\(refund.id): Stripe refunded \(amount), the ledger records \(rows.reduce(Int64(0), { $0 - $1.amount }))")
                }
            }
        }
        for owed in records.intents where owed.purpose == .refund && (owed.status == .failed || owed.status == .open) {
            let why = owed.status == .open ? "not asked of Stripe yet" : owed.lastError
            differences.append("\(owed.stripeID): a refund of \(owed.amount) (\(owed.currency)) is owed and Stripe has not made it: \(why)")
        }
        for (id, rows) in rowsByID.sorted(by: { $0.key < $1.key }) where !known.contains(id) && !id.hasPrefix("dp_") && !id.hasPrefix("du_") {
            differences.append("\(id): the ledger records \(rows.map { "\($0.kind) \($0.amount)" }.joined(separator: ", ")) on booking \(rows[0].orderPublicID), Stripe has no such payment or refund")
        }
        return differences
    }
}

public struct PaymentServiceError: Error, CustomStringConvertible {
    public let description: String
}
