public import BookingCore
import Foundation
import GRDB

/// Editing what a resource or an offer is called after creation (issue 5). Slugs never change, so
/// public links and API names stay valid; every change is audited with what changed.
extension ManageCatalog {
    /// A resource's editable details.
    public struct ResourceDetails: Sendable, Hashable {
        public var name: String
        public var tags: [String]
        public var capacity: Int
        public var locationID: LocationID?
        /// Bookings per day and rest between bookings (hosts); the engine applies them to every offer.
        public var limits: ResourceLimits

        public init(name: String, tags: [String], capacity: Int, locationID: LocationID?, limits: ResourceLimits = .init()) {
            self.name = name
            self.tags = tags
            self.capacity = capacity
            self.locationID = locationID
            self.limits = limits
        }
    }

    static func resourceLocationID(_ db: Database, businessID: BusinessID, resourceID: ResourceID) throws -> LocationID? {
        try LocationID.fetchOne(db, sql: "SELECT location_id FROM resources WHERE business_id = ? AND id = ?",
                           arguments: [businessID, resourceID])
    }

    static func resourceLimits(_ db: Database, businessID: BusinessID, resourceID: ResourceID) throws -> ResourceLimits {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT max_bookings_per_day, min_rest_minutes FROM resources WHERE business_id = ? AND id = ?
            """, arguments: [businessID, resourceID]) else { return .init() }
        return ResourceLimits(maxBookingsPerDay: row["max_bookings_per_day"], minRestMinutes: row["min_rest_minutes"])
    }

    /// The most bookings (from `now` on) that overlap at one moment on a resource: a class session
    /// counts once, whatever its party sizes. Capacity may not go below it.
    static func peakOverlap(_ db: Database, businessID: BusinessID, resourceID: ResourceID, now: Int64) throws -> Int {
        let rows = try Row.fetchAll(db, sql: """
            SELECT blocked_from, MAX(blocked_to) AS blocked_to FROM resource_assignments
            WHERE business_id = ? AND resource_id = ? AND blocks = 1 AND blocked_to > ?
              AND (hold_expires_at IS NULL OR hold_expires_at > ?)
            GROUP BY CASE WHEN is_class = 1 THEN 'class:' || offer_id || ':' || starts_at ELSE 'order:' || id END
            """, arguments: [businessID, resourceID, now, now])
        var events: [(Int64, Int)] = []
        for row in rows {
            events.append((row["blocked_from"], 1))
            events.append((row["blocked_to"], -1))
        }
        // Half-open intervals: an end at t frees the resource before a start at t takes it.
        events.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var current = 0, peak = 0
        for (_, delta) in events {
            current += delta
            peak = max(peak, current)
        }
        return peak
    }

    /// Renames a resource, replaces its tags, sets its capacity and location. The caller has
    /// checked that the location is this business's and that capacity covers `peakOverlap`.
    static func updateResource(_ db: Database, businessID: BusinessID, resource: ResourceInfo, details: ResourceDetails,
                                      actor: String, now: Int64) throws {
        let previousLocation = try resourceLocationID(db, businessID: businessID, resourceID: resource.id)
        let previousLimits = try resourceLimits(db, businessID: businessID, resourceID: resource.id)
        try db.execute(sql: """
            UPDATE resources SET name = ?, capacity = ?, location_id = ?, max_bookings_per_day = ?, min_rest_minutes = ?
            WHERE business_id = ? AND id = ?
            """, arguments: [details.name, details.capacity, details.locationID, details.limits.maxBookingsPerDay,
                             details.limits.minRestMinutes, businessID, resource.id])
        try db.execute(sql: "DELETE FROM resource_tags WHERE business_id = ? AND resource_id = ?", arguments: [businessID, resource.id])
        for tag in Set(details.tags) {
            try db.execute(sql: "INSERT INTO resource_tags (business_id, resource_id, tag) VALUES (?, ?, ?)",
                           arguments: [businessID, resource.id, tag])
        }
        var changes: [String: String] = [:]
        if details.name != resource.name { changes["name"] = details.name }
        if Set(details.tags) != Set(resource.tags) { changes["tags"] = details.tags.sorted().joined(separator: ",") }
        if details.capacity != resource.capacity { changes["capacity"] = String(details.capacity) }
        if details.locationID != previousLocation { changes["location_id"] = details.locationID.map(String.init) ?? "none" }
        if details.limits.maxBookingsPerDay != previousLimits.maxBookingsPerDay {
            changes["max_bookings_per_day"] = details.limits.maxBookingsPerDay.map(String.init) ?? "none"
        }
        if details.limits.minRestMinutes != previousLimits.minRestMinutes {
            changes["min_rest_minutes"] = details.limits.minRestMinutes.map(String.init) ?? "none"
        }
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "resource.update",
                            subject: "resource:\(resource.id)", details: changes)
    }

    /// An offer's name, description and whether it is sensitive (staff see only "Appointment").
    public struct OfferDetails: Sendable, Hashable {
        public var name: String
        public var description: String
        public var sensitive: Bool

        public init(name: String, description: String, sensitive: Bool) {
            self.name = name
            self.description = description
            self.sensitive = sensitive
        }
    }

    static func offerDetails(_ db: Database, businessID: BusinessID, offerID: OfferID) throws -> OfferDetails? {
        try Row.fetchOne(db, sql: "SELECT name, description, sensitive FROM offers WHERE business_id = ? AND id = ?",
                         arguments: [businessID, offerID]).map {
            OfferDetails(name: $0["name"], description: $0["description"], sensitive: $0["sensitive"])
        }
    }

    /// Changes the offer row only: its versions (and what bookings were sold under) stay as they are.
    static func updateOffer(_ db: Database, businessID: BusinessID, offerID: OfferID, details: OfferDetails, actor: String,
                                   now: Int64) throws {
        guard let before = try offerDetails(db, businessID: businessID, offerID: offerID) else {
            throw CatalogError.notFound("offer")
        }
        try db.execute(sql: "UPDATE offers SET name = ?, description = ?, sensitive = ? WHERE business_id = ? AND id = ?",
                       arguments: [details.name, details.description, details.sensitive, businessID, offerID])
        var changes: [String: String] = [:]
        if details.name != before.name { changes["name"] = details.name }
        if details.description != before.description { changes["description"] = "changed" }
        if details.sensitive != before.sensitive { changes["sensitive"] = details.sensitive ? "yes" : "no" }
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "offer.update", subject: "offer:\(offerID)",
                            details: changes)
    }
}
