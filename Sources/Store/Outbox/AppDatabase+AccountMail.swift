public import BookingCore
import Foundation
import GRDB

/// Why a password reset link was refused: unknown, used, or older than an hour (one sentence for all).
public enum PasswordResetError: Error, Sendable, Equatable {
    case invalidOrExpired
}

/// Password reset and "resend my confirmation": the requests write their email in the same
/// transaction as the token they carry, and answer the same whether or not anything was found.
extension AppDatabase {
    /// How long a reset link works.
    public static let passwordResetLifetime: Int64 = 3600

    /// When `email` has an account: a new reset token (only its SHA-256 is stored) and the email
    /// carrying the link, in one transaction. Nothing at all otherwise; the caller answers the same.
    public func requestPasswordReset(email: String, now: Int64) throws {
        try write { db in
            guard let user = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, name, email FROM users WHERE email = ?"),
                                              arguments: [email]) else { return }
            let token = Tokens.secret()
            try db.cachedStatement(sql: """
                INSERT INTO password_resets (user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?)
                """).execute(arguments: [user["id"], Tokens.hash(token), now, now + Self.passwordResetLifetime])
            try Outbox.enqueue(db, businessID: nil, kind: .passwordReset, email: user["email"], name: user["name"],
                               data: [("token", token)], orderID: nil, due: now, now: now)
        }
    }

    /// The account a reset token opens, when it is unused and less than an hour old.
    public func passwordResetUser(token: String, now: Int64) throws -> User? {
        try read { db in
            try Row.fetchOne(db.cachedStatement(sql: """
                SELECT u.* FROM password_resets r JOIN users u ON u.id = r.user_id
                WHERE r.token_hash = ? AND r.used_at IS NULL AND r.expires_at > ?
                """), arguments: [Tokens.hash(token), now]).map(Self.user(row:))
        }
    }

    /// Sets the new password hash through a reset token, once: the token (and every other
    /// outstanding one of the account) is used up, every session of the user is ended, and the
    /// reset is recorded — one transaction.
    public func resetPassword(token: String, newHash: String, ip: String, now: Int64) throws -> User {
        try write { db in
            guard let userID = try UserID.fetchOne(db.cachedStatement(sql: """
                UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING user_id
                """), arguments: [now, Tokens.hash(token), now]) else { throw PasswordResetError.invalidOrExpired }
            try db.execute(sql: "UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL", arguments: [now, userID])
            try db.execute(sql: "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?", arguments: [newHash, now, userID])
            try db.execute(sql: "DELETE FROM sessions WHERE user_id = ?", arguments: [userID])
            guard let user = try Row.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: [userID]).map(Self.user(row:)) else {
                throw PasswordResetError.invalidOrExpired
            }
            try Self.appendEvent(db, userID: userID, email: user.email, action: .passwordReset, ip: ip, now: now)
            return user
        }
    }

    /// A guest lost their confirmation: each upcoming booking of the business made with `email`
    /// (at most five) gets a new guest token (the old link stops working: only one hash is kept)
    /// and a new confirmation carrying it, in one transaction. Nothing when there is none.
    public func resendConfirmations(businessID: BusinessID, email: String, now: Int64) throws {
        try write { db in
            let orders = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT id, customer_name, customer_email FROM booking_orders
                WHERE business_id = ? AND starts_at > ? AND ends_at > ? AND lower(customer_email) = ? AND status IN ('confirmed', 'pending')
                ORDER BY starts_at LIMIT 5
                """), arguments: [businessID, now - 7 * 86_400, now, email.lowercased()])
            for order in orders {
                let token = Tokens.secret()
                try db.cachedStatement(sql: "UPDATE booking_orders SET access_token_hash = ? WHERE business_id = ? AND id = ?")
                    .execute(arguments: [Tokens.hash(token), businessID, order["id"]])
                try Outbox.enqueue(db, businessID: businessID, kind: .confirmation, email: order["customer_email"],
                                   name: order["customer_name"], data: [("token", token), ("resent", "1")], orderID: order["id"],
                                   due: now, now: now)
            }
        }
    }

    /// Counts one request of a throttled kind (`forgot`, `resend`) against the email and the
    /// client address, in the log-in failure record under keys of their own, so that
    /// `throttledUntil` answers for them as it does for log-ins.
    public func recordThrottledRequest(kind: String, email: String, address: String, window: Int64, now: Int64) throws {
        try write { db in
            try db.cachedStatement(sql: "DELETE FROM login_failures WHERE at <= ?").execute(arguments: [now - window])
            for (scope, key) in [("account", email), ("address", address)] where !key.isEmpty {
                try db.cachedStatement(sql: "INSERT INTO login_failures (scope, key, at) VALUES (?, ?, ?)")
                    .execute(arguments: [scope, String((kind + ":" + key).prefix(254)), now])
            }
        }
    }
}
