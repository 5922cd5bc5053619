public import BookingCore
import Foundation
import GRDB

/// Memberships (issue 18), one transaction each; every change audited, and the member told by email
/// through the outbox in the same transaction.
extension AppDatabase {
    /// The business's live membership plans.
    public func membershipPlans(businessID: BusinessID) throws -> [MembershipPlanInfo] {
        try read { db in try MembershipLedger.plans(db, businessID: businessID) }
    }

    /// Adds a membership plan: a `packages` row of kind `membership` (name, monthly price, credits per
    /// period, offers) and its rules. `WalletFailure.invalid` for an offer not the business's or rules
    /// that do not hold together.
    @discardableResult
    public func createMembershipPlan(businessID: BusinessID, _ new: NewMembershipPlan, actor: String, now: Instant) throws -> Int64 {
        try write { db in try Self.createMembershipPlan(db, businessID: businessID, new, actor: actor, now: now) }
    }

    /// `createMembershipPlan` inside the caller's transaction (the demo seeding uses it too).
    @discardableResult
    static func createMembershipPlan(_ db: Database, businessID: BusinessID, _ new: NewMembershipPlan, actor: String, now: Instant) throws -> Int64 {
        guard let business = try Catalog.business(db, id: businessID) else { throw MembershipFailure.notFound }
        let offers = try Set(OfferID.fetchAll(db, sql: "SELECT id FROM offers WHERE business_id = ?", arguments: [businessID]))
        guard !new.offerIDs.isEmpty, new.offerIDs.allSatisfy(offers.contains) else {
            throw WalletFailure.invalid(field: "offers", message: "Choose at least one of the listed offers.")
        }
        if !new.rollover && new.rolloverCap != 0 {
            throw WalletFailure.invalid(field: "rollover_cap", message: "A cap on rolled-over credits needs rollover.")
        }
        try db.execute(sql: """
            INSERT INTO packages (business_id, name, credits, valid_days, price, currency, shareable, created_at, kind)
            VALUES (?, ?, ?, 31, ?, ?, 0, ?, 'membership')
            """, arguments: [businessID, new.name, new.creditsPerPeriod, new.pricePerMonth, business.currency, now])
        let packageID = PackageID(rawValue: db.lastInsertedRowID)
        for offer in Set(new.offerIDs) {
            try db.execute(sql: "INSERT INTO package_offers (business_id, package_id, offer_id) VALUES (?, ?, ?)",
                           arguments: [businessID, packageID, offer])
        }
        try db.execute(sql: """
            INSERT INTO membership_plans (business_id, package_id, rollover, rollover_cap, discount_percent, max_pause_months,
              cancel_notice_days, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [businessID, packageID, new.rollover, new.rolloverCap, new.discountPercent, new.maxPauseMonths,
                             new.cancelNoticeDays, now])
        let id = db.lastInsertedRowID
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "membership_plan.create",
                            subject: "membership_plan:\(id)",
                            details: ["name": new.name, "price": String(new.pricePerMonth), "credits": String(new.creditsPerPeriod),
                                      "discount_percent": String(new.discountPercent)])
        return id
    }

    /// A signed-in customer subscribes online: the membership waits (`pending`) until its first month
    /// is paid (`recordMembershipPayment`). `MembershipFailure.alreadyMember` when one is live.
    @discardableResult
    public func subscribe(businessID: BusinessID, planID: Int64, userID: UserID, actor: String, now: Instant) throws -> Int64 {
        try write { db in
            guard let plan = try MembershipLedger.plans(db, businessID: businessID, planID: planID).first else { throw MembershipFailure.notFound }
            let id = try Self.insertSubscription(db, businessID: businessID, planID: planID, userID: userID, actor: actor, now: now)
            try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "membership.subscribe", subject: "membership:\(id)",
                                details: ["plan": plan.name, "user": userID.description])
            guard let sub = try MembershipLedger.subscription(db, businessID: businessID, id: id) else { throw MembershipFailure.notFound }
            try MembershipLedger.notify(db, sub, plan: plan, event: "pending",
                                        text: "Your \(plan.name) membership starts once its first month is paid at the venue.", now: now)
            return id
        }
    }

    /// Staff sign a customer (by account email) up at the venue: the first month paid now, the
    /// membership active from today with its first period's credits granted.
    @discardableResult
    public func signUpMember(businessID: BusinessID, planID: Int64, customerEmail: String, payment: PackagePayment, actor: String,
                             now: Instant) throws -> Int64 {
        try write { db in
            guard let userID = try Self.userID(db, email: customerEmail) else {
                throw WalletFailure.customerNotFound
            }
            return try Self.signUp(db, businessID: businessID, planID: planID, userID: userID, payment: payment, actor: actor, now: now)
        }
    }

    /// The API's sign-up at the venue: like `signUpMember`, for the account of a customer record
    /// (the oldest with one of its addresses). nil when the business has no such customer;
    /// `WalletFailure.customerNotFound` when none of its addresses has an account.
    public func signUpMember(businessID: BusinessID, planID: Int64, customerID: CustomerID, payment: PackagePayment, actor: String,
                             now: Instant) throws -> Int64? {
        try write { db in
            guard let users = try Self.customerUsers(db, businessID: businessID, customerID: customerID) else { return nil }
            guard let userID = users.first else { throw WalletFailure.customerNotFound }
            return try Self.signUp(db, businessID: businessID, planID: planID, userID: userID, payment: payment, actor: actor, now: now)
        }
    }

    /// The account holding membership `membershipID` when it is one of the customer record's
    /// accounts at this business; nil otherwise (the API's pause, resume and cancel act only on a
    /// membership of the customer they name).
    public func customerMembershipHolder(businessID: BusinessID, customerID: CustomerID, membershipID: Int64) throws -> UserID? {
        try read { db in
            guard let users = try Self.customerUsers(db, businessID: businessID, customerID: customerID),
                  let sub = try MembershipLedger.subscription(db, businessID: businessID, id: membershipID), users.contains(sub.userID) else {
                return nil
            }
            return sub.userID
        }
    }

    /// A membership started at the venue: the first month paid now, active from today.
    private static func signUp(_ db: Database, businessID: BusinessID, planID: Int64, userID: UserID, payment: PackagePayment, actor: String,
                               now: Instant) throws -> Int64 {
        guard let plan = try MembershipLedger.plans(db, businessID: businessID, planID: planID).first else { throw MembershipFailure.notFound }
        let id = try insertSubscription(db, businessID: businessID, planID: planID, userID: userID, actor: actor, now: now)
        guard let sub = try MembershipLedger.subscription(db, businessID: businessID, id: id) else { throw MembershipFailure.notFound }
        try MembershipLedger.activate(db, sub, plan: plan, paid: payment, actor: actor, now: now)
        return id
    }

    static func insertSubscription(_ db: Database, businessID: BusinessID, planID: Int64, userID: UserID, actor: String,
                                   now: Instant, payMethod: MembershipPayMethod = .venue) throws -> Int64 {
        if try Bool.fetchOne(db, sql: """
            SELECT 1 FROM membership_subscriptions WHERE business_id = ? AND plan_id = ? AND user_id = ? AND status <> 'ended'
            """, arguments: [businessID, planID, userID]) == true { throw MembershipFailure.alreadyMember }
        try db.execute(sql: """
            INSERT INTO membership_subscriptions (business_id, plan_id, user_id, status, created_by, created_at, updated_at, pay_method)
            VALUES (?, ?, ?, 'pending', ?, ?, ?, ?)
            """, arguments: [businessID, planID, userID, actor, now, now, payMethod.rawValue])
        return db.lastInsertedRowID
    }

    /// Staff record a month paid at the venue: a pending membership starts (its first period paid),
    /// otherwise the oldest due period is marked paid. `MembershipFailure.refused` when nothing is due.
    public func recordMembershipPayment(businessID: BusinessID, membershipID: Int64, payment: PackagePayment, actor: String,
                                        now: Instant) throws {
        try write { db in
            guard let sub = try MembershipLedger.subscription(db, businessID: businessID, id: membershipID),
                  let plan = try MembershipLedger.plans(db, businessID: businessID, planID: sub.planID, liveOnly: false).first else {
                throw MembershipFailure.notFound
            }
            if sub.status == "pending" {
                try MembershipLedger.activate(db, sub, plan: plan, paid: payment, actor: actor, now: now)
                return
            }
            guard let index = try Int.fetchOne(db, sql: """
                SELECT MIN(idx) FROM membership_periods WHERE business_id = ? AND subscription_id = ? AND state = 'due'
                """, arguments: [businessID, membershipID]) else { throw MembershipFailure.refused("Nothing is due on this membership.") }
            try MembershipLedger.markPaid(db, sub, plan: plan, index: index, paid: payment, stripeID: nil, actor: actor, now: now)
        }
    }

    /// Pauses the `months` periods after the current one (no credits, nothing due); within the plan's
    /// maximum, one pause at a time, not once cancelled. `userID`: the member themself (nil: staff).
    public func pauseMembership(businessID: BusinessID, membershipID: Int64, userID: UserID?, months: Int, actor: String,
                                now: Instant) throws {
        try change(businessID: businessID, membershipID: membershipID, userID: userID, actor: actor, now: now) { db, sub, plan, clock, current in
            if let refusal = Memberships.pauseRefusal(months: months, rules: plan.rules) { throw MembershipFailure.refused(refusal) }
            guard sub.endsAt == nil else { throw MembershipFailure.refused("A cancelled membership cannot be paused.") }
            if let pause = sub.pause, pause.upperBound > current { throw MembershipFailure.refused("This membership is paused already.") }
            let from = current + 1
            try db.execute(sql: "UPDATE membership_subscriptions SET pause_from = ?, pause_until = ?, updated_at = ? WHERE business_id = ? AND id = ?",
                           arguments: [from, from + months, now, businessID, membershipID])
            let resumes = Memberships.period(anchor: sub.anchor!, index: from + months, clock: clock).start
            return ("pause", ["months": String(months)],
                    "Your \(plan.name) membership is paused for \(months) month\(months == 1 ? "" : "s") from "
                        + "\(clock.local(Memberships.period(anchor: sub.anchor!, index: from, clock: clock).start).date); "
                        + "it resumes on \(clock.local(resumes).date).")
        }
    }

    /// Ends a pause: one not yet begun is dropped; one under way ends with the current period.
    public func resumeMembership(businessID: BusinessID, membershipID: Int64, userID: UserID?, actor: String, now: Instant) throws {
        try change(businessID: businessID, membershipID: membershipID, userID: userID, actor: actor, now: now) { db, sub, plan, clock, current in
            guard let pause = sub.pause, pause.upperBound > current + 1 || pause.lowerBound > current else {
                throw MembershipFailure.refused("This membership is not paused.")
            }
            let (from, until): (Int?, Int?) = pause.lowerBound > current ? (nil, nil) : (pause.lowerBound, current + 1)
            try db.execute(sql: "UPDATE membership_subscriptions SET pause_from = ?, pause_until = ?, updated_at = ? WHERE business_id = ? AND id = ?",
                           arguments: [from, until, now, businessID, membershipID])
            let resumes = Memberships.period(anchor: sub.anchor!, index: current + 1, clock: clock).start
            return ("resume", [:], "Your \(plan.name) membership resumes on \(clock.local(resumes).date).")
        }
    }

    /// Cancels by the plan's rule: it runs to the end of the current period, or to the first period
    /// end after the notice. A pending membership ends at once.
    public func cancelMembership(businessID: BusinessID, membershipID: Int64, userID: UserID?, actor: String, now: Instant) throws {
        // One transaction: a pending membership whose first month is paid meanwhile is cancelled as an active one.
        try write { db in
            if let sub = try MembershipLedger.subscription(db, businessID: businessID, id: membershipID), sub.status == "pending",
               userID == nil || sub.userID == userID {
                // The schema wants an anchor on every membership that is not pending: the day it was given up.
                let today = try MembershipLedger.clock(db, businessID: businessID).local(now).date
                try db.execute(sql: """
                    UPDATE membership_subscriptions SET status = 'ended', anchor_date = ?, ends_at = ?, updated_at = ?
                    WHERE business_id = ? AND id = ? AND status = 'pending'
                    """, arguments: [today.description, now, now, businessID, membershipID])
                try MembershipCharges.abandonOpen(db, businessID: businessID, membershipID: membershipID, now: now)
                try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "membership.cancel",
                                    subject: "membership:\(membershipID)", details: ["ends_at": String(now)])
                return
            }
            try Self.change(db, businessID: businessID, membershipID: membershipID, userID: userID, actor: actor, now: now) {
                db, sub, plan, clock, current in
                guard sub.endsAt == nil else { throw MembershipFailure.refused("This membership is cancelled already.") }
                let ends = Memberships.cancellationEnd(at: now, current: current, anchor: sub.anchor!, rule: plan.rules.cancelRule, clock: clock)
                try db.execute(sql: "UPDATE membership_subscriptions SET ends_at = ?, updated_at = ? WHERE business_id = ? AND id = ?",
                               arguments: [ends, now, businessID, membershipID])
                return ("cancel", ["ends_at": String(ends)],
                        "Your \(plan.name) membership is cancelled; it runs until \(clock.local(ends).date) (its last day is "
                            + "\(clock.local(ends).date.adding(days: -1))).")
            }
        }
    }

    /// One change of an active membership: found at this business (and the member's own when
    /// `userID` is given), applied, audited as `membership.<action>` and told to the member.
    private func change(businessID: BusinessID, membershipID: Int64, userID: UserID?, actor: String, now: Instant,
                        _ body: @escaping (Database, MembershipLedger.Subscription, MembershipPlanInfo, ZoneClock, Int) throws
                            -> (action: String, details: [String: String], text: String)) throws {
        try write { db in
            try Self.change(db, businessID: businessID, membershipID: membershipID, userID: userID, actor: actor, now: now, body)
        }
    }

    /// `change` inside the caller's transaction.
    private static func change(_ db: Database, businessID: BusinessID, membershipID: Int64, userID: UserID?, actor: String, now: Instant,
                               _ body: (Database, MembershipLedger.Subscription, MembershipPlanInfo, ZoneClock, Int) throws
                                   -> (action: String, details: [String: String], text: String)) throws {
        guard let sub = try MembershipLedger.subscription(db, businessID: businessID, id: membershipID), userID == nil || sub.userID == userID,
              let plan = try MembershipLedger.plans(db, businessID: businessID, planID: sub.planID, liveOnly: false).first else {
            throw MembershipFailure.notFound
        }
        guard sub.status == "active", let anchor = sub.anchor else { throw MembershipFailure.refused("This membership is not active.") }
        let clock = try MembershipLedger.clock(db, businessID: businessID)
        let current = Memberships.index(at: now, anchor: anchor, clock: clock)
        let (action, details, text) = try body(db, sub, plan, clock, current)
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor,
                            action: "membership.\(action)", subject: "membership:\(membershipID)", details: details)
        try MembershipLedger.notify(db, sub, plan: plan, event: action, text: text, now: now)
    }

    /// A customer's memberships at every business (the account page) or at one (the staff page).
    public func memberships(userID: UserID, businessID: BusinessID? = nil, now: Instant) throws -> [MembershipInfo] {
        try read { db in try MembershipLedger.list(db, userID: userID, businessID: businessID, now: now) }
    }

    /// The worker's step: starts every period due by `now` (granting its credits once), ends
    /// memberships past their end; returns how many periods started.
    @discardableResult
    public func renewMemberships(now: Instant) throws -> Int {
        try write { db in try MembershipLedger.renew(db, now: now) }
    }
}

extension AppDatabase {
    /// The businesses the customer deals with (a booking, credits or a membership) that sell
    /// memberships: (slug, name), by name. The account wallet links their membership pages.
    public func membershipSellers(userID: UserID) throws -> [(slug: String, name: String)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT DISTINCT b.slug, b.name FROM businesses b
                WHERE EXISTS (SELECT 1 FROM membership_plans mp WHERE mp.business_id = b.id AND mp.status = 'live')
                  AND b.id IN (SELECT business_id FROM booking_orders WHERE customer_user_id = ?
                               UNION SELECT business_id FROM entitlements WHERE user_id = ?
                               UNION SELECT business_id FROM membership_subscriptions WHERE user_id = ?)
                ORDER BY b.name LIMIT 50
                """, arguments: [userID, userID, userID]).map { row -> (slug: String, name: String) in (slug: row["slug"], name: row["name"]) }
        }
    }
}

