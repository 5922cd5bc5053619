import BookingCore
import Foundation
import GRDB

/// Memberships inside the caller's transaction. Every writer of `membership_periods` goes through
/// `startPeriod`: a period is written once (its unique index makes a second run a no-op), and its
/// credits are an entitlement lot granted through `Wallets.append`, so "balance = sum of movements"
/// holds for members' credits as for any other. Rollover is a `transfer` out of the old lot and into
/// the new one (up to the cap), the rest of the old lot an `expire`.
enum MembershipLedger {
    struct Subscription {
        let id: Int64
        let businessID: BusinessID
        let planID: Int64
        let userID: UserID
        let status: String
        let anchor: LocalDate?
        let pause: Range<Int>?
        let endsAt: Instant?
        let payMethod: MembershipPayMethod
        let stripeCustomer: String?
        let paymentMethod: String?
        let suspendedAt: Instant?

        init(row: Row) {
            id = row["id"]
            businessID = row["business_id"]
            planID = row["plan_id"]
            userID = row["user_id"]
            status = row["status"]
            anchor = (row["anchor_date"] as String?).flatMap { LocalDate($0) }
            let from: Int? = row["pause_from"], until: Int? = row["pause_until"]
            pause = from.flatMap { from in until.map { from..<$0 } }
            endsAt = row["ends_at"]
            payMethod = MembershipPayMethod(rawValue: row["pay_method"] ?? "venue") ?? .venue
            stripeCustomer = row["stripe_customer"]
            paymentMethod = row["payment_method"]
            suspendedAt = row["suspended_at"]
        }
    }

    static func plans(_ db: Database, businessID: BusinessID, planID: Int64? = nil, liveOnly: Bool = true) throws -> [MembershipPlanInfo] {
        try Row.fetchAll(db, sql: """
            SELECT mp.id, mp.package_id, mp.rollover, mp.rollover_cap, mp.discount_percent, mp.max_pause_months, mp.cancel_notice_days,
                   p.name, p.credits, p.price, p.currency
            FROM membership_plans mp JOIN packages p ON p.business_id = mp.business_id AND p.id = mp.package_id
            WHERE mp.business_id = ? AND (? IS NULL OR mp.id = ?) AND (? = 0 OR mp.status = 'live') ORDER BY p.name, mp.id
            """, arguments: [businessID, planID, planID, liveOnly]).map { row in
            let packageID: PackageID = row["package_id"]
            let offers = try Wallets.packageOffers(db, businessID: businessID, packageID: packageID)
            let notice: Int? = row["cancel_notice_days"]
            let rules = MembershipPlanRules(creditsPerPeriod: row["credits"], offerIDs: Set(offers.map(\.id)), rollover: row["rollover"],
                                            rolloverCap: row["rollover_cap"], discountPercent: row["discount_percent"],
                                            maxPauseMonths: row["max_pause_months"],
                                            cancelRule: notice.map { .notice(days: $0) } ?? .endOfPeriod)
            return MembershipPlanInfo(id: row["id"], packageID: packageID, name: row["name"], pricePerMonth: row["price"],
                                      currency: row["currency"], offers: offers, rules: rules)
        }
    }

    static func subscription(_ db: Database, businessID: BusinessID, id: Int64) throws -> Subscription? {
        try Row.fetchOne(db, sql: "SELECT * FROM membership_subscriptions WHERE business_id = ? AND id = ?", arguments: [businessID, id])
            .map(Subscription.init(row:))
    }

    static func clock(_ db: Database, businessID: BusinessID) throws -> ZoneClock {
        guard let business = try Catalog.business(db, id: businessID), let clock = ZoneClock(identifier: business.timeZone) else {
            throw MembershipFailure.notFound
        }
        return clock
    }

