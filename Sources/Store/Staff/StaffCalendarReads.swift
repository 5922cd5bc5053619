public import BookingCore
import Foundation
import GRDB

/// Time a resource is blocked (time off, maintenance, a blackout overlay).
public struct StaffBlockedTime: Sendable, Hashable {
    public let resourceID: ResourceID
    public let range: TimeRange
    public let reason: String
}

/// Where and when an order occupies one resource: its service time and, around it, its buffers.
/// An order of several units (a program's course: one unit per session) has a span per unit, each
/// at its own time.
public struct StaffAssignmentSpan: Sendable, Hashable {
    public let orderID: BookingID
    public let resourceID: ResourceID
    public let service: TimeRange
    public let blocked: TimeRange
    /// The program session this unit is in (a course's or a make-up's unit); nil for any other booking.
    public var programSessionID: ProgramSessionID? = nil
}

/// A place of the business (its `locations` row).
public struct StaffLocation: Sendable, Hashable {
    public let id: LocationID
    public let name: String
}

/// Everything the staff calendar shows for a range of business-local dates. Unmasked: the Web
/// layer masks every order before any page model is built.
public struct StaffCalendarData: Sendable, Hashable {
    public let resources: [ResourceInfo]
    /// The business's locations, by name; empty when it has none.
    public let locations: [StaffLocation]
    /// The location of each resource that has one.
    public let resourceLocations: [ResourceID: LocationID]
    public let orders: [OrderView]
    public let spans: [StaffAssignmentSpan]
    public let blocked: [StaffBlockedTime]
    /// Open instant ranges per resource and date (empty: closed that day).
    public let openHours: [ResourceID: [LocalDate: [TimeRange]]]
    /// Dates a resource is closed by a closure overlay.
    public let closures: [ResourceID: Set<LocalDate>]
    /// Offers marked sensitive.
    public let sensitiveOffers: Set<OfferID>
    /// Bookings (by public id) in class sessions below their minimum, with when the session is decided.
    public var atRisk: [String: Instant] = [:]
}

