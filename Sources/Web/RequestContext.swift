import BookingCore
import Foundation
import HTTPServer

/// Everything a handler needs about one request, built once before the handler runs.
struct RequestContext: Sendable {
    let request: Request
    let app: App
    /// The instant the request is handled at, in UNIX seconds: the one clock handlers use (they
    /// never read the clock themselves).
    let instant: Instant
    /// The session, user and membership, resolved lazily (see `RequestContext+Session.swift`).
    let auth: RequestAuth

    init(request: Request, app: App, now: Date) {
        self.request = request
        self.app = app
        self.instant = Int64(now.timeIntervalSince1970.rounded(.down))
        self.auth = RequestAuth()
    }

    func parameter(_ name: String) throws -> String {
        guard let value = request.parameters[name] else { throw WebError.notFound() }
        return value
    }
}

/// What the shared layout (`layouts/base`) needs on every page.
struct Layout: Sendable, Hashable {
    var title: String
    var description: String = "Bizing: booking that is always right."
    var signedIn = false
    var userName = ""
    var csrf = ""
    /// Seconds after which the page reloads itself (a queue ticket), without JavaScript.
    var refreshSeconds: String?
    /// The header's business switcher: the signed-in user's businesses.
    var businesses: [BusinessLink] = [] { didSet { hasBusinesses = !businesses.isEmpty } }
    /// Stored, not computed: templates see stored properties only.
    private(set) var hasBusinesses = false

    init(title: String) { self.title = title }
}
