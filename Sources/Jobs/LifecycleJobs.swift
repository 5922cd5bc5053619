public import BookingCore
import Foundation
public import Store

/// The timed steps of a booking's life, run by the serve loop beside the outbox worker: holds whose
/// time ran out are expired (the places they free are offered to those waiting, in the same
/// transaction), pending bookings get their business's automatic decision once it is due, and
/// standing reservations are booked up to their offer's booking horizon, and class sessions below their
/// minimum are cancelled at their decision time (full refunds), and lots of prepaid credits past
/// their expiry are closed with an `expire` movement, membership periods that have begun are started
/// (their credits granted once, the last period's rolled over), and customers past their business's retention
/// setting are erased (at most once an hour per business).
/// Each step is one transaction; a step that fails is tried again on the next pass.
public struct LifecycleJobs: Sendable {
    public struct Pass: Sendable, Hashable {
        public var expiredHolds = 0
        public var decidedApprovals = 0
        public var standingBookings = 0
        public var cancelledSessions = 0
        public var expiredEntitlements = 0
        /// Membership periods started (credits granted, or paused).
        public var membershipPeriods = 0
        /// Customers erased by their business's retention setting (issue 19).
        public var erasedCustomers = 0
    }

    private let database: AppDatabase

    public init(database: AppDatabase) { self.database = database }

    /// One pass at `now`; what it did.
    @discardableResult
    public func runDue(now: Instant) throws -> Pass {
        var pass = Pass()
        pass.expiredHolds = try database.expireHolds(now: now)
        pass.decidedApprovals = try database.decidePendingBookings(now: now)
        pass.standingBookings = try database.extendStandingReservations(now: now)
        pass.cancelledSessions = try database.decideSessions(now: now)
        // Memberships first: a period's start rolls the last period's credits over before they would expire.
        pass.membershipPeriods = try database.renewMemberships(now: now)
        pass.expiredEntitlements = try database.expireEntitlements(now: now)
        pass.erasedCustomers = try database.eraseCustomersPastRetention(now: now)
        return pass
    }
}
