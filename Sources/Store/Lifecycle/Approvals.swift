import BookingCore
import Foundation
import GRDB

/// Pending bookings (offers with approval required): staff approve or decline them, or the worker
/// decides after the business's set time. Each decision is one move with one email to the customer.
enum Approvals {
    static func policy(_ db: Database, businessID: BusinessID) throws -> ApprovalPolicy {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT approval_auto_hours, approval_auto_decision FROM businesses WHERE id = ?
            """), arguments: [businessID]) else { return .manual }
        return ApprovalPolicy(autoAfterHours: row[0], decision: ApprovalPolicy.Decision(rawValue: row[1]) ?? .approve)
    }

    /// Approves a pending booking (only a pending one: a hold is confirmed by its customer, not
    /// approved): confirmed, charged, the `approved` email, `booking.approved` and `booking.confirmed`.
    static func approve(_ db: Database, business: Business, publicID: String, now: Instant, actor: Actor) throws -> OrderView {
        guard let order = try BookingReads.order(db, businessID: business.id, publicID: publicID) else { throw BookingFailure.orderNotFound }
        guard order.status == .pending else {
            throw BookingFailure.illegalTransition(IllegalTransition(from: order.status, to: .confirmed))
        }
        return try Bookings.transition(db, business: business, publicID: publicID, to: .confirmed, now: now, actor: actor)
    }

    /// Declines a pending booking with `reason`: cancelled, refunded in full, the `declined` email
    /// and `booking.declined`; its time goes to whoever waits for it.
    static func decline(_ db: Database, business: Business, publicID: String, reason: String, now: Instant,
                        actor: Actor) throws -> OrderView {
        try Bookings.cancel(db, business: business, publicID: publicID, reason: reason, now: now, actor: actor, declined: true).order
    }

    /// The queue: pending bookings, oldest request first.
    static func queue(_ db: Database, businessID: BusinessID, limit: Int = 200) throws -> [OrderView] {
        let rows = try Row.fetchAll(db.cachedStatement(sql: BookingReads.select + """
             WHERE b.business_id = ? AND b.status = 'pending' ORDER BY b.created_at, b.id LIMIT ?
            """), arguments: [businessID, limit])
        let resources = try BookingReads.resources(db, businessID: businessID, orderIDs: rows.map { $0["id"] })
        return try BookingReads.views(rows, resources: resources)
    }

    /// Takes each business's automatic decision on the pending bookings whose time has come;
    /// how many were decided.
    static func decideDue(_ db: Database, now: Instant, limit: Int = 200) throws -> Int {
        let businesses = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, approval_auto_hours FROM businesses WHERE approval_auto_hours IS NOT NULL
            """))
        var decided = 0
        for row in businesses where decided < limit {
            let businessID: BusinessID = row["id"]
            let policy = try policy(db, businessID: businessID)
            guard let before = policy.dueBefore(now: now), let business = try Catalog.business(db, id: businessID) else { continue }
            let due = try String.fetchAll(db.cachedStatement(sql: """
                SELECT public_id FROM booking_orders WHERE business_id = ? AND status = 'pending' AND created_at <= ?
                ORDER BY created_at, id LIMIT ?
                """), arguments: [businessID, before, limit - decided])
            for publicID in due {
                switch policy.decision {
                case .approve:
                    _ = try approve(db, business: business, publicID: publicID, now: now, actor: .system)
                case .decline:
                    let hours = policy.autoAfterHours ?? 0
                    _ = try decline(db, business: business, publicID: publicID,
                                    reason: "Not confirmed within \(hours == 1 ? "1 hour" : "\(hours) hours") of the request.",
                                    now: now, actor: .system)
                }
                decided += 1
            }
        }
        return decided
    }
}
