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
    func intent(for payment: HoldPayment, email: String, now: Instant) throws -> PaymentIntentRecord {
        if let existing = payment.intent, existing.amount == payment.dueNow, existing.status != .canceled { return existing }
        let stripe = try client(payment.account)
        let key = "bizing-\(payment.order.publicID)-\(payment.dueNow)"
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
        let intent: StripeObject
        do {
            intent = try client(account).get("/v1/payment_intents/" + stripeID)
        } catch {
            throw WebError(.serviceUnavailable, code: "payments_unavailable",
                           "We could not ask the payment service how the payment stands (\(error)). Please try again in a minute.")
        }
        guard intent[string: "status"] == "succeeded" else { return nil }
        return try settle(business: business, account: account, intent: intent, eventID: nil, now: now, actor: actor)
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
                                              idempotencyKey: "bizing-refund-\(due.paymentIntent)-\(due.amount)-\(due.percent)")
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
    func publicOrigin(_ context: RequestContext) -> String {
        if let baseURL { return baseURL }
        let host = context.request.headers["Host"] ?? "localhost"
        return (security.isSecure(context.request) ? "https://" : "http://") + host
    }
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

extension App {
    /// Cancels (Store) and, when the booking was paid through Stripe, refunds through Stripe what the
    /// cancellation gives. A refund Stripe does not make now is logged; `payments reconcile` shows it.
    func cancelBooking(_ context: RequestContext, business: Business, publicID: String, reason: String, actor: Actor,
                       byBusiness: Bool) throws -> Cancellation {
        let cancellation = try database.cancelBooking(business: business, publicID: publicID, reason: reason, now: context.instant,
                                                      actor: actor, byBusiness: byBusiness)
        if let due = cancellation.stripeRefund {
            do {
                guard let account = try database.paymentAccount(businessID: business.id) else { return cancellation }
                try payments.refund(business: business, account: account, due: due,
                                    note: byBusiness ? "cancelled by the business: full refund" : "\(due.percent)% per cancellation policy",
                                    now: context.instant)
            } catch {
                refundFailed(context, business: business, due: due, error: error)
            }
        }
        return cancellation
    }
}

extension App {
    /// An API hold of an offer paid online: its PaymentIntent is made at once (the customer's email
    /// is in the request) and the answer carries `payment.status` `requires_payment` and the client secret.
    func apiPayment(_ context: RequestContext, business: Business, hold: OrderView, customer: CustomerDetails) throws -> Response? {
        guard let payment = try database.holdPayment(business: business, holdID: hold.publicID) else { return nil }
        let (order, intent, token) = try payments.startPayment(payment, customer: customer, now: context.instant)
        return .json(APIModels.bookingBody(order, manageURL: context.manageURL(order, token: token), clientSecret: intent.clientSecret),
                     status: .created)
    }

    /// `POST /api/v1/holds/{id}/confirm` of a hold paid online: Stripe is asked; a succeeded payment
    /// confirms it (once); otherwise 409 `payment_required`. Nil when the hold takes no payment.
    func settleAPIHold(_ context: RequestContext, business: Business, holdID: String, actor: Actor) throws -> (order: OrderView, token: String?)? {
        guard let payment = try database.holdPayment(business: business, holdID: holdID), payment.order.paymentDue > 0 else { return nil }
        guard let intent = payment.intent else { throw BookingFailure.paymentRequired }
        switch try payments.settleFromStripe(business: business, account: payment.account, stripeID: intent.stripeID,
                                             now: context.instant, actor: actor) {
        case .confirmed(let order, let token)?: return (order, token)
        case .alreadySettled(let order)?, .recorded(let order)?:
            guard order.status != .held else { throw BookingFailure.paymentRequired }
            return (order, nil)
        case .holdGone?: throw BookingFailure.holdExpired
        case nil: throw BookingFailure.paymentRequired
        }
    }
}

extension App {
    /// After a no-show: the version's fee, less what was paid, charged off-session to the card saved
    /// at booking. A decline is kept for staff (payments page) and emailed to the owners.
    /// A refund Stripe did not make: owed, kept for staff (payments page, the booking's staff page),
    /// emailed to the owners, and reported by `payments reconcile` until it is made.
    func refundFailed(_ context: RequestContext, business: Business, due: StripeRefundDue, error: any Error) {
        let message: String
        if case StripeError.refused(_, _, let text) = error { message = text } else { message = "\(error)" }
        logger.error("stripe: refund of \(due.amount) on \(due.paymentIntent) failed: \(message)")
        try? database.recordChargeFailure(business: business, orderID: due.orderID,
                                          reference: "bizing-refund-\(due.paymentIntent)-\(due.amount)-\(due.percent)", purpose: .refund,
                                          amount: due.amount, currency: due.currency,
                                          message: "Refund of \(BookingFormat.money(due.amount, due.currency)) not made: \(message)",
                                          now: context.instant)
    }

