import BookingCore
import Foundation
import GRDB

/// Writes and reads of what a business sells and what supplies it. Every function takes the
/// business id and every query is scoped by it.
public enum Catalog {
    // MARK: Businesses

    static func createBusiness(_ db: Database, slug: String, name: String, timeZone: String, currency: String,
                                      description: String = "", now: Int64) throws -> Business {
        guard TimeZone(identifier: timeZone) != nil else { throw CatalogError.invalid(field: "timezone", message: "is not an IANA time zone") }
        if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM businesses WHERE slug = ?"), arguments: [slug]) == true {
            throw CatalogError.slugTaken(slug)
        }
        try db.cachedStatement(sql: """
            INSERT INTO businesses (slug, name, timezone, currency, description, created_at) VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [slug, name, timeZone, currency, description, now])
        return Business(id: BusinessID(rawValue: db.lastInsertedRowID), slug: slug, name: name, timeZone: timeZone, currency: currency,
                        description: description, status: "live")
    }

    static func business(_ db: Database, slug: String) throws -> Business? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM businesses WHERE slug = ?"), arguments: [slug]).map(business(row:))
    }

    static func business(_ db: Database, id: BusinessID) throws -> Business? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM businesses WHERE id = ?"), arguments: [id]).map(business(row:))
    }

    /// A column read here must also be in `APIKeyCacheObserver.principalColumns`, or a kept API
    /// principal would not see it change.
    static func business(row: Row) -> Business {
        Business(id: row["id"], slug: row["slug"], name: row["name"], timeZone: row["timezone"], currency: row["currency"],
                 description: row["description"], status: row["status"])
    }

    // MARK: Resources and their calendars

    /// Creates a resource and its calendar; returns the resource id.
    @discardableResult
    static func createResource(_ db: Database, businessID: BusinessID, slug: String, name: String, kind: ResourceKind,
                                      capacity: Int = 1, tags: [String] = [], limits: ResourceLimits = .init(),
                                      now: Int64) throws -> ResourceID {
        if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM resources WHERE business_id = ? AND slug = ?"), arguments: [businessID, slug]) == true {
            throw CatalogError.slugTaken(slug)
        }
        try db.cachedStatement(sql: """
            INSERT INTO resources (business_id, slug, name, kind, capacity, max_bookings_per_day, min_rest_minutes, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [businessID, slug, name, kind.rawValue, capacity, limits.maxBookingsPerDay, limits.minRestMinutes, now])
        let id = ResourceID(rawValue: db.lastInsertedRowID)
        for tag in Set(tags) {
            try db.execute(sql: "INSERT INTO resource_tags (business_id, resource_id, tag) VALUES (?, ?, ?)",
                           arguments: [businessID, id, tag])
        }
        try db.cachedStatement(sql: "INSERT INTO calendars (business_id, resource_id) VALUES (?, ?)").execute(arguments: [businessID, id])
        return id
    }

    /// Every active resource, ordered by kind and name: compiled with the business's schedules and
    /// cached with them while `schedule_version` is unchanged (renames bump it too, migration 0010).
    static func resources(_ db: Database, businessID: BusinessID) throws -> [ResourceInfo] {
        try CompiledSchedules.load(db, businessID: businessID).catalog
    }

