import Foundation
import GRDB
import HTTPServer
import Logging
@testable import Store
import TestSupport
@testable import Web

/// An app over a fresh real database file, with the repository's templates and files.
struct TestApp {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    let app: App
    let database: AppDatabase
    let directory: String
    /// The app's clock: starts at `now`; a test may move it (to an appointment's start, say).
    let clock: TestClock

    init(now: Date = Date(timeIntervalSince1970: 1_795_000_000)) throws {
        directory = NSTemporaryDirectory() + "bizing-web-\(UUID().uuidString)"
        let paths = ResourcePaths(root: Self.root)
        database = try AppDatabase(dataDirectory: directory, migrationsDirectory: paths.migrations)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let clock = TestClock(now)
        self.clock = clock
        app = try App(database: database, paths: paths, logger: logger, clock: { clock.now })
    }

    func get(_ target: String, headers: [(String, String)] = []) throws -> Response {
        try app.respond(to: Request(method: "GET", target: target, headers: Headers(headers)))
    }

    func post(_ target: String, form: [(String, String)], headers: [(String, String)] = []) throws -> Response {
        let body = FormData(pairs: form.map { (name: $0.0, value: $0.1) }).encoded
        return app.respond(to: try Request(method: "POST", target: target,
                                           headers: Headers([("Content-Type", "application/x-www-form-urlencoded")] + headers),
                                           body: Array(body.utf8)))
    }
}

extension TestClock {
    /// Moves the clock to an RFC 3339 instant ("2026-12-01T17:05:00Z").
    func set(_ instant: String) {
        let target = ISO8601DateFormatter().date(from: instant)!
        advance(target.timeIntervalSince(now))
    }
}

extension Response {
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// What the API suites share: the demo plus a second business, and a real server on loopback.
extension TestApp {
    /// Seeds the demo data and a second business "other" (Europe/Berlin, EUR) for checks across businesses.
    func seedDemoAndOther(_ db: Database, now: Int64) throws -> (demo: Business, other: Business) {
        _ = try DemoData.seed(db, now: now, hashPassword: { "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA" })
        let other = try Catalog.createBusiness(db, slug: "other", name: "Other", timeZone: "Europe/Berlin", currency: "EUR", now: now)
        return (try Catalog.business(db, slug: "demo")!, other)
    }

    /// This app served on an ephemeral loopback port (four threads, quiet logs), and a client for it.
    func serve() throws -> (Server, RawHTTPClient) {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.threads = 4
        var logger = Logger(label: "t")
        logger.logLevel = .critical
        let server = try Server(configuration: configuration, application: app, logger: logger)
        return (server, RawHTTPClient(port: server.port))
    }
}
