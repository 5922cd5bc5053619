public import BookingCore
public import Foundation
import GRDB

/// Sessions: only the SHA-256 of a token is ever stored or looked up.
extension AppDatabase {
    /// An anonymous session (no user), made when a visitor is first given a form.
    public func createAnonymousSession(_ session: NewSession, now: Int64) throws -> StoredSession {
        try write { db in
            // Expired rows go when new ones come: the table cannot grow without bound.
            try db.cachedStatement(sql: "DELETE FROM sessions WHERE expires_at <= ?").execute(arguments: [now])
            return try Self.startSession(db, session, userID: nil, replacing: nil, now: now)
        }
    }

    /// The live session with this token hash and its user. A session idle for `idleTimeout` seconds
    /// or past its absolute expiry is deleted and nil is returned. `last_seen_at` is refreshed at
    /// most once per `touchInterval` seconds, so most requests do not write.
    public func session(tokenHash: Data, now: Int64, idleTimeout: Int64,
                        touchInterval: Int64) throws -> (session: StoredSession, user: User?)? {
        let found = try read { db -> (StoredSession, User?)? in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM sessions WHERE token_hash = ?"), arguments: [tokenHash])
            else { return nil }
            let session = Self.session(row: row)
            let user = try session.userID.flatMap {
                try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM users WHERE id = ?"), arguments: [$0]).map(Self.user(row:))
            }
            return (session, user)
        }
        guard let (session, user) = found else { return nil }
        if session.expiresAt <= now || session.lastSeenAt + idleTimeout <= now {
            try write { db in try db.cachedStatement(sql: "DELETE FROM sessions WHERE id = ?").execute(arguments: [session.id]) }
            return nil
        }
        if session.userID != nil && user == nil { return nil }
        if now - session.lastSeenAt >= touchInterval {
            try write(rerunnable: true) { db in
                try db.cachedStatement(sql: "UPDATE sessions SET last_seen_at = ? WHERE id = ?").execute(arguments: [now, session.id])
            }
            return (StoredSession(id: session.id, tokenHash: session.tokenHash, userID: session.userID,
                                  createdAt: session.createdAt, lastSeenAt: now, expiresAt: session.expiresAt,
                                  userAgent: session.userAgent, ip: session.ip), user)
        }
        return (session, user)
    }

    /// The anonymous session with this id while it is live (not expired, not idle), else nil.
    public func liveAnonymousSession(id: SessionID, now: Int64, idleTimeout: Int64) throws -> StoredSession? {
        try read { db in
            try Row.fetchOne(db.cachedStatement(sql: """
                SELECT * FROM sessions WHERE id = ? AND user_id IS NULL AND expires_at > ? AND last_seen_at > ?
                """), arguments: [id, now, now - idleTimeout]).map(Self.session(row:))
        }
    }

    /// Log-out: deletes the session and records it when it belonged to a user.
    public func logOut(tokenHash: Data, ip: String, now: Int64) throws {
        try write { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT s.id, s.user_id, u.email FROM sessions s LEFT JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?
                """), arguments: [tokenHash]) else { return }
            try db.cachedStatement(sql: "DELETE FROM sessions WHERE id = ?").execute(arguments: [row["id"] as Int64])
            if let userID = row["user_id"] as UserID? {
                try Self.appendEvent(db, userID: userID, email: row["email"] ?? "", action: .logOut, ip: ip, now: now)
            }
        }
    }

    /// The user's live sessions, most recently seen first.
    public func sessions(userID: UserID, now: Int64) throws -> [StoredSession] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT * FROM sessions WHERE user_id = ? AND expires_at > ? ORDER BY last_seen_at DESC, id DESC
                """), arguments: [userID, now]).map(Self.session(row:))
        }
    }

    /// Ends one of the user's own sessions (from the account page).
    public func endSession(id: SessionID, userID: UserID, ip: String, now: Int64) throws {
        try write { db in
            try db.cachedStatement(sql: "DELETE FROM sessions WHERE id = ? AND user_id = ?").execute(arguments: [id, userID])
            guard db.changesCount == 1 else { throw AccountStoreError.notFound }
            let email = try String.fetchOne(db.cachedStatement(sql: "SELECT email FROM users WHERE id = ?"), arguments: [userID]) ?? ""
            try Self.appendEvent(db, userID: userID, email: email, action: .sessionEnded, ip: ip, now: now)
        }
    }

    static func startSession(_ db: Database, _ session: NewSession, userID: UserID?, replacing oldTokenHash: Data?,
                             now: Int64) throws -> StoredSession {
        if let oldTokenHash {
            try db.cachedStatement(sql: "DELETE FROM sessions WHERE token_hash = ?").execute(arguments: [oldTokenHash])
        }
        try db.cachedStatement(sql: """
            INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, user_agent, ip)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [session.tokenHash, userID, now, now, session.expiresAt, session.userAgent, session.ip])
        return StoredSession(id: SessionID(rawValue: db.lastInsertedRowID), tokenHash: session.tokenHash, userID: userID, createdAt: now,
                             lastSeenAt: now, expiresAt: session.expiresAt, userAgent: session.userAgent, ip: session.ip)
    }

    static func session(row: Row) -> StoredSession {
        StoredSession(id: row["id"], tokenHash: row["token_hash"], userID: row["user_id"], createdAt: row["created_at"],
                      lastSeenAt: row["last_seen_at"], expiresAt: row["expires_at"], userAgent: row["user_agent"],
                      ip: row["ip"])
    }
}
