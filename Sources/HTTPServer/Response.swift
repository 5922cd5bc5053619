/// A complete response: the handler returns it, the server writes it.
public struct Response: Sendable {
    public var status: HTTPStatus
    public var headers: Headers
    public var body: [UInt8]

    public init(status: HTTPStatus = .ok, headers: Headers = Headers(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func html(_ text: String, status: HTTPStatus = .ok) -> Response {
        Response(status: status, headers: Headers([("Content-Type", "text/html; charset=utf-8")]), body: Array(text.utf8))
    }

    public static func text(_ text: String, status: HTTPStatus = .ok) -> Response {
        Response(status: status, headers: Headers([("Content-Type", "text/plain; charset=utf-8")]), body: Array(text.utf8))
    }

    public static func json(_ bytes: [UInt8], status: HTTPStatus = .ok) -> Response {
        Response(status: status, headers: Headers([("Content-Type", "application/json")]), body: bytes)
    }

    /// A redirect (303 by default: after a POST the browser follows with a GET).
    public static func redirect(to location: String, status: HTTPStatus = .seeOther) -> Response {
        Response(status: status, headers: Headers([("Location", location)]))
    }

    public mutating func setCookie(_ cookie: Cookie) { headers.add("Set-Cookie", cookie.headerValue) }

    public var isHTML: Bool { headers["Content-Type"]?.hasPrefix("text/html") ?? false }
}

/// A `Set-Cookie` value.
public struct Cookie: Sendable, Equatable {
    public enum SameSite: String, Sendable { case strict = "Strict", lax = "Lax", none = "None" }
    public var name: String
    public var value: String
    public var path = "/"
    public var maxAge: Int?
    public var httpOnly = true
    public var secure = false
    public var sameSite: SameSite = .lax

    public init(name: String, value: String, maxAge: Int? = nil, secure: Bool = false, httpOnly: Bool = true,
                sameSite: SameSite = .lax) {
        self.name = name
        self.value = value
        self.maxAge = maxAge
        self.secure = secure
        self.httpOnly = httpOnly
        self.sameSite = sameSite
    }

    /// A cookie that deletes `name` in the browser.
    public static func expired(_ name: String, secure: Bool = false) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, secure: secure)
    }

    public var headerValue: String {
        var parts = ["\(name)=\(value)", "Path=\(path)"]
        if let maxAge { parts.append("Max-Age=\(maxAge)") }
        if httpOnly { parts.append("HttpOnly") }
        if secure { parts.append("Secure") }
        parts.append("SameSite=\(sameSite.rawValue)")
        return parts.joined(separator: "; ")
    }
}
