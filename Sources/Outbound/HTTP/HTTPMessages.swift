/// One outbound HTTP request (a webhook delivery, a Stripe call).
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var timeoutSeconds: Int = 10
    /// The response body is read up to this many bytes; the rest is not read.
    public var maxResponseBytes: Int = 64 * 1024

    public init(method: String = "GET", url: String, headers: [(name: String, value: String)] = [],
                body: [UInt8] = [], timeoutSeconds: Int = 10, maxResponseBytes: Int = 64 * 1024) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutSeconds = timeoutSeconds
        self.maxResponseBytes = maxResponseBytes
    }
}

/// What came back. Any status is a response (a 500 or a 302 is not an error); only failing to get an
/// answer at all throws.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// The final response's header fields, in order (interim 1xx responses are dropped).
    public var headers: [(name: String, value: String)]
    /// At most `maxResponseBytes` (the rest is not read).
    public var body: [UInt8]
    public var durationMicroseconds: Int64

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8], durationMicroseconds: Int64) {
        self.status = status
        self.headers = headers
        self.body = body
        self.durationMicroseconds = durationMicroseconds
    }

    /// The first header field with this name (case-insensitive).
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}
