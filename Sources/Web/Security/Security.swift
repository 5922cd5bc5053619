import BookingCore
import Crypto
import Foundation
import HTTPServer
import Passwords
import Store

/// The app's account-security settings and secrets, fixed at start-up.
struct Security: Sendable {
    /// How long sessions live. Idle expiry ends an abandoned session; absolute expiry ends every
    /// session eventually, even one used every day.
    struct SessionPolicy: Sendable {
        var idleTimeout: Int64 = 7 * 24 * 3600
        var absoluteLifetime: Int64 = 30 * 24 * 3600
        /// An anonymous session only anchors form tokens; it lives two days.
        var anonymousLifetime: Int64 = 2 * 24 * 3600
        /// `last_seen_at` is written at most this often, so an active user does not cost a write per request.
        var touchInterval: Int64 = 60
    }

    static let cookieName = "bizing_session"
    static let csrfField = "_csrf"
    /// The public forms' trap for scripts (checked with the form token, `verifyCSRF`).
    static let honeypotField = "bz_hp"

    let passwords: Passwords
    /// A hash of a random password with the current parameters: a log-in for an unknown email is
    /// verified against it, so it costs the same argon2 work as a wrong password.
    let dummyHash: String
    /// HMAC key for CSRF tokens, generated once and kept in `settings`.
    let csrfKey: [UInt8]
    let sessions: SessionPolicy
    let throttle: LoginThrottle
    /// Whether `X-Forwarded-Proto: https` from a reverse proxy marks the request as TLS (Secure
    /// cookies). Off by default: a client could send the header itself.
    let trustForwardedProto: Bool

    init(database: AppDatabase, passwords: Passwords, trustForwardedProto: Bool,
         sessions: SessionPolicy = SessionPolicy(), throttle: LoginThrottle = LoginThrottle()) throws {
        self.passwords = passwords
        self.dummyHash = try passwords.hash(SessionToken.generate().value)
        self.csrfKey = try database.serverSecret(named: "csrf_key")
        self.sessions = sessions
        self.throttle = throttle
        self.trustForwardedProto = trustForwardedProto
    }

    /// Did the request reach us over TLS? The server speaks plain HTTP, so only a trusted proxy can say so.
    func isSecure(_ request: Request) -> Bool {
        trustForwardedProto && request.headers["X-Forwarded-Proto"]?.lowercased() == "https"
    }

    // MARK: CSRF

    /// The form token of a session: its id (8 bytes, so that a token can name the session it was
    /// issued for) and HMAC-SHA256(server secret, the session's token hash). It needs no storage,
    /// differs for every session and cannot be made without the secret. 54 characters.
    func csrfToken(sessionID: SessionID, hash: Data) -> String {
        var bytes = withUnsafeBytes(of: sessionID.rawValue.bigEndian) { Array($0) }
        bytes.append(contentsOf: HMAC<SHA256>.authenticationCode(for: hash, using: SymmetricKey(data: csrfKey)))
        return Base64URL.encode(bytes)
    }

    func csrfToken(for session: StoredSession) -> String { csrfToken(sessionID: session.id, hash: session.tokenHash) }

    /// The id of the session a well-formed token names (not yet checked).
    func csrfSessionID(_ submitted: String) -> SessionID? {
        guard submitted.utf8.count == 54, let bytes = Base64URL.decode(submitted), bytes.count == 40 else { return nil }
        return SessionID(rawValue: bytes[0..<8].reduce(Int64(0)) { $0 << 8 | Int64($1) })
    }

    /// Constant-time check of a submitted form token against a session's.
    func isValidCSRF(_ submitted: String, for session: StoredSession) -> Bool {
        isValidCSRF(submitted, sessionID: session.id, hash: session.tokenHash)
    }

    func isValidCSRF(_ submitted: String, sessionID: SessionID, hash: Data) -> Bool {
        guard csrfSessionID(submitted) == sessionID, let bytes = Base64URL.decode(submitted) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(Array(bytes[8...]), authenticating: hash, using: SymmetricKey(data: csrfKey))
    }
}
