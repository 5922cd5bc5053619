import BookingCore
import Foundation
import GRDB
import HTTPServer
import Logging
import Outbound
import Passwords
@testable import Store
import Synchronization
import TestSupport
import Testing
@testable import Web

/// The one harness of the Web suites: an app over a fresh real database file, with the repository's
/// templates and files, a clock the test moves, cheap argon2 parameters (the suites are not about
/// the parameters; `passwords:` sets others) and a logger that keeps every line (`logs`).
/// `TestApp.bookingPages()` and `TestApp.staff()` add the demo business at fixed instants.
final class TestApp: Sendable {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let start = Date(timeIntervalSince1970: 1_795_000_000)
    static let fastPasswords = Passwords(parameters: .init(memoryKiB: 1024, iterations: 1, parallelism: 1))

    let app: App
    let database: AppDatabase
    let directory: String
    /// The app's clock: starts at `now`; a test may move it (to an appointment's start, say).
    let clock: TestClock
    let logs: LogStore

    init(now: Date = TestApp.start, passwords: Passwords = TestApp.fastPasswords, trustForwardedProto: Bool = false,
         directory: String? = nil, allowPrivateWebhooks: Bool = false, payments: PaymentSettings = PaymentSettings(),
         seed: ((AppDatabase) throws -> Void)? = nil) throws {
        self.directory = directory ?? NSTemporaryDirectory() + "bizing-web-\(UUID().uuidString)"
        let paths = ResourcePaths(root: Self.root)
        database = try AppDatabase(dataDirectory: self.directory, migrationsDirectory: paths.migrations)
        try seed?(database)
        let clock = TestClock(now)
        self.clock = clock
        let logs = LogStore()
        self.logs = logs
        var logger = Logger(label: "web-test") { _ in CapturingLogHandler(store: logs) }
        logger.logLevel = .trace
        app = try App(database: database, paths: paths, logger: logger, clock: { clock.now },
                      passwords: passwords, trustForwardedProto: trustForwardedProto,
                      webhookDestinations: DestinationPolicy(allowPrivate: allowPrivateWebhooks), payments: payments)
    }

    var now: Date { clock.now }
    var nowSeconds: Int64 { Int64(now.timeIntervalSince1970) }

    func advance(seconds: TimeInterval) { clock.advance(seconds) }

