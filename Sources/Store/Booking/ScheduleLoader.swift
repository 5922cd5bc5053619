import BookingCore
import GRDB

/// Loads, for one offer version, the schedules of every resource a component could use, with what
/// keeps them busy in a window of instants. Used by reads (availability) and, inside the write
/// transaction, by the booking check — the same code both times.
enum ScheduleLoader {
    static func schedules(_ db: Database, businessID: Int64, spec: OfferVersionSpec, window: TimeRange, now: Int64,
                          excludingOrder: Int64? = nil) throws -> [ResourceSchedule] {
        var kinds: Set<String> = []
        var ids: Set<Int64> = []
        for component in spec.components {
            switch component.selector {
            case .resource(let id): ids.insert(id)
            case .anyOf(let kind, _): kinds.insert(kind.rawValue)
            }
        }
        let kindList = kinds.map { "'\($0)'" }.joined(separator: ",")   // closed enum values, never user text
        var conditions: [String] = []
        if !ids.isEmpty { conditions.append("r.id IN (\(ids.map(String.init).joined(separator: ",")))") }
        if !kinds.isEmpty { conditions.append("r.kind IN (\(kindList))") }
        guard !conditions.isEmpty else { return [] }
        let rows = try Row.fetchAll(db, sql: """
            SELECT r.id, r.kind, r.capacity, r.max_bookings_per_day, r.min_rest_minutes, c.id AS calendar_id
            FROM resources r JOIN calendars c ON c.business_id = r.business_id AND c.resource_id = r.id
            WHERE r.business_id = ? AND r.active = 1 AND (\(conditions.joined(separator: " OR ")))
            ORDER BY r.id
            """, arguments: [businessID])
        guard !rows.isEmpty else { return [] }
        let tags = try Catalog.tagsByResource(db, businessID: businessID)
        var schedules: [ResourceSchedule] = []
        schedules.reserveCapacity(rows.count)
        let rules = try rulesByCalendar(db, businessID: businessID)
        let overlays = try overlaysByCalendar(db, businessID: businessID)
        for row in rows {
            let id: Int64 = row["id"]
            let calendar: Int64 = row["calendar_id"]
            let blocked = try Row.fetchAll(db, sql: """
                SELECT starts_at, ends_at FROM blocked_times
                WHERE business_id = ? AND resource_id = ? AND ends_at > ? AND starts_at < ?
                """, arguments: [businessID, id, window.start, window.end]).map { TimeRange(start: $0["starts_at"], end: $0["ends_at"]) }
            let busy = try Row.fetchAll(db, sql: """
                SELECT order_id, offer_id, is_class, party_size, starts_at, ends_at, blocked_from, blocked_to
                FROM resource_assignments INDEXED BY resource_assignments_busy
                WHERE business_id = ? AND resource_id = ? AND blocks = 1 AND blocked_from < ? AND blocked_to > ?
                  AND (hold_expires_at IS NULL OR hold_expires_at > ?)
                """, arguments: [businessID, id, window.end, window.start, now]).compactMap { row -> BusyEntry? in
                if let excludingOrder, row["order_id"] as Int64 == excludingOrder { return nil }
                return BusyEntry(blocked: TimeRange(start: row["blocked_from"], end: row["blocked_to"]),
                                 service: TimeRange(start: row["starts_at"], end: row["ends_at"]), offerID: row["offer_id"],
                                 partySize: row["party_size"], isClass: row["is_class"])
            }
            let lastBooked = try Int64.fetchOne(db, sql: """
                SELECT MAX(id) FROM resource_assignments WHERE business_id = ? AND resource_id = ? AND blocks = 1
                """, arguments: [businessID, id])
            schedules.append(ResourceSchedule(
                id: id, kind: ResourceKind(rawValue: row["kind"]) ?? .host, tags: Set(tags[id] ?? []),
                capacity: row["capacity"], weeklyRules: rules[calendar] ?? [], overlays: overlays[calendar] ?? [],
                blocked: blocked, busy: busy,
                limits: ResourceLimits(maxBookingsPerDay: row["max_bookings_per_day"], minRestMinutes: row["min_rest_minutes"]),
                lastBookedAt: lastBooked))
        }
        return schedules
    }

    static func rulesByCalendar(_ db: Database, businessID: Int64) throws -> [Int64: [WeeklyRule]] {
        var rules: [Int64: [WeeklyRule]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT calendar_id, weekday, opens_minute, closes_minute, valid_from, valid_until, offer_id
            FROM availability_rules WHERE business_id = ? ORDER BY calendar_id, weekday, opens_minute
            """, arguments: [businessID]) {
            guard let weekday = Weekday(rawValue: row["weekday"]), let opens = WallTime(minutes: row["opens_minute"]),
                  let closes = WallTime(minutes: row["closes_minute"]) else { continue }
            rules[row["calendar_id"], default: []].append(WeeklyRule(
                weekday: weekday, opens: opens, closes: closes,
                validFrom: (row["valid_from"] as String?).flatMap(LocalDate.init),
                validUntil: (row["valid_until"] as String?).flatMap(LocalDate.init), offerID: row["offer_id"]))
        }
        return rules
    }

    static func overlaysByCalendar(_ db: Database, businessID: Int64) throws -> [Int64: [DateOverlay]] {
        var special: [Int64: [LocalDate: [WallInterval]]] = [:]
        var overlays: [Int64: [DateOverlay]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT calendar_id, date, kind, opens_minute, closes_minute, starts_at, ends_at FROM date_overlays
            WHERE business_id = ? ORDER BY calendar_id, date, opens_minute
            """, arguments: [businessID]) {
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
