import BookingCore
import Foundation
import HTTPServer
import Store

extension RequestContext {
    /// The principal the route's `.apiKey` requirement authenticated (routes declare it in the table).
    func apiPrincipal() throws -> APIKeys.Principal {
        guard let principal = auth.principal else {
            throw WebError(.internalServerError, code: "internal_error", "This endpoint was registered without its API key requirement.")
        }
        return principal
    }

    /// The API key's principal, or a 401; with `permission`, a 403 when the key's role lacks it.
    func authenticateAPIKey(requiring permission: Permission?) throws -> APIKeys.Principal {
        guard let header = request.headers["Authorization"], header.hasPrefix("Bearer ") else {
            var error = WebError(.unauthorized, code: "unauthorized", "Send an API key as Authorization: Bearer <key>.")
            error.headers = [("WWW-Authenticate", "Bearer")]
            throw error
        }
        let key = Self.trimmedKey(String(header.dropFirst("Bearer ".count)))
        guard let found = try app.database.authenticateAPIKey(key) else {
            var error = WebError(.unauthorized, code: "unauthorized", "That API key is unknown or revoked.")
            error.headers = [("WWW-Authenticate", "Bearer error=\"invalid_token\"")]
            throw error
        }
        let own = found.principal.rateLimit.map { APIRateLimit(rate: Double($0.rate), burst: Double($0.burst)) }
        let state = app.rateLimiter.take(found.principal.keyID, limit: own)
        auth.rateLimit = state
        if state.retryAfter != nil { throw APIRateLimiter.refusal(state) }
        // Record use at most once a minute: no write on every request.
        if (found.lastUsedAt ?? 0) < instant - 60 {
            try? app.database.touchAPIKey(keyID: found.principal.keyID, now: instant)
        }
        if let permission, !found.principal.role.can(permission) {
            throw WebError.forbidden("This API key's role (\(found.principal.role.rawValue)) may not do that.")
        }
        return found.principal
    }

    /// `text` without the whitespace around it. A key sent as it should be (ASCII, nothing around it)
    /// is taken as it is: Foundation's `trimmingCharacters(in:)` cost 40 k instructions per request.
    static func trimmedKey(_ text: String) -> String {
        func plain(_ byte: UInt8?) -> Bool { byte.map { $0 < 0x80 && $0 != 0x20 && $0 != 0x09 } ?? false }
        if plain(text.utf8.first) && plain(text.utf8.last) { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// The customer's manage link of a booking just made: the public origin (`--base-url`; without
    /// one, the origin the request was made to) and the guest token, which only the answer carries.
    func manageURL(_ order: OrderView, token: String) -> String? {
        guard !token.isEmpty else { return nil }
        return "\(publicOrigin)/bookings/\(order.publicID)?token=\(PercentDecoding.encode(token))"
    }

    /// The origin written into links that leave the site (manage links, feed URLs, Stripe's return
    /// URLs): `--base-url`, or without one the origin the request was made to, https when it came
    /// secure (a `Host` that is not a plain host name: localhost). The one place that reads `Host`
    /// for a link: the payment pages trusted it as it came.
    var publicOrigin: String {
        if let base = app.baseURL { return base }
        let host = request.headers["Host"] ?? ""
        // ASCII letters, digits and . - : [ ] only (checked on bytes: as Characters it cost ~1,400
        // instructions a character, on every booking's answer).
        let safe = !host.isEmpty && host.utf8.count <= 255 && host.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: "]"): true
            default: false
            }
        }
        return (app.security.isSecure(request) ? "https://" : "http://") + (safe ? host : "localhost")
    }

    /// The request's `Idempotency-Key`, checked (1 to 255 characters); nil when absent.
    func idempotencyKey() throws -> String? {
        guard let key = request.headers["Idempotency-Key"] else { return nil }
        guard !key.isEmpty, key.count <= 255 else {
            throw WebError.unprocessable("validation_failed", "Idempotency-Key must be 1 to 255 characters.", field: "Idempotency-Key")
        }
        return key
    }
}