    /// A browser from `address` (it keeps its cookies and the last form token it was given).
    func browser(_ address: String = "203.0.113.7", userAgent: String = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0") -> Browser {
        Browser(app: app, address: address, userAgent: userAgent)
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

/// Accounts: businesses and members made directly.
extension TestApp {
    /// A business straight into the database (the setup flow belongs to another feature).
    @discardableResult
    func createBusiness(slug: String, name: String? = nil) throws -> BusinessID {
        try database.pool.write { db in
            try db.execute(sql: "INSERT INTO businesses (slug, name, timezone, currency, created_at) VALUES (?, ?, 'UTC', 'USD', 0)",
                           arguments: [slug, name ?? slug.capitalized])
            return BusinessID(rawValue: db.lastInsertedRowID)
        }
    }

    /// A signed-in browser for a new user with `role` in `businessID` (when given).
    func member(_ email: String, role: BookingCore.Role? = nil, in businessID: BusinessID? = nil,
                password: String = "correct horse battery") throws -> (Browser, User) {
        let browser = browser()
        let response = try browser.signUp(name: email, email: email, password: password)
        #expect(response.status == .seeOther)
        let user = try #require(try database.user(email: email))
        if let role, let businessID {
            try database.setMembership(businessID: businessID, userID: user.id, role: role, actor: "system", now: nowSeconds)
        }
        return (browser, user)
    }
}

/// The customer pages' fixture: the demo business at Sunday 2026-11-22 12:00 New York.
extension TestApp {
    enum Pages {
        static let now: Int64 = 1_795_366_800
        /// Monday 2026-11-30 09:00 New York.
        static let mondayNine = "2026-11-30T14:00:00Z"
    }

    static func bookingPages() throws -> TestApp {
        try TestApp(now: Date(timeIntervalSince1970: TimeInterval(Pages.now)), seed: { database in
            try database.pool.write { db in
                _ = try DemoData.seed(db, now: Pages.now, hashPassword: { "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA" })
            }
        })
    }

    /// Holds `start` with Dana from the slot page; returns the checkout path.
    func hold(_ browser: Browser, start: String = Pages.mondayNine, offer: String = "consultation", resource: String? = "dana-doctor",
              extra: [(String, String)] = []) throws -> Response {
        // A slot page that fails would leave the browser without a cookie or form token, and the
        // hold would then show up as a misleading 403: report the page itself.
        let page = try browser.get("/b/demo/\(offer)?date=2026-11-30")
        #expect(page.status == .ok, "the slot page answered \(page.status.code) before the hold")
        #expect(browser.csrf != nil, "the slot page carried no form token")
        var fields = [("start", start)] + extra
        if let resource { fields.append(("resource", resource)) }
        return try browser.post("/b/demo/\(offer)/hold", fields)
    }

    /// Hold, then confirm as Zed Racer; returns the booking page path with its token.
    func book(_ browser: Browser, start: String = Pages.mondayNine) throws -> String {
        let held = try hold(browser, start: start)
        let checkout = try #require(held.headers["Location"])
        try browser.get(checkout)
        let confirmed = try browser.post(checkout, [("name", "Zed Racer"), ("email", "Zed@Example.com"), ("phone", "+1 212 555 0100")])
        #expect(confirmed.status == .seeOther)
        return try #require(confirmed.headers["Location"])
    }

    func status(of publicID: String) throws -> String? {
        try database.pool.read { try String.fetchOne($0, sql: "SELECT status FROM booking_orders WHERE public_id = ?", arguments: [publicID]) }
    }
}

/// The staff fixture: the demo business seeded on Sunday 2026-11-22 12:00 New York (bookings on
/// Mon–Wed), served by an app whose clock reads Monday 2026-11-23 09:00 New York: the demo day is today.
extension TestApp {
    enum Staff {
        static let seededAt: Int64 = 1_795_366_800       // Sunday 2026-11-22 12:00 New York
        static let mondayNine: Int64 = 1_795_442_400     // Monday 2026-11-23 09:00 New York
        static let demoDay = "2026-11-23"
    }

    static func staff(now: Int64 = Staff.mondayNine, payments: PaymentSettings = PaymentSettings()) throws -> TestApp {
        let hash = try fastPasswords.hash(DemoData.password)
        return try TestApp(now: Date(timeIntervalSince1970: TimeInterval(now)), payments: payments, seed: { database in
            try database.pool.write { db in _ = try DemoData.seed(db, now: Staff.seededAt, hashPassword: { hash }) }
        })
    }

    /// A browser signed in as `email` (a demo user), or anonymous when nil.
    func signedIn(_ email: String?) throws -> Browser {
        let browser = browser()
        if let email {
            let response = try browser.logIn(email: email, password: DemoData.password)
            #expect(response.status == .seeOther)
        }
        return browser
    }

    func bookingID(customer: String) throws -> String {
        try #require(try database.pool.read {
            try String.fetchOne($0, sql: "SELECT public_id FROM booking_orders WHERE customer_name = ?", arguments: [customer])
        })
    }

    func status(customer: String) throws -> String? {
        try database.pool.read {
            try String.fetchOne($0, sql: "SELECT status FROM booking_orders WHERE customer_name = ?", arguments: [customer])
        }
    }

    func userID(_ email: String) throws -> UserID { try #require(try database.user(email: email)).id }

    func audit(action: String) throws -> [(actor: String, subject: String)] {
        try database.pool.read {
            try Row.fetchAll($0, sql: "SELECT actor, subject FROM audit_log WHERE action = ? ORDER BY seq", arguments: [action])
                .map { ($0["actor"], $0["subject"]) }
        }
    }

    var dayURL: String { "/staff/demo/calendar?date=\(Staff.demoDay)&view=day" }
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
