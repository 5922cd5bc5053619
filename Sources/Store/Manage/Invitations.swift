public import BookingCore
import Foundation
import GRDB

/// Team invitations: the link is shown to the inviter (mail comes later). Every change is audited in
/// the same transaction.
public enum Invitations {
    public static let lifetime: Int64 = 14 * 86_400

    public struct Pending: Sendable, Hashable {
        public let id: InvitationID
        public let email: String
        public let role: Role
        public let expiresAt: Int64
    }

    public struct Found: Sendable, Hashable {
        public let id: InvitationID
        public let businessID: BusinessID
        public let businessSlug: String
        public let businessName: String
        public let email: String
        public let role: Role
        public let resourceID: ResourceID?
        public let usable: Bool
    }

    public enum Failure: Error, Equatable, Sendable {
        case notUsable
        case wrongAccount(email: String)
    }

    /// Creates an invitation; returns the token for the link (only its hash is stored).
    static func create(_ db: Database, businessID: BusinessID, email: String, role: Role, resourceID: ResourceID?, createdBy: UserID,
                              now: Int64) throws -> String {
        let token = Tokens.secret()
        try db.execute(sql: """
            INSERT INTO invitations (business_id, token_hash, email, role, resource_id, created_by, created_at, expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [businessID, Tokens.hash(token), email, role.rawValue, resourceID, createdBy, now, now + lifetime])
        var details = ["email": email, "role": role.rawValue]
        if let resourceID { details["resource_id"] = String(resourceID) }
        try AuditLog.append(db, businessID: businessID, at: now, actor: "user:\(createdBy)", action: "invitation.create",
                            subject: "invitation:\(db.lastInsertedRowID)", details: details)
        return token
    }

    static func pending(_ db: Database, businessID: BusinessID, now: Int64) throws -> [Pending] {
        try Row.fetchAll(db, sql: """
            SELECT id, email, role, expires_at FROM invitations WHERE business_id = ? AND accepted_at IS NULL AND revoked_at IS NULL
            AND expires_at > ? ORDER BY created_at DESC, id DESC
            """, arguments: [businessID, now]).compactMap { row in
            Role(rawValue: row["role"]).map { Pending(id: row["id"], email: row["email"], role: $0, expiresAt: row["expires_at"]) }
        }
    }

    static func find(_ db: Database, token: String, now: Int64) throws -> Found? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT i.*, b.slug, b.name FROM invitations i JOIN businesses b ON b.id = i.business_id WHERE i.token_hash = ?
            """, arguments: [Tokens.hash(token)]), let role = Role(rawValue: row["role"]) else { return nil }
        let usable = (row["accepted_at"] as Int64?) == nil && (row["revoked_at"] as Int64?) == nil && (row["expires_at"] as Int64) > now
        return Found(id: row["id"], businessID: row["business_id"], businessSlug: row["slug"], businessName: row["name"],
                     email: row["email"], role: role, resourceID: row["resource_id"], usable: usable)
    }

    /// Accepts for the signed-in user whose email the invitation names: adds the membership (an
    /// existing member keeps their role) and marks the invitation used.
    static func accept(_ db: Database, token: String, userID: UserID, userEmail: String, now: Int64) throws -> Found {
        guard let found = try find(db, token: token, now: now), found.usable else { throw Failure.notUsable }
        guard found.email == userEmail.lowercased() else { throw Failure.wrongAccount(email: found.email) }
        try db.execute(sql: "UPDATE invitations SET accepted_at = ?, accepted_by = ? WHERE id = ? AND accepted_at IS NULL",
                       arguments: [now, userID, found.id])
        let member = try Bool.fetchOne(db, sql: "SELECT 1 FROM memberships WHERE business_id = ? AND user_id = ?",
                                       arguments: [found.businessID, userID]) == true
        if !member {
            try db.execute(sql: """
                INSERT INTO memberships (business_id, user_id, role, resource_id, created_at) VALUES (?, ?, ?, ?, ?)
                """, arguments: [found.businessID, userID, found.role.rawValue, found.resourceID, now])
        }
        var details = ["role": found.role.rawValue, "invitation_id": String(found.id)]
        if member { details["already_member"] = "true" }
        if let resourceID = found.resourceID { details["resource_id"] = String(resourceID) }
        try AuditLog.append(db, businessID: found.businessID, at: now, actor: "user:\(userID)", action: "membership.add",
                            subject: "user:\(userID)", details: details)
        return found
    }

    static func revoke(_ db: Database, businessID: BusinessID, id: InvitationID, actor: String, now: Int64) throws {
        try db.execute(sql: "UPDATE invitations SET revoked_at = ? WHERE business_id = ? AND id = ? AND accepted_at IS NULL AND revoked_at IS NULL",
                       arguments: [now, businessID, id])
        guard db.changesCount == 1 else { throw CatalogError.notFound("invitation") }
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "invitation.revoke", subject: "invitation:\(id)")
    }
}

extension AppDatabase {
    /// The team inside a read (the accounts feature's `team(businessID:)` opens its own).
    func teamRows(_ db: Database, businessID: BusinessID) throws -> [TeamMember] {
        try Row.fetchAll(db, sql: """
            SELECT u.id, u.name, u.email, m.role FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.business_id = ? ORDER BY u.name, u.id
            """, arguments: [businessID]).compactMap { row -> TeamMember? in
            guard let role = Role(rawValue: row["role"]) else { return nil }
            return TeamMember(userID: row["id"], name: row["name"], email: row["email"], role: role)
        }.sorted { $0.role < $1.role }
    }
}
