public import BookingCore
import Foundation
import GRDB

/// A business's locations: where its resources are (issue 5, business settings).
extension ManageCatalog {
    public struct LocationRow: Sendable, Hashable {
        public let id: LocationID
        public let name: String
        public let address: String
        /// Names of the resources and members placed at this location.
        public let usedBy: [String]
    }

    static func locations(_ db: Database, businessID: BusinessID) throws -> [LocationRow] {
        try Row.fetchAll(db, sql: "SELECT id, name, address FROM locations WHERE business_id = ? ORDER BY name, id",
                         arguments: [businessID]).map { row in
            LocationRow(id: row["id"], name: row["name"], address: row["address"],
                        usedBy: try users(db, businessID: businessID, locationID: row["id"]))
        }
    }

    /// What refers to a location: resources by name, then members scoped to it.
    static func users(_ db: Database, businessID: BusinessID, locationID: LocationID) throws -> [String] {
        let resources = try String.fetchAll(db, sql: """
            SELECT name FROM resources WHERE business_id = ? AND location_id = ? ORDER BY name
            """, arguments: [businessID, locationID])
        let members = try String.fetchAll(db, sql: """
            SELECT u.name FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.business_id = ? AND m.location_id = ? ORDER BY u.name
            """, arguments: [businessID, locationID])
        return resources + members.map { "\($0) (team member)" }
    }

    static func addLocation(_ db: Database, businessID: BusinessID, name: String, address: String, actor: String,
                                   now: Int64) throws -> LocationID {
        try db.execute(sql: "INSERT INTO locations (business_id, name, address, created_at) VALUES (?, ?, ?, ?)",
                       arguments: [businessID, name, address, now])
        let id = LocationID(rawValue: db.lastInsertedRowID)
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "location.create",
                            subject: "location:\(id)", details: ["name": name, "address": address])
        return id
    }

    /// False when the business has no such location.
    static func updateLocation(_ db: Database, businessID: BusinessID, id: LocationID, name: String, address: String,
                                      actor: String, now: Int64) throws -> Bool {
        try db.execute(sql: "UPDATE locations SET name = ?, address = ? WHERE business_id = ? AND id = ?",
                       arguments: [name, address, businessID, id])
        guard db.changesCount == 1 else { return false }
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "location.update",
                            subject: "location:\(id)", details: ["name": name, "address": address])
        return true
    }

    public enum LocationRemoval: Sendable, Hashable {
        case removed
        case notFound
        /// Still used by these resources or members: nothing was removed.
        case inUse([String])
    }

    static func removeLocation(_ db: Database, businessID: BusinessID, id: LocationID, actor: String, now: Int64) throws -> LocationRemoval {
        guard let name = try String.fetchOne(db, sql: "SELECT name FROM locations WHERE business_id = ? AND id = ?",
                                             arguments: [businessID, id]) else { return .notFound }
        let used = try users(db, businessID: businessID, locationID: id)
        guard used.isEmpty else { return .inUse(used) }
        try db.execute(sql: "DELETE FROM locations WHERE business_id = ? AND id = ?", arguments: [businessID, id])
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "location.remove",
                            subject: "location:\(id)", details: ["name": name])
        return .removed
    }
}
