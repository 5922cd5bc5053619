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

    /// The form token of a session: HMAC-SHA256(server secret, session token hash). It needs no
    /// storage, differs for every session and cannot be derived without the secret.
    func csrfToken(forSessionHash hash: Data) -> String {
        Base64URL.encode(HMAC<SHA256>.authenticationCode(for: hash, using: SymmetricKey(data: csrfKey)))
    }

    /// Constant-time check of a submitted form token against the session's.
    func isValidCSRF(_ submitted: String, forSessionHash hash: Data) -> Bool {
        guard submitted.utf8.count == 43, let mac = Base64URL.decode(submitted), mac.count == 32 else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: hash, using: SymmetricKey(data: csrfKey))
    }
}
