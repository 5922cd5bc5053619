import BookingCore
import Crypto
import Foundation
import GRDB
import HTTPServer
import Jobs
import Logging
import Outbound
@testable import Store
import TestSupport
import Testing
import Web

/// Webhook deliveries by the outbox worker to a real HTTP receiver on loopback (issue 15).
@Suite(.serialized) struct WebhookDeliveryTests {
    /// Monday 2026-11-30 10:00 New York: Sam is free and it is ahead of the harness's clock.
    static func start(_ harness: MailHarness) -> Instant { harness.newYork("2026-11-30", "10:00") }

    func sender(allowPrivate: Bool = true) -> WebhookSender {
        WebhookSender(client: HTTPClient(policy: DestinationPolicy(allowPrivate: allowPrivate)), payload: WebhookPayload.write)
    }

    /// A subscription of the demo business to `url` for `events`; its secret.
    func subscribe(_ harness: MailHarness, url: String, events: [DomainEventType] = [.bookingCreated, .bookingCancelled]) throws -> String {
        let answer = try harness.database.createWebhook(businessID: harness.business.id, url: url, events: events, role: .owner,
                                                        apiKeyID: nil, actor: .system, now: harness.now) { _, secret in Array(secret.utf8) }
        guard case .fresh(let secret) = answer else { Issue.record("not created"); return "" }
        return String(decoding: secret, as: UTF8.self)
    }

    func deliveries(_ harness: MailHarness) throws -> [Row] {
        try harness.database.pool.read { try Row.fetchAll($0, sql: "SELECT * FROM webhook_deliveries ORDER BY id") }
    }

    func attempts(_ harness: MailHarness) throws -> [Row] {
        try harness.database.pool.read { try Row.fetchAll($0, sql: "SELECT * FROM webhook_attempts ORDER BY delivery_id, number") }
    }

    /// Checks `Bizing-Signature` the way docs/webhooks.md tells a receiver to.
    static func verifies(_ header: String?, body: [UInt8], secret: String) -> Bool {
        WebhookSignature.verifies(header, body: body, secret: secret)
    }

    /// A wake-up for emails (a booking) does not make a worker claim webhooks: that claim is a write
    /// through the group-commit writer; the poll and a webhook's own wake-up do.
    @Test func aWorkerWokenForMailOnlyLeavesWebhooksToTheirOwnWakeUp() throws {
        let harness = try MailHarness()
        _ = try subscribe(harness, url: "http://127.0.0.1:9/hooks")
        _ = try harness.book(at: Self.start(harness))
        let worker = try harness.worker(nil, webhooks: sender())
        #expect(try worker.deliverBatch(.mail) == 0)
        #expect(try deliveries(harness).map { $0["attempts"] as Int } == [0])
        #expect(try worker.deliverBatch(.webhooks) == 1)
        #expect(try deliveries(harness).map { $0["attempts"] as Int } == [1])
    }

    @Test func aBookingIsDeliveredSignedWithTheBookingInTheAPIShape() throws {
        let harness = try MailHarness()
        let receiver = HTTPReceiver()
        try receiver.start()
        defer { receiver.stop() }
        let secret = try subscribe(harness, url: receiver.baseURL + "/hooks")
        let booked = try harness.book(at: Self.start(harness)).order
        // One delivery row was written with the booking, in its transaction.
        #expect(try deliveries(harness).map { $0["event_type"] as String } == ["booking.created"])

        let worker = try harness.worker(nil, webhooks: sender())
        #expect(try worker.deliverBatch() == 1)
        let requests = receiver.waitForRequests(count: 1)
        let request = try #require(requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/hooks")
        #expect(request.header("Bizing-Event") == "booking.created")
        #expect(request.header("Content-Type") == "application/json")
        #expect(request.header("Bizing-Delivery") == (try deliveries(harness).first?["public_id"] as String?))
        #expect(Self.verifies(request.header("Bizing-Signature"), body: request.body, secret: secret))
        #expect(!Self.verifies(request.header("Bizing-Signature"), body: request.body, secret: secret + "x"))
        #expect(request.header("Bizing-Signature")?.hasPrefix("t=\(harness.now),v1=") == true)

        let json = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect(Set(json.keys) == ["id", "type", "created_at", "business", "data"])
        #expect(json["type"] as? String == "booking.created")
        #expect(json["business"] as? String == "demo")
        #expect((json["id"] as? String)?.hasPrefix("evt_") == true)
        let booking = try #require((json["data"] as? [String: Any])?["booking"] as? [String: Any])
        #expect(booking["id"] as? String == booked.publicID)
        #expect(booking["status"] as? String == "confirmed")
        #expect((booking["customer"] as? [String: Any])?["email"] as? String == "grace@example.com")
        #expect(try deliveries(harness).first?["status"] == "delivered")
        #expect(try attempts(harness).map { $0["status_code"] as Int? } == [200])
        #expect(try attempts(harness).first?["response_body"] == "ok")
        // Nothing more is due.
        #expect(try worker.deliverBatch() == 0)
    }