    /// Starts period `index` of an active membership: paused (nothing granted, nothing due; what
    /// would not roll over expires), or a new lot of the plan's credits expiring at the period's
    /// end, with what rolls over from the previous period's lot (across a pause, the lot before it);
    /// that lot's rest expires. `paid`: how this period was paid (the
    /// first one, at sign-up); otherwise it is due. A due period of a card-paid membership has its
    /// credits withheld (the lot starts with only what rolled over) until `markPaid` grants them.
    /// Nothing happens when the period exists already.
    @discardableResult
    static func startPeriod(_ db: Database, _ sub: Subscription, plan: MembershipPlanInfo, index: Int, clock: ZoneClock, paid: PackagePayment?,
                            actor: String, now: Instant) throws -> Bool {
        guard let anchor = sub.anchor else { return false }
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM membership_periods WHERE business_id = ? AND subscription_id = ? AND idx = ?",
                             arguments: [sub.businessID, sub.id, index]) == true { return false }
        let range = Memberships.period(anchor: anchor, index: index, clock: clock)
        // The lot credits roll over from: the previous period's, or, across a pause, the last period's that had one.
        let previous = try EntitlementID.fetchOne(db, sql: """
            SELECT entitlement_id FROM membership_periods
            WHERE business_id = ? AND subscription_id = ? AND idx < ? AND entitlement_id IS NOT NULL ORDER BY idx DESC LIMIT 1
            """, arguments: [sub.businessID, sub.id, index])
        let left = try previous.map { try balance(db, businessID: sub.businessID, lot: $0) } ?? 0
        if sub.pause?.contains(index) == true {
            try db.execute(sql: """
                INSERT INTO membership_periods (business_id, subscription_id, idx, starts_at, ends_at, state, amount, currency)
                VALUES (?, ?, ?, ?, ?, 'paused', 0, ?)
                """, arguments: [sub.businessID, sub.id, index, range.start, range.end, plan.currency])
            // What would roll over waits in its lot (past its expiry, so not usable) for the first period after the pause.
            let kept = Memberships.carried(left: left, rules: plan.rules)
            if let previous, left > kept {
                try Wallets.append(db, businessID: sub.businessID, lot: previous,
                                   EntitlementMovement(kind: .expire, credits: -(left - kept), at: now), actor: actor)
            }
            return true
        }
        try db.execute(sql: """
            INSERT INTO entitlements (business_id, package_id, user_id, expires_at, price_paid, currency, method, recorded_by, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [sub.businessID, plan.packageID, sub.userID, range.end, plan.pricePerMonth, plan.currency,
                             (paid ?? (sub.payMethod == .card ? .card : .atVenue)).rawValue, actor, now])
        let lot = EntitlementID(rawValue: db.lastInsertedRowID)
        if paid != nil || sub.payMethod == .venue {
            try Wallets.append(db, businessID: sub.businessID, lot: lot,
                               EntitlementMovement(kind: .grant, credits: plan.rules.creditsPerPeriod, at: now), actor: actor)
        }
        if let previous, left > 0 {
            let carried = Memberships.carried(left: left, rules: plan.rules)
            if carried > 0 {
                try Wallets.append(db, businessID: sub.businessID, lot: previous, EntitlementMovement(kind: .transfer, credits: -carried, at: now),
                                   actor: actor)
                try Wallets.append(db, businessID: sub.businessID, lot: lot, EntitlementMovement(kind: .transfer, credits: carried, at: now),
                                   actor: actor)
            }
            if left > carried {
                try Wallets.append(db, businessID: sub.businessID, lot: previous,
                                   EntitlementMovement(kind: .expire, credits: -(left - carried), at: now), actor: actor)
            }
        }
        try db.execute(sql: """
            INSERT INTO membership_periods (business_id, subscription_id, idx, starts_at, ends_at, state, amount, currency, entitlement_id,
              paid_method, paid_at, recorded_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [sub.businessID, sub.id, index, range.start, range.end, paid == nil ? "due" : "paid", plan.pricePerMonth,
                             plan.currency, lot, paid?.rawValue, paid == nil ? nil : now, paid == nil ? nil : actor])
        return true
    }

