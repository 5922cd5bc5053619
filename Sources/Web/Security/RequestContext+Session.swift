import BookingCore
import Foundation
import HTTPServer
import Store

/// Sessions, the signed-in user, memberships and the page layout, for handlers.
extension RequestContext {
    /// `now` as stored: UNIX seconds.

    /// The live session of this request (anonymous or signed in), if any.
    func currentSession() throws -> RequestAuth.Current? {
        try auth.current {
            guard let value = request.cookies[Security.cookieName], let token = SessionToken(cookie: value) else { return nil }
            let policy = app.security.sessions
            guard let found = try app.database.session(tokenHash: token.hash, now: instant,
                                                       idleTimeout: policy.idleTimeout,
                                                       touchInterval: policy.touchInterval) else { return nil }
            return RequestAuth.Current(session: found.session, user: found.user, issuedToken: nil)
        }
    }

    /// The signed-in user, or nil for an anonymous visitor.
    func currentUser() throws -> User? { try currentSession()?.user }

    /// Who is asking, for limits on the public pages (`HoldLimits`): the signed-in customer, else the
    /// address the request came from (the same address the log-in throttle counts), else nobody.
    func visitor(_ user: User?) -> String? {
        if let user { return "user:\(user.id)" }
        let address = request.clientAddress
        return address.isEmpty ? nil : "address:\(address)"
    }

    /// The signed-in user; throws the 404 page when there is none (routes that require `.signedIn`
    /// never reach the handler anonymously, so this is a safety net).
    func requireUser() throws -> User {
        guard let user = try currentUser() else { throw WebError.notFound() }
        return user
    }

    /// The form token for this visitor: a signed-in session's own, else the token of this browser's
    /// form cookie, setting one on the response when the browser has none yet, so that sign-up,
    /// log-in and booking forms are protected too. No session is created for an anonymous visitor.
    func csrfToken() throws -> String {
        if let current = try currentSession(), current.user != nil { return app.security.csrfToken(for: current.session) }
        let cookie = Security.browserCookies(in: request).first ?? auth.browserCookie(issuing: Security.BrowserCookie.generate)
        return app.security.browserFormToken(for: cookie)
    }

    /// The layout every page passes to `layouts/base`: signed-in state, the header's log-out token
    /// and the business switcher. Pass `withForm: true` when the page has a form of its own: an
    /// anonymous visitor then gets a session to tie `{{layout.csrf}}` to.
    func layout(title: String, withForm: Bool = false) throws -> Layout {
        var layout = Layout(title: title)
        if withForm { layout.csrf = try csrfToken() }
        guard let current = try currentSession(), let user = current.user else { return layout }
        layout.csrf = app.security.csrfToken(for: current.session)
        layout.signedIn = true
        layout.userName = user.name
        let currentSlug = request.parameters["business"]
        layout.businesses = try memberships().map {
            BusinessLink(name: $0.businessName, url: "/manage/\(PercentDecoding.encode($0.businessSlug))/",
                         role: $0.role.rawValue, current: $0.businessSlug == currentSlug)
        }
        return layout
    }

    /// Every business the signed-in user belongs to (empty when anonymous).
    func memberships() throws -> [Membership] {
        guard let user = try currentUser() else { return [] }
        return try auth.memberships { try app.database.memberships(userID: user.id) }
    }

    /// The signed-in user's membership in the business `slug`, or nil (not signed in, no such
    /// business, not a member). Handlers answer 404 for nil: existence is never revealed.
    func membership(in slug: String) throws -> Membership? {
        if let found = auth.membership, found.businessSlug == slug { return found }
        guard let user = try currentUser() else { return nil }
        return try app.database.membership(userID: user.id, businessSlug: slug)
    }

    /// The membership the route's permission check found in the `:business` of the path; for
    /// routes declared with `.permission(…)` it is always there.
    func requireMembership() throws -> Membership {
        guard let slug = request.parameters["business"], let found = try membership(in: slug) else { throw WebError.notFound() }
        return found
    }

    /// Does the signed-in user hold `permission` in the business `slug`?
    func can(_ permission: Permission, in slug: String) throws -> Bool {
        try membership(in: slug)?.role.can(permission) ?? false
    }

    /// Who is acting, for events and audit entries: the signed-in user, else a guest (`Actor`'s labels).
    func auditActor() throws -> String {
        try actor().label
    }

    /// The signed-in user, else a guest, as the Store records them.
    func actor() throws -> Actor {
        try currentUser().map { Actor.user($0.id) } ?? .guest
    }
}

/// A business in the header's switcher.
struct BusinessLink: Sendable, Hashable {
    let name: String
    let url: String
    let role: String
    let current: Bool
}
