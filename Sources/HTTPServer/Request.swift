/// One HTTP request, fully read. Everything is copied out of libmicrohttpd's buffers.
public struct Request: Sendable {
    public var method: String
    /// The decoded path, always starting with `/`, without the query string.
    public var path: String
    /// The path exactly as sent (still percent-encoded), for redirects back to it.
    public var rawPath: String
    public var query: FormData
    public var headers: Headers
    public var body: [UInt8]
    /// The peer's IP address as text ("127.0.0.1", "::1"), or "" when unknown.
    public var clientAddress: String
    /// Parameters captured by the router (`/b/:business` → `business`).
    public var parameters: [String: String] = [:]
    /// When the request arrived, as microseconds of a monotonic clock (for the access log).
    public var receivedAt: UInt64 = 0

    public init(method: String, path: String, rawPath: String? = nil, query: FormData = FormData(),
                headers: Headers = Headers(), body: [UInt8] = [], clientAddress: String = "") {
        self.method = method
        self.path = path
        self.rawPath = rawPath ?? path
        self.query = query
        self.headers = headers
        self.body = body
        self.clientAddress = clientAddress
    }

    /// Builds a request from the raw request target (`/a%20b?x=1`), decoding strictly.
    public init(method: String, target: String, headers: Headers = Headers(), body: [UInt8] = [],
                clientAddress: String = "") throws(RequestError) {
        let rawPath: Substring, rawQuery: Substring
        if let q = target.utf8.firstIndex(of: UInt8(ascii: "?")) {
            rawPath = target[target.startIndex..<q]
            rawQuery = target[target.utf8.index(after: q)...]
        } else {
            rawPath = Substring(target)
            rawQuery = ""
        }
        guard rawPath.hasPrefix("/") else { throw .badTarget }
        let path: String
        do { path = try PercentDecoding.decode(rawPath, plusIsSpace: false) } catch { throw .badTarget }
        let query: FormData
        do { query = try FormData(parsing: rawQuery) } catch { throw .badQuery }
        self.init(method: method, path: path, rawPath: String(rawPath), query: query,
                  headers: headers, body: body, clientAddress: clientAddress)
    }

    public enum RequestError: Error, Sendable { case badTarget, badQuery }

    /// Cookies from the `Cookie` header (first value wins for a repeated name).
    public var cookies: [String: String] {
        var result: [String: String] = [:]
        for header in headers.values("Cookie") {
            for part in header.split(separator: ";") {
                let trimmed = part.drop(while: { $0 == " " })
                guard let eq = trimmed.firstIndex(of: "=") else { continue }
                let name = String(trimmed[trimmed.startIndex..<eq])
                var value = trimmed[trimmed.index(after: eq)...]
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
                if result[name] == nil { result[name] = String(value) }
            }
        }
        return result
    }

    /// The body parsed as a form, when it is one.
    public func form() throws(FormData.ParseError) -> FormData {
        try FormData(parsing: body)
    }

    /// The request's media type without parameters, lower-cased (`application/json`).
    public var contentType: String? {
        headers["Content-Type"].map { String($0.split(separator: ";").first ?? "").trimmingSpaces().lowercased() }
    }

    /// Whether `If-None-Match` names `etag` or is `*` (the weak comparison of RFC 9110 §13.1.2:
    /// a `W/` prefix on either side is ignored).
    public func ifNoneMatch(_ etag: String) -> Bool {
        guard let header = headers["If-None-Match"] else { return false }
        func opaque(_ tag: Substring) -> Substring { tag.hasPrefix("W/") ? tag.dropFirst(2) : tag }
        let wanted = opaque(Substring(etag))
        return header.split(separator: ",").contains { part in
            let tag = Substring(String(part).trimmingSpaces())
            return tag == "*" || opaque(tag) == wanted
        }
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
