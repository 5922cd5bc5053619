import Admission
internal import CCurl

/// `curl_global_init` once per process, before the first handle (curl requires it before threads use it).
private let curlGlobalInit: CURLcode = ccurl_global_init()

/// One curl easy handle and its error buffer. A handle is used by one transfer at a time; it is
/// `@unchecked Sendable` only so a pool can hand it from one thread to the next under a lock.
final class CurlEasy: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>

    /// Nil when curl cannot be initialised or cannot allocate a handle.
    init?() {
        guard curlGlobalInit == CURLE_OK, let handle = curl_easy_init() else { return nil }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        _ = ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        set(CURLOPT_NOSIGNAL, 1)          // no SIGALRM for timeouts: we run on many threads
        set(CURLOPT_PROXY, "")            // never an environment proxy: the destination is what we checked
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    func set(_ option: CURLoption, _ value: Int) { _ = ccurl_setopt_long(handle, option, value) }
    func set(_ option: CURLoption, _ value: String) { _ = ccurl_setopt_string(handle, option, value) }
    func set(_ option: CURLoption, _ value: CurlList) { _ = ccurl_setopt_slist(handle, option, value.list) }
    func set(_ option: CURLoption, _ value: UnsafeMutableRawPointer?) { _ = ccurl_setopt_pointer(handle, option, value) }
    func set(_ option: CURLoption, callback: ccurl_data_callback) { _ = ccurl_setopt_callback(handle, option, callback) }

    /// Runs the transfer; the result code and the most precise message curl has for it.
    func perform() -> (code: CURLcode, message: String) {
        errorBuffer[0] = 0
        // A transfer waits on another server (seconds, at worst its timeout): out of a CoreGate's line.
        let code = CoreGate.whileAway { curl_easy_perform(handle) }
        if code == CURLE_OK { return (code, "") }
        let detail = String(cString: errorBuffer)
        let summary = String(cString: curl_easy_strerror(code))
        let message = detail.isEmpty ? summary : detail
        return (code, "curl \(code.rawValue): \(message)")
    }

    var responseCode: Int {
        var value = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &value)
        return value
    }
}

/// A `curl_slist`, freed with the value.
final class CurlList {
    private(set) var list: UnsafeMutablePointer<curl_slist>?

    init(_ items: [String]) {
        for item in items { list = curl_slist_append(list, item) }
    }

    deinit { curl_slist_free_all(list) }
}

/// A URL split by curl's own parser (so what we check is what curl will use).
struct CurlURL {
    var scheme: String
    var host: String          // IPv6 literals without brackets
    var port: Int
    var user: String?         // percent-decoded
    var password: String?     // percent-decoded
    /// The URL without user and password.
    var withoutCredentials: String

    init(_ text: String) throws(OutboundError) {
        guard curlGlobalInit == CURLE_OK, let url = curl_url() else {
            throw .invalidURL("curl could not be initialised")
        }
        defer { curl_url_cleanup(url) }
        guard !text.contains(where: { $0.isWhitespace || $0 == "\0" }),
              curl_url_set(url, CURLUPART_URL, text, 0) == CURLUE_OK else {
            throw .invalidURL("\"\(text.prefix(200))\" is not a URL")
        }
        func part(_ what: CURLUPart, _ flags: UInt32 = 0) -> String? {
            var out: UnsafeMutablePointer<CChar>?
            guard curl_url_get(url, what, &out, flags) == CURLUE_OK, let out else { return nil }
            defer { curl_free(out) }
            return String(cString: out)
        }
        scheme = part(CURLUPART_SCHEME)?.lowercased() ?? ""
        var host = part(CURLUPART_HOST) ?? ""
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw .invalidURL("\"\(text.prefix(200))\" has no host") }
        self.host = host
        port = Int(part(CURLUPART_PORT, UInt32(CURLU_DEFAULT_PORT)) ?? "") ?? 0
        user = part(CURLUPART_USER, UInt32(CURLU_URLDECODE))
        password = part(CURLUPART_PASSWORD, UInt32(CURLU_URLDECODE))
        _ = curl_url_set(url, CURLUPART_USER, nil, 0)
        _ = curl_url_set(url, CURLUPART_PASSWORD, nil, 0)
        withoutCredentials = part(CURLUPART_URL) ?? text
    }
}
