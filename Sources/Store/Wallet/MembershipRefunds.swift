public import BookingCore
import Foundation
import GRDB

/// A refund owed of money Stripe took for a membership month that cannot be granted (migration 0177).
public struct MembershipRefundDue: Sendable, Equatable {
    public let id: Int64
    public let businessID: BusinessID
    public let membershipID: Int64
    /// The month the money was taken for.
    public let periodIndex: Int
    public let stripeIntent: String
    public let amount: Int64
    public let currency: String

    /// Stripe's idempotency key: one refund per intent, however often the worker asks.
    public var idempotencyKey: String { "bizing-membership-refund-\(stripeIntent)" }
}

/// Membership refunds inside the caller's transaction.
enum MembershipRefunds {
    /// Owes the refund of an intent's money (once per intent: its unique index).
    static func owe(_ db: Database, _ sub: MembershipLedger.Subscription, index: Int, stripeIntent: String, amount: Int64, currency: String,
                    now: Instant) throws {
        guard amount > 0 else { return }
        try db.execute(sql: """
            INSERT INTO membership_refunds (business_id, subscription_id, period_idx, stripe_intent, amount, currency, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (stripe_intent) DO NOTHING
            """, arguments: [sub.businessID, sub.id, index, stripeIntent, amount, currency, now, now])
    }
}

extension AppDatabase {
    /// The membership refunds the worker still has to ask Stripe for, oldest first.
    public func membershipRefundsOwed(limit: Int = 100) throws -> [MembershipRefundDue] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, business_id, subscription_id, period_idx, stripe_intent, amount, currency FROM membership_refunds
                WHERE status = 'open' ORDER BY created_at, id LIMIT ?
                """, arguments: [limit]).map {
                    MembershipRefundDue(id: $0["id"], businessID: $0["business_id"], membershipID: $0["subscription_id"],
                                        periodIndex: $0["period_idx"], stripeIntent: $0["stripe_intent"], amount: $0["amount"],
                                        currency: $0["currency"])
                }
        }
    }

    /// Stripe made the refund (`refundID`): the refund row of the money, audited and told to the
    /// member, once. False when it was recorded before.
    @discardableResult
    public func recordMembershipRefund(_ due: MembershipRefundDue, refundID: String, now: Instant) throws -> Bool {
        try write { db in
            try db.execute(sql: """
                UPDATE membership_refunds SET status = 'succeeded', stripe_refund = ?, last_error = '', updated_at = ?
                WHERE business_id = ? AND id = ? AND status = 'open'
                """, arguments: [refundID, now, due.businessID, due.id])
            guard db.changesCount == 1,
                  let sub = try MembershipLedger.subscription(db, businessID: due.businessID, id: due.membershipID),
                  let plan = try MembershipLedger.plans(db, businessID: due.businessID, planID: sub.planID, liveOnly: false).first
            else { return false }
            try MembershipLedger.recordMoney(db, sub, index: due.periodIndex, amount: due.amount, currency: due.currency, paid: .card,
                                             stripeID: refundID, actor: Actor.system.label, now: now, refund: true)
            try AuditLog.append(db, businessID: due.businessID, at: now, actor: Actor.system.label, action: "membership.refund",
                                subject: "membership:\(due.membershipID)", details: ["intent": due.stripeIntent, "refund": refundID,
                                                                                     "amount": String(due.amount)])
            try MembershipLedger.notify(db, sub, plan: plan, event: "refunded", text: """
                The \(Currency.format(due.amount, due.currency)) your card was charged for your \(plan.name) membership is refunded: \
                that month was already settled or the membership had ended. It reaches your card within a few days.
                """, now: now)
            return true
        }
    }

    /// Stripe refused the refund: kept `failed` with its reason (audited) for staff to settle by hand.
    public func membershipRefundFailed(_ due: MembershipRefundDue, message: String, now: Instant) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE membership_refunds SET status = 'failed', last_error = ?, updated_at = ? WHERE business_id = ? AND id = ? AND status = 'open'
                """, arguments: [String(message.prefix(500)), now, due.businessID, due.id])
            guard db.changesCount == 1 else { return }
            try AuditLog.append(db, businessID: due.businessID, at: now, actor: Actor.system.label, action: "membership.refund_failed",
                                subject: "membership:\(due.membershipID)", details: ["intent": due.stripeIntent, "error": String(message.prefix(200))])
        }
    }
}
