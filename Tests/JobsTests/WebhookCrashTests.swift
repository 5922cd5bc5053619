import BookingCore
import Foundation
import GRDB
@testable import Store
import TestSupport
import Testing

/// The real `bizing serve` killed with SIGKILL while a webhook request is in flight, then restarted:
/// the delivery row survived (it was committed with the booking) and goes out again after the lease,
/// with the same `Bizing-Delivery`.
@Suite(.serialized) struct WebhookCrashTests {
    static var binary: String { CrashRecoveryTests.root + "/.build/debug/bizing" }

    func serve(_ directory: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["serve", "--data-dir", directory, "--port", "0", "--mail-lease-seconds", "5", "--log-level", "critical"]
        var environment = ProcessInfo.processInfo.environment
        environment["BIZING_ROOT"] = CrashRecoveryTests.root
        environment["BIZING_WEBHOOKS_ALLOW_PRIVATE"] = "1"
        environment.removeValue(forKey: "BIZING_SMTP_URL")
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func delivery(_ directory: String) throws -> (status: String, attempts: Int, id: String)? {
        let queue = try DatabaseQueue(path: directory + "/bizing.sqlite")
        return try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT status, attempts, public_id FROM webhook_deliveries").map { ($0["status"], $0["attempts"], $0["public_id"]) }
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: WebhookCrashTests.binary)))
    func killedMidDeliveryIsDeliveredAgainWithTheSameDeliveryID() throws {
        let receiver = HTTPReceiver()
        try receiver.start()
        defer { receiver.stop() }
        // Given a committed booking whose webhook (to an endpoint answering after 3 s) is due
        let directory = NSTemporaryDirectory() + "bizing-webhook-crash-\(UUID().uuidString)"
        let database = try AppDatabase(dataDirectory: directory, migrationsDirectory: CrashRecoveryTests.root + "/migrations")
        let now = Int64(Date().timeIntervalSince1970)
        try database.pool.write { db in
            _ = try DemoData.seed(db, now: now, hashPassword: { "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA" })
            try db.execute(sql: "DELETE FROM webhook_deliveries")
        }
        let business = try #require(try database.business(slug: "demo"))
        _ = try database.createWebhook(businessID: business.id, url: receiver.baseURL + "/slow?seconds=3", events: [.bookingCreated],
                                       role: .owner, apiKeyID: nil, actor: .system, now: now) { _, secret in Array(secret.utf8) }
        let clock = ZoneClock(identifier: business.timeZone)!
        var date = clock.local(now).date.adding(days: 7)
        while date.weekday == .sunday { date = date.adding(days: 1) }
        _ = try database.book(business: business, request: BookingRequest(
            offerSlug: "consultation", start: clock.instant(date, WallTime("10:00")!)!,
            customer: CustomerDetails(name: "Grace Guest", email: "grace@example.com"), resourceSlugs: ["sam-stylist"], source: "web"),
            now: now, actor: .guest)
        let id = try #require(try delivery(directory)?.id)
        // When the server is killed while the request is in flight
        let first = try serve(directory)
        #expect(try CrashRecoveryTests().waitFor(10) { try delivery(directory)?.status == "sending" })
        usleep(500_000)
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        #expect(try delivery(directory)?.status == "sending")
        // Then a restarted server delivers it after the lease, with the same Bizing-Delivery
        let second = try serve(directory)
        defer { second.terminate(); second.waitUntilExit() }
        #expect(try CrashRecoveryTests().waitFor(25) { try delivery(directory)?.status == "delivered" })
        let requests = receiver.waitForRequests(count: 2, timeout: 10)
        #expect(requests.count == 2)
        #expect(requests.allSatisfy { $0.header("Bizing-Delivery") == id })
        #expect(try delivery(directory)?.attempts == 2)
    }
}
