public import BookingCore
import Foundation
import GRDB

/// Reads and writes of the management pages (issue 5). Every function runs inside the caller's
/// transaction; writes append their audit entry there too.
public enum ManageCatalog {
    // MARK: Dashboard

    public struct Overview: Sendable, Hashable {
        public let bookingsToday: Int
        public let bookingsUpcoming: Int
        public let resources: Int
        public let resourcesWithoutHours: [String]
        public let liveOffers: Int
        public let offersWithoutPublished: [String]
        public let drafts: Int
    }

    static let activeStatuses = "('pending', 'confirmed', 'checked_in')"

    /// A member limited to a location (`scope`) counts that location's bookings and resources.
    static func overview(_ db: Database, business: Business, now: Int64, scope: LocationScope = .everywhere) throws -> Overview {
        let clock = ZoneClock(identifier: business.timeZone) ?? ZoneClock(TimeZone(identifier: "UTC")!)
        let today = clock.local(now).date
        let dayStart = clock.day(today).start, dayEnd = clock.day(today.adding(days: 1)).start
        let scoped = LocationScopes.condition(scope)
        let count = { (from: Int64, to: Int64) throws -> Int in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM booking_orders b WHERE b.business_id = ? AND b.status IN \(activeStatuses)
                AND b.starts_at >= ? AND b.starts_at < ?\(scoped.sql)
                """, arguments: LocationScopes.arguments([business.id, from, to], scoped)) ?? 0
        }
        let withoutHours = try String.fetchAll(db, sql: """
            SELECT r.name FROM resources r JOIN calendars c ON c.business_id = r.business_id AND c.resource_id = r.id
            WHERE r.business_id = ? AND r.active = 1
              AND NOT EXISTS (SELECT 1 FROM availability_rules a WHERE a.business_id = r.business_id AND a.calendar_id = c.id)
            ORDER BY r.name
            """, arguments: [business.id])
        let unpublished = try String.fetchAll(db, sql: """
            SELECT o.name FROM offers o WHERE o.business_id = ? AND o.status != 'archived'
              AND NOT EXISTS (SELECT 1 FROM offer_versions v WHERE v.business_id = o.business_id AND v.offer_id = o.id AND v.status = 'published')
            ORDER BY o.name
            """, arguments: [business.id])
        return Overview(
            bookingsToday: try count(max(now, dayStart), dayEnd),
            bookingsUpcoming: try count(now, Int64.max),
            resources: try Int.fetchOne(db, sql: "SELECT count(*) FROM resources WHERE business_id = ? AND active = 1"
                                            + (scope.location == nil ? "" : " AND location_id = ?"),
                                        arguments: LocationScopes.arguments([business.id], ("", scope.location.map { [$0] } ?? []))) ?? 0,
            resourcesWithoutHours: withoutHours,
            liveOffers: try Catalog.liveOffers(db, businessID: business.id).filter { $0.status == .live }.count,
            offersWithoutPublished: unpublished,
            drafts: try Int.fetchOne(db, sql: "SELECT count(*) FROM offer_versions WHERE business_id = ? AND status = 'draft'",
                                     arguments: [business.id]) ?? 0)
    }

    // MARK: Business settings

    static func updateBusiness(_ db: Database, business: Business, name: String, timeZone: String, currency: String,
                                      description: String, actor: String, now: Int64) throws {
        try db.execute(sql: "UPDATE businesses SET name = ?, timezone = ?, currency = ?, description = ? WHERE id = ?",
                       arguments: [name, timeZone, currency, description, business.id])
        var details: [String: String] = [:]
        if name != business.name { details["name"] = name }
        if timeZone != business.timeZone { details["timezone"] = timeZone }
        if currency != business.currency { details["currency"] = currency }
        if description != business.description { details["description"] = "changed" }
        try AuditLog.append(db, businessID: business.id, at: now, actor: actor, action: "business.update",
                            subject: "business:\(business.id)", details: details)
    }

    // MARK: Resources

    public struct ResourceDetail: Sendable, Hashable {
        public let resource: ResourceInfo
        public let rules: [WeeklyRule]
        public let overlays: [OverlayRow]
        public let blocked: [BlockedRow]
        public let seasonal: [SeasonalRow]
    }

    public struct SeasonalRow: Sendable, Hashable {
        public let id: Int64
        public let rule: WeeklyRule
    }

    public struct OverlayRow: Sendable, Hashable {
        public let id: Int64
        public let date: String
        public let kind: String
        public let opens: WallTime?
        public let closes: WallTime?
        public let note: String
    }

    public struct BlockedRow: Sendable, Hashable {
        public let id: Int64
        public let start: Int64
        public let end: Int64
        public let reason: String
    }

    static func resource(_ db: Database, businessID: BusinessID, slug: String) throws -> ResourceDetail? {
        guard let info = try Catalog.resources(db, businessID: businessID).first(where: { $0.slug == slug }) else { return nil }
        let calendar = try Catalog.calendarID(db, businessID: businessID, resourceID: info.id)
        let rules = try Row.fetchAll(db, sql: """
            SELECT weekday, opens_minute, closes_minute, valid_from, valid_until FROM availability_rules
            WHERE business_id = ? AND calendar_id = ? AND offer_id IS NULL ORDER BY weekday, opens_minute
            """, arguments: [businessID, calendar]).compactMap { row -> WeeklyRule? in
            guard let day = Weekday(rawValue: row["weekday"]), let opens = WallTime(minutes: row["opens_minute"]),
                  let closes = WallTime(minutes: row["closes_minute"]) else { return nil }
            return WeeklyRule(weekday: day, opens: opens, closes: closes,
                              validFrom: (row["valid_from"] as String?).flatMap(LocalDate.init),
                              validUntil: (row["valid_until"] as String?).flatMap(LocalDate.init))
        }
        let overlays = try Row.fetchAll(db, sql: """
            SELECT id, date, kind, opens_minute, closes_minute, note FROM date_overlays
            WHERE business_id = ? AND calendar_id = ? ORDER BY date, opens_minute
            """, arguments: [businessID, calendar]).map { row in
            OverlayRow(id: row["id"], date: row["date"], kind: row["kind"],
                       opens: (row["opens_minute"] as Int?).flatMap { WallTime(minutes: $0) },
                       closes: (row["closes_minute"] as Int?).flatMap { WallTime(minutes: $0) }, note: row["note"])
        }
        let blocked = try Row.fetchAll(db, sql: """
            SELECT id, starts_at, ends_at, reason FROM blocked_times WHERE business_id = ? AND resource_id = ? AND import_id IS NULL
            ORDER BY starts_at
            """, arguments: [businessID, info.id]).map { BlockedRow(id: $0["id"], start: $0["starts_at"], end: $0["ends_at"], reason: $0["reason"]) }
        let seasonal = try Row.fetchAll(db, sql: """
            SELECT id, weekday, opens_minute, closes_minute, valid_from, valid_until FROM availability_rules
            WHERE business_id = ? AND calendar_id = ? AND offer_id IS NULL AND (valid_from IS NOT NULL OR valid_until IS NOT NULL)
            ORDER BY valid_from, weekday, opens_minute
            """, arguments: [businessID, calendar]).compactMap { row -> SeasonalRow? in
            guard let day = Weekday(rawValue: row["weekday"]), let opens = WallTime(minutes: row["opens_minute"]),
                  let closes = WallTime(minutes: row["closes_minute"]) else { return nil }
            return SeasonalRow(id: row["id"], rule: WeeklyRule(weekday: day, opens: opens, closes: closes,
                                                              validFrom: (row["valid_from"] as String?).flatMap(LocalDate.init),
                                                              validUntil: (row["valid_until"] as String?).flatMap(LocalDate.init)))
        }
        return ResourceDetail(resource: info, rules: rules, overlays: overlays, blocked: blocked, seasonal: seasonal)
    }

    static func createResource(_ db: Database, businessID: BusinessID, name: String, kind: ResourceKind, capacity: Int,
                                      tags: [String], actor: Actor, now: Int64) throws -> String {
        let slug = try QuickSetup.uniqueSlug(base: Validation.slug(name, maxLength: 54), fallback: kind.rawValue) { candidate in
            try Catalog.resourceID(db, businessID: businessID, slug: candidate) != nil
        }
        let id = try Catalog.createResource(db, businessID: businessID, slug: slug, name: name, kind: kind, capacity: capacity,
                                            tags: tags, now: now)
        try recordKey(db, table: "resources", businessID: businessID, id: id.rawValue, actor: actor)
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor.label, action: "resource.create", subject: "resource:\(id)",
                            details: ["slug": slug, "kind": kind.rawValue, "capacity": String(capacity),
                                      "tags": tags.joined(separator: ",")])
        return slug
    }

    /// Replaces the general (not offer-specific) weekly rules of a resource.
    static func replaceWeeklyRules(_ db: Database, businessID: BusinessID, resourceID: ResourceID, rules: [WeeklyRule],
                                          actor: String, now: Int64) throws {
        let calendar = try Catalog.calendarID(db, businessID: businessID, resourceID: resourceID)
        try db.execute(sql: "DELETE FROM availability_rules WHERE business_id = ? AND calendar_id = ? AND offer_id IS NULL",
                       arguments: [businessID, calendar])
        for rule in rules { try Catalog.addWeeklyRule(db, businessID: businessID, resourceID: resourceID, rule: rule) }
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "resource.hours",
                            subject: "resource:\(resourceID)",
                            details: ["rules": rules.map { "\($0.weekday.rawValue) \($0.opens)-\($0.closes)" }.joined(separator: ", ")])
    }

    /// Adds a date override; returns the id of its (last) row.
    @discardableResult
    static func addOverlay(_ db: Database, businessID: BusinessID, resourceID: ResourceID, overlay: DateOverlay, note: String,
                                  actor: Actor, now: Int64) throws -> Int64 {
        try Catalog.addOverlay(db, businessID: businessID, resourceID: resourceID, overlay: overlay, note: note)
        let id = db.lastInsertedRowID
        try recordKey(db, table: "date_overlays", businessID: businessID, id: id, actor: actor)
        let kind: String = switch overlay.kind {
        case .closed: "closed"
        case .specialHours(let intervals): "special_hours " + intervals.map { "\($0.opens)-\($0.closes)" }.joined(separator: ",")
        case .blackout: "blackout"
        }
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor.label, action: "resource.override",
                            subject: "resource:\(resourceID)", details: ["date": overlay.date.description, "kind": kind])
        return id
    }

    /// Adds blocked time; returns its id.
    @discardableResult
    static func addBlockedTime(_ db: Database, businessID: BusinessID, resourceID: ResourceID, range: TimeRange, reason: String,
                                      actor: Actor, now: Int64) throws -> Int64 {
        try Catalog.addBlockedTime(db, businessID: businessID, resourceID: resourceID, range: range, reason: reason, now: now)
        let id = db.lastInsertedRowID
        try recordKey(db, table: "blocked_times", businessID: businessID, id: id, actor: actor)
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor.label, action: "resource.block",
                            subject: "resource:\(resourceID)",
                            details: ["from": RFC3339.format(range.start), "to": RFC3339.format(range.end), "reason": reason])
        return id
    }

    /// Records the API key acting on the row it just created (migration 0130); nothing for a person or the system.
    static func recordKey(_ db: Database, table: String, businessID: BusinessID, id: Int64, actor: Actor) throws {
        guard let keyID = actor.apiKeyID else { return }
        try db.execute(sql: "UPDATE \(table) SET api_key_id = ? WHERE business_id = ? AND id = ?", arguments: [keyID, businessID, id])
    }

    /// Seasonal hours: weekly rules valid between two dates (inclusive).
    static func addSeasonalRules(_ db: Database, businessID: BusinessID, resourceID: ResourceID, rules: [WeeklyRule],
                                        actor: String, now: Int64) throws {
        for rule in rules { try Catalog.addWeeklyRule(db, businessID: businessID, resourceID: resourceID, rule: rule) }
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "resource.seasonal_hours",
                            subject: "resource:\(resourceID)",
                            details: ["rules": rules.map { "\($0.weekday.rawValue) \($0.opens)-\($0.closes)" }.joined(separator: ", "),
                                      "from": rules.first?.validFrom?.description ?? "", "until": rules.first?.validUntil?.description ?? ""])
    }

    /// Removes one date override, blocked time or seasonal rule of a resource (`what`: `override`,
    /// `block`, `seasonal`). False when there was none with that id.
    static func removeScheduleItem(_ db: Database, businessID: BusinessID, resourceID: ResourceID, what: String, id: Int64,
                                          actor: String, now: Int64) throws -> Bool {
        let calendar = try Catalog.calendarID(db, businessID: businessID, resourceID: resourceID)
        switch what {
        case "override":
            try db.execute(sql: "DELETE FROM date_overlays WHERE business_id = ? AND calendar_id = ? AND id = ?",
                           arguments: [businessID, calendar, id])
        case "block":
            try db.execute(sql: "DELETE FROM blocked_times WHERE business_id = ? AND resource_id = ? AND id = ?",
                           arguments: [businessID, resourceID, id])
        case "seasonal":
            try db.execute(sql: """
                DELETE FROM availability_rules WHERE business_id = ? AND calendar_id = ? AND id = ?
                AND (valid_from IS NOT NULL OR valid_until IS NOT NULL)
                """, arguments: [businessID, calendar, id])
        default:
            return false
        }
        guard db.changesCount == 1 else { return false }
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "resource.\(what)_remove",
                            subject: "resource:\(resourceID)", details: ["id": String(id)])
        return true
    }

    // MARK: Audit

    public struct AuditRow: Sendable, Hashable {
        public let seq: Int64
        public let at: Int64
        public let actor: String
        public let action: String
        public let subject: String
        public let details: String
    }

    /// The latest entries, newest first; `action` filters by prefix (`offer`, `booking.`).
    static func audit(_ db: Database, businessID: BusinessID, action: String = "", limit: Int = 200) throws -> [AuditRow] {
        try Row.fetchAll(db, sql: """
            SELECT seq, at, actor, action, subject, details FROM audit_log
            WHERE business_id = ? AND (? = '' OR action LIKE ? ESCAPE '\\') ORDER BY seq DESC LIMIT ?
            """, arguments: [businessID, action, escapeLike(action) + "%", limit]).map {
            AuditRow(seq: $0["seq"], at: $0["at"], actor: $0["actor"], action: $0["action"], subject: $0["subject"], details: $0["details"])
        }
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }
}

extension ManageCatalog {
    /// The starts `spec` would offer for `offerID` over `from…to` (business-local dates): the preview
    /// of a draft before it is published.
    static func preview(_ db: Database, business: Business, offerID: OfferID, spec: OfferVersionSpec, from: LocalDate,
                               to: LocalDate, now: Int64) throws -> [Instant] {
        guard let zone = TimeZone(identifier: business.timeZone) else { return [] }
        let clock = ZoneClock(zone)
        let spanDays = 2 + (spec.duration.maxMinutes + spec.bufferAfterMinutes) / 1440
        let window = TimeRange(start: clock.day(from.adding(days: -2)).start, end: clock.day(to.adding(days: 2 + spanDays)).start)
        let schedules = try ScheduleLoader.schedules(db, businessID: business.id, spec: spec, window: window, now: now)
        let query = AvailabilityQuery(offerID: offerID, spec: spec, resources: schedules, timeZone: zone, now: now,
                                      partySize: 1, requestedResourceIDs: [])
        return AvailabilityEngine(query: query, from: from, to: to).slots().map(\.start)
    }
}
