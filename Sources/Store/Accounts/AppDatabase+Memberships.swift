public import BookingCore
import Foundation
import GRDB

/// Memberships: a user's role in a business. Every change is written to the business's audit log in
/// the same transaction.
extension AppDatabase {
    /// Every business the user belongs to, by business name.
    public func memberships(userID: UserID) throws -> [Membership] {
        try read { db in
            try Row.fetchAll(db, sql: Self.membershipSelect + " WHERE m.user_id = ? ORDER BY b.name, b.id",
                             arguments: [userID]).compactMap(Self.membership(row:))
        }
    }

    /// The user's membership in the business with this slug; nil when either does not exist or the
    /// user is not a member (callers answer 404 in every case).
    public func membership(userID: UserID, businessSlug: String) throws -> Membership? {
        try read { db in
            try Row.fetchOne(db, sql: Self.membershipSelect + " WHERE m.user_id = ? AND b.slug = ?",
                             arguments: [userID, businessSlug]).flatMap(Self.membership(row:))
        }
    }

    /// The business's team, owners first.
    public func team(businessID: BusinessID) throws -> [TeamMember] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT u.id, u.name, u.email, m.role FROM memberships m JOIN users u ON u.id = m.user_id
                WHERE m.business_id = ? ORDER BY u.name, u.id
                """), arguments: [businessID]).compactMap { row -> TeamMember? in
                guard let role = Role(rawValue: row["role"]) else { return nil }
                return TeamMember(userID: row["id"], name: row["name"], email: row["email"], role: role)
            }.sorted { $0.role < $1.role }
        }
    }

    /// Gives `userID` the role `role` in the business (adding the membership or changing it) and
    /// appends `membership.add` or `membership.change` to the business's audit log, as `actor`
    /// (`"user:12"`, `"system"`). Demoting the last owner is refused.
    @discardableResult
    public func setMembership(businessID: BusinessID, userID: UserID, role: Role, locationID: LocationID? = nil,
                              resourceID: ResourceID? = nil, actor: String, now: Int64) throws -> MembershipID {
        try write { db in
            let current = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, role, location_id, resource_id FROM memberships WHERE business_id = ? AND user_id = ?"),
                                           arguments: [businessID, userID])
            if let current {
                let previous: String = current["role"]
                if previous == Role.owner.rawValue && role != .owner { try Self.refuseLastOwner(db, businessID: businessID) }
                try db.cachedStatement(sql: """
                    UPDATE memberships SET role = ?, location_id = ?, resource_id = ? WHERE business_id = ? AND user_id = ?
                    """).execute(arguments: [role.rawValue, locationID, resourceID, businessID, userID])
                try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "membership.change",
                                    subject: "user:\(userID)",
                                    details: Self.details(role: role, locationID: locationID, resourceID: resourceID,
                                                          previous: previous))
                return current["id"]
            }
            try db.cachedStatement(sql: """
                INSERT INTO memberships (business_id, user_id, role, location_id, resource_id, created_at) VALUES (?, ?, ?, ?, ?, ?)
                """).execute(arguments: [businessID, userID, role.rawValue, locationID, resourceID, now])
            let id = MembershipID(rawValue: db.lastInsertedRowID)
            try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "membership.add",
                                subject: "user:\(userID)",
                                details: Self.details(role: role, locationID: locationID, resourceID: resourceID, previous: nil))
            return id
        }
    }

    /// Removes the user from the business and audits it (`membership.remove`). The last owner stays.
    public func removeMembership(businessID: BusinessID, userID: UserID, actor: String, now: Int64) throws {
        try write { db in
            guard let previous = try String.fetchOne(db.cachedStatement(sql: "SELECT role FROM memberships WHERE business_id = ? AND user_id = ?"),
                                                     arguments: [businessID, userID])
            else { throw AccountStoreError.notFound }
            if previous == Role.owner.rawValue { try Self.refuseLastOwner(db, businessID: businessID) }
            try db.cachedStatement(sql: "DELETE FROM memberships WHERE business_id = ? AND user_id = ?").execute(arguments: [businessID, userID])
            try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "membership.remove",
                                subject: "user:\(userID)", details: ["previous_role": previous])
        }
    }

    private static func refuseLastOwner(_ db: Database, businessID: BusinessID) throws {
        let owners = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM memberships WHERE business_id = ? AND role = 'owner'"),
                                      arguments: [businessID]) ?? 0
        if owners <= 1 { throw AccountStoreError.lastOwner }
    }

    private static func details(role: Role, locationID: LocationID?, resourceID: ResourceID?, previous: String?) -> [String: String] {
        var details = ["role": role.rawValue]
        if let previous { details["previous_role"] = previous }
        if let locationID { details["location_id"] = String(locationID) }
        if let resourceID { details["resource_id"] = String(resourceID) }
        return details
    }

    static let membershipSelect = """
        SELECT m.id, m.business_id, b.slug, b.name, m.user_id, m.role, m.location_id, m.resource_id
        FROM memberships m JOIN businesses b ON b.id = m.business_id
        """

    static func membership(row: Row) -> Membership? {
        guard let role = Role(rawValue: row["role"]) else { return nil }
        return Membership(id: row["id"], businessID: row["business_id"], businessSlug: row["slug"], businessName: row["name"],
                          userID: row["user_id"], role: role, locationID: row["location_id"], resourceID: row["resource_id"])
    }
}
