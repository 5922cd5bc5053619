import BookingCore
import Foundation
import GRDB
import HTTPServer
import Jobs
import Logging
import Outbound
@testable import Store
import Synchronization
import TestSupport
import Web

/// The demo business over a fresh database file, the app in process, a clock the test moves, and
/// an outbox worker sending to whatever transport the test gives it (a real aiosmtpd sink).
final class MailHarness: Sendable {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    /// Sunday 2026-11-22 12:00 New York.
    static let start: Instant = 1_795_366_800
    static let baseURL = "http://bizing.test"

    let database: AppDatabase
    let app: App
    let business: Business
    let directory: String
    private let time = MovableClock(MailHarness.start)

    init(allowPrivateWebhooks: Bool = false) throws {
        directory = NSTemporaryDirectory() + "bizing-jobs-\(UUID().uuidString)"
        database = try AppDatabase(dataDirectory: directory, migrationsDirectory: Self.root + "/migrations")
        let now = Self.start
        business = try database.pool.write { db in
            _ = try DemoData.seed(db, now: now, hashPassword: { "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA" })
            // The demo's own bookings' messages are not what these tests look at.
            try db.execute(sql: "DELETE FROM outbox")
            return try Catalog.business(db, slug: "demo")!
        }
        var logger = Logger(label: "jobs-test")
        logger.logLevel = .critical
        let time = self.time
        app = try App(database: database, paths: ResourcePaths(root: Self.root), logger: logger,
                      clock: { Date(timeIntervalSince1970: Double(time.now)) },
                      webhookDestinations: DestinationPolicy(allowPrivate: allowPrivateWebhooks))
    }

    var now: Instant { time.now }
    func set(now: Instant) { time.set(now) }

    func worker(_ transport: (any MailTransport)?, webhooks: WebhookSender? = nil, batchSize: Int = 10,
                pollSeconds: Double = 0.2) throws -> OutboxWorker {
        var options = OutboxWorker.Options()
        options.batchSize = batchSize
        options.pollSeconds = pollSeconds
        var logger = Logger(label: "outbox-test")
        logger.logLevel = .critical
        let time = self.time
        return try OutboxWorker(database: database, transport: transport,
                                settings: MailSettings(from: MailAddress("bookings@bizing.test", name: "Demo Wellness"), baseURL: Self.baseURL),
                                templatesDirectory: Self.root + "/Templates/email", webhooks: webhooks, options: options, logger: logger,
                                clock: { time.now })
    }

    func newYork(_ date: String, _ time: String) -> Instant {
        ZoneClock(identifier: "America/New_York")!.instant(LocalDate(date)!, WallTime(time)!)!
    }

    /// Books `consultation` with Sam (no provider account: no staff alert) for `name`.
    func book(name: String = "Grace Guest", email: String = "grace@example.com", at start: Instant,
              resources: [String] = ["sam-stylist"]) throws -> (order: OrderView, accessToken: String) {
        let business = business, now = now
        return try database.write { db in
            try Bookings.book(db, business: business, request: BookingRequest(
                offerSlug: "consultation", start: start, customer: CustomerDetails(name: name, email: email, phone: "+1 212 555 0100"),
                resourceSlugs: resources, source: "web"), now: now, actor: .guest)
        }
    }

    func get(_ target: String) throws -> Response {
        app.respond(to: try Request(method: "GET", target: target, headers: Headers([])))
    }

    /// Outbox rows as (kind, status, attempts).
    func rows() throws -> [(kind: String, status: String, attempts: Int, messageID: String)] {
        try database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, status, attempts, message_id FROM outbox ORDER BY id").map {
                ($0["kind"], $0["status"], $0["attempts"], $0["message_id"])
            }
        }
    }
}

/// A transport the test switches between "down" (a real SMTP client to a closed loopback port)
/// and a real sink.
final class SwitchableTransport: MailTransport {
    private let current: Mutex<any MailTransport>
    init(_ transport: any MailTransport) { current = Mutex(transport) }
    func use(_ transport: any MailTransport) { current.withLock { $0 = transport } }
    func send(_ message: MailMessage) throws(OutboundError) {
        let transport = current.withLock { $0 }
        try transport.send(message)
    }
}

extension ReceivedMail {
    var textPart: String? { parts.first { $0.contentType == "text/plain" }?.text }
    var htmlPart: String? { parts.first { $0.contentType == "text/html" }?.text }
    var calendarPart: Part? { parts.first { $0.contentType == "text/calendar" } }
}

/// The harness's instant, moved by the test.
final class MovableClock: Sendable {
    private let value: Mutex<Instant>
    init(_ start: Instant) { value = Mutex(start) }
    var now: Instant { value.withLock { $0 } }
    func set(_ instant: Instant) { value.withLock { $0 = instant } }
}
