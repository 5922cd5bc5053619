public import BookingCore
import Foundation
import GRDB

/// Memberships paid by card (issue 18, migration 0166), one transaction each. The web layer calls
/// Stripe outside any transaction; each attempt is written here first (`membership_charges`, its
/// idempotency key derived from the membership, the period and the attempt) and its outcome after.
/// A month is granted exactly once: its period moves from due to paid once (and the membership from
/// pending to active once, both guarded by triggers), and its money is one `membership_payments` row
/// per Stripe object (a unique index) — whichever of the return page and the webhook comes first.
extension AppDatabase {
    /// A signed-in customer subscribes by card: the membership waits (`pending`, paid by card) and
    /// its first month is an on-session charge to make a PaymentIntent for. A pending card
    /// membership of the same plan is continued (its open charge again), not doubled. nil for a free
    /// plan, which starts at once. `MembershipFailure.notFound` / `.alreadyMember` as `subscribe`.
    public func subscribeByCard(businessID: BusinessID, planID: Int64, userID: UserID, now: Instant) throws -> MembershipCharge? {
        try write { db in
            guard let plan = try MembershipLedger.plans(db, businessID: businessID, planID: planID).first else { throw MembershipFailure.notFound }
            if let pending = try Int64.fetchOne(db, sql: """
                SELECT id FROM membership_subscriptions
                WHERE business_id = ? AND plan_id = ? AND user_id = ? AND status = 'pending' AND pay_method = 'card'
                """, arguments: [businessID, planID, userID]) {
                return try MembershipCharges.openOnSession(db, businessID: businessID, membershipID: pending, index: 0, now: now)
            }
            let actor = Actor.user(userID).label
            let id = try Self.insertSubscription(db, businessID: businessID, planID: planID, userID: userID, actor: actor, now: now,
                                                 payMethod: .card)
            try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "membership.subscribe", subject: "membership:\(id)",
                                details: ["plan": plan.name, "user": userID.description, "method": "card"])
            guard plan.pricePerMonth > 0 else {
                guard let sub = try MembershipLedger.subscription(db, businessID: businessID, id: id) else { throw MembershipFailure.notFound }
                try MembershipLedger.activate(db, sub, plan: plan, paid: .card, actor: actor, now: now)
                return nil
            }
            return try MembershipCharges.openOnSession(db, businessID: businessID, membershipID: id, index: 0, now: now)
        }
    }

    /// The member pays a month by card on the page: the first month of a pending card membership, or
    /// the oldest month still due (its renewal declined). Returns the open on-session charge (made
    /// when there is none). `MembershipFailure.notFound` for someone else's membership,
    /// `.refused` when nothing is due or it is not paid by card.
    public func payMembershipByCard(businessID: BusinessID, membershipID: Int64, userID: UserID, now: Instant) throws -> MembershipCharge {
        try write { db in
            guard let sub = try MembershipLedger.subscription(db, businessID: businessID, id: membershipID), sub.userID == userID else {
                throw MembershipFailure.notFound
            }
            guard sub.payMethod == .card else { throw MembershipFailure.refused("This membership is paid at the venue.") }
            let index: Int?
            if sub.status == "pending" {
                index = 0
            } else {
                index = try Int.fetchOne(db, sql: """
                    SELECT MIN(idx) FROM membership_periods WHERE business_id = ? AND subscription_id = ? AND state = 'due'
                    """, arguments: [businessID, membershipID])
            }
            guard let index, sub.status != "ended" || sub.suspendedAt != nil else {
                throw MembershipFailure.refused("Nothing is due on this membership.")
            }
            return try MembershipCharges.openOnSession(db, businessID: businessID, membershipID: membershipID, index: index, now: now)
        }
    }

    /// The open on-session charge of the member's membership (the pay page), nil when none.
    public func openMembershipCharge(businessID: BusinessID, membershipID: Int64, userID: UserID) throws -> MembershipCharge? {
        try read { db in
            try MembershipCharges.fetch(db, where: """
                c.business_id = ? AND c.subscription_id = ? AND s.user_id = ? AND c.session = 'on' AND c.status = 'started'
                """, [businessID, membershipID, userID]).last
        }
    }

    /// Remembers the PaymentIntent made for a charge (once), and the Stripe customer the card is
    /// saved to (the membership's first one).
    public func recordMembershipIntent(businessID: BusinessID, chargeID: Int64, stripeID: String, clientSecret: String, customer: String?,
                                       now: Instant) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE membership_charges SET stripe_intent = ?, client_secret = ?, updated_at = ?
                WHERE business_id = ? AND id = ? AND stripe_intent IS NULL
                """, arguments: [stripeID, clientSecret, now, businessID, chargeID])
            if let customer {
                try db.execute(sql: """
                    UPDATE membership_subscriptions SET stripe_customer = ?, updated_at = ?
                    WHERE business_id = ? AND id = (SELECT subscription_id FROM membership_charges WHERE business_id = ? AND id = ?)
                      AND stripe_customer IS NULL
                    """, arguments: [customer, now, businessID, businessID, chargeID])
            }
        }
    }

    /// Whether `stripeID` is the PaymentIntent of one of the business's membership charges.
    public func isMembershipIntent(businessID: BusinessID, stripeID: String) throws -> Bool {
        try read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM membership_charges WHERE business_id = ? AND stripe_intent = ?",
                              arguments: [businessID, stripeID]) == true
        }
    }

    /// Stripe says a membership charge's intent succeeded (the return page, the webhook, or the
    /// worker's off-session answer): the month is paid and its credits granted — for the first
    /// month the membership starts — exactly once whichever comes first; the card it was paid with
    /// is kept for the next months. `eventID` (webhooks) is remembered so the same event again
    /// changes nothing (nil). nil too when no charge has this intent.
    public func settleMembershipCharge(businessID: BusinessID, stripeID: String, amount: Int64, paymentMethod: String?, eventID: String?,
                                       actor: Actor, now: Instant) throws -> MembershipSettlement? {
        try write { db in
            if let eventID, !(try PaymentLedger.firstSeen(db, businessID: businessID, eventID: eventID, type: "payment_intent.succeeded", now: now)) {
                return nil
            }
            guard let charge = try MembershipCharges.fetch(db, where: "c.business_id = ? AND c.stripe_intent = ?", [businessID, stripeID]).first,
                  let sub = try MembershipLedger.subscription(db, businessID: businessID, id: charge.membershipID),
                  let plan = try MembershipLedger.plans(db, businessID: businessID, planID: sub.planID, liveOnly: false).first else { return nil }
            if charge.status == "succeeded" { return .alreadyPaid }
            if charge.status == "failed" { return .notGranted }
            guard amount >= charge.amount else {
                try MembershipCharges.noteError(db, charge, "Stripe received \(amount), less than the price \(charge.amount).", now: now)
                return .notGranted
            }
            // An abandoned charge stays abandoned (it leaves `started` once); its money is given back below.
            if charge.status == "started" {
                try db.execute(sql: "UPDATE membership_charges SET status = 'succeeded', last_error = '', updated_at = ? WHERE business_id = ? AND id = ?",
                               arguments: [now, businessID, charge.id])
                if let paymentMethod {
                    try db.execute(sql: "UPDATE membership_subscriptions SET payment_method = ?, updated_at = ? WHERE business_id = ? AND id = ?",
                                   arguments: [paymentMethod, now, businessID, sub.id])
                }
            }
            if sub.status == "pending" && charge.periodIndex == 0 && charge.status == "started" {
                try MembershipLedger.activate(db, sub, plan: plan, paid: .card, stripeID: stripeID, actor: actor.label, now: now)
                return .activated
            }
            if charge.status == "started",
               try MembershipLedger.markPaid(db, sub, plan: plan, index: charge.periodIndex, paid: .card, stripeID: stripeID, actor: actor.label,
                                             now: now) {
                try MembershipLedger.notify(db, sub, plan: plan, event: "paid",
                                            text: "Your \(plan.name) membership's month is paid by card; its credits are in your wallet.", now: now)
                return .paid
            }
            // Abandoned, or paid at the desk meanwhile: the money is recorded, nothing granted, and a refund is owed
            // (the worker makes it: `MembershipRefunds`). Once per intent, however often Stripe's answer arrives.
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM membership_refunds WHERE business_id = ? AND stripe_intent = ?",
                                    arguments: [businessID, stripeID]) != true else {
                return .notGranted
            }
            try MembershipLedger.recordMoney(db, sub, index: charge.periodIndex, amount: amount, currency: charge.currency, paid: .card,
                                             stripeID: stripeID, actor: actor.label, now: now)
            try MembershipRefunds.owe(db, sub, index: charge.periodIndex, stripeIntent: stripeID, amount: amount, currency: charge.currency,
                                      now: now)
            try AuditLog.append(db, businessID: businessID, at: now, actor: actor.label, action: "membership.paid_unexpected",
                                subject: "membership:\(sub.id)", details: ["intent": stripeID, "amount": String(amount)])
            return .notGranted
        }
    }

    /// A card refused on the pay page (or `payment_intent.payment_failed` for a membership's
    /// intent): nothing is granted, the message is kept, and an on-session charge stays open to pay
    /// with another card. False when the event was seen before or no charge has the intent.
    @discardableResult
    public func recordMembershipChargeFailure(businessID: BusinessID, stripeID: String, message: String, eventID: String?,
                                              now: Instant) throws -> Bool {
        try write { db in
            if let eventID, !(try PaymentLedger.firstSeen(db, businessID: businessID, eventID: eventID, type: "payment_intent.payment_failed", now: now)) {
                return false
            }
            guard let charge = try MembershipCharges.fetch(db, where: "c.business_id = ? AND c.stripe_intent = ?", [businessID, stripeID]).first
            else { return false }
            try MembershipCharges.noteError(db, charge, message, now: now)
            return true
        }
    }

    /// The worker's renewal charges due by `now` (the saved card, off-session), oldest first.
    public func membershipChargesDue(now: Instant, limit: Int = 100) throws -> [MembershipCharge] {
        try read { db in
            try MembershipCharges.fetch(db, where: "c.status = 'started' AND c.session = 'off' AND c.due_at <= ? ORDER BY c.due_at, c.id LIMIT ?", [now, limit])
        }
    }

    /// Stripe declined an off-session renewal (or asked for authentication): the attempt failed,
    /// the month stays due with its credits withheld, and the member is emailed a link to pay it on
    /// the page. The next attempt is planned `Memberships.retryDelays` after the first; after the
    /// last one the membership is suspended (it ends now), audited and emailed.
    public func membershipChargeDeclined(businessID: BusinessID, chargeID: Int64, message: String, now: Instant) throws {
        try write { db in
            guard let charge = try MembershipCharges.fetch(db, where: "c.business_id = ? AND c.id = ?", [businessID, chargeID]).first,
                  charge.status == "started", !charge.onSession,
                  let sub = try MembershipLedger.subscription(db, businessID: businessID, id: charge.membershipID),
                  let plan = try MembershipLedger.plans(db, businessID: businessID, planID: sub.planID, liveOnly: false).first else { return }
            try db.execute(sql: """
                UPDATE membership_charges SET status = 'failed', last_error = ?, updated_at = ? WHERE business_id = ? AND id = ? AND status = 'started'
                """, arguments: [String(message.prefix(500)), now, businessID, chargeID])
            let failures = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM membership_charges
                WHERE business_id = ? AND subscription_id = ? AND period_idx = ? AND session = 'off' AND status = 'failed'
                """, arguments: [businessID, sub.id, charge.periodIndex]) ?? 0
            let firstDue = try Instant.fetchOne(db, sql: """
                SELECT MIN(due_at) FROM membership_charges WHERE business_id = ? AND subscription_id = ? AND period_idx = ? AND session = 'off'
                """, arguments: [businessID, sub.id, charge.periodIndex]) ?? charge.dueAt
            let amount = Currency.format(charge.amount, charge.currency)
            try AuditLog.append(db, businessID: businessID, at: now, actor: Actor.system.label, action: "membership.charge_failed",
                                subject: "membership:\(sub.id)",
                                details: ["period": String(charge.periodIndex), "attempt": String(charge.attempt), "error": String(message.prefix(200))])
            if failures <= Memberships.retryDelays.count, sub.status == "active" {
                let next = Swift.max(now, firstDue + Memberships.retryDelays[failures - 1])
                try MembershipCharges.insert(db, businessID: businessID, membershipID: sub.id, index: charge.periodIndex, onSession: false,
                                             amount: charge.amount, currency: charge.currency, dueAt: next, now: now)
                let clock = try MembershipLedger.clock(db, businessID: businessID)
                try MembershipLedger.notify(db, sub, plan: plan, event: "payment_failed", text: """
                    Payment failed: we could not charge \(amount) for this month of your \(plan.name) membership to your saved card \
                    (\(MembershipCharges.sentence(message))). This month's credits are held until it is paid. Pay it by card from your \
                    wallet, or we try your saved card again on \(HumanTime.longDate(clock.local(next).date)).
                    """, now: now)
                return
            }
            guard sub.status == "active" else { return }
            try db.execute(sql: """
                UPDATE membership_subscriptions SET status = 'ended', ends_at = ?, suspended_at = ?, updated_at = ?
                WHERE business_id = ? AND id = ? AND status = 'active'
                """, arguments: [now, now, now, businessID, sub.id])
            try AuditLog.append(db, businessID: businessID, at: now, actor: Actor.system.label, action: "membership.suspend",
                                subject: "membership:\(sub.id)", details: ["period": String(charge.periodIndex), "attempts": String(failures)])
            try MembershipLedger.notify(db, sub, plan: plan, event: "suspended", text: """
                Payment failed: we could not charge \(amount) for your \(plan.name) membership after \(failures) attempts \
                (\(MembershipCharges.sentence(message))), so the membership is suspended. You can still pay the month from your wallet, \
                or subscribe again.
                """, now: now)
        }
    }

    /// What the membership payments ledger holds for a membership: (period, kind, amount, method) in order.
    public func membershipPayments(businessID: BusinessID, membershipID: Int64) throws -> [(period: Int, kind: String, amount: Int64, method: String)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT period_idx, kind, amount, method FROM membership_payments WHERE business_id = ? AND subscription_id = ? ORDER BY id
                """, arguments: [businessID, membershipID]).map { ($0["period_idx"], $0["kind"], $0["amount"], $0["method"]) }
        }
    }
}

/// Membership charges inside the caller's transaction.
enum MembershipCharges {
    static func fetch(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [MembershipCharge] {
        try Row.fetchAll(db, sql: """
            SELECT c.*, s.user_id, s.stripe_customer, s.payment_method, u.email, p.name AS plan_name, b.name AS business_name
            FROM membership_charges c
            JOIN membership_subscriptions s ON s.business_id = c.business_id AND s.id = c.subscription_id
            JOIN membership_plans mp ON mp.business_id = s.business_id AND mp.id = s.plan_id
            JOIN packages p ON p.business_id = mp.business_id AND p.id = mp.package_id
            JOIN users u ON u.id = s.user_id
            JOIN businesses b ON b.id = c.business_id
            WHERE \(condition)
            """, arguments: arguments).map { row in
            MembershipCharge(id: row["id"], businessID: row["business_id"], membershipID: row["subscription_id"], periodIndex: row["period_idx"],
                             attempt: row["attempt"], onSession: (row["session"] as String) == "on", idempotencyKey: row["idempotency_key"],
                             amount: row["amount"], currency: row["currency"], dueAt: row["due_at"], status: row["status"],
                             stripeIntent: row["stripe_intent"], clientSecret: row["client_secret"], lastError: row["last_error"],
                             userID: row["user_id"], customerEmail: row["email"], planName: row["plan_name"], businessName: row["business_name"],
                             stripeCustomer: row["stripe_customer"], paymentMethod: row["payment_method"])
        }
    }

    /// Writes attempt N+1 of a month, before Stripe is called: its idempotency key names the
    /// membership, the period and the attempt, so a rerun of the same attempt never charges twice.
    @discardableResult
    static func insert(_ db: Database, businessID: BusinessID, membershipID: Int64, index: Int, onSession: Bool, amount: Int64,
                       currency: String, dueAt: Instant, now: Instant) throws -> Int64 {
        let attempt = (try Int.fetchOne(db, sql: """
            SELECT MAX(attempt) FROM membership_charges WHERE business_id = ? AND subscription_id = ? AND period_idx = ?
            """, arguments: [businessID, membershipID, index]) ?? 0) + 1
        try db.execute(sql: """
            INSERT INTO membership_charges (business_id, subscription_id, period_idx, attempt, session, idempotency_key, amount, currency, due_at,
                                            created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [businessID, membershipID, index, attempt, onSession ? "on" : "off",
                             "bizing-membership-\(membershipID)-\(index)-\(attempt)", amount, currency, dueAt, now, now])
        return db.lastInsertedRowID
    }

    /// The open on-session charge of a month (made when there is none).
    static func openOnSession(_ db: Database, businessID: BusinessID, membershipID: Int64, index: Int, now: Instant) throws -> MembershipCharge {
        let open = "c.business_id = ? AND c.subscription_id = ? AND c.period_idx = ? AND c.session = 'on' AND c.status = 'started'"
        if let charge = try fetch(db, where: open, [businessID, membershipID, index]).last { return charge }
        guard let sub = try MembershipLedger.subscription(db, businessID: businessID, id: membershipID),
              let plan = try MembershipLedger.plans(db, businessID: businessID, planID: sub.planID, liveOnly: false).first else {
            throw MembershipFailure.notFound
        }
        let amount = try Int64.fetchOne(db, sql: "SELECT amount FROM membership_periods WHERE business_id = ? AND subscription_id = ? AND idx = ?",
                                        arguments: [businessID, membershipID, index]) ?? plan.pricePerMonth
        guard amount > 0 else { throw MembershipFailure.refused("Nothing is due on this membership.") }
        let id = try insert(db, businessID: businessID, membershipID: membershipID, index: index, onSession: true, amount: amount,
                            currency: plan.currency, dueAt: now, now: now)
        guard let charge = try fetch(db, where: "c.business_id = ? AND c.id = ?", [businessID, id]).first else { throw MembershipFailure.notFound }
        return charge
    }

    /// A card-paid period has started (due, credits withheld): its first off-session charge, due now.
    static func periodStarted(_ db: Database, _ sub: MembershipLedger.Subscription, plan: MembershipPlanInfo, index: Int, now: Instant) throws {
        guard let amount = try Int64.fetchOne(db, sql: """
            SELECT amount FROM membership_periods WHERE business_id = ? AND subscription_id = ? AND idx = ? AND state = 'due'
            """, arguments: [sub.businessID, sub.id, index]) else { return }
        guard amount > 0 else {
            try MembershipLedger.markPaid(db, sub, plan: plan, index: index, paid: .card, stripeID: nil, actor: Actor.system.label, now: now)
            return
        }
        try insert(db, businessID: sub.businessID, membershipID: sub.id, index: index, onSession: false, amount: amount, currency: plan.currency,
                   dueAt: now, now: now)
    }

    /// Every open charge of a membership is given up (it started some other way, or was abandoned).
    static func abandonOpen(_ db: Database, businessID: BusinessID, membershipID: Int64, now: Instant) throws {
        try db.execute(sql: """
            UPDATE membership_charges SET status = 'abandoned', updated_at = ? WHERE business_id = ? AND subscription_id = ? AND status = 'started'
            """, arguments: [now, businessID, membershipID])
    }

    static func noteError(_ db: Database, _ charge: MembershipCharge, _ message: String, now: Instant) throws {
        try db.execute(sql: "UPDATE membership_charges SET last_error = ?, updated_at = ? WHERE business_id = ? AND id = ? AND status = 'started'",
                       arguments: [String(message.prefix(500)), now, charge.businessID, charge.id])
    }

    /// Stripe's message as part of a sentence: without its final full stop.
    static func sentence(_ message: String) -> String {
        var text = message.trimmingCharacters(in: .whitespacesAndNewlines)
        while text.hasSuffix(".") { text.removeLast() }
        return text.isEmpty ? "the card was declined" : text
    }
}
