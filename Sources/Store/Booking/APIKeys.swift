public import BookingCore
import Foundation
import GRDB

/// API keys: shown once at creation, only a SHA-256 stored; each acts with a role for one business.
public enum APIKeys {
    public struct Principal: Sendable, Hashable {
        public let business: Business
        public let keyID: APIKeyID
        public let role: Role
        /// The key's own rate limit (requests a second, burst), nil for the server's default.
        public var rateLimit: (rate: Int, burst: Int)? {
            guard let ratePerSecond, let burst else { return nil }
            return (ratePerSecond, burst)
        }
        let ratePerSecond: Int?
        let burst: Int?
    }

    public struct Listed: Sendable, Hashable {
        public let id: APIKeyID
        public let name: String
        public let prefix: String
        public let role: Role
        public let createdAt: Int64
        public let lastUsedAt: Int64?
        public let revokedAt: Int64?
        public let ratePerSecond: Int?
        public let burst: Int?
    }

    /// Creates a key; returns its id and the key itself (never stored).
    static func create(_ db: Database, businessID: BusinessID, name: String, role: Role = .owner, now: Int64,
                              actor: Actor) throws -> (id: APIKeyID, key: String) {
        let key = "bz_" + Tokens.secret()
        try db.execute(sql: "INSERT INTO api_keys (business_id, name, prefix, key_hash, role, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [businessID, name, String(key.prefix(10)), Tokens.hash(key), role.rawValue, now])
        let id = APIKeyID(rawValue: db.lastInsertedRowID)
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor.label, action: "api_key.create",
                            subject: "api_key:\(id)", details: ["name": name, "role": role.rawValue])
        return (id, key)
    }

    static func revoke(_ db: Database, businessID: BusinessID, keyID: APIKeyID, now: Int64, actor: Actor) throws {
        try db.execute(sql: "UPDATE api_keys SET revoked_at = ? WHERE business_id = ? AND id = ? AND revoked_at IS NULL",
                       arguments: [now, businessID, keyID])
        guard db.changesCount == 1 else { throw CatalogError.notFound("API key") }
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor.label, action: "api_key.revoke", subject: "api_key:\(keyID)")
    }

    static func list(_ db: Database, businessID: BusinessID) throws -> [Listed] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM api_keys WHERE business_id = ? ORDER BY id"), arguments: [businessID]).map {
            Listed(id: $0["id"], name: $0["name"], prefix: $0["prefix"], role: Role(rawValue: $0["role"]) ?? .client,
                   createdAt: $0["created_at"], lastUsedAt: $0["last_used_at"], revokedAt: $0["revoked_at"],
                   ratePerSecond: $0["rate_per_second"], burst: $0["burst"])
        }
    }

    /// Whether `key` looks like a key this server makes (anything else is refused unread).
    static func isWellFormed(_ key: String) -> Bool { key.hasPrefix("bz_") && key.utf8.count <= 100 }

    /// The principal of the key whose SHA-256 is `keyHash`, or nil (unknown or revoked).
    static func authenticate(_ db: Database, keyHash: Data) throws -> (principal: Principal, lastUsedAt: Int64?)? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL"),
                                         arguments: [keyHash]),
              let business = try Catalog.business(db, id: row["business_id"]),
              let role = Role(rawValue: row["role"]) else { return nil }
        return (Principal(business: business, keyID: row["id"], role: role, ratePerSecond: row["rate_per_second"], burst: row["burst"]),
                row["last_used_at"])
    }

    /// Sets a key's own rate limit (1…10,000 a second and burst), or back to the default with nil.
    static func setRateLimit(_ db: Database, businessID: BusinessID, keyID: APIKeyID, rate: (perSecond: Int, burst: Int)?,
                                    now: Int64, actor: Actor) throws {
        try db.execute(sql: "UPDATE api_keys SET rate_per_second = ?, burst = ? WHERE business_id = ? AND id = ? AND revoked_at IS NULL",
                       arguments: [rate?.perSecond, rate?.burst, businessID, keyID])
        guard db.changesCount == 1 else { throw CatalogError.notFound("API key") }
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor.label, action: "api_key.rate_limit",
                            subject: "api_key:\(keyID)",
                            details: ["rate": rate.map { String($0.perSecond) } ?? "default", "burst": rate.map { String($0.burst) } ?? "default"])
    }

    static func touch(_ db: Database, keyID: APIKeyID, now: Int64) throws {
        try db.cachedStatement(sql: "UPDATE api_keys SET last_used_at = ? WHERE id = ?").execute(arguments: [now, keyID])
    }
}