/// Reads behind the staff calendar, scoped to one business. A fixed number of queries whatever
/// the number of resources or bookings: the orders starting in the range, their assignments (one
/// join), blocked time, locations; rules and overlays come from the compiled-schedule cache.
public enum StaffCalendarReads {
    ///
    /// With `only` (one page of the calendar's columns), just those resources and what touches them:
    /// the orders with an assignment on one of them, their blocked time and hours — the queries
    /// follow the page (indexed by resource), not the business.
    static func load(_ db: Database, business: Business, from: LocalDate, through: LocalDate,
                     only: [ResourceInfo]? = nil) throws -> StaffCalendarData {
        guard let clock = ZoneClock(identifier: business.timeZone) else { throw CatalogError.invalid(field: "timezone", message: "unknown") }
        let window = TimeRange(start: clock.day(from).start, end: clock.day(through.adding(days: 1)).start)
        let compiled = try CompiledSchedules.load(db, businessID: business.id)
        let resources = only ?? compiled.catalog
        // The schedules of the shown resources only (found by id, not by a pass over every resource).
        let schedules = only.map { $0.compactMap { compiled.positions[$0.id].map { compiled.resources[$0] } } } ?? compiled.resources
        let (orders, spans) = try ordersAndSpans(db, businessID: business.id, window: window, everyUnit: true,
                                                 resources: only.map { $0.map(\.id) })
        var blocked: [StaffBlockedTime]
        if let only {
            // The page's resources in one statement, each through blocked_times_by_resource.
            blocked = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT resource_id, starts_at, ends_at, reason FROM blocked_times
                WHERE business_id = ? AND resource_id IN (SELECT value FROM json_each(?)) AND ends_at > ? AND starts_at < ?
                ORDER BY starts_at
                """), arguments: [business.id, jsonList(only.map(\.id)), window.start, window.end]).map(Self.blockedTime)
        } else {
            blocked = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT resource_id, starts_at, ends_at, reason FROM blocked_times
                WHERE business_id = ? AND ends_at > ? AND starts_at < ? ORDER BY starts_at
                """), arguments: [business.id, window.start, window.end]).map(Self.blockedTime)
        }
        var openHours: [ResourceID: [LocalDate: [TimeRange]]] = [:]
        var closures: [ResourceID: Set<LocalDate>] = [:]
        let dates = (0...max(0, from.days(to: through))).map { from.adding(days: $0) }
        let days = dates.map { clock.day($0) }
        for resource in schedules {
            let schedule = resource.template
            var hours: [LocalDate: [TimeRange]] = [:]
            for (date, day) in zip(dates, days) { hours[date] = schedule.openRanges(on: day, offerID: nil) }
            openHours[schedule.id] = hours
            for overlay in schedule.overlays where overlay.date >= from && overlay.date <= through {
                switch overlay.kind {
                case .closed: closures[schedule.id, default: []].insert(overlay.date)
                case .blackout(let range): blocked.append(StaffBlockedTime(resourceID: schedule.id, range: range, reason: "Blackout"))
                case .specialHours: break
                }
            }
        }
        let sensitive = try sensitiveOffers(db, businessID: business.id)
        let locations = try Row.fetchAll(db.cachedStatement(sql: "SELECT id, name FROM locations WHERE business_id = ? ORDER BY name, id"),
                                         arguments: [business.id]).map { StaffLocation(id: $0["id"], name: $0["name"]) }
        var resourceLocations: [ResourceID: LocationID] = [:]
        if !locations.isEmpty {
            for resource in resources { resourceLocations[resource.id] = compiled.locations[resource.id] }
        }
        return StaffCalendarData(resources: resources, locations: locations, resourceLocations: resourceLocations, orders: orders,
                                 spans: spans, blocked: blocked, openHours: openHours, closures: closures, sensitiveOffers: sensitive)
    }

    /// The orders starting in `window` (holds and expired orders left out) and every assignment of
    /// them, each with its resource: two queries however many there are. With `everyUnit`, also the
    /// orders with a unit starting in the window (a program's course, whose later sessions are units
    /// of an order that started weeks before), and only the spans in the window, each unit's with its
    /// program session. With `resources`, only the orders with an assignment starting in the window
    /// on one of them (found through the per-resource index, so the cost follows those resources).
    static func ordersAndSpans(_ db: Database, businessID: BusinessID, window: TimeRange,
                               everyUnit: Bool = false, resources: [ResourceID]? = nil) throws -> ([OrderView], [StaffAssignmentSpan]) {
        // An order starting in the window, or (everyUnit) one with an assignment starting in it.
        var chosen = everyUnit ? withUnitIn : startingIn
        var arguments: StatementArguments = everyUnit
            ? [businessID, window.start, window.end, businessID, window.start, window.end]
            : [businessID, window.start, window.end]
        if let resources {
            guard !resources.isEmpty else { return ([], []) }
            // Every order starting in the window has an assignment starting in it (its first unit);
            // migration 0165's index (business, resource, starts_at) reads just those, cancelled ones too.
            let marks = Array(repeating: "?", count: resources.count).joined(separator: ", ")
            chosen = """
                b.id IN (SELECT a.order_id FROM resource_assignments a
                         WHERE a.business_id = ? AND a.resource_id IN (\(marks)) AND a.starts_at >= ? AND a.starts_at < ?) AND
                """ + " " + (everyUnit ? withUnitInByID : startingInByID)
            var leading: StatementArguments = [businessID]
            for id in resources { _ = leading.append(contentsOf: [id]) }
            _ = leading.append(contentsOf: [window.start, window.end])
            arguments = leading + arguments
        }
        let rows = try Row.fetchAll(db.cachedStatement(sql: BookingReads.select + """
             WHERE \(chosen)
            ORDER BY b.starts_at, b.id
            """), arguments: arguments)
        guard !rows.isEmpty else { return ([], []) }
        var spans: [StaffAssignmentSpan] = []
        var assigned: [BookingID: [OrderView.AssignedResource]] = [:]
        var seen: Set<[Int64]> = []
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT a.order_id, a.resource_id, a.starts_at, a.ends_at, a.blocked_from, a.blocked_to, r.slug, r.name, a.role, ps.id
            FROM booking_orders b
            JOIN resource_assignments a ON a.business_id = b.business_id AND a.order_id = b.id
            JOIN resources r ON r.business_id = a.business_id AND r.id = a.resource_id
            LEFT JOIN program_orders po ON po.business_id = b.business_id AND po.order_id = b.id
            LEFT JOIN program_sessions ps ON po.order_id IS NOT NULL AND ps.business_id = a.business_id AND ps.offer_id = a.offer_id
                AND ps.starts_at = a.starts_at
            WHERE \(chosen)
            ORDER BY a.id
            """), arguments: arguments) {
            let orderID: BookingID = row[0], resourceID: ResourceID = row[1]
            let service = TimeRange(start: row[2], end: row[3])
            let sessionID: ProgramSessionID? = row[9]
            // The order's resources; a program's once each (a course has one assignment per session on each).
            if sessionID == nil || seen.insert([orderID.rawValue, resourceID.rawValue]).inserted {
                assigned[orderID, default: []].append(.init(id: resourceID, slug: row[6], name: row[7], role: row[8]))
            }
            // A program's units outside the window are other days' sessions: not this calendar's.
            if everyUnit, sessionID != nil, !(service.start >= window.start && service.start < window.end) { continue }
            spans.append(StaffAssignmentSpan(orderID: orderID, resourceID: resourceID, service: service,
                                             blocked: TimeRange(start: row[4], end: row[5]), programSessionID: sessionID))
        }
        return (try BookingReads.views(rows, resources: assigned), spans)
    }

    /// The orders starting in the window (holds and expired orders left out).
    static let startingIn = " b.business_id = ? AND b.starts_at >= ? AND b.starts_at < ? AND b.status NOT IN ('held', 'expired')"
    /// The same, and the orders with a unit starting in the window (a program's course).
    static let withUnitIn = """
        b.business_id = ? AND b.status NOT IN ('held', 'expired') AND (
            (b.starts_at >= ? AND b.starts_at < ?)
            OR b.id IN (SELECT po.order_id FROM program_sessions ps
                        JOIN program_orders po ON po.business_id = ps.business_id AND po.run_id = ps.run_id
                        WHERE ps.business_id = ? AND ps.starts_at >= ? AND ps.starts_at < ?))
        """
    /// `startingIn` and `withUnitIn` behind a subquery of order ids: `+` keeps SQLite from driving by
    /// the business's start index (a scan of every order of the business, with the OR), so the orders
    /// are looked up by id. Built once, not per request.
    static let startingInByID = unindexed(startingIn)
    static let withUnitInByID = unindexed(withUnitIn)

    static func unindexed(_ condition: String) -> String {
        condition.replacingOccurrences(of: "b.business_id", with: "+b.business_id").replacingOccurrences(of: "b.starts_at", with: "+b.starts_at")
    }

    static func blockedTime(_ row: Row) -> StaffBlockedTime {
        StaffBlockedTime(resourceID: row["resource_id"], range: TimeRange(start: row["starts_at"], end: row["ends_at"]), reason: row["reason"])
    }

    /// The business's offers marked sensitive.
    static func sensitiveOffers(_ db: Database, businessID: BusinessID) throws -> Set<OfferID> {
        Set(try OfferID.fetchAll(db.cachedStatement(sql: "SELECT id FROM offers WHERE business_id = ? AND sensitive = 1"),
                                 arguments: [businessID]))
    }

    /// Is the offer of `order` marked sensitive?
    static func isSensitive(_ db: Database, businessID: BusinessID, offerID: OfferID) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT sensitive FROM offers WHERE business_id = ? AND id = ?", arguments: [businessID, offerID]) ?? false
    }
}
