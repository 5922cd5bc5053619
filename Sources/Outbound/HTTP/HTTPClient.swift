internal import CCurl
import Foundation

/// HTTP(S) requests through libcurl for webhooks and payment APIs, guarded by a `DestinationPolicy`.
/// Each `send` uses its own easy handle, so one client is safe to share between threads.
public final class HTTPClient: Sendable {
    public let policy: DestinationPolicy

    public init(policy: DestinationPolicy = DestinationPolicy()) { self.policy = policy }

    public func send(_ request: HTTPRequest) throws(OutboundError) -> HTTPResponse {
        let started = ContinuousClock.now
        let url = try CurlURL(request.url)
        guard url.scheme == "http" || url.scheme == "https" else {
            throw .invalidURL("only http:// and https:// URLs are allowed, not \"\(url.scheme)\"")
        }
        let method = request.method.uppercased()
        guard !method.isEmpty, method.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) else {
            throw .invalidURL("\"\(request.method.prefix(20))\" is not an HTTP method")
        }
        var headerLines = ["Expect:"]   // no 100-continue round trip before a body
        for (name, value) in request.headers {
            guard !name.isEmpty, !(name + value).contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }),
                  !name.contains(":") else {
                throw .invalidURL("the header \"\(name.prefix(40))\" contains a line break or a colon")
            }
            headerLines.append("\(name): \(value)")
        }
        var resolve: CurlList?
        if !policy.allowPrivate {
            if DestinationPolicy.isLiteral(url.host) {
                try policy.check(url: request.url)
            } else {
                let address = try policy.checkedAddress(host: url.host)
                let pinned = address.contains(":") ? "[\(address)]" : address
                resolve = CurlList(["\(url.host):\(url.port):\(pinned)"])
            }
        }
        guard let easy = CurlEasy() else { throw .transient(code: nil, message: "curl could not allocate a handle") }
        let headers = CurlList(headerLines)
        let sink = ResponseSink(limit: max(0, request.maxResponseBytes))
        easy.set(CURLOPT_URL, request.url)
        easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        easy.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        easy.set(CURLOPT_FOLLOWLOCATION, 0)
        if let resolve { easy.set(CURLOPT_RESOLVE, resolve) }
        easy.set(CURLOPT_TIMEOUT, max(1, request.timeoutSeconds))
        easy.set(CURLOPT_CONNECTTIMEOUT, max(1, min(10, request.timeoutSeconds)))
        easy.set(CURLOPT_HTTPHEADER, headers)
        easy.set(CURLOPT_USERAGENT, "Bizing")
        switch method {
        case "GET": break
        case "HEAD": easy.set(CURLOPT_NOBODY, 1)
        default:
            easy.set(CURLOPT_POSTFIELDSIZE, request.body.count)
            request.body.withUnsafeBytes { raw in
                // COPYPOSTFIELDS copies `POSTFIELDSIZE` bytes at once, so the body may contain NULs.
                _ = ccurl_setopt_pointer(easy.handle, CURLOPT_COPYPOSTFIELDS,
                                         UnsafeMutableRawPointer(mutating: raw.baseAddress ?? UnsafeRawPointer(("" as StaticString).utf8Start)))
            }
            if method != "POST" { easy.set(CURLOPT_CUSTOMREQUEST, method) }
        }
        let context = Unmanaged.passUnretained(sink).toOpaque()
        easy.set(CURLOPT_WRITEDATA, context)
        easy.set(CURLOPT_HEADERDATA, context)
        easy.set(CURLOPT_WRITEFUNCTION, callback: { buffer, size, count, context in
            guard let buffer, let context else { return 0 }
            return Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue().body(buffer, size * count)
        })
        easy.set(CURLOPT_HEADERFUNCTION, callback: { buffer, size, count, context in
            guard let buffer, let context else { return 0 }
            return Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue().header(buffer, size * count)
        })
        let result = withExtendedLifetime((sink, headers, resolve)) { easy.perform() }
        let elapsed = ContinuousClock.now - started
        let micros = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        guard result.code == CURLE_OK || (result.code == CURLE_WRITE_ERROR && sink.truncated) else {
            if result.code == CURLE_UNSUPPORTED_PROTOCOL || result.code == CURLE_URL_MALFORMAT {
                throw .invalidURL(result.message)
            }
            throw .transient(code: nil, message: result.message)
        }
        return HTTPResponse(status: easy.responseCode, headers: sink.headers, body: sink.bytes,
                            durationMicroseconds: micros)
    }
}

/// Collects the response for the write and header callbacks; stops reading at `limit`.
final class ResponseSink {
    let limit: Int
    private(set) var bytes: [UInt8] = []
    private(set) var headers: [(name: String, value: String)] = []
    private(set) var truncated = false

    init(limit: Int) { self.limit = limit }

    /// Keeps what fits; answering less than `count` makes curl stop the transfer.
    func body(_ buffer: UnsafeMutablePointer<CChar>, _ count: Int) -> Int {
        let room = limit - bytes.count
        let kept = min(room, count)
        if kept > 0 {
            bytes.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: kept))
        }
        if kept < count { truncated = true }
        return kept
    }

    /// One header line; a status line starts a new response (after a 1xx), so earlier fields are dropped.
    func header(_ buffer: UnsafeMutablePointer<CChar>, _ count: Int) -> Int {
        var raw = Array(UnsafeRawBufferPointer(start: buffer, count: count))
        while let last = raw.last, last == 13 || last == 10 { raw.removeLast() }
        let line = String(decoding: raw, as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            headers.removeAll()
        } else if let colon = line.firstIndex(of: ":") {
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
        }
        return count
    }
}
