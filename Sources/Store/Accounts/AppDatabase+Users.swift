public import BookingCore
public import Foundation
import GRDB

/// Users: sign-up, log-in, name and password changes. Each public function is one transaction.
extension AppDatabase {
    /// Creates the user, signs them in with `session` (replacing the anonymous session
    /// `replacing`, if any) and records the sign-up, all in one transaction.
    public func signUp(email: String, name: String, passwordHash: String, session: NewSession,
                       replacing oldTokenHash: Data?, now: Int64) throws -> (User, StoredSession) {
        try write { db in
            if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM users WHERE email = ?"), arguments: [email]) == true {
                throw AccountStoreError.emailTaken
            }
            try db.cachedStatement(sql: """
                INSERT INTO users (email, name, password_hash, created_at, password_changed_at) VALUES (?, ?, ?, ?, ?)
                """).execute(arguments: [email, name, passwordHash, now, now])
            let user = User(id: UserID(rawValue: db.lastInsertedRowID), email: email, name: name, passwordHash: passwordHash,
                            createdAt: now, passwordChangedAt: now)
            let stored = try Self.startSession(db, session, userID: user.id, replacing: oldTokenHash, now: now)
            try Self.appendEvent(db, userID: user.id, email: email, action: .signUp, ip: session.ip, now: now)
            return (user, stored)
        }
    }

    /// The account with this address (stored lower-case; any case given), inside a transaction.
    static func userID(_ db: Database, email: String) throws -> UserID? {
        try UserID.fetchOne(db.cachedStatement(sql: "SELECT id FROM users WHERE email = ?"), arguments: [email.lowercased()])
    }

    public func user(email: String) throws -> User? {
        try read { db in try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM users WHERE email = ?"), arguments: [email]).map(Self.user(row:)) }
    }

    public func user(id: UserID) throws -> User? {
        try read { db in try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM users WHERE id = ?"), arguments: [id]).map(Self.user(row:)) }
    }

    /// Signs `userID` in with a fresh session: the anonymous session `replacing` is deleted (its
    /// token stops working: no fixation), the account's failed log-ins are forgotten, the hash is
    /// upgraded when `rehash` is given, and the log-in is recorded — one transaction.
    public func logIn(userID: UserID, email: String, session: NewSession, replacing oldTokenHash: Data?,
                      rehash: String?, now: Int64) throws -> StoredSession {
        try write { db in
            if let rehash {
                try db.cachedStatement(sql: "UPDATE users SET password_hash = ? WHERE id = ?").execute(arguments: [rehash, userID])
            }
            let stored = try Self.startSession(db, session, userID: userID, replacing: oldTokenHash, now: now)
            try db.cachedStatement(sql: "DELETE FROM login_failures WHERE scope = 'account' AND key = ?").execute(arguments: [email])
            try Self.appendEvent(db, userID: userID, email: email, action: .logIn, ip: session.ip, now: now)
            return stored
        }
    }

    public func updateName(userID: UserID, name: String) throws {
        try write { db in
            try db.cachedStatement(sql: "UPDATE users SET name = ? WHERE id = ?").execute(arguments: [name, userID])
            guard db.changesCount == 1 else { throw AccountStoreError.notFound }
        }
    }

    /// Replaces the password hash, ends every other session of the user (`keeping` survives) and
    /// records the change — one transaction.
    public func changePassword(userID: UserID, newHash: String, keeping sessionID: SessionID?, ip: String,
                               now: Int64) throws {
        try write { db in
            try db.execute(sql: "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?",
                           arguments: [newHash, now, userID])
            guard db.changesCount == 1 else { throw AccountStoreError.notFound }
            try db.cachedStatement(sql: "DELETE FROM sessions WHERE user_id = ? AND id IS NOT ?").execute(arguments: [userID, sessionID])
            let email = try String.fetchOne(db.cachedStatement(sql: "SELECT email FROM users WHERE id = ?"), arguments: [userID]) ?? ""
            try Self.appendEvent(db, userID: userID, email: email, action: .passwordChanged, ip: ip, now: now)
        }
    }

    static func user(row: Row) -> User {
        User(id: row["id"], email: row["email"], name: row["name"], passwordHash: row["password_hash"],
             createdAt: row["created_at"], passwordChangedAt: row["password_changed_at"])
    }
}