    /// Moves a booking (Store), then charges the no-show fee when the move was to no-show.
    func transition(_ context: RequestContext, business: Business, publicID: String, to next: BookingStatus, actor: Actor) throws -> OrderView {
        let order = try database.transition(business: business, publicID: publicID, to: next, now: context.instant, actor: actor)
        guard next == .noShow, let percent = try database.noShowFeePercent(businessID: business.id, versionID: order.offerVersionID) else {
            return order
        }
        chargeNoShowFee(context, business: business, order: order, feePercent: percent)
        return try database.order(businessID: business.id, publicID: publicID) ?? order
    }

    func chargeNoShowFee(_ context: RequestContext, business: Business, order: OrderView, feePercent: Int) {
        let fee = PaymentRules.noShowFeeOwed(total: order.price.total, feePercent: feePercent, paid: order.paid)
        chargeOffSession(context, business: business, order: order, amount: fee, purpose: .noShowFee,
                         key: "bizing-noshow-\(order.publicID)-\(fee)", what: "No-show fee")
    }

    /// Moves a booking (Store); when the owner re-prices reschedules, the online payment follows the
    /// new time's price: the difference is charged to the saved card, or refunded.
    func reschedule(_ context: RequestContext, business: Business, publicID: String, start: Instant, actor: Actor,
                    rules: Bookings.RescheduleRules) throws -> OrderView {
        let moved = try database.reschedule(business: business, publicID: publicID, start: start, now: context.instant, actor: actor, rules: rules)
        guard let account = try database.paymentAccount(businessID: business.id), account.reschedulePricing == .chargeDifference,
              let paid = try database.paidIntent(businessID: business.id, orderID: moved.id),
              let (order, due) = try database.repricedDueNow(business: business, publicID: publicID, now: context.instant) else { return moved }
        let difference = PaymentRules.rescheduleDifference(oldTotal: order.paid, newTotal: due, policy: account.reschedulePricing)
        if difference > 0 {
            chargeOffSession(context, business: business, order: order, amount: difference, purpose: .reschedule,
                             key: "bizing-reschedule-\(order.publicID)-\(order.start)-\(difference)", what: "Reschedule difference")
        } else if difference < 0 {
            do {
                try payments.refund(business: business, account: account,
                                    due: StripeRefundDue(orderID: order.id, paymentIntent: paid.stripeID, amount: -difference,
                                                         currency: order.price.currency, percent: 0),
                                    note: "rescheduled to a lower price", now: context.instant)
            } catch {
                refundFailed(context, business: business,
                             due: StripeRefundDue(orderID: order.id, paymentIntent: paid.stripeID, amount: -difference,
                                                  currency: order.price.currency, percent: 0), error: error)
            }
        }
        return try database.order(businessID: business.id, publicID: publicID) ?? moved
    }

    /// Charges `amount` off-session to the card saved with the booking's payment. A decline is kept
    /// for staff (payments page, the booking's staff page) and emailed to the owners.
    func chargeOffSession(_ context: RequestContext, business: Business, order: OrderView, amount: Int64,
                          purpose: PaymentIntentRecord.Purpose, key: String, what: String) {
        guard amount > 0, let account = try? database.paymentAccount(businessID: business.id),
              let paid = try? database.paidIntent(businessID: business.id, orderID: order.id),
              let method = paid.paymentMethod, let customer = paid.stripeCustomer else { return }
        do {
            let stripe = try payments.client(account)
            let intent = try stripe.post("/v1/payment_intents", [
                ("amount", String(amount)), ("currency", order.price.currency.lowercased()), ("customer", customer),
                ("payment_method", method), ("confirm", "true"), ("off_session", "true"),
                ("metadata[booking]", order.publicID), ("metadata[purpose]", purpose.rawValue),
            ], idempotencyKey: key)
            try database.recordPaymentIntent(businessID: business.id, orderID: order.id, stripeID: intent.id,
                                             clientSecret: intent[string: "client_secret"] ?? "", purpose: purpose, amount: amount,
                                             currency: order.price.currency, stripeCustomer: customer, paymentMethod: method,
                                             accessTokenSealed: nil, now: context.instant)
            if intent[string: "status"] == "succeeded" {
                _ = try payments.settle(business: business, account: account, intent: intent, eventID: nil, now: context.instant, actor: .system)
            }
        } catch {
            let message: String
            if case StripeError.refused(_, _, let text) = error { message = text } else { message = "\(error)" }
            logger.error("stripe: \(what) on \(order.publicID) failed: \(message)")
            try? database.recordChargeFailure(business: business, orderID: order.id, reference: key, purpose: purpose, amount: amount,
                                              currency: order.price.currency,
                                              message: "\(what) of \(BookingFormat.money(amount, order.price.currency)) declined: \(message)",
                                              now: context.instant)
        }
    }
}
