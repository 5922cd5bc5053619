public import BookingCore
public import Foundation
import GRDB

/// Payments (issue 16): the connected Stripe account, the intents Bizing made, and the ledger rows
/// that follow what Stripe did. Stripe is called by the caller, outside any transaction; each
/// method here records one outcome in one transaction, at most once per Stripe object or event.
extension AppDatabase {
    public func paymentAccount(businessID: BusinessID) throws -> PaymentAccount? {
        try read { db in try PaymentLedger.account(db, businessID: businessID) }
    }

    /// The business a Stripe webhook names, with its account (nil: unknown, or not connected).
    public func paymentWebhookTarget(businessSlug: String) throws -> (Business, PaymentAccount)? {
        try read { db in
            guard let business = try Catalog.business(db, slug: businessSlug),
                  let account = try PaymentLedger.account(db, businessID: business.id) else { return nil }
            return (business, account)
        }
    }

    /// Stores the account (secrets already sealed) and audits the change with the masked hints only.
    public func connectPayments(_ account: PaymentAccount, actor: String, now: Instant) throws {
        try write { db in
            let existed = try PaymentLedger.account(db, businessID: account.businessID) != nil
            try db.execute(sql: """
                INSERT INTO payment_accounts (business_id, secret_key_sealed, webhook_secret_sealed, publishable_key, secret_key_hint,
                  webhook_secret_hint, reschedule_policy, connected_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (business_id) DO UPDATE SET secret_key_sealed = excluded.secret_key_sealed,
                  webhook_secret_sealed = excluded.webhook_secret_sealed, publishable_key = excluded.publishable_key,
                  secret_key_hint = excluded.secret_key_hint, webhook_secret_hint = excluded.webhook_secret_hint,
                  reschedule_policy = excluded.reschedule_policy, updated_at = excluded.updated_at
                """, arguments: [account.businessID, account.secretKeySealed, account.webhookSecretSealed, account.publishableKey,
                                 account.secretKeyHint, account.webhookSecretHint, account.reschedulePricing.rawValue, now, now])
            try AuditLog.append(db, businessID: account.businessID, at: now, actor: actor,
                                action: existed ? "payments.update" : "payments.connect", subject: "business:\(account.businessID)",
                                details: ["secret_key": account.secretKeyHint, "webhook_secret": account.webhookSecretHint,
                                          "publishable_key": account.publishableKey, "reschedule": account.reschedulePricing.rawValue])
        }
    }

    /// What paying this hold needs; nil when nothing is taken online (no Stripe, or nothing due now).
    public func holdPayment(business: Business, holdID: String) throws -> HoldPayment? {
        try read { db in try PaymentLedger.holdPayment(db, business: business, holdID: holdID) }
    }

    /// Before the PaymentIntent: the hold keeps the customer's details, what is due now, and the guest
    /// token's hash (the token is shown after paying, from the redirect or in the confirmation).
    public func askForPayment(business: Business, holdID: String, customer: CustomerDetails, dueNow: Int64, tokenHash: Data,
                              now: Instant) throws -> OrderView {
        try write { db in
            guard let order = try BookingReads.order(db, businessID: business.id, publicID: holdID) else { throw BookingFailure.orderNotFound }
            guard order.status == .held else { throw BookingFailure.illegalTransition(IllegalTransition(from: order.status, to: .confirmed)) }
            guard let expiry = order.holdExpiresAt, expiry > now else { throw BookingFailure.holdExpired }
            guard let spec = try Catalog.offerVersion(db, businessID: business.id, versionID: order.offerVersionID) else {
                throw BookingFailure.offerNotFound
            }
            try Bookings.validate(BookingRequest(offerSlug: order.offerSlug, start: order.start, customer: customer,
                                                 partySize: order.partySize, source: order.source), spec: spec)
            // The hold waits at the payment step under this email: it counts against the email's limit.
            if try HoldOrigins.isPublicHold(db, businessID: business.id, orderID: order.id) {
                try HoldOrigins.check(db, businessID: business.id, email: customer.email, except: order.id, now: now)
            }
            try db.execute(sql: """
                UPDATE booking_orders SET customer_name = ?, customer_email = ?, customer_phone = ?, customer_user_id = COALESCE(?, customer_user_id),
                  household_member_id = ?, notes = ?, payment_due = ?, access_token_hash = ?, updated_at = ?
                WHERE business_id = ? AND id = ? AND status = 'held'
                """, arguments: [customer.name, customer.email, customer.phone, customer.userID, customer.householdMemberID, customer.notes,
                                 dueNow, tokenHash, now, business.id, order.id])
            try IntakeAnswers.record(db, businessID: business.id, orderID: order.id, customer: customer, spec: spec)
            guard let updated = try BookingReads.order(db, businessID: business.id, publicID: holdID) else { throw BookingFailure.orderNotFound }
            return updated
        }
    }