    @Test func aStaffSubscriptionGetsTheCustomerMaskedAsAStaffKeyWould() throws {
        let harness = try MailHarness()
        let receiver = HTTPReceiver()
        try receiver.start()
        defer { receiver.stop() }
        _ = try harness.database.createWebhook(businessID: harness.business.id, url: receiver.baseURL, events: [.bookingCreated], role: .staff,
                                               apiKeyID: nil, actor: .system, now: harness.now) { _, secret in Array(secret.utf8) }
        _ = try harness.book(name: "Zelda Quinn", at: Self.start(harness))
        _ = try harness.worker(nil, webhooks: sender()).deliverBatch()
        let body = try #require(receiver.waitForRequests(count: 1).first?.body)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        let customer = try #require(((json["data"] as? [String: Any])?["booking"] as? [String: Any])?["customer"] as? [String: Any])
        #expect(customer["name"] as? String == "Zelda Q.")
        #expect(customer["email"] is NSNull)
    }

    @Test func failingTwiceThenSucceedingTakesThreeAttemptsWithGrowingGapsAndOneDeliveryID() throws {
        let harness = try MailHarness()
        let receiver = HTTPReceiver(failFirst: 2)
        try receiver.start()
        defer { receiver.stop() }
        let secret = try subscribe(harness, url: receiver.baseURL + "/hooks")
        _ = try harness.book(at: Self.start(harness))
        let worker = try harness.worker(nil, webhooks: sender())
        var sentAt: [Instant] = []
        for attempt in 1...3 {
            sentAt.append(harness.now)
            #expect(try worker.deliverBatch() == 1)
            #expect(receiver.waitForRequests(count: attempt).count == attempt)
            let row = try #require(try deliveries(harness).first)
            if attempt < 3 {
                #expect(row["status"] == "pending")
                let next: Instant = row["next_attempt_at"]
                // Not before its time.
                harness.set(now: next - 1)
                #expect(try worker.deliverBatch() == 0)
                harness.set(now: next)
            } else {
                #expect(row["status"] == "delivered")
                #expect(row["attempts"] == 3)
            }
        }
        let gaps = zip(sentAt.dropFirst(), sentAt).map { $0 - $1 }
        #expect(gaps[0] > 0 && gaps[0] <= 30)   // the first retry within 30 s
        #expect(gaps[1] > gaps[0])
        let requests = receiver.requests()
        #expect(requests.map(\.status) == [500, 500, 200])
        #expect(Set(requests.compactMap { $0.header("Bizing-Delivery") }).count == 1)
        #expect(Set(requests.map(\.body)).count == 1)   // the same bytes every time…
        #expect(requests.allSatisfy { Self.verifies($0.header("Bizing-Signature"), body: $0.body, secret: secret) })   // …signed afresh
        #expect(try attempts(harness).map { $0["status_code"] as Int? } == [500, 500, 200])
        #expect(try attempts(harness).first?["response_body"] == "failing on purpose")
    }

    @Test func aLoopbackURLIsRefusedWithoutTheFlagAndNothingIsSent() throws {
        let harness = try MailHarness()
        let receiver = HTTPReceiver()
        try receiver.start()
        defer { receiver.stop() }
        #expect(throws: OutboundError.self) { try DestinationPolicy().check(url: receiver.baseURL) }
        #expect(throws: OutboundError.self) { try DestinationPolicy().check(url: "http://169.254.169.254/latest/meta-data") }
        #expect(throws: OutboundError.self) { try DestinationPolicy().check(url: "http://localhost:\(receiver.port)/") }
        #expect(throws: OutboundError.self) { try DestinationPolicy().check(url: "ftp://example.com/") }
        // A subscription made while the server allowed it is not delivered once it does not.
        _ = try subscribe(harness, url: receiver.baseURL + "/hooks")
        _ = try harness.book(at: Self.start(harness))
        #expect(try harness.worker(nil, webhooks: sender(allowPrivate: false)).deliverBatch() == 1)
        usleep(300_000)
        #expect(receiver.requests().isEmpty)
        let attempt = try #require(try attempts(harness).first)
        #expect(attempt["status_code"] == nil as Int?)
        #expect((attempt["error"] as String).contains("loopback"))
        #expect(try deliveries(harness).first?["status"] == "pending")
    }