extension AppDatabase {
    /// The email of the account holding a membership of this business (the staff wallet's address); nil when none.
    public func membershipHolderEmail(businessID: BusinessID, membershipID: Int64) throws -> String? {
        try read { db in
            try String.fetchOne(db, sql: """
                SELECT u.email FROM membership_subscriptions s JOIN users u ON u.id = s.user_id WHERE s.business_id = ? AND s.id = ?
                """, arguments: [businessID, membershipID])
        }
    }
}

extension AppDatabase {
    /// Changes a live plan's monthly price and credits. Periods already started keep what they were
    /// started with (their amount, their lot's grant); the change applies from each member's next
    /// period, and to new subscribers. Audited with the old and new figures.
    /// `MembershipFailure.notFound` for a plan not the business's (or archived).
    public func changeMembershipPlan(businessID: BusinessID, planID: Int64, pricePerMonth: Int64, creditsPerPeriod: Int, actor: String,
                                     now: Instant) throws {
        try write { db in
            guard let plan = try MembershipLedger.plans(db, businessID: businessID, planID: planID).first else { throw MembershipFailure.notFound }
            try db.execute(sql: "UPDATE packages SET price = ?, credits = ? WHERE business_id = ? AND id = ? AND kind = 'membership'",
                           arguments: [pricePerMonth, creditsPerPeriod, businessID, plan.packageID])
            try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "membership_plan.change",
                                subject: "membership_plan:\(planID)",
                                details: ["name": plan.name, "price": "\(plan.pricePerMonth) → \(pricePerMonth)",
                                          "credits": "\(plan.rules.creditsPerPeriod) → \(creditsPerPeriod)"])
        }
    }

    /// Archives a live plan: no one can subscribe (online or at the desk) any more; its members
    /// carry on, month after month, until they cancel. `MembershipFailure.notFound` as above.
    public func archiveMembershipPlan(businessID: BusinessID, planID: Int64, actor: String, now: Instant) throws {
        try write { db in
            guard let plan = try MembershipLedger.plans(db, businessID: businessID, planID: planID).first else { throw MembershipFailure.notFound }
            try db.execute(sql: "UPDATE membership_plans SET status = 'archived' WHERE business_id = ? AND id = ? AND status = 'live'",
                           arguments: [businessID, planID])
            try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "membership_plan.archive",
                                subject: "membership_plan:\(planID)", details: ["name": plan.name])
        }
    }
}