    /// A month's money into `membership_payments` (nothing for a free month): by Stripe (`stripeID`,
    /// once per Stripe object by its unique index), at the venue or in cash; `refund`: money given
    /// back (recorded as a negative amount).
    static func recordMoney(_ db: Database, _ sub: Subscription, index: Int, amount: Int64, currency: String, paid: PackagePayment,
                            stripeID: String?, actor: String, now: Instant, refund: Bool = false) throws {
        guard amount > 0 else { return }
        try db.execute(sql: """
            INSERT INTO membership_payments (business_id, subscription_id, period_idx, kind, amount, currency, method, stripe_id, recorded_by, at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [sub.businessID, sub.id, index, refund ? "refund" : "charge", refund ? -amount : amount, currency,
                             stripeID != nil ? "stripe" : (paid == .cash ? "cash" : "at_venue"), stripeID, actor, now])
    }

    /// Marks the due period `index` paid, once: the money recorded, the credits granted when they
    /// were withheld (a card-paid month), the period's other card attempts abandoned, audited.
    /// False when the period is not due (paid already, paused, or never started).
    @discardableResult
    static func markPaid(_ db: Database, _ sub: Subscription, plan: MembershipPlanInfo, index: Int, paid: PackagePayment, stripeID: String?,
                         actor: String, now: Instant) throws -> Bool {
        guard let period = try Row.fetchOne(db, sql: """
            SELECT amount, currency, entitlement_id FROM membership_periods WHERE business_id = ? AND subscription_id = ? AND idx = ? AND state = 'due'
            """, arguments: [sub.businessID, sub.id, index]) else { return false }
        try db.execute(sql: """
            UPDATE membership_periods SET state = 'paid', paid_method = ?, paid_at = ?, recorded_by = ?
            WHERE business_id = ? AND subscription_id = ? AND idx = ? AND state = 'due'
            """, arguments: [paid.rawValue, now, actor, sub.businessID, sub.id, index])
        guard db.changesCount == 1 else { return false }
        try recordMoney(db, sub, index: index, amount: period["amount"], currency: period["currency"], paid: paid, stripeID: stripeID,
                        actor: actor, now: now)
        if let lot: EntitlementID = period["entitlement_id"], try Bool.fetchOne(db, sql: """
            SELECT 1 FROM entitlement_movements WHERE business_id = ? AND entitlement_id = ? AND kind = 'grant'
            """, arguments: [sub.businessID, lot]) != true {
            try Wallets.append(db, businessID: sub.businessID, lot: lot,
                               EntitlementMovement(kind: .grant, credits: plan.rules.creditsPerPeriod, at: now), actor: actor)
        }
        try db.execute(sql: """
            UPDATE membership_charges SET status = 'abandoned', updated_at = ?
            WHERE business_id = ? AND subscription_id = ? AND period_idx = ? AND status = 'started'
            """, arguments: [now, sub.businessID, sub.id, index])
        try AuditLog.append(db, businessID: sub.businessID, at: now, actor: actor, action: "membership.pay", subject: "membership:\(sub.id)",
                            details: ["period": String(index), "method": stripeID != nil ? "stripe" : paid.rawValue])
        return true
    }

    static func balance(_ db: Database, businessID: BusinessID, lot: EntitlementID) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(credits), 0) FROM entitlement_movements WHERE business_id = ? AND entitlement_id = ?",
                         arguments: [businessID, lot]) ?? 0
    }

    /// Starts every period that has begun by `now` of every active membership (at most 24 a
    /// membership a pass), and ends the memberships whose end has passed; returns the periods started.
    static func renew(_ db: Database, now: Instant) throws -> Int {
        let subs = try Row.fetchAll(db, sql: "SELECT * FROM membership_subscriptions WHERE status = 'active' ORDER BY id LIMIT 1000")
            .map(Subscription.init(row:))
        var started = 0
        for sub in subs {
            guard let anchor = sub.anchor, let plan = try plans(db, businessID: sub.businessID, planID: sub.planID, liveOnly: false).first
            else { continue }
            let zone = try clock(db, businessID: sub.businessID)
            let current = Memberships.index(at: now, anchor: anchor, clock: zone)
            let last = try Int.fetchOne(db, sql: "SELECT MAX(idx) FROM membership_periods WHERE business_id = ? AND subscription_id = ?",
                                        arguments: [sub.businessID, sub.id]) ?? -1
            var index = last + 1
            while index <= current, index <= last + 24 {
                if let ends = sub.endsAt, Memberships.period(anchor: anchor, index: index, clock: zone).start >= ends { break }
                if try startPeriod(db, sub, plan: plan, index: index, clock: zone, paid: nil, actor: Actor.system.label, now: now) {
                    started += 1
                    if sub.payMethod == .card {
                        try MembershipCharges.periodStarted(db, sub, plan: plan, index: index, now: now)
                    }
                }
                index += 1
            }
            if let ends = sub.endsAt, ends <= now {
                try db.execute(sql: "UPDATE membership_subscriptions SET status = 'ended', updated_at = ? WHERE business_id = ? AND id = ?",
                               arguments: [now, sub.businessID, sub.id])
                try AuditLog.append(db, businessID: sub.businessID, at: now, actor: Actor.system.label, action: "membership.end",
                                    subject: "membership:\(sub.id)", details: [:])
            }
        }
        return started
    }

    /// Starts a pending membership now: anchored on today's business-local date, its first period
    /// paid (the money into `membership_payments`: `stripeID` for a card payment).
    static func activate(_ db: Database, _ sub: Subscription, plan: MembershipPlanInfo, paid: PackagePayment, stripeID: String? = nil,
                         actor: String, now: Instant) throws {
        let zone = try clock(db, businessID: sub.businessID)
        let today = zone.local(now).date
        try db.execute(sql: """
            UPDATE membership_subscriptions SET status = 'active', anchor_date = ?, updated_at = ? WHERE business_id = ? AND id = ? AND status = 'pending'
            """, arguments: [today.description, now, sub.businessID, sub.id])
        guard db.changesCount == 1 else { throw MembershipFailure.refused("This membership is not waiting for its first month.") }
        try recordMoney(db, sub, index: 0, amount: plan.pricePerMonth, currency: plan.currency, paid: paid, stripeID: stripeID, actor: actor,
                        now: now)
        try MembershipCharges.abandonOpen(db, businessID: sub.businessID, membershipID: sub.id, now: now)
        guard let active = try subscription(db, businessID: sub.businessID, id: sub.id) else { throw MembershipFailure.notFound }
        try startPeriod(db, active, plan: plan, index: 0, clock: zone, paid: paid, actor: actor, now: now)
        try AuditLog.append(db, businessID: sub.businessID, at: now, actor: actor, action: "membership.activate",
                            subject: "membership:\(sub.id)", details: ["method": paid.rawValue, "anchor": today.description])
        try notify(db, sub, plan: plan, event: "started", text: "Your \(plan.name) membership has started.", now: now)
    }

    /// An email to the member through the outbox (kind `confirmation`, `about` = `membership`, `event`
    /// naming the change, `text` the sentence the templates show).
    static func notify(_ db: Database, _ sub: Subscription, plan: MembershipPlanInfo, event: String, text: String, now: Instant) throws {
        guard let user = try Row.fetchOne(db, sql: "SELECT email, name FROM users WHERE id = ?", arguments: [sub.userID]) else { return }
        try Outbox.enqueue(db, businessID: sub.businessID, kind: .confirmation, email: user["email"], name: user["name"],
                           data: [("about", "membership"), ("event", event), ("plan", plan.name), ("text", text)], orderID: nil,
                           due: now, now: now)
    }

    /// What the pages say about a membership at `now`.
    static func info(_ db: Database, _ sub: Subscription, now: Instant) throws -> MembershipInfo? {
        guard let business = try Catalog.business(db, id: sub.businessID), let clock = ZoneClock(identifier: business.timeZone),
              let plan = try plans(db, businessID: sub.businessID, planID: sub.planID, liveOnly: false).first else { return nil }
        let periods = try Row.fetchAll(db, sql: """
            SELECT idx, starts_at, ends_at, state, amount, entitlement_id FROM membership_periods
            WHERE business_id = ? AND subscription_id = ? ORDER BY idx DESC LIMIT 24
            """, arguments: [sub.businessID, sub.id]).map { row in
            MembershipPeriodInfo(index: row["idx"], range: TimeRange(start: row["starts_at"], end: row["ends_at"]), state: row["state"],
                                 amount: row["amount"], entitlementID: row["entitlement_id"])
        }
        var state = MembershipState.pending, next: Instant?, current: Int?
        let dueIndexes = periods.filter { $0.state == "due" }.map(\.index)
        let failed = try Row.fetchOne(db, sql: """
            SELECT last_error FROM membership_charges WHERE business_id = ? AND subscription_id = ? AND last_error <> ''
              AND (period_idx IN (SELECT value FROM json_each(?)) OR (period_idx = 0 AND ? = 'pending'))
            ORDER BY id DESC LIMIT 1
            """, arguments: [sub.businessID, sub.id, jsonList(dueIndexes), sub.status])
        let retry = try Instant.fetchOne(db, sql: """
            SELECT MIN(due_at) FROM membership_charges WHERE business_id = ? AND subscription_id = ? AND status = 'started' AND session = 'off'
            """, arguments: [sub.businessID, sub.id])
        if let anchor = sub.anchor {
            let index = Memberships.index(at: now, anchor: anchor, clock: clock)
            current = index
            let renewal = Memberships.period(anchor: anchor, index: index + 1, clock: clock).start
            if sub.status == "ended" || (sub.endsAt.map { $0 <= now } ?? false) {
                state = .ended
            } else {
                state = sub.endsAt != nil ? .ending : sub.pause?.contains(index) == true ? .paused : .active
                next = sub.endsAt.map { renewal < $0 } ?? true ? renewal : nil
            }
        } else if sub.status == "ended" {
            state = .ended
        }
        if sub.suspendedAt != nil { state = .suspended }
        let refunds = try Row.fetchAll(db, sql: """
            SELECT amount, currency, status, last_error FROM membership_refunds WHERE business_id = ? AND subscription_id = ? ORDER BY id
            """, arguments: [sub.businessID, sub.id]).map {
                MembershipRefundInfo(amount: $0["amount"], currency: $0["currency"], status: $0["status"], error: $0["last_error"])
            }
        return MembershipInfo(id: sub.id, businessID: sub.businessID, businessName: business.name, timeZone: business.timeZone, plan: plan,
                              state: state, nextRenewal: next, endsAt: sub.endsAt, pause: sub.pause, currentIndex: current,
                              periods: periods, startedOn: sub.anchor, payMethod: sub.payMethod,
                              lastPaymentError: failed?["last_error"] ?? "", nextChargeAt: retry, refunds: refunds)
    }

    /// A customer's memberships, at one business or at all, newest first (ended ones last).
    static func list(_ db: Database, userID: UserID, businessID: BusinessID?, now: Instant) throws -> [MembershipInfo] {
        try Row.fetchAll(db, sql: """
            SELECT * FROM membership_subscriptions WHERE user_id = ? AND (? IS NULL OR business_id = ?)
            ORDER BY status = 'ended', created_at DESC, id DESC
            """, arguments: [userID, businessID, businessID]).compactMap { try info(db, Subscription(row: $0), now: now) }
    }

    /// The best member discount of the customer (by account or address) on a booking of `offerID`
    /// at `now`: from an active membership whose current period is not paused, on an offer its
    /// credits do not cover. The price unchanged when there is none.
    static func discount(_ db: Database, business: Business, offerID: OfferID, userID: UserID?, email: String, price: PriceBreakdown,
                         now: Instant) throws -> PriceBreakdown {
        guard price.total > 0 else { return price }
        // The customer's accounts: the signed-in one and the one with this address (most often the
        // same one, or none). Each is looked up by user: one statement for both, by status, read every
        // active membership of every business and built a temporary b-tree for the IN list.
        var users: [UserID] = userID.map { [$0] } ?? []
        if let byEmail = try AppDatabase.userID(db, email: email), !users.contains(byEmail) {
            users.append(byEmail)
        }
        var subs: [Subscription] = []
        for user in users {
            subs += try Row.fetchAll(db.cachedStatement(sql: """
                SELECT s.* FROM membership_subscriptions s INDEXED BY membership_subscriptions_by_user
                JOIN membership_plans p ON p.business_id = s.business_id AND p.id = s.plan_id
                WHERE s.user_id = ? AND s.business_id = ? AND s.status = 'active' AND p.discount_percent > 0
                ORDER BY s.id
                """), arguments: [user, business.id]).map(Subscription.init(row:))
        }
        guard !subs.isEmpty, let clock = ZoneClock(identifier: business.timeZone) else { return price }
        var best = price
        for sub in subs {
            guard let anchor = sub.anchor, sub.endsAt.map({ $0 > now }) ?? true,
                  sub.pause?.contains(Memberships.index(at: now, anchor: anchor, clock: clock)) != true,
                  let plan = try plans(db, businessID: business.id, planID: sub.planID, liveOnly: false).first else { continue }
            let discounted = Memberships.discounted(price, offerID: offerID, rules: plan.rules, planName: plan.name)
            if discounted.total < best.total { best = discounted }
        }
        return best
    }
}
