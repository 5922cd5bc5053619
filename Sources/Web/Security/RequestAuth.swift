import Foundation
import Store
import Synchronization

/// The per-request session state behind `RequestContext`: the session resolved from the cookie
/// (looked up on first use only, so static files cost no query), a session issued during the
/// request (whose cookie `App` sets on the response), and the membership the route's permission
/// check found. One request runs on one thread; the `Mutex` only makes the box `Sendable`.
final class RequestAuth: Sendable {
    struct Current: Sendable {
        let session: StoredSession
        let user: User?
        /// The token, when this request issued the session (its cookie is sent with the response).
        let issuedToken: String?
    }

    private struct State {
        var resolved = false
        var current: Current?
        var cookieChange: CookieChange?
        var membership: Membership?
        var memberships: [Membership]?
        var rateLimit: APIRateLimiter.State?
        var principal: APIKeys.Principal?
        var issuedBrowserCookie: Security.BrowserCookie?
    }

    enum CookieChange: Sendable {
        case set(token: String, persistent: Bool)
        case clear
    }

    private let state = Mutex(State())

    /// The current session, resolving the cookie on the first call.
    func current(resolve: () throws -> Current?) rethrows -> Current? {
        if let done = state.withLock({ $0.resolved ? Optional($0.current) : nil }) { return done }
        let found = try resolve()
        state.withLock {
            $0.resolved = true
            $0.current = found
        }
        return found
    }

    /// Replaces the session for the rest of the request (log-in, sign-up, a new anonymous session).
    func issue(_ current: Current, persistent: Bool) {
        state.withLock {
            $0.resolved = true
            $0.current = current
            $0.memberships = nil
            if let token = current.issuedToken { $0.cookieChange = .set(token: token, persistent: persistent) }
        }
    }

    /// Forgets the session and asks the browser to drop the cookie (log-out).
    func clear() {
        state.withLock {
            $0.resolved = true
            $0.current = nil
            $0.memberships = nil
            $0.membership = nil
            $0.cookieChange = .clear
        }
    }

    var cookieChange: CookieChange? { state.withLock { $0.cookieChange } }

    /// The form cookie this request gave the browser (set on the response), made once per request.
    func browserCookie(issuing make: () -> Security.BrowserCookie) -> Security.BrowserCookie {
        state.withLock { state in
            if let issued = state.issuedBrowserCookie { return issued }
            let made = make()
            state.issuedBrowserCookie = made
            return made
        }
    }

    var issuedBrowserCookie: Security.BrowserCookie? { state.withLock { $0.issuedBrowserCookie } }

    /// The API key's bucket after this request (its `RateLimit-*` headers go on the response).
    var rateLimit: APIRateLimiter.State? {
        get { state.withLock { $0.rateLimit } }
        set { state.withLock { $0.rateLimit = newValue } }
    }

    /// The API key the route's `.apiKey` requirement authenticated.
    var principal: APIKeys.Principal? {
        get { state.withLock { $0.principal } }
        set { state.withLock { $0.principal = newValue } }
    }

    var membership: Membership? {
        get { state.withLock { $0.membership } }
        set { state.withLock { $0.membership = newValue } }
    }

    func memberships(load: () throws -> [Membership]) rethrows -> [Membership] {
        if let cached = state.withLock({ $0.memberships }) { return cached }
        let loaded = try load()
        state.withLock { $0.memberships = loaded }
        return loaded
    }
}
