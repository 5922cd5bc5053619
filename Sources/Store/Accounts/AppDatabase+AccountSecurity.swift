public import BookingCore
import Foundation
import GRDB

/// The server secret, failed log-ins (throttling) and the account event record.
extension AppDatabase {
    /// The 32-byte server secret named `name`, generated on first use and kept in `settings`.
    public func serverSecret(named name: String = "csrf_key") throws -> [UInt8] {
        try write { db in
            if let existing = try Data.fetchOne(db.cachedStatement(sql: "SELECT value FROM settings WHERE name = ?"), arguments: [name]),
               existing.count == 32 {
                return Array(existing)
            }
            var rng = SystemRandomNumberGenerator()
            let secret = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO settings (name, value) VALUES (?, ?)").execute(arguments: [name, Data(secret)])
            return secret
        }
    }

    /// Which throttle bucket a failure counts against.
    public enum ThrottleScope: String, Sendable { case account, address }

    /// Records a failed log-in against the account key (the normalised email, existing or not) and
    /// the client address, and the failure itself in `account_events` — one transaction. Failures
    /// older than `window` seconds are pruned.
    public func recordLoginFailure(email: String, address: String, userID: UserID?, window: Int64, now: Int64) throws {
        try write { db in
            try db.cachedStatement(sql: "DELETE FROM login_failures WHERE at <= ?").execute(arguments: [now - window])
            if !email.isEmpty {
                try db.execute(sql: "INSERT INTO login_failures (scope, key, at) VALUES ('account', ?, ?)",
                               arguments: [String(email.prefix(254)), now])
            }
            if !address.isEmpty {
                try db.execute(sql: "INSERT INTO login_failures (scope, key, at) VALUES ('address', ?, ?)",
                               arguments: [String(address.prefix(254)), now])
            }
            try Self.appendEvent(db, userID: userID, email: email, action: .logInFailed, ip: address, now: now)
        }
    }

    /// Counts a failure against the client address only (a sign-up with a taken email).
    public func recordAddressFailure(address: String, now: Int64) throws {
        guard !address.isEmpty else { return }
        try write { db in
            try db.execute(sql: "INSERT INTO login_failures (scope, key, at) VALUES ('address', ?, ?)",
                           arguments: [String(address.prefix(254)), now])
        }
    }

    /// When `key` may try again: nil when fewer than `limit` failures fall in the last `window`
    /// seconds, else the instant the oldest of the `limit` most recent failures leaves the window.
    public func throttledUntil(scope: ThrottleScope, key: String, limit: Int, window: Int64, now: Int64) throws -> Int64? {
        guard !key.isEmpty, limit > 0 else { return nil }
        return try read { db in
            let times = try Int64.fetchAll(db.cachedStatement(sql: """
                SELECT at FROM login_failures WHERE scope = ? AND key = ? AND at > ? ORDER BY at DESC LIMIT ?
                """), arguments: [scope.rawValue, String(key.prefix(254)), now - window, limit])
            guard times.count >= limit, let oldest = times.last else { return nil }
            return oldest + window
        }
    }

    /// The account's security events, newest first.
    public func accountEvents(userID: UserID? = nil, limit: Int = 50) throws -> [AccountEvent] {
        try read { db in
            let rows = if let userID {
                try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM account_events WHERE user_id = ? ORDER BY id DESC LIMIT ?"),
                                 arguments: [userID, limit])
            } else {
                try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM account_events ORDER BY id DESC LIMIT ?"), arguments: [limit])
            }
            return rows.map { AccountEvent(userID: $0["user_id"], email: $0["email"], action: $0["action"], ip: $0["ip"], at: $0["at"]) }
        }
    }

    static func appendEvent(_ db: Database, userID: UserID?, email: String, action: AccountEventAction, ip: String,
                            now: Int64) throws {
        try db.execute(sql: "INSERT INTO account_events (user_id, email, action, ip, at) VALUES (?, ?, ?, ?, ?)",
                       arguments: [userID, String(email.prefix(254)), action.rawValue, String(ip.prefix(64)), now])
    }
}