    /// Records a PaymentIntent Stripe made for an order (once per intent id).
    public func recordPaymentIntent(businessID: BusinessID, orderID: BookingID, stripeID: String, clientSecret: String,
                                    purpose: PaymentIntentRecord.Purpose, amount: Int64, currency: String, stripeCustomer: String?,
                                    paymentMethod: String?, accessTokenSealed: Data?, now: Instant) throws {
        try write { db in
            try db.execute(sql: """
                INSERT INTO payment_intents (business_id, order_id, stripe_id, client_secret, purpose, amount, currency, stripe_customer,
                  payment_method, access_token_sealed, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (stripe_id) DO UPDATE SET access_token_sealed = COALESCE(excluded.access_token_sealed, access_token_sealed),
                  updated_at = excluded.updated_at
                """, arguments: [businessID, orderID, stripeID, clientSecret, purpose.rawValue, amount, currency.uppercased(), stripeCustomer,
                                 paymentMethod, accessTokenSealed, now, now])
        }
    }

    public func paymentIntent(businessID: BusinessID, stripeID: String) throws -> PaymentIntentRecord? {
        try read { db in try PaymentLedger.intent(db, businessID: businessID, stripeID: stripeID) }
    }

    /// Stripe says the intent succeeded (the redirect back, or `payment_intent.succeeded`): one ledger
    /// row per intent; a booking's hold becomes the booking, exactly once, whichever arrives first.
    /// `eventID` (webhooks) is remembered so the same event twice changes nothing.
    public func settlePayment(business: Business, stripeID: String, amount: Int64, paymentMethod: String?, chargeID: String?,
                              eventID: String?, box: SecretBox, now: Instant, actor: Actor) throws -> PaymentSettlement? {
        try write { db in
            if let eventID, !(try PaymentLedger.firstSeen(db, businessID: business.id, eventID: eventID, type: "payment_intent.succeeded", now: now)) {
                return nil
            }
            guard let intent = try PaymentLedger.intent(db, businessID: business.id, stripeID: stripeID) else { return nil }
            guard let order = try BookingReads.order(db, businessID: business.id, orderID: intent.orderID) else { throw BookingFailure.orderNotFound }
            let kind: String
            switch intent.purpose {
            case .booking: kind = amount < order.price.total ? "deposit" : "charge"
            case .noShowFee: kind = "fee"
            case .reschedule, .refund: kind = "charge"
            }
            let inserted = try PaymentLedger.insert(db, businessID: business.id, orderID: order.id, kind: kind, amount: amount,
                                                    currency: intent.currency, stripeID: stripeID,
                                                    note: chargeID.map { "charge \($0)" } ?? "", at: now)
            guard inserted else {
                return .alreadySettled(try BookingReads.order(db, businessID: business.id, orderID: order.id) ?? order)
            }
            try db.execute(sql: """
                UPDATE payment_intents SET status = 'succeeded', payment_method = COALESCE(?, payment_method), last_error = '', updated_at = ?
                WHERE business_id = ? AND stripe_id = ?
                """, arguments: [paymentMethod, now, business.id, stripeID])
            try DomainEvents.emit(db, businessID: business.id, type: .paymentSucceeded, orderID: order.id, now: now)
            try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "payment.succeeded",
                                subject: "booking:\(order.publicID)", details: ["amount": String(amount), "stripe": stripeID])
            guard intent.purpose == .booking else {
                return .recorded(try BookingReads.order(db, businessID: business.id, orderID: order.id) ?? order)
            }
            if order.status == .held, let expiry = order.holdExpiresAt, expiry > now {
                let token = try intent.accessTokenSealed.map { try box.open($0) } ?? Tokens.secret()
                let confirmed = try Bookings.confirm(db, business: business, holdID: order.publicID, now: now, actor: actor, paidToken: token)
                return .confirmed(confirmed.order, accessToken: confirmed.accessToken)
            }
            let refund = StripeRefundDue(orderID: order.id, paymentIntent: stripeID, amount: amount, currency: intent.currency, percent: 100)
            return .holdGone(try BookingReads.order(db, businessID: business.id, orderID: order.id) ?? order, refund)
        }
    }

    /// `payment_intent.payment_failed` (or a declined off-session charge): the hold stays until it
    /// expires; the message is kept for staff. False when the event was seen before.
    @discardableResult
    public func recordPaymentFailure(businessID: BusinessID, stripeID: String, message: String, eventID: String?, now: Instant) throws -> Bool {
        try write { db in
            if let eventID, !(try PaymentLedger.firstSeen(db, businessID: businessID, eventID: eventID, type: "payment_intent.payment_failed", now: now)) {
                return false
            }
            try db.execute(sql: """
                UPDATE payment_intents SET status = CASE WHEN status = 'succeeded' THEN status ELSE 'failed' END, last_error = ?, updated_at = ?
                WHERE business_id = ? AND stripe_id = ?
                """, arguments: [String(message.prefix(500)), now, businessID, stripeID])
            return true
        }
    }

    /// A refund Stripe made (by Bizing, or seen in `charge.refunded`): one ledger row per refund id.
    @discardableResult
    public func recordRefund(businessID: BusinessID, paymentIntent: String, refundID: String, amount: Int64, currency: String, note: String,
                             eventID: String?, now: Instant) throws -> Bool {
        try write { db in
            if let eventID, !(try PaymentLedger.firstSeen(db, businessID: businessID, eventID: eventID, type: "charge.refunded", now: now)) {
                return false
            }
            guard let intent = try PaymentLedger.intent(db, businessID: businessID, stripeID: paymentIntent) else { return false }
            let inserted = try PaymentLedger.insert(db, businessID: businessID, orderID: intent.orderID, kind: "refund", amount: -abs(amount),
                                                    currency: currency, stripeID: refundID, note: note, at: now)
            if inserted {
                try DomainEvents.emit(db, businessID: businessID, type: .paymentRefunded, orderID: intent.orderID, now: now)
            }
            return inserted
        }
    }

    /// Remembers an event Bizing does not act on, so a redelivery is recognised. False when seen before.
    @discardableResult
    public func recordStripeEvent(businessID: BusinessID, eventID: String, type: String, now: Instant) throws -> Bool {
        try write { db in try PaymentLedger.firstSeen(db, businessID: businessID, eventID: eventID, type: type, now: now) }
    }

    /// Open intents of holds that expired: each is cancelled at Stripe, then marked (`markIntent`).
    public func intentsOfExpiredHolds(now: Instant, limit: Int = 100) throws -> [(businessID: BusinessID, stripeID: String)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT p.business_id, p.stripe_id FROM payment_intents p
                JOIN booking_orders b ON b.business_id = p.business_id AND b.id = p.order_id
                WHERE p.status IN ('open', 'failed') AND p.purpose = 'booking'
                  AND (b.status = 'expired' OR (b.status = 'held' AND b.hold_expires_at <= ?))
                ORDER BY p.id LIMIT ?
                """, arguments: [now, limit]).map { ($0["business_id"], $0["stripe_id"]) }
        }
    }

    /// Refunds owed and not yet asked of Stripe (left `open` by a cancellation whose caller could not
    /// ask: a decline, a session called off by the worker, a crash between commit and the call).
    public func refundsOwed(now: Instant, olderThan seconds: Int64 = 10, limit: Int = 100) throws -> [(businessID: BusinessID, refund: StripeRefundDue)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT business_id, order_id, stripe_id, currency FROM payment_intents
                WHERE purpose = 'refund' AND status = 'open' AND created_at <= ? ORDER BY id LIMIT ?
                """, arguments: [now - seconds, limit]).compactMap { row in
                    StripeRefundDue(reference: row["stripe_id"], orderID: row["order_id"], currency: row["currency"]).map { (row["business_id"], $0) }
                }
        }
    }

    public func markIntent(businessID: BusinessID, stripeID: String, status: PaymentIntentRecord.Status, error: String = "", now: Instant) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE payment_intents SET status = ?, last_error = ?, updated_at = ? WHERE business_id = ? AND stripe_id = ? AND status != 'succeeded'
                """, arguments: [status.rawValue, String(error.prefix(500)), now, businessID, stripeID])
        }
    }

    /// The booking's succeeded booking intent and what it may still refund.
    public func paidIntent(businessID: BusinessID, orderID: BookingID) throws -> PaymentIntentRecord? {
        try read { db in
            guard let id = try PaymentLedger.bookingIntent(db, businessID: businessID, orderID: orderID) else { return nil }
            return try PaymentLedger.intent(db, businessID: businessID, stripeID: id)
        }
    }

    /// Every ledger row of the business, and every intent, for `bizing payments reconcile`.
    public func paymentRecords(businessID: BusinessID) throws -> (ledger: [LedgerRow], intents: [PaymentIntentRecord]) {
        try read { db in
            let ledger = try Row.fetchAll(db, sql: """
                SELECT b.public_id, l.kind, l.amount, l.currency, l.stripe_id, l.at FROM ledger_entries l
                JOIN booking_orders b ON b.business_id = l.business_id AND b.id = l.order_id
                WHERE l.business_id = ? ORDER BY l.id
                """, arguments: [businessID]).map {
                    LedgerRow(orderPublicID: $0["public_id"], kind: $0["kind"], amount: $0["amount"], currency: $0["currency"],
                              stripeID: $0["stripe_id"], at: $0["at"])
                }
            let intents = try Row.fetchAll(db, sql: "SELECT * FROM payment_intents WHERE business_id = ? ORDER BY id", arguments: [businessID])
                .map(PaymentLedger.intent(row:))
            return (ledger, intents)
        }
    }

    /// Failed charges staff should see (no-show fees that Stripe declined), newest first.
    public func paymentProblems(businessID: BusinessID, limit: Int = 50) throws -> [PaymentProblem] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT b.public_id, p.last_error, p.updated_at, p.purpose FROM payment_intents p
                JOIN booking_orders b ON b.business_id = p.business_id AND b.id = p.order_id
                WHERE p.business_id = ? AND p.status = 'failed' AND p.purpose != 'booking'
                ORDER BY p.updated_at DESC LIMIT ?
                """, arguments: [businessID, limit]).map {
                    PaymentProblem(orderPublicID: $0["public_id"], message: $0["last_error"], at: $0["updated_at"],
                                   isRefund: ($0["purpose"] as String) == "refund")
                }
        }
    }
}

