import Foundation
import GRDB
import HTTPServer
import Logging
import Passwords
@testable import Store
import Synchronization
import Testing
@testable import Web


import BookingCore

/// A browser: keeps the `bizing_session` cookie and the last form token it was given.
final class Browser: Sendable {
    let app: App
    let address: String
    let userAgent: String
    private let state = Mutex<(cookie: String?, csrf: String?, formCookies: [String: String])>((nil, nil, [:]))

    init(app: App, address: String, userAgent: String) {
        self.app = app
        self.address = address
        self.userAgent = userAgent
    }

    var cookie: String? {
        get { state.withLock { $0.cookie } }
        set { state.withLock { $0.cookie = newValue } }
    }

    var csrf: String? { state.withLock { $0.csrf } }

    /// The `bizing_form_…` cookies this browser holds (one per first page opened without one).
    var formCookies: [String: String] {
        get { state.withLock { $0.formCookies } }
        set { state.withLock { $0.formCookies = newValue } }
    }

    @discardableResult
    func get(_ target: String, headers: [(String, String)] = []) throws -> Response {
        try send(Request(method: "GET", target: target, headers: Headers(baseHeaders + headers), clientAddress: address))
    }

    /// Posts a form; `_csrf` is the last token this browser saw unless `csrf` says otherwise
    /// (`.some(nil)`: none at all).
    @discardableResult
    func post(_ target: String, _ fields: [(String, String)], csrf: String?? = .none,
              headers: [(String, String)] = []) throws -> Response {
        var pairs = fields.map { (name: $0.0, value: $0.1) }
        switch csrf {
        case .none: if let token = self.csrf { pairs.append(("_csrf", token)) }
        case .some(.some(let token)): pairs.append(("_csrf", token))
        case .some(.none): break
        }
        let body = FormData(pairs: pairs).encoded
        return try send(Request(method: "POST", target: target,
                                headers: Headers(baseHeaders + [("Content-Type", "application/x-www-form-urlencoded")] + headers),
                                body: Array(body.utf8), clientAddress: address))
    }

    @discardableResult
    func signUp(name: String, email: String, password: String, next: String? = nil) throws -> Response {
        try get("/signup")
        var fields = [("name", name), ("email", email), ("password", password)]
        if let next { fields.append(("next", next)) }
        return try post("/signup", fields)
    }

    @discardableResult
    func logIn(email: String, password: String, next: String? = nil) throws -> Response {
        try get("/login")
        var fields = [("email", email), ("password", password)]
        if let next { fields.append(("next", next)) }
        return try post("/login", fields)
    }

    private var baseHeaders: [(String, String)] {
        var headers = [("User-Agent", userAgent)]
        var cookies = formCookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        if let cookie { cookies.insert("bizing_session=\(cookie)", at: 0) }
        if !cookies.isEmpty { headers.append(("Cookie", cookies.joined(separator: "; "))) }
        return headers
    }

    private func send(_ request: Request) throws -> Response {
        let response = app.respond(to: request)
        for value in response.headers.values("Set-Cookie") where value.hasPrefix("bizing_session=") {
            let token = String(value.dropFirst("bizing_session=".count).prefix { $0 != ";" })
            cookie = token.isEmpty ? nil : token
        }
        for value in response.headers.values("Set-Cookie") where value.hasPrefix("bizing_form_") {
            let pair = value.prefix { $0 != ";" }.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { state.withLock { $0.formCookies[String(pair[0])] = String(pair[1]) } }
        }
        if let token = Self.formToken(in: response.text) { state.withLock { $0.csrf = token } }
        return response
    }

    static func formToken(in html: String) -> String? {
        guard let range = html.range(of: #"name="_csrf" value=""#) else { return nil }
        let token = html[range.upperBound...].prefix { $0 != "\"" }
        return token.isEmpty ? nil : String(token)
    }
}

/// The time the app sees; tests move it.
final class TestClock: Sendable {
    private let value: Mutex<Date>
    init(_ start: Date) { value = Mutex(start) }
    var now: Date { value.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { value.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// Log lines kept for inspection.
final class LogStore: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: String { lines.withLock { $0.joined(separator: "\n") } }
}

struct CapturingLogHandler: LogHandler {
    let store: LogStore
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        store.append("\(event.level) \(event.message) \(event.metadata ?? [:]) \(metadata)")
    }
}

struct AccountsBrowserTests {
    @Test func browserCarriesTheSessionCookieAndFormToken() throws {
        let test = try TestApp()
        let browser = test.browser()
        // Given a first visit to a page with a form
        try browser.get("/login")
        // Then the browser holds a form cookie and its form token, and no session yet
        #expect(browser.formCookies.count == 1)
        #expect(browser.cookie == nil)
        #expect(browser.csrf?.hasPrefix("b.") == true)
    }
}
