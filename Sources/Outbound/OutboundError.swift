/// Why a message or request did not go out. `permanent` failures must not be retried; `transient`
/// ones may succeed later. Curl's result code and message are kept in the text.
public enum OutboundError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A configuration error: the URL cannot be used (bad syntax, unsupported scheme).
    case invalidURL(String)
    /// The SSRF guard refused the destination: loopback, private, link-local, metadata, or unresolvable.
    case refusedDestination(String)
    /// Do not retry: SMTP 5xx (e.g. 550 bad mailbox) or an address refused before sending (code 0).
    case permanent(code: Int, message: String)
    /// Retry later: connect failure, timeout, SMTP 4xx, TLS error, authentication refused.
    case transient(code: Int?, message: String)

    public var isPermanent: Bool {
        if case .permanent = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .invalidURL(let text): "invalid URL: \(text)"
        case .refusedDestination(let text): "refused destination: \(text)"
        case .permanent(let code, let message): "permanent failure (\(code)): \(message)"
        case .transient(let code, let message):
            if let code { "temporary failure (\(code)): \(message)" } else { "temporary failure: \(message)" }
        }
    }
}
