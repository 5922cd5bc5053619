public import BookingCore
import Foundation
import GRDB

/// Approvals and waitlists (issue 17): one transaction per use case, writes through group commit.
extension AppDatabase {
    // MARK: Approvals

    /// Approves a pending booking; anything else is `illegalTransition`.
    public func approveBooking(business: Business, publicID: String, now: Instant, actor: Actor) throws -> OrderView {
        try write { db in try Approvals.approve(db, business: business, publicID: publicID, now: now, actor: actor) }
    }

    /// Declines a pending booking with `reason` (at most 500 characters); anything else is `illegalTransition`.
    public func declineBooking(business: Business, publicID: String, reason: String, now: Instant, actor: Actor) throws -> OrderView {
        try write { db in try Approvals.decline(db, business: business, publicID: publicID, reason: reason, now: now, actor: actor) }
    }

    /// The approval queue (pending bookings, oldest first) with the business's policy, to tell
    /// when each will be decided automatically.
    /// `scope`: a member limited to a location sees that location's requests only.
    public func approvalQueue(businessID: BusinessID, scope: LocationScope = .everywhere) throws -> (orders: [OrderView], policy: ApprovalPolicy) {
        try read { db in
            (try Approvals.queue(db, businessID: businessID).filter { try LocationScopes.admits(db, order: $0, scope: scope) },
             try Approvals.policy(db, businessID: businessID))
        }
    }

    /// The worker's step: automatic decisions whose time has come; how many were taken.
    @discardableResult
    public func decidePendingBookings(now: Instant) throws -> Int {
        try write { db in try Approvals.decideDue(db, now: now) }
    }

    // MARK: Policies

    /// The business's approval and waitlist policies.
    public func lifecyclePolicies(businessID: BusinessID) throws -> (approval: ApprovalPolicy, waitlist: WaitlistPolicy) {
        try read { db in (try Approvals.policy(db, businessID: businessID), try Waitlists.policy(db, businessID: businessID)) }
    }

    /// Sets the automatic approval decision (hours 1…720, or none) and the waitlist offer time (1…1440 minutes).
    public func setLifecyclePolicies(approval: ApprovalPolicy, waitlist: WaitlistPolicy, businessID: BusinessID, now: Instant,
                                     actor: Actor) throws {
        if let hours = approval.autoAfterHours, !(1...ApprovalPolicy.maximumHours).contains(hours) {
            throw BookingFailure.invalid(field: "approval_auto_hours", message: "give a number of hours from 1 to \(ApprovalPolicy.maximumHours)")
        }
        guard (1...WaitlistPolicy.maximumOfferMinutes).contains(waitlist.offerMinutes) else {
            throw BookingFailure.invalid(field: "waitlist_offer_minutes",
                                         message: "give a number of minutes from 1 to \(WaitlistPolicy.maximumOfferMinutes)")
        }
        try write { db in
            try db.execute(sql: """
                UPDATE businesses SET approval_auto_hours = ?, approval_auto_decision = ?, waitlist_offer_minutes = ?, waitlist_mode = ?
                WHERE id = ?
                """, arguments: [approval.autoAfterHours, approval.decision.rawValue, waitlist.offerMinutes, waitlist.mode.rawValue,
                                 businessID])
            try AuditLog.append(db, businessID: businessID, at: now, actor: actor.label, action: "policy.lifecycle",
                                details: ["approval_auto_hours": approval.autoAfterHours.map(String.init) ?? "",
                                          "approval_auto_decision": approval.decision.rawValue,
                                          "waitlist_offer_minutes": String(waitlist.offerMinutes),
                                          "waitlist_mode": waitlist.mode.rawValue])
        }
    }

    // MARK: Waitlists

    /// Joins the waitlist of a full start (`slotAvailable` when it has room).
    public func joinWaitlist(business: Business, request: BookingRequest, now: Instant, actor: Actor) throws -> JoinedWaitlist {
        try write { db in try Waitlists.join(db, business: business, request: request, now: now, actor: actor) }
    }

