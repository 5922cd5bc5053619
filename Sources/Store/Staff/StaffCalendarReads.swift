public import BookingCore
import Foundation
public import GRDB

/// Time a resource is blocked (time off, maintenance, a blackout overlay).
public struct StaffBlockedTime: Sendable, Hashable {
    public let resourceID: Int64
    public let range: TimeRange
    public let reason: String
}

/// Where and when an order occupies one resource: its service time and, around it, its buffers.
public struct StaffAssignmentSpan: Sendable, Hashable {
    public let orderID: Int64
    public let resourceID: Int64
    public let service: TimeRange
    public let blocked: TimeRange
}

/// Everything the staff calendar shows for a range of business-local dates. Unmasked: the Web
/// layer masks every order before any page model is built.
public struct StaffCalendarData: Sendable {
    public let resources: [ResourceInfo]
    public let orders: [OrderView]
    public let spans: [StaffAssignmentSpan]
    public let blocked: [StaffBlockedTime]
    /// Open instant ranges per resource and date (empty: closed that day).
    public let openHours: [Int64: [LocalDate: [TimeRange]]]
    /// Dates a resource is closed by a closure overlay.
    public let closures: [Int64: Set<LocalDate>]
    /// Offers marked sensitive.
    public let sensitiveOffers: Set<Int64>
}

/// Reads behind the staff calendar, scoped to one business.
public enum StaffCalendarReads {
    public static func load(_ db: Database, business: Business, from: LocalDate, through: LocalDate) throws -> StaffCalendarData {
        guard let clock = ZoneClock(identifier: business.timeZone) else { throw CatalogError.invalid(field: "timezone", message: "unknown") }
        let window = TimeRange(start: clock.day(from).start, end: clock.day(through.adding(days: 1)).start)
        let resources = try Catalog.resources(db, businessID: business.id)
        let orders = try BookingReads.list(db, businessID: business.id, from: window.start, to: window.end, limit: 2000)
        var spans: [StaffAssignmentSpan] = []
        if !orders.isEmpty {
            spans = try Row.fetchAll(db, sql: """
                SELECT order_id, resource_id, starts_at, ends_at, blocked_from, blocked_to FROM resource_assignments
                WHERE business_id = ? AND order_id IN (\(orders.map { String($0.id) }.joined(separator: ","))) ORDER BY id
                """, arguments: [business.id]).map {
                StaffAssignmentSpan(orderID: $0["order_id"], resourceID: $0["resource_id"],
                                    service: TimeRange(start: $0["starts_at"], end: $0["ends_at"]),
                                    blocked: TimeRange(start: $0["blocked_from"], end: $0["blocked_to"]))
            }
        }
        var blocked = try Row.fetchAll(db, sql: """
            SELECT resource_id, starts_at, ends_at, reason FROM blocked_times
            WHERE business_id = ? AND ends_at > ? AND starts_at < ? ORDER BY starts_at
            """, arguments: [business.id, window.start, window.end]).map {
            StaffBlockedTime(resourceID: $0["resource_id"], range: TimeRange(start: $0["starts_at"], end: $0["ends_at"]), reason: $0["reason"])
        }
        let calendars = try Row.fetchAll(db, sql: "SELECT id, resource_id FROM calendars WHERE business_id = ?", arguments: [business.id])
        let calendarOf = Dictionary(calendars.map { ($0["resource_id"] as Int64, $0["id"] as Int64) }, uniquingKeysWith: { a, _ in a })
        let rules = try ScheduleLoader.rulesByCalendar(db, businessID: business.id)
        let overlays = try ScheduleLoader.overlaysByCalendar(db, businessID: business.id)
        var openHours: [Int64: [LocalDate: [TimeRange]]] = [:]
        var closures: [Int64: Set<LocalDate>] = [:]
        let dates = (0...max(0, from.days(to: through))).map { from.adding(days: $0) }
        for resource in resources {
            let calendar = calendarOf[resource.id] ?? -1
            let schedule = ResourceSchedule(id: resource.id, kind: resource.kind, weeklyRules: rules[calendar] ?? [],
                                            overlays: overlays[calendar] ?? [])
            for date in dates { openHours[resource.id, default: [:]][date] = schedule.openRanges(on: date, clock: clock, offerID: nil) }
            for overlay in overlays[calendar] ?? [] where overlay.date >= from && overlay.date <= through {
                switch overlay.kind {
                case .closed: closures[resource.id, default: []].insert(overlay.date)
                case .blackout(let range): blocked.append(StaffBlockedTime(resourceID: resource.id, range: range, reason: "Blackout"))
                case .specialHours: break
                }
            }
        }
        let sensitive = Set(try Int64.fetchAll(db, sql: "SELECT id FROM offers WHERE business_id = ? AND sensitive = 1",
                                               arguments: [business.id]))
        return StaffCalendarData(resources: resources, orders: orders, spans: spans, blocked: blocked, openHours: openHours,
                                 closures: closures, sensitiveOffers: sensitive)
    }

    /// Is the offer of `order` marked sensitive?
    public static func isSensitive(_ db: Database, businessID: Int64, offerID: Int64) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT sensitive FROM offers WHERE business_id = ? AND id = ?", arguments: [businessID, offerID]) ?? false
    }
}

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

    /// Moves a confirmed or pending booking to `start`: `Bookings.reschedule` with the business's rules.
    public static func reschedule(_ db: Database, business: Business, publicID: String, start: Instant, now: Instant,
                                  actor: Actor) throws -> OrderView {
        try Bookings.reschedule(db, business: business, publicID: publicID, start: start, now: now, actor: actor, rules: .business)
    }
}
