import BookingCore
import HTTPServer
import Logging
import Store

/// What a route requires of the visitor; checked centrally in `App.respond` before the handler runs.
enum Requirement: Sendable, Equatable {
    /// Anyone.
    case `public`
    /// A signed-in user; anonymous visitors are sent to `/login?next=…`.
    case signedIn
    /// A signed-in member of the business named by the route's `:business` parameter whose role
    /// grants the permission. Anyone else signed in gets 404: existence is never revealed.
    case permission(Permission)
    /// An API key (`Authorization: Bearer`) of any business, whose role grants the permission when
    /// one is named: 401 without a valid key, 429 past its rate, 403 when the role lacks it. The
    /// handler reads the key's principal with `context.apiPrincipal()`.
    case apiKey(Permission?)

    /// The decision for a visitor: `user` is whether one is signed in, `role` their role in the
    /// route's business (nil: not a member, or no such business).
    func decide(signedIn: Bool, role: Role?) -> Decision {
        switch self {
        case .public, .apiKey: return .allow
        case .signedIn: return signedIn ? .allow : .logIn
        case .permission(let permission):
            guard signedIn else { return .logIn }
            guard let role, role.can(permission) else { return .notFound }
            return .allow
        }
    }

    enum Decision: Sendable, Equatable { case allow, logIn, notFound }
}

/// The checks every request passes before its handler: CSRF for state-changing HTML requests, then
/// the route's requirement. The session cookie issued or cleared during the request is set here.
extension App {
    func run(_ route: Route, _ context: RequestContext) throws -> Response {
        var response: Response
        do {
            try verifyCSRF(context)
            response = try authorize(route.requirement, context) ?? idempotent(route, context)
        } catch let error as WebError {
            response = errorPage(error, context)
        }
        applySessionCookie(context, to: &response)
        return response
    }

    /// Every request that may change state and is not under `/api/` (API keys, no cookies) must
    /// carry the `_csrf` form field of its own session; anything else is 403 and the handler never runs.
    /// A refusal is logged with which check failed (never a token), so a refused guest can be explained.
    /// The public forms also carry a field people never see (`partials/honeypot`, hidden from sight,
    /// keyboard and screen readers); a form that arrives with it filled in was filled by a script,
    /// and is refused the same way, before the handler.
    func verifyCSRF(_ context: RequestContext) throws {
        let request = context.request
        // Stripe's webhook proves itself with its signature (StripeWebhookHandler).
        guard !["GET", "HEAD", "OPTIONS"].contains(request.method), !request.path.hasPrefix("/api/"),
              !request.path.hasPrefix("/stripe/webhook/") else { return }
        let form = try? request.form()
        if let reason = try csrfRefusalReason(context, form: form) {
            logger.notice("CSRF refused: \(reason)", metadata: ["method": "\(request.method)", "path": "\(request.path)"])
            throw WebError.forbidden(
                "This form has expired or did not come from this site, so nothing was changed. Go back, reload the page and try again.")
        }
        if let trap = form?[Security.honeypotField], !trap.isEmpty {
            logger.notice("honeypot filled", metadata: ["path": "\(request.path)"])
            throw WebError.badRequest("This form looked as if a program had filled it in, so nothing was sent. Reload the page and try again.")
        }
    }

    /// Why the request's form token is not accepted, or nil when it is. A signed-in visitor's form
    /// must carry their session's token; anyone else's, the token of the browser cookie that
    /// rendered the form (`BrowserFormToken.swift`). No other session's or browser's token, ever.
    func csrfRefusalReason(_ context: RequestContext, form: FormData?) throws -> String? {
        guard let submitted = form?[Security.csrfField], !submitted.isEmpty else {
            return "the form carries no token"
        }
        // Malformed tokens (wrong length, not ASCII, not base64url) stop here, before any lookup.
        guard Security.isWellFormedFormToken(submitted) else { return "the token is malformed" }
        let current = try context.currentSession()
        if let current, current.user != nil {
            return security.isValidCSRF(submitted, for: current.session) ? nil : "the token belongs to another session"
        }
        if Security.browserTokenID(submitted) != nil {
            if security.isValidBrowserToken(submitted, in: context.request) { return nil }
            return Security.browserCookies(in: context.request).isEmpty ? "no form cookie" : "the token belongs to another browser"
        }
        // A session token from a visitor who is not signed in: only their own anonymous session's
        // (sessions issued before form cookies existed).
        guard let current else {
            return context.request.cookies[Security.cookieName] == nil
                ? "no session cookie" : "the session cookie names no live session"
        }
        return security.isValidCSRF(submitted, for: current.session) ? nil : "the token belongs to another session"
    }

    /// nil when the route may run; otherwise the answer instead (a redirect to log in).
    func authorize(_ requirement: Requirement, _ context: RequestContext) throws -> Response? {
        if requirement == .public { return nil }
        if case .apiKey(let permission) = requirement {
            context.auth.principal = try context.authenticateAPIKey(requiring: permission)
            return nil
        }
        let user = try context.currentUser()
        var role: Role?
        if case .permission = requirement, user != nil {
            guard let slug = context.request.parameters["business"] else { throw WebError.notFound() }
            let membership = try context.membership(in: slug)
            context.auth.membership = membership
            role = membership?.role
        }
        switch requirement.decide(signedIn: user != nil, role: role) {
        case .allow: return nil
        case .notFound: throw WebError.notFound()
        case .logIn:
            let request = context.request
            var target = request.rawPath
            if !request.query.pairs.isEmpty { target += "?" + request.query.encoded }
            let next = request.method == "GET" || request.method == "HEAD" ? target : "/"
            return .redirect(to: "/login?" + FormData(pairs: [("next", next)]).encoded)
        }
    }

    /// Sets or clears `bizing_session` when the request issued or ended a session, and sets the
    /// browser's form cookie when this request issued one.
    func applySessionCookie(_ context: RequestContext, to response: inout Response) {
        let secure = security.isSecure(context.request)
        switch context.auth.cookieChange {
        case .set(let token, let persistent)?:
            response.setCookie(Cookie(name: Security.cookieName, value: token,
                                      maxAge: persistent ? Int(security.sessions.absoluteLifetime) : nil, secure: secure))
            response.headers.set("Cache-Control", "no-store")
        case .clear?:
            response.setCookie(.expired(Security.cookieName, secure: secure))
        case nil:
            break
        }
        if let issued = context.auth.issuedBrowserCookie {
            response.setCookie(Cookie(name: issued.name, value: issued.value, maxAge: Security.browserCookieLifetime, secure: secure))
            response.headers.set("Cache-Control", "no-store")
        }
    }

    /// An error page whose header reflects who is signed in.
    func errorPage(_ error: WebError, _ context: RequestContext) -> Response {
        if context.request.path.hasPrefix("/api/") { return JSON.error(error) }
        let layout = (try? context.layout(title: error.status.reason)) ?? Layout(title: error.status.reason)
        let model = ErrorPage(layout: layout, status: error.status.code, heading: error.status.reason, message: error.message)
        var response = page("errors/error", model, status: error.status)
        for (name, value) in error.headers { response.headers.add(name, value) }
        return response
    }
}