    /// The same, naming the business by slug (the customer pages).
    public func joinWaitlist(businessSlug: String, request: BookingRequest, now: Instant,
                             actor: Actor) throws -> (business: Business, joined: JoinedWaitlist) {
        try write { db in
            guard let business = try Catalog.business(db, slug: businessSlug) else { throw BookingFailure.businessNotFound }
            return (business, try Waitlists.join(db, business: business, request: request, now: now, actor: actor))
        }
    }

    /// Every entry for one start of an offer, in position order.
    public func waitlist(businessID: BusinessID, offerSlug: String, start: Instant) throws -> [WaitlistEntry] {
        try read { db in
            guard let offer = try Catalog.offer(db, businessID: businessID, slug: offerSlug) else { throw BookingFailure.offerNotFound }
            return try Waitlists.list(db, businessID: businessID, offerID: offer.id, start: start)
        }
    }

    public func waitlistEntry(businessID: BusinessID, publicID: String) throws -> WaitlistEntry? {
        try read { db in try Waitlists.entry(db, businessID: businessID, publicID: publicID) }
    }

    /// An entry for the holder of its guest `token` or its signed-in customer `userID`; nil for anyone else.
    public func customerWaitlistEntry(businessSlug: String, publicID: String, token: String?,
                                      userID: UserID?) throws -> (business: Business, entry: WaitlistEntry)? {
        try read { db in
            guard let business = try Catalog.business(db, slug: businessSlug),
                  let entry = try Waitlists.entry(db, businessID: business.id, publicID: publicID) else { return nil }
            let byToken = try token.map { try Waitlists.tokenMatches(db, businessID: business.id, publicID: publicID, token: $0) } ?? false
            guard byToken || (userID != nil && entry.customer.userID == userID) else { return nil }
            return (business, entry)
        }
    }

    /// Leaves the waitlist (an offered place passes to the next in line).
    public func leaveWaitlist(business: Business, publicID: String, now: Instant, actor: Actor) throws -> WaitlistEntry {
        try write { db in try Waitlists.leave(db, business: business, publicID: publicID, now: now, actor: actor) }
    }

    // MARK: Series

    /// Books a start and its repeats in one transaction; with `preview`, answers what would be booked
    /// and skipped and writes nothing.
    public func bookSeries(business: Business, request: SeriesRequest, now: Instant, actor: Actor,
                           preview: Bool = false) throws -> SeriesResult {
        try write { db in try Series.book(db, business: business, request: request, now: now, actor: actor, preview: preview) }
    }

    /// The same, naming the business by slug (the customer pages).
    public func bookSeries(businessSlug: String, request: SeriesRequest, now: Instant, actor: Actor,
                           preview: Bool) throws -> (business: Business, result: SeriesResult) {
        try write { db in
            guard let business = try Catalog.business(db, slug: businessSlug) else { throw BookingFailure.businessNotFound }
            return (business, try Series.book(db, business: business, request: request, now: now, actor: actor, preview: preview))
        }
    }

    /// Cancels the series from the occurrence starting at `from` (every upcoming one when nil), in one transaction.
    public func cancelSeries(business: Business, publicID: String, from: Instant?, reason: String, now: Instant,
                             actor: Actor) throws -> [Cancellation] {
        try write { db in
            try Series.cancel(db, business: business, publicID: publicID, from: from, reason: reason, now: now, actor: actor)
        }
    }

    /// Moves the occurrence at `from` and the following ones alike (same day shift, same new wall time), in one transaction.
    public func moveSeries(business: Business, publicID: String, from: Instant, to: Instant, now: Instant,
                           actor: Actor) throws -> [OrderView] {
        try write { db in try Series.move(db, business: business, publicID: publicID, from: from, to: to, now: now, actor: actor) }
    }

    public func seriesBookings(business: Business, publicID: String) throws -> [OrderView] {
        try read { db in try Series.bookings(db, business: business, publicID: publicID) }
    }

    /// The worker's step: standing reservations booked up to their horizon; how many bookings were made.
    @discardableResult
    public func extendStandingReservations(now: Instant) throws -> Int {
        try write { db in try Series.extendStanding(db, now: now) }
    }
}
