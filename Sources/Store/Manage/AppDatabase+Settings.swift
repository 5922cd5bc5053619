public import BookingCore
import Foundation
import GRDB

/// Business settings in the business builder: name, zone, currency, page text, locations and the
/// audit log. Each method is one use case in one transaction; writes go through group commit.
extension AppDatabase {
    /// The audit log page: the latest entries and whether the whole chain checks out.
    public struct AuditTrail: Sendable, Equatable {
        public let rows: [ManageCatalog.AuditRow]
        public let verification: AuditLog.Verification
    }

    /// The business's locations with what uses each.
    public func businessLocations(businessID: BusinessID) throws -> [ManageCatalog.LocationRow] {
        try read { db in try ManageCatalog.locations(db, businessID: businessID) }
    }

    public func updateBusinessSettings(business: Business, name: String, timeZone: String, currency: String,
                                       description: String, actor: String, now: Int64) throws {
        try write { db in
            try ManageCatalog.updateBusiness(db, business: business, name: name, timeZone: timeZone, currency: currency,
                                             description: description, actor: actor, now: now)
        }
    }

    @discardableResult
    public func addLocation(businessID: BusinessID, name: String, address: String, actor: String, now: Int64) throws -> LocationID {
        try write { db in try ManageCatalog.addLocation(db, businessID: businessID, name: name, address: address, actor: actor, now: now) }
    }

    /// False when the business has no such location.
    public func updateLocation(businessID: BusinessID, id: LocationID, name: String, address: String, actor: String,
                               now: Int64) throws -> Bool {
        try write { db in
            try ManageCatalog.updateLocation(db, businessID: businessID, id: id, name: name, address: address, actor: actor, now: now)
        }
    }

    public func removeLocation(businessID: BusinessID, id: LocationID, actor: String, now: Int64) throws -> ManageCatalog.LocationRemoval {
        try write { db in try ManageCatalog.removeLocation(db, businessID: businessID, id: id, actor: actor, now: now) }
    }

    /// The latest entries (filtered by action prefix) and the chain's verification, in one read.
    public func auditTrail(businessID: BusinessID, action: String) throws -> AuditTrail {
        try read { db in
            AuditTrail(rows: try ManageCatalog.audit(db, businessID: businessID, action: action),
                       verification: try AuditLog.verify(db, businessID: businessID))
        }
    }
}
