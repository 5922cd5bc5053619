import Foundation
import HTTPServer

/// Everything a handler needs about one request, built once before the handler runs.
struct RequestContext: Sendable {
    let request: Request
    let app: App
    /// The instant the request is handled at; handlers never read the clock themselves.
    let now: Date

    func parameter(_ name: String) throws -> String {
        guard let value = request.parameters[name] else { throw WebError.notFound() }
        return value
    }
}

/// What the shared layout (`layouts/base`) needs on every page.
struct Layout: Sendable {
    var title: String
    var description: String = "Bizing: booking that is always right."
    var signedIn = false
    var userName = ""
    var csrf = ""

    init(title: String) { self.title = title }
}
