public import BookingCore
import Foundation
public import GRDB

/// Front-desk writes that the booking core does not already provide: blocking time and moving a
/// booking to a new free start. Each runs inside the caller's write transaction and is audited.
public enum StaffBookings {
    /// Blocks `range` on the resource `slug`; audited as `calendar.block`.
    public static func block(_ db: Database, business: Business, resourceSlug: String, range: TimeRange, reason: String,
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

    /// Moves a confirmed or pending booking to `start` (same duration and price), keeping its
    /// resources when they are free then, else any qualified ones. Checked in this transaction with
    /// the booking itself left out; audited as `booking.reschedule`.
    public static func reschedule(_ db: Database, business: Business, publicID: String, start: Instant, now: Instant,
                                  actor: Actor) throws -> OrderView {
        guard let order = try BookingReads.order(db, businessID: business.id, publicID: publicID) else { throw BookingFailure.orderNotFound }
        guard order.status == .confirmed || order.status == .pending else {
            throw BookingFailure.invalid(field: "status", message: "only confirmed or pending bookings can be moved")
        }
        guard let spec = try Catalog.offerVersion(db, businessID: business.id, versionID: order.offerVersionID),
              let zone = TimeZone(identifier: business.timeZone) else { throw BookingFailure.offerNotFound }
        guard spec.mode != .class else {
            throw BookingFailure.invalid(field: "start", message: "class bookings move with their session; cancel and book again")
        }
        let minutes = Int((order.end - order.start) / 60)
        let window = TimeRange(start: start - 3 * 86_400, end: start + 4 * 86_400 + Int64(minutes + spec.bufferAfterMinutes) * 60)
        let schedules = try ScheduleLoader.schedules(db, businessID: business.id, spec: spec, window: window, now: now,
                                                     excludingOrder: order.id)
        func check(_ requested: [Int64]) -> StartCheck {
            AvailabilityEngine.check(AvailabilityQuery(offerID: order.offerID, spec: spec, resources: schedules, timeZone: zone, now: now,
                                                       partySize: order.partySize, requestedResourceIDs: requested,
                                                       durationMinutes: minutes), start: start)
        }
        var slot: Slot
        switch check(order.resources.map(\.id)) {
        case .bookable(let found): slot = found
        case .unavailable(let reasons):
            guard case .bookable(let found) = check([]) else { throw BookingFailure.from(reasons) }
            slot = found
        }
        let blocked = TimeRange(start: slot.start - Int64(spec.bufferBeforeMinutes) * 60, end: slot.end + Int64(spec.bufferAfterMinutes) * 60)
        try db.execute(sql: "UPDATE booking_orders SET starts_at = ?, ends_at = ?, updated_at = ? WHERE business_id = ? AND id = ?",
                       arguments: [slot.start, slot.end, now, business.id, order.id])
        try db.execute(sql: """
            UPDATE fulfillment_units SET starts_at = ?, ends_at = ?, blocked_from = ?, blocked_to = ? WHERE business_id = ? AND order_id = ?
            """, arguments: [slot.start, slot.end, blocked.start, blocked.end, business.id, order.id])
        guard let unitID = try Int64.fetchOne(db, sql: "SELECT id FROM fulfillment_units WHERE business_id = ? AND order_id = ? ORDER BY id LIMIT 1",
                                              arguments: [business.id, order.id]) else { throw BookingFailure.orderNotFound }
        try db.execute(sql: "DELETE FROM resource_assignments WHERE business_id = ? AND order_id = ?", arguments: [business.id, order.id])
        for assignment in slot.assignments {
            for resourceID in assignment.resourceIDs {
                try db.execute(sql: """
                    INSERT INTO resource_assignments (business_id, unit_id, order_id, resource_id, role, offer_id, is_class, party_size,
                      starts_at, ends_at, blocked_from, blocked_to)
                    VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)
                    """, arguments: [business.id, unitID, order.id, resourceID, assignment.role, order.offerID, order.partySize,
                                     slot.start, slot.end, blocked.start, blocked.end])
            }
        }
        try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "booking.reschedule",
                            subject: "booking:\(order.publicID)",
                            details: ["from": RFC3339.format(order.start), "to": RFC3339.format(slot.start)])
        guard let moved = try BookingReads.order(db, businessID: business.id, publicID: publicID) else { throw BookingFailure.orderNotFound }
        return moved
    }
}
