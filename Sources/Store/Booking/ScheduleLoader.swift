import BookingCore
import Foundation
import GRDB
import Synchronization

/// Loads, for one offer version, the schedules of every resource a component could use, with what
/// keeps them busy in a window of instants. Used by reads (availability) and, inside the write
/// transaction, by the booking check — the same code both times.
///
/// What a schedule is made of (resources, tags, weekly rules, overlays, blocked time) is compiled
/// once per business and cached while `businesses.schedule_version` is unchanged; triggers set a new
/// random version in the same transaction as any change to those tables (migrations 0006, 0011),
/// so the cache is never stale. Busy intervals are always read live, bounded to the window.
enum ScheduleLoader {
    static func schedules(_ db: Database, businessID: BusinessID, spec: OfferVersionSpec, window: TimeRange, now: Int64,
                          excludingOrder: BookingID? = nil) throws -> [ResourceSchedule] {
        try load(db, businessID: businessID, spec: spec, window: window, now: now, excludingOrder: excludingOrder).schedules
    }

    /// The candidates' busy time over a window (answered from `resource_assignments_busy` alone,
    /// which carries every column read here: migration 0180).
    static let busySQL = """
        SELECT a.resource_id, a.order_id, a.offer_id, a.is_class, a.party_size, a.starts_at, a.ends_at, a.blocked_from,
               a.blocked_to, a.units
        FROM json_each(?) AS c CROSS JOIN resource_assignments AS a INDEXED BY resource_assignments_busy
        WHERE a.business_id = ? AND a.resource_id = c.value AND a.blocks = 1 AND a.blocked_from >= ?
          AND a.blocked_from < ? AND a.blocked_to > ? AND (a.hold_expires_at IS NULL OR a.hold_expires_at > ?)
        """

