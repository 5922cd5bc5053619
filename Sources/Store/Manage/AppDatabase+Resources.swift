public import BookingCore
import Foundation
import GRDB

/// Resources in the business builder: the list, one resource's page and its schedule edits. Each
/// method is one use case in one transaction; writes go through group commit.
extension AppDatabase {
    /// Everything one resource's page shows: its schedule, the business's locations and the resource's.
    public struct ResourcePage: Sendable, Hashable {
        public let detail: ManageCatalog.ResourceDetail
        public let locations: [ManageCatalog.LocationRow]
        public let locationID: LocationID?
        public let limits: ResourceLimits
    }

    /// Why a resource's details were not saved (nothing was written).
    public enum ResourceUpdate: Sendable, Hashable {
        case updated
        /// The location is not one of the business's.
        case unknownLocation
        /// Upcoming bookings overlap `peak` deep, more than the new capacity allows.
        case capacityBelowBookings(peak: Int)
    }

    public func resourceList(businessID: BusinessID) throws -> [ResourceInfo] {
        try read { db in try Catalog.resources(db, businessID: businessID) }
    }

    /// Adds a resource, with its weekly hours when `hours` has any; returns its new slug.
    public func createResource(businessID: BusinessID, name: String, kind: ResourceKind, capacity: Int, tags: [String],
                               hours: [WeeklyRule] = [], actor: Actor, now: Instant) throws -> String {
        try write { db in
            let slug = try ManageCatalog.createResource(db, businessID: businessID, name: name, kind: kind, capacity: capacity,
                                                        tags: tags, actor: actor, now: now)
            if !hours.isEmpty, let id = try Catalog.resourceID(db, businessID: businessID, slug: slug) {
                try ManageCatalog.replaceWeeklyRules(db, businessID: businessID, resourceID: id, rules: hours, actor: actor.label, now: now)
            }
            return slug
        }
    }

    /// The resource's page in one read; nil when the business has no resource with this slug.
    public func resourcePage(businessID: BusinessID, slug: String) throws -> ResourcePage? {
        try read { db in
            guard let detail = try ManageCatalog.resource(db, businessID: businessID, slug: slug) else { return nil }
            return ResourcePage(detail: detail, locations: try ManageCatalog.locations(db, businessID: businessID),
                                locationID: try ManageCatalog.resourceLocationID(db, businessID: businessID,
                                                                                 resourceID: detail.resource.id),
                                limits: try ManageCatalog.resourceLimits(db, businessID: businessID, resourceID: detail.resource.id))
        }
    }

    /// The most upcoming bookings that overlap at one moment on the resource.
    public func peakOverlap(businessID: BusinessID, resourceID: ResourceID, now: Instant) throws -> Int {
        try read { db in try ManageCatalog.peakOverlap(db, businessID: businessID, resourceID: resourceID, now: now) }
    }

    /// Renames the resource, replaces its tags, sets capacity and location. Inside the one write it
    /// checks that the location is the business's and that a lowered capacity still covers the
    /// bookings overlapping at the busiest moment, so a booking made meanwhile cannot end up over it.
    public func updateResourceDetails(businessID: BusinessID, resource: ResourceInfo, details: ManageCatalog.ResourceDetails,
                                      actor: String, now: Instant) throws -> ResourceUpdate {
        try write { db in
            if let locationID = details.locationID,
               try Bool.fetchOne(db, sql: "SELECT 1 FROM locations WHERE business_id = ? AND id = ?",
                                 arguments: [businessID, locationID]) != true {
                return .unknownLocation
            }
            if details.capacity < resource.capacity {
                let peak = try ManageCatalog.peakOverlap(db, businessID: businessID, resourceID: resource.id, now: now)
                if details.capacity < peak { return .capacityBelowBookings(peak: peak) }
            }
            try ManageCatalog.updateResource(db, businessID: businessID, resource: resource, details: details, actor: actor, now: now)
            return .updated
        }
    }

    /// Replaces the resource's plain weekly hours with `rules`; its seasonal rules, as stored at the
    /// moment of the write, are kept.
    public func replaceWeeklyHours(businessID: BusinessID, resource: ResourceInfo, rules: [WeeklyRule], actor: String,
                                   now: Instant) throws {
        try write { db in
            let seasonal = try ManageCatalog.resource(db, businessID: businessID, slug: resource.slug)?.rules
                .filter { $0.validFrom != nil || $0.validUntil != nil } ?? []
            try ManageCatalog.replaceWeeklyRules(db, businessID: businessID, resourceID: resource.id, rules: rules + seasonal,
                                                 actor: actor, now: now)
        }
    }

    /// Adds a date override; returns its row's id (the last row's, for several intervals).
    @discardableResult
    public func addDateOverride(businessID: BusinessID, resourceID: ResourceID, overlay: DateOverlay, note: String, actor: Actor,
                                now: Instant) throws -> Int64 {
        try write { db in
            try ManageCatalog.addOverlay(db, businessID: businessID, resourceID: resourceID, overlay: overlay, note: note,
                                         actor: actor, now: now)
        }
    }

    /// Adds blocked time; returns its id.
    @discardableResult
    public func addBlockedTime(businessID: BusinessID, resourceID: ResourceID, range: TimeRange, reason: String, actor: Actor,
                               now: Instant) throws -> Int64 {
        try write { db in
            try ManageCatalog.addBlockedTime(db, businessID: businessID, resourceID: resourceID, range: range, reason: reason,
                                             actor: actor, now: now)
        }
    }

    public func addSeasonalHours(businessID: BusinessID, resourceID: ResourceID, rules: [WeeklyRule], actor: String, now: Instant) throws {
        try write { db in
            try ManageCatalog.addSeasonalRules(db, businessID: businessID, resourceID: resourceID, rules: rules, actor: actor, now: now)
        }
    }

    /// Removes an override, a blocked time or a seasonal rule (`what`); false when there is no such item.
    public func removeScheduleItem(businessID: BusinessID, resourceID: ResourceID, what: String, id: Int64, actor: String,
                                   now: Instant) throws -> Bool {
        try write { db in
            try ManageCatalog.removeScheduleItem(db, businessID: businessID, resourceID: resourceID, what: what, id: id,
                                                 actor: actor, now: now)
        }
    }
}