extension AppDatabase {
    /// Whether `token` is the order's guest token (false on any error).
    public func tokenMatches(business: Business, publicID: String, token: String) -> Bool {
        (try? read { db in try BookingReads.tokenMatches(db, businessID: business.id, publicID: publicID, token: token) }) ?? false
    }
}

extension AppDatabase {
    /// A booking of `offerSlug` is paid online: the business has a payment account and the offer's
    /// live version asks for money at booking (a deposit or the full price).
    public func takesPaymentOnline(businessID: BusinessID, offerSlug: String) throws -> Bool {
        try read { db in try Self.takesPaymentOnline(db, businessID: businessID, offerSlug: offerSlug) }
    }

    /// Whether the offer's live version asks for money at booking (a deposit or the full price).
    static func offerTakesPayment(_ db: Database, businessID: BusinessID, offerSlug: String) throws -> Bool {
        guard let offer = try Catalog.offer(db, businessID: businessID, slug: offerSlug) else { return false }
        return offer.spec.deposit != nil
    }

    /// A booking of `offerSlug` is paid online: the business has a payment account and the offer a deposit.
    static func takesPaymentOnline(_ db: Database, businessID: BusinessID, offerSlug: String) throws -> Bool {
        try PaymentLedger.account(db, businessID: businessID) != nil && offerTakesPayment(db, businessID: businessID, offerSlug: offerSlug)
    }
}