    /// The schedules, and the business's "any host" strategy compiled with them (one cache lookup).
    static func load(_ db: Database, businessID: BusinessID, spec: OfferVersionSpec, window: TimeRange, now: Int64,
                     excludingOrder: BookingID? = nil)
        throws -> (schedules: [ResourceSchedule], strategy: AssignmentStrategy, hoursMemo: OpenHoursMemo) {
        let compiled = try CompiledSchedules.load(db, businessID: businessID)
        let indexes = compiled.candidates(for: spec.components)
        var schedules: [ResourceSchedule] = []
        schedules.reserveCapacity(indexes.count)
        // One statement for every candidate's busy time and one for when each was last booked (two
        // GRDB cursors, not two per resource: a cursor's set-up cost more than its few rows). The
        // candidates go in as a JSON array of ids; each range is bounded below by the longest span any
        // of them ever held (kept by Bookings.assign), so an assignment that starts before the window
        // and runs into it is still read.
        var longestBusy: Int64 = 0
        for index in indexes {
            let resource = compiled.resources[index]
            var schedule = resource.template
            schedule.blocked = resource.blocked.filter { $0.end > window.start && $0.start < window.end }
            schedules.append(schedule)
            longestBusy = max(longestBusy, resource.longestBusy)
        }
        guard !schedules.isEmpty else { return (schedules, compiled.strategy, compiled.hoursMemo) }
        let ids = jsonList(schedules.map(\.id))
        var position: [ResourceID: Int] = [:]
        position.reserveCapacity(schedules.count)
        for (i, schedule) in schedules.enumerated() { position[schedule.id] = i }
        // An assignment of `units` items (a rental of 3 kayaks, 0135) counts as that many bookings.
        // A cursor reads each column straight from the statement (a copied row per result, as
        // `fetchAll` makes, decoded through `DatabaseValue`, was a third of a month's answer).
        // The ids are plain JSON integers (`c.value`, nothing parsed per row) and the bound one number:
        // pairs of [id, bound] needed a materialized table (a temporary b-tree per read), else each
        // `c.value ->> 1` was parsed again for every row.
        let rows = try Row.fetchCursor(db.cachedStatement(sql: Self.busySQL),
                                       arguments: [ids, businessID, window.start - longestBusy, window.end, window.start, now])
        // Rows come resource by resource: the position is looked up when the resource changes.
        var lastID = ResourceID(rawValue: -1), lastIndex: Int?
        while let row = try rows.next() {
            let orderID: BookingID = row[1]
            if let excludingOrder, orderID == excludingOrder { continue }
            let id: ResourceID = row[0]
            if id != lastID { lastID = id; lastIndex = position[id] }
            guard let i = lastIndex else { continue }
            let entry = BusyEntry(blocked: TimeRange(start: row[7] as Int64, end: row[8] as Int64),
                                  service: TimeRange(start: row[5] as Int64, end: row[6] as Int64),
                                  offerID: row[2] as OfferID, partySize: row[4] as Int, isClass: row[3] as Bool, orderID: orderID)
            schedules[i].busy.append(entry)
            let units: Int = row[9]
            if units > 1 { schedules[i].busy += repeatElement(entry, count: units - 1) }
        }
        // "Booked least recently": each resource's newest blocking assignment, one index seek each.
        let latest = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT c.value, (SELECT MAX(id) FROM resource_assignments INDEXED BY resource_assignments_latest
                             WHERE business_id = ? AND resource_id = c.value AND blocks = 1)
            FROM json_each(?) AS c
            """), arguments: [businessID, ids])
        while let row = try latest.next() {
            if let i = position[row[0] as ResourceID] { schedules[i].lastBookedAt = row[1] }
        }
        for (i, index) in indexes.enumerated() {
            // Units under maintenance (fewer than all of them) count as taken until cleared (migration 0080).
            if let out = compiled.resources[index].outOfService, out.since < window.end {
                let range = TimeRange(start: out.since, end: outOfServiceUntil)
                schedules[i].busy += Array(repeating: BusyEntry(blocked: range, offerID: OfferID(rawValue: 0)), count: out.units)
            }
        }
        return (schedules, compiled.strategy, compiled.hoursMemo)
    }

    /// Reads the strategy and the owner's priority order (position, then id) from the database.
    static func strategy(_ db: Database, compiling businessID: BusinessID) throws -> AssignmentStrategy {
        let stored = try storedAssignment(db, businessID: businessID)
        return AssignmentStrategy(code: stored.code, order: stored.order)
    }

    /// The stored strategy code and priority order (the order is kept while least recently booked is chosen).
    static func storedAssignment(_ db: Database, businessID: BusinessID) throws -> (code: String, order: [ResourceID]) {
        let code = try String.fetchOne(db.cachedStatement(sql: "SELECT strategy FROM assignment_strategies WHERE business_id = ?"),
                                       arguments: [businessID]) ?? "least_recently_booked"
        let order = try ResourceID.fetchAll(db.cachedStatement(sql: """
            SELECT resource_id FROM assignment_priorities WHERE business_id = ? ORDER BY position, resource_id
            """), arguments: [businessID])
        return (code, order)
    }

    static func rulesByCalendar(_ db: Database, businessID: BusinessID) throws -> [Int64: [WeeklyRule]] {
        var rules: [Int64: [WeeklyRule]] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT calendar_id, weekday, opens_minute, closes_minute, valid_from, valid_until, offer_id
            FROM availability_rules WHERE business_id = ? ORDER BY calendar_id, weekday, opens_minute
            """), arguments: [businessID]) {
            guard let weekday = Weekday(rawValue: row["weekday"]), let opens = WallTime(minutes: row["opens_minute"]),
                  let closes = WallTime(minutes: row["closes_minute"]) else { continue }
            rules[row["calendar_id"], default: []].append(WeeklyRule(
                weekday: weekday, opens: opens, closes: closes,
                validFrom: (row["valid_from"] as String?).flatMap(LocalDate.init),
                validUntil: (row["valid_until"] as String?).flatMap(LocalDate.init), offerID: row["offer_id"]))
        }
        return rules
    }

    static func overlaysByCalendar(_ db: Database, businessID: BusinessID) throws -> [Int64: [DateOverlay]] {
        var special: [Int64: [LocalDate: [WallInterval]]] = [:]
        var overlays: [Int64: [DateOverlay]] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT calendar_id, date, kind, opens_minute, closes_minute, starts_at, ends_at FROM date_overlays
            WHERE business_id = ? ORDER BY calendar_id, date, opens_minute
            """), arguments: [businessID]) {
            guard let date = LocalDate(row["date"] as String) else { continue }
            let calendar: Int64 = row["calendar_id"]
            switch row["kind"] as String {
            case "closed": overlays[calendar, default: []].append(DateOverlay(date: date, kind: .closed))
            case "blackout":
                overlays[calendar, default: []].append(DateOverlay(date: date, kind: .blackout(TimeRange(start: row["starts_at"], end: row["ends_at"]))))
            default:
                if let opens = WallTime(minutes: row["opens_minute"]), let closes = WallTime(minutes: row["closes_minute"]) {
                    special[calendar, default: [:]][date, default: []].append(WallInterval(opens: opens, closes: closes))
                }
            }
        }
        for (calendar, dates) in special {
            for (date, intervals) in dates {
                overlays[calendar, default: []].append(DateOverlay(date: date, kind: .specialHours(intervals)))
            }
        }
        return overlays
    }
}

/// Every active resource of a business with its rules, overlays, tags and blocked time, compiled
/// at one `schedule_version`.
struct CompiledSchedules: Sendable {
    struct Resource: Sendable {
        /// The schedule without busy entries and blocked time (filled per window).
        let template: ResourceSchedule
        let blocked: [TimeRange]
        let longestBusy: Int64
        /// Units flagged for maintenance when fewer than the capacity (all of them: in `blocked`).
        var outOfService: (units: Int, since: Instant)? = nil
    }

    let version: Int64
    let resources: [Resource]
    /// How "any" components choose among free resources (migration 0110).
    let strategy: AssignmentStrategy
    /// Every active resource as pages list them (`Catalog.resources`), ordered by kind and name.
    let catalog: [ResourceInfo]
    /// Each active resource's slug, for answers (which name resources by slug).
    let slugs: [ResourceID: String]
    /// The location of each active resource that has one (a move bumps `schedule_version`).
    let locations: [ResourceID: LocationID]
    /// Each active resource's index in `resources`: a page of a few resources finds theirs without a
    /// pass over every resource of the business.
    let positions: [ResourceID: Int]

    /// The resources some component can use, by their index in `resources`: found once per set of
    /// components and kept with the compiled schedules (not a pass over every resource per answer).
    func candidates(for components: [OfferComponent]) -> [Int] {
        if let found = candidateMemo.found.withLock({ $0[components] }) { return found }
        let found = resources.indices.filter { i in components.contains { $0.selector.matches(resources[i].template) } }
        candidateMemo.found.withLock { table in
            if table.count >= 1_000 { table.removeAll() }
            table[components] = found
        }
        return found
    }

    /// The hosts a customer may choose for an offer of `components` (`OfferVersionSpec.canUse`), in
    /// the catalogue's order: found once per set of components and kept with the compiled schedules
    /// (the offer page filtered every resource of the business on each request).
    func hosts(for spec: OfferVersionSpec) -> [ResourceInfo] {
        if let found = candidateMemo.hosts.withLock({ $0[spec.components] }) { return found }
        let found = catalog.filter { $0.kind == .host && spec.canUse($0) }
        candidateMemo.hosts.withLock { table in
            if table.count >= 1_000 { table.removeAll() }
            table[spec.components] = found
        }
        return found
    }

    /// `candidates(for:)`'s and `hosts(for:)`'s tables: they live and die with one compiled version.
    final class CandidateMemo: Sendable {
        let found = Mutex<[[OfferComponent]: [Int]]>([:])
        let hosts = Mutex<[[OfferComponent]: [ResourceInfo]]>([:])
    }
    let candidateMemo = CandidateMemo()
    /// Open hours per resource and date, computed by availability engines and kept for the next
    /// (a month's answer computes only the dates no earlier answer had): lives and dies with this version.
    let hoursMemo = OpenHoursMemo()

    /// The business's compiled schedules, from the transaction's cache when its version is current.
    static func load(_ db: Database, businessID: BusinessID) throws -> CompiledSchedules {
        let version = try self.version(db, businessID: businessID)
        let caches = CacheScope.current?.caches
        if let cached = caches?.schedules.withLock({ $0[businessID] }), cached.version == version { return cached }
        let compiled = try compile(db, businessID: businessID, version: version)
        // Safe in any transaction: a version is unique to one content (see `Caches`).
        caches?.schedules.withLock { $0[businessID] = compiled }
        return compiled
    }

    /// `businesses.schedule_version`: changes with anything a schedule is made of (-1: no such business).
    static func version(_ db: Database, businessID: BusinessID) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT schedule_version FROM businesses WHERE id = ?"), arguments: [businessID]) ?? -1
    }

    private static func compile(_ db: Database, businessID: BusinessID, version: Int64) throws -> CompiledSchedules {
        let tags = try Catalog.tagsByResource(db, businessID: businessID)
        let rules = try ScheduleLoader.rulesByCalendar(db, businessID: businessID)
        let overlays = try ScheduleLoader.overlaysByCalendar(db, businessID: businessID)
        // Business-wide closures close every resource that date (migration 0051).
        let closed = try String.fetchAll(db.cachedStatement(sql: "SELECT date FROM business_closures WHERE business_id = ?"),
                                         arguments: [businessID]).compactMap(LocalDate.init).map { DateOverlay(date: $0, kind: .closed) }
        let outOfService = try Rentals.outOfService(db, businessID: businessID)
        var blocked: [ResourceID: [TimeRange]] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT resource_id, starts_at, ends_at FROM blocked_times WHERE business_id = ?"),
                                    arguments: [businessID]) {
            blocked[row[0], default: []].append(TimeRange(start: row[1], end: row[2]))
        }
        let resources = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT r.id, r.kind, r.capacity, r.max_bookings_per_day, r.min_rest_minutes, r.max_busy_seconds, c.id AS calendar_id
            FROM resources r JOIN calendars c ON c.business_id = r.business_id AND c.resource_id = r.id
            WHERE r.business_id = ? AND r.active = 1 ORDER BY r.id
            """), arguments: [businessID]).map { row -> Resource in
            let id: ResourceID = row["id"], calendar: Int64 = row["calendar_id"], capacity: Int = row["capacity"]
            var resourceBlocked = blocked[id] ?? []
            var partlyOut: (units: Int, since: Instant)?
            if let out = outOfService[id] {
                if out.units >= capacity {
                    resourceBlocked.append(TimeRange(start: out.since, end: outOfServiceUntil))
                } else {
                    partlyOut = out
                }
            }
            return Resource(
                template: ResourceSchedule(
                    id: id, kind: ResourceKind(rawValue: row["kind"]) ?? .host, tags: Set(tags[id] ?? []), capacity: row["capacity"],
                    weeklyRules: rules[calendar] ?? [], overlays: (overlays[calendar] ?? []) + closed,
                    limits: ResourceLimits(maxBookingsPerDay: row["max_bookings_per_day"], minRestMinutes: row["min_rest_minutes"])),
                blocked: resourceBlocked, longestBusy: row["max_busy_seconds"], outOfService: partlyOut)
        }
        var locations: [ResourceID: LocationID] = [:]
        let catalog = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, slug, name, kind, capacity, location_id FROM resources WHERE business_id = ? AND active = 1 ORDER BY kind, name
            """), arguments: [businessID]).map { row in
            if let location = row["location_id"] as LocationID? { locations[row["id"]] = location }
            return ResourceInfo(id: row["id"], slug: row["slug"], name: row["name"], kind: ResourceKind(rawValue: row["kind"]) ?? .host,
                         capacity: row["capacity"], tags: tags[row["id"]] ?? [])
        }
        return CompiledSchedules(version: version, resources: resources, strategy: try ScheduleLoader.strategy(db, compiling: businessID),
                                 catalog: catalog, slugs: Dictionary(catalog.map { ($0.id, $0.slug) }, uniquingKeysWith: { first, _ in first }),
                                 locations: locations,
                                 positions: Dictionary(resources.indices.map { (resources[$0].template.id, $0) }, uniquingKeysWith: { first, _ in first }))
    }
}
