import Foundation

/// Stripe's REST API over `HTTPClient`: form-encoded bodies, HTTP Basic with the secret key, the API
/// version pinned, an `Idempotency-Key` on every POST that may be retried. Knows nothing of bookings.
public struct StripeClient: Sendable {
    /// The API version every request asks for (answers are shaped by it, whatever the account's default).
    public static let apiVersion = "2024-06-20"
    public static let defaultBase = "https://api.stripe.com"

    public let base: String
    let secretKey: String
    let http: HTTPClient

    /// `base` is operator configuration (`BIZING_STRIPE_API_BASE`), so a loopback double is allowed.
    public init(base: String = StripeClient.defaultBase, secretKey: String, http: HTTPClient = HTTPClient(policy: DestinationPolicy(allowPrivate: true))) {
        var trimmed = base
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.base = trimmed
        self.secretKey = secretKey
        self.http = http
    }

    /// Where the browser loads Stripe.js from: Stripe's own host, or the double's stand-in beside its API.
    public static func scriptURL(base: String) -> String {
        var trimmed = base
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed == defaultBase ? "https://js.stripe.com/v3/" : trimmed + "/js.stripe.com/v3/"
    }

    public func get(_ path: String, query: [(String, String)] = []) throws(StripeError) -> StripeObject {
        let suffix = query.isEmpty ? "" : "?" + Self.formEncode(query)
        return try send(HTTPRequest(method: "GET", url: base + path + suffix, headers: headers(idempotencyKey: nil)))
    }

    public func post(_ path: String, _ parameters: [(String, String)] = [], idempotencyKey: String? = nil) throws(StripeError) -> StripeObject {
        var headers = headers(idempotencyKey: idempotencyKey)
        headers.append(("Content-Type", "application/x-www-form-urlencoded"))
        return try send(HTTPRequest(method: "POST", url: base + path, headers: headers, body: Array(Self.formEncode(parameters).utf8)))
    }

    private func headers(idempotencyKey: String?) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [
            ("Authorization", "Basic " + Data((secretKey + ":").utf8).base64EncodedString()),
            ("Stripe-Version", Self.apiVersion),
            ("Accept", "application/json"),
        ]
        if let idempotencyKey { headers.append(("Idempotency-Key", idempotencyKey)) }
        return headers
    }

    private func send(_ request: HTTPRequest) throws(StripeError) -> StripeObject {
        var request = request
        request.timeoutSeconds = 30
        request.maxResponseBytes = 1 << 20
        let response: HTTPResponse
        do {
            response = try http.send(request)
        } catch {
            throw .unreachable(error.description)
        }
        let json = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        guard (200..<300).contains(response.status), let json else {
            let error = json?["error"] as? [String: Any]
            let message = error?["message"] as? String ?? "Stripe answered \(response.status)"
            throw .refused(status: response.status, code: error?["code"] as? String ?? error?["type"] as? String ?? "", message: message)
        }
        return StripeObject(json)
    }

    /// `application/x-www-form-urlencoded`: names and values percent-encoded, `[` `]` in names kept
    /// encoded as Stripe expects (`metadata%5Bbooking%5D=…`).
    public static func formEncode(_ pairs: [(String, String)]) -> String {
        pairs.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}

/// A Stripe API object as decoded JSON, with typed reads of the fields Bizing uses.
public struct StripeObject: @unchecked Sendable {   // immutable JSON from JSONSerialization
    public let fields: [String: Any]

    public init(_ fields: [String: Any]) { self.fields = fields }

    public subscript(string key: String) -> String? { fields[key] as? String }
    public subscript(int key: String) -> Int64? { (fields[key] as? NSNumber)?.int64Value }
    public subscript(object key: String) -> StripeObject? { (fields[key] as? [String: Any]).map(StripeObject.init) }
    public subscript(list key: String) -> [StripeObject] { ((fields[key] as? [[String: Any]]) ?? []).map(StripeObject.init) }
    public var id: String { self[string: "id"] ?? "" }

    /// An expandable field: the id whether Stripe sent the id or the whole object.
    public func reference(_ key: String) -> String? {
        self[string: key] ?? self[object: key]?.id
    }
}

public enum StripeError: Error, Sendable, CustomStringConvertible {
    /// No answer (network, DNS, timeout): worth retrying later with the same idempotency key.
    case unreachable(String)
    /// Stripe answered with an error (401 bad key, 402 card declined, 400 bad request…).
    case refused(status: Int, code: String, message: String)

    public var description: String {
        switch self {
        case .unreachable(let message): return "Stripe could not be reached: \(message)"
        case .refused(let status, _, let message): return "Stripe refused (\(status)): \(message)"
        }
    }
}

extension StripeClient {
    /// `scheme://host[:port]` of a URL (for a Content-Security-Policy source).
    public static func origin(of url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return String(url[..<schemeEnd.upperBound]) + host
    }
}