extension AppDatabase {
    /// A charge Stripe declined (a no-show fee): kept for the payments page and emailed to the
    /// business's owners, in one transaction. `reference` is Stripe's intent id when it made one.
    public func recordChargeFailure(business: Business, orderID: BookingID, reference: String, purpose: PaymentIntentRecord.Purpose,
                                    amount: Int64, currency: String, message: String, now: Instant) throws {
        try write { db in
            try db.execute(sql: """
                INSERT INTO payment_intents (business_id, order_id, stripe_id, client_secret, purpose, amount, currency, status, last_error,
                  created_at, updated_at)
                VALUES (?, ?, ?, '', ?, ?, ?, 'failed', ?, ?, ?)
                ON CONFLICT (stripe_id) DO UPDATE SET status = 'failed', last_error = excluded.last_error, updated_at = excluded.updated_at
                """, arguments: [business.id, orderID, reference, purpose.rawValue, amount, currency.uppercased(), String(message.prefix(500)),
                                 now, now])
            try PaymentLedger.alertOwners(db, businessID: business.id, orderID: orderID, event: "payment_failed", problem: message, now: now)
            guard let order = try BookingReads.order(db, businessID: business.id, orderID: orderID) else { return }
            try AuditLog.append(db, businessID: business.id, at: now, actor: Actor.system.label, action: "payment.failed",
                                subject: "booking:\(order.publicID)", details: ["amount": String(amount), "reason": String(message.prefix(200))])
        }
    }
}

extension AppDatabase {
    /// The no-show fee percentage of an offer version (nil: unknown version).
    public func noShowFeePercent(businessID: BusinessID, versionID: OfferVersionID) throws -> Int? {
        try read { db in try Catalog.offerVersion(db, businessID: businessID, versionID: versionID)?.noShowFeePercent }
    }
}
