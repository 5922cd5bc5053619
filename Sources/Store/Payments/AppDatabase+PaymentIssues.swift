public import BookingCore
import Foundation
import GRDB

/// What staff must see and act on about a booking's money (issue 16): disputes the customer's bank
/// opened, and refunds owed that Stripe has not made. Each write is one transaction.
extension AppDatabase {
    /// `charge.dispute.created`: the disputed amount leaves the ledger (one row per dispute id), the
    /// business's owners are emailed (a staff alert) and the dispute is audited, in one transaction.
    /// False when the event or the dispute was recorded before, or names no payment of Bizing's.
    @discardableResult
    public func recordDispute(businessID: BusinessID, paymentIntent: String, disputeID: String, amount: Int64, currency: String,
                              reason: String, eventID: String?, now: Instant) throws -> Bool {
        try write { db in
            if let eventID, !(try PaymentLedger.firstSeen(db, businessID: businessID, eventID: eventID, type: "charge.dispute.created", now: now)) {
                return false
            }
            guard let intent = try PaymentLedger.intent(db, businessID: businessID, stripeID: paymentIntent) else { return false }
            let disputed = abs(amount)
            guard try PaymentLedger.insert(db, businessID: businessID, orderID: intent.orderID, kind: "dispute", amount: -disputed,
                                           currency: currency, stripeID: disputeID, note: "disputed", at: now) else { return false }
            let why = reason.isEmpty ? "" : " (reason: \(reason.replacingOccurrences(of: "_", with: " ")))"
            let problem = "The customer's bank opened a dispute of \(Currency.format(disputed, currency.uppercased()))\(why), "
                + "dispute \(disputeID). Answer it in your Stripe dashboard before its deadline."
            try PaymentLedger.alertOwners(db, businessID: businessID, orderID: intent.orderID, event: "dispute", problem: problem, now: now)
            let publicID = try String.fetchOne(db, sql: "SELECT public_id FROM booking_orders WHERE business_id = ? AND id = ?",
                                               arguments: [businessID, intent.orderID]) ?? ""
            try AuditLog.append(db, businessID: businessID, at: now, actor: Actor.system.label, action: "payment.disputed",
                                subject: "booking:\(publicID)",
                                details: ["amount": String(disputed), "dispute": disputeID, "payment": paymentIntent, "reason": String(reason.prefix(100))])
            return true
        }
    }

    /// The booking's disputes and the refunds it is still owed, for its staff page.
    public func paymentIssues(businessID: BusinessID, publicID: String) throws -> BookingPaymentIssues {
        try read { db in
            guard let orderID = try BookingID.fetchOne(db, sql: "SELECT id FROM booking_orders WHERE business_id = ? AND public_id = ?",
                                                       arguments: [businessID, publicID]) else {
                return BookingPaymentIssues(disputes: [], refundsOwed: [])
            }
            let disputes = try Row.fetchAll(db, sql: """
                SELECT stripe_id, amount, currency, at FROM ledger_entries WHERE business_id = ? AND order_id = ? AND kind = 'dispute' ORDER BY id
                """, arguments: [businessID, orderID]).map {
                    BookingPaymentIssues.Dispute(stripeID: ($0["stripe_id"] as String?) ?? "", amount: -($0["amount"] as Int64), currency: $0["currency"],
                                                 at: $0["at"])
                }
            let owed = try Row.fetchAll(db, sql: """
                SELECT stripe_id, amount, currency, status, last_error, updated_at FROM payment_intents
                WHERE business_id = ? AND order_id = ? AND purpose = 'refund' AND status IN ('open', 'failed') ORDER BY id
                """, arguments: [businessID, orderID]).map {
                    BookingPaymentIssues.OwedRefund(reference: $0["stripe_id"], amount: $0["amount"], currency: $0["currency"],
                                                    failed: ($0["status"] as String) == "failed", message: $0["last_error"], at: $0["updated_at"])
                }
            return BookingPaymentIssues(disputes: disputes, refundsOwed: owed)
        }
    }

    /// Staff ask again for a refund the booking is still owed (`reference`: the owed row's name,
    /// which is also Stripe's idempotency key for it). Audited as `payment.refund_retry`; the caller
    /// then asks Stripe. Nil, with nothing written, when that refund is not owed (made already, or
    /// not this booking's).
    public func retryOwedRefund(business: Business, publicID: String, reference: String, actor: Actor, now: Instant) throws -> StripeRefundDue? {
        try write { db in
            guard let order = try BookingReads.order(db, businessID: business.id, publicID: publicID) else { throw BookingFailure.orderNotFound }
            guard let row = try Row.fetchOne(db, sql: """
                SELECT currency, status FROM payment_intents
                WHERE business_id = ? AND order_id = ? AND stripe_id = ? AND purpose = 'refund' AND status IN ('open', 'failed')
                """, arguments: [business.id, order.id, reference]),
                  let due = StripeRefundDue(reference: reference, orderID: order.id, currency: row["currency"]) else { return nil }
            try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "payment.refund_retry",
                                subject: "booking:\(order.publicID)",
                                details: ["amount": String(due.amount), "reference": reference, "was": row["status"] as String])
            return due
        }
    }
}

extension PaymentLedger {
    /// A staff alert to each of the business's owners about a booking's money (`event`: `payment_failed`,
    /// `dispute`), with the sentence they need; inside the caller's transaction.
    static func alertOwners(_ db: Database, businessID: BusinessID, orderID: BookingID, event: String, problem: String, now: Instant) throws {
        let owners = try Row.fetchAll(db, sql: """
            SELECT u.email, u.name FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.business_id = ? AND m.role = 'owner' ORDER BY m.id
            """, arguments: [businessID])
        for owner in owners {
            try Outbox.enqueue(db, businessID: businessID, kind: .staffAlert, email: owner["email"], name: owner["name"],
                               data: [("event", event), ("role", Role.owner.rawValue), ("problem", String(problem.prefix(300)))],
                               orderID: orderID, due: now, now: now)
        }
    }
}

/// A booking's money that needs staff: disputes opened against its payments, refunds still owed.
public struct BookingPaymentIssues: Sendable, Hashable {
    public struct Dispute: Sendable, Hashable {
        public let stripeID: String
        /// Positive: what the bank took back.
        public let amount: Int64
        public let currency: String
        public let at: Instant
    }

    public struct OwedRefund: Sendable, Hashable {
        /// The owed row's name and Stripe's idempotency key for the refund.
        public let reference: String
        public let amount: Int64
        public let currency: String
        /// Stripe refused it or could not be reached when asked (else it waits for the sweep).
        public let failed: Bool
        public let message: String
        public let at: Instant
    }

    public let disputes: [Dispute]
    public let refundsOwed: [OwedRefund]
    public var isEmpty: Bool { disputes.isEmpty && refundsOwed.isEmpty }
}