    @Test func aRedirectIsNotFollowed() throws {
        let harness = try MailHarness()
        let receiver = HTTPReceiver()
        try receiver.start()
        defer { receiver.stop() }
        _ = try subscribe(harness, url: receiver.baseURL + "/redirect")
        _ = try harness.book(at: Self.start(harness))
        #expect(try harness.worker(nil, webhooks: sender()).deliverBatch() == 1)
        usleep(300_000)
        #expect(receiver.requests().map(\.path) == ["/redirect"])
        let row = try #require(try deliveries(harness).first)
        #expect(row["last_status_code"] == 302)
        #expect(row["status"] == "pending")
        #expect((try attempts(harness).first?["error"] as String?)?.contains("redirects are not followed") == true)
    }

    @Test func aDeliveryClaimedByAWorkerThatDiedIsDeliveredByANewWorkerOnTheSameDatabase() throws {
        let harness = try MailHarness()
        let receiver = HTTPReceiver()
        try receiver.start()
        defer { receiver.stop() }
        _ = try subscribe(harness, url: receiver.baseURL + "/hooks")
        _ = try harness.book(at: Self.start(harness))
        // A worker claims it and dies before sending (nothing recorded).
        let claimed = try harness.database.claimDueWebhooks(now: harness.now, leaseSeconds: 60, limit: 10)
        #expect(claimed.count == 1)
        // A new process: a fresh door onto the same file, and a new worker.
        let reopened = try AppDatabase(dataDirectory: harness.directory, migrationsDirectory: MailHarness.root + "/migrations")
        let now = harness.now
        let worker = try OutboxWorker(database: reopened, transport: nil,
                                      settings: MailSettings(from: MailAddress("b@bizing.test", name: ""), baseURL: MailHarness.baseURL),
                                      templatesDirectory: MailHarness.root + "/Templates/email", webhooks: sender(), clock: { now + 61 })
        #expect(try worker.deliverBatch() == 1)
        let request = try #require(receiver.waitForRequests(count: 1).first)
        #expect(request.header("Bizing-Delivery") == claimed.first?.publicID)
        #expect(try deliveries(harness).first?["status"] == "delivered")
        #expect(try deliveries(harness).first?["attempts"] == 2)
    }

    @Test func aDayOfFailuresDisablesTheEndpointAndEmailsTheOwner() throws {
        let harness = try MailHarness()
        let receiver = HTTPReceiver(failFirst: 1000)
        try receiver.start()
        defer { receiver.stop() }
        _ = try subscribe(harness, url: receiver.baseURL + "/hooks")
        _ = try harness.book(at: Self.start(harness))
        let worker = try harness.worker(nil, webhooks: sender())
        let began = harness.now
        var rounds = 0
        while rounds < 40, try harness.database.webhooks(businessID: harness.business.id).first?.active == true {
            #expect(try worker.deliverBatch() == 1)
            rounds += 1
            if let next: Instant = try deliveries(harness).first?["next_attempt_at"] { harness.set(now: max(next, harness.now + 1)) }
        }
        let subscription = try #require(try harness.database.webhooks(businessID: harness.business.id).first)
        #expect(!subscription.active)
        #expect(rounds >= 8)
        #expect(harness.now - began >= 86_400)
        #expect(try harness.rows().filter { $0.kind == "webhook_disabled" }.count == 1)
        let owner = try harness.database.pool.read {
            try String.fetchOne($0, sql: "SELECT recipient_email FROM outbox WHERE kind = 'webhook_disabled'")
        }
        #expect(owner == "owner@demo.test")
        // Disabled: nothing more is claimed.
        harness.set(now: harness.now + 86_400)
        #expect(try worker.deliverBatch() == 0)
    }
}