    static func tagsByResource(_ db: Database, businessID: BusinessID) throws -> [ResourceID: [String]] {
        var tags: [ResourceID: [String]] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT resource_id, tag FROM resource_tags WHERE business_id = ? ORDER BY tag"),
                                    arguments: [businessID]) {
            tags[row["resource_id"], default: []].append(row["tag"])
        }
        return tags
    }

    static func resourceID(_ db: Database, businessID: BusinessID, slug: String) throws -> ResourceID? {
        try ResourceID.fetchOne(db.cachedStatement(sql: "SELECT id FROM resources WHERE business_id = ? AND slug = ?"), arguments: [businessID, slug])
    }

    static func calendarID(_ db: Database, businessID: BusinessID, resourceID: ResourceID) throws -> Int64 {
        guard let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM calendars WHERE business_id = ? AND resource_id = ?"),
                                          arguments: [businessID, resourceID]) else { throw CatalogError.notFound("calendar") }
        return id
    }

    static func addWeeklyRule(_ db: Database, businessID: BusinessID, resourceID: ResourceID, rule: WeeklyRule) throws {
        let calendar = try calendarID(db, businessID: businessID, resourceID: resourceID)
        try db.cachedStatement(sql: """
            INSERT INTO availability_rules (business_id, calendar_id, weekday, opens_minute, closes_minute, valid_from, valid_until, offer_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [businessID, calendar, rule.weekday.rawValue, rule.opens.minutes, rule.closes.minutes,
                             rule.validFrom?.description, rule.validUntil?.description, rule.offerID])
    }

    static func addOverlay(_ db: Database, businessID: BusinessID, resourceID: ResourceID, overlay: DateOverlay, note: String = "") throws {
        let calendar = try calendarID(db, businessID: businessID, resourceID: resourceID)
        let insert = "INSERT INTO date_overlays (business_id, calendar_id, date, kind, opens_minute, closes_minute, starts_at, ends_at, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        switch overlay.kind {
        case .closed:
            try db.execute(sql: insert, arguments: [businessID, calendar, overlay.date.description, "closed", nil, nil, nil, nil, note])
        case .specialHours(let intervals):
            for interval in intervals {
                try db.execute(sql: insert, arguments: [businessID, calendar, overlay.date.description, "special_hours",
                                                        interval.opens.minutes, interval.closes.minutes, nil, nil, note])
            }
        case .blackout(let range):
            try db.execute(sql: insert, arguments: [businessID, calendar, overlay.date.description, "blackout", nil, nil,
                                                    range.start, range.end, note])
        }
    }

    static func addBlockedTime(_ db: Database, businessID: BusinessID, resourceID: ResourceID, range: TimeRange,
                                      reason: String, now: Int64) throws {
        try db.cachedStatement(sql: """
            INSERT INTO blocked_times (business_id, resource_id, starts_at, ends_at, reason, created_at) VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [businessID, resourceID, range.start, range.end, reason, now])
    }

    // MARK: Offers and versions

    @discardableResult
    static func createOffer(_ db: Database, businessID: BusinessID, slug: String, name: String, description: String = "",
                                   mode: OfferMode, sensitive: Bool = false, now: Int64) throws -> OfferID {
        if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM offers WHERE business_id = ? AND slug = ?"), arguments: [businessID, slug]) == true {
            throw CatalogError.slugTaken(slug)
        }
        try db.cachedStatement(sql: """
            INSERT INTO offers (business_id, slug, name, description, mode, sensitive, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [businessID, slug, name, description, mode.rawValue, sensitive, now])
        return OfferID(rawValue: db.lastInsertedRowID)
    }

    /// A new draft version (the next number) holding `spec`; published versions stay as they are.
    @discardableResult
    static func createDraftVersion(_ db: Database, businessID: BusinessID, offerID: OfferID, spec: OfferVersionSpec,
                                          now: Int64) throws -> OfferVersionID {
        let next = (try Int.fetchOne(db.cachedStatement(sql: "SELECT MAX(version) FROM offer_versions WHERE business_id = ? AND offer_id = ?"),
                                     arguments: [businessID, offerID]) ?? 0) + 1
        return try SpecRow.insert(db, businessID: businessID, offerID: offerID, version: next, spec: spec, now: now)
    }

    static func publishVersion(_ db: Database, businessID: BusinessID, versionID: OfferVersionID, now: Int64) throws {
        try db.cachedStatement(sql: """
            UPDATE offer_versions SET status = 'published', published_at = ? WHERE business_id = ? AND id = ? AND status = 'draft'
            """).execute(arguments: [now, businessID, versionID])
        guard db.changesCount == 1 else { throw CatalogError.notFound("draft version") }
    }

    /// Offers customers can book now, with their current published version.
    static func liveOffers(_ db: Database, businessID: BusinessID) throws -> [OfferInfo] {
        try Row.fetchAll(db.cachedStatement(sql: offerSQL + " AND o.status = 'live' ORDER BY o.name"), arguments: [businessID])
            .map { try offer(db, businessID: businessID, row: $0) }
    }

    static func offer(_ db: Database, businessID: BusinessID, slug: String) throws -> OfferInfo? {
        try Row.fetchOne(db.cachedStatement(sql: offerSQL + " AND o.slug = ?"), arguments: [businessID, slug]).map {
            try offer(db, businessID: businessID, row: $0)
        }
    }

    static func offerVersion(_ db: Database, businessID: BusinessID, versionID: OfferVersionID) throws -> OfferVersionSpec? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT v.*, o.mode FROM offer_versions v JOIN offers o ON o.business_id = v.business_id AND o.id = v.offer_id
            WHERE v.business_id = ? AND v.id = ?
            """), arguments: [businessID, versionID]) else { return nil }
        return try SpecRow.spec(db, row: row)
    }

    /// The offer and the id and number of its current published version, not the version's row: its
    /// spec is usually kept decoded (`SpecRow.publishedSpec`), and copying the whole row (its JSON
    /// rule lists) cost ~0.11 M instructions per booking. Columns are read by position.
    private static let offerSQL = """
        SELECT o.id, o.slug, o.name, o.description, o.mode, o.status, o.sensitive, v.id, v.version
        FROM offers o JOIN offer_versions v ON v.business_id = o.business_id AND v.offer_id = o.id
        WHERE o.business_id = ? AND v.status = 'published'
          AND v.version = (SELECT MAX(version) FROM offer_versions WHERE business_id = o.business_id AND offer_id = o.id AND status = 'published')
        """

    private static func offer(_ db: Database, businessID: BusinessID, row: Row) throws -> OfferInfo {
        let mode: String = row[4], versionID: OfferVersionID = row[7]
        return OfferInfo(id: row[0], slug: row[1], name: row[2], description: row[3], mode: OfferMode(rawValue: mode) ?? .slot,
                         status: OfferStatus(rawValue: row[5]) ?? .paused, sensitive: row[6], versionID: versionID, version: row[8],
                         spec: try SpecRow.publishedSpec(db, businessID: businessID, versionID: versionID, mode: mode))
    }
}
