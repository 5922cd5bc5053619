import BookingCore
import Foundation
import GRDB

/// Front-desk writes that the booking core does not already provide: blocking time and moving a
/// booking to a new free start. Each runs inside the caller's write transaction and is audited.
public enum StaffBookings {
    /// Blocks `range` on the resource `slug`; audited as `calendar.block`.
    static func block(_ db: Database, business: Business, resourceSlug: String, range: TimeRange, reason: String,
                             now: Instant, actor: Actor) throws {
        guard let resourceID = try Catalog.resourceID(db, businessID: business.id, slug: resourceSlug) else {
            throw BookingFailure.resourceNotFound(resourceSlug)
        }
        guard !range.isEmpty else { throw BookingFailure.invalid(field: "to", message: "must be after the start") }
        guard reason.count <= 200 else { throw BookingFailure.invalid(field: "reason", message: "keep it under 200 characters") }
        try Catalog.addBlockedTime(db, businessID: business.id, resourceID: resourceID, range: range, reason: reason, now: now)
        try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "calendar.block",
                            subject: "resource:\(resourceSlug)",
                            details: ["from": RFC3339.format(range.start), "to": RFC3339.format(range.end), "reason": reason])
    }

    /// Moves a confirmed or pending booking to `start`: `Bookings.reschedule` with the business's rules.
    static func reschedule(_ db: Database, business: Business, publicID: String, start: Instant, now: Instant,
                                  actor: Actor) throws -> OrderView {
        try Bookings.reschedule(db, business: business, publicID: publicID, start: start, now: now, actor: actor, rules: .business)
    }
}
