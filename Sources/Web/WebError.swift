import HTTPServer

/// Errors a handler throws; `App` maps each to one status and a human sentence, HTML or JSON.
struct WebError: Error, Sendable {
    let status: HTTPStatus
    /// Machine-readable code for the JSON API (`slot_unavailable`).
    let code: String
    /// A sentence a person can act on. Never internals.
    let message: String
    /// The form or JSON field at fault, when there is one.
    let field: String?
    var headers: [(String, String)] = []

    init(_ status: HTTPStatus, code: String, _ message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    static func notFound(_ message: String = "We could not find that page. It may have moved, or the link may be mistyped.") -> WebError {
        WebError(.notFound, code: "not_found", message)
    }

    static func badRequest(_ message: String, field: String? = nil) -> WebError {
        WebError(.badRequest, code: "bad_request", message, field: field)
    }

    static func forbidden(_ message: String) -> WebError {
        WebError(.forbidden, code: "forbidden", message)
    }

    static func unprocessable(_ code: String, _ message: String, field: String? = nil) -> WebError {
        WebError(.unprocessable, code: code, message, field: field)
    }

    static func conflict(_ code: String, _ message: String, field: String? = nil) -> WebError {
        WebError(.conflict, code: code, message, field: field)
    }

    /// The sentence shown for statuses the server produces itself.
    static func standardMessage(for status: HTTPStatus) -> (code: String, message: String) {
        switch status.code {
        case 400: ("bad_request", "The request was malformed, so we could not read it.")
        case 401: ("unauthorized", "Please sign in or send a valid API key.")
        case 403: ("forbidden", "You are not allowed to do that.")
        case 404: ("not_found", "We could not find that page. It may have moved, or the link may be mistyped.")
        case 405: ("method_not_allowed", "That address does not accept this kind of request.")
        case 413: ("body_too_large", "What you sent is larger than the 1 MiB we accept.")
        case 429: ("rate_limited", "Too many requests. Please wait a moment and try again.")
        default: ("internal_error", "Something went wrong on our side. Nothing you confirmed was lost; please try again.")
        }
    }
}
