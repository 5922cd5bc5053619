import BookingCore
import Foundation
import GRDB
@testable import Store
import TestSupport
import Testing

/// The real `bizing serve` binary, killed with SIGKILL while its SMTP conversation hangs in DATA,
/// then restarted: the message is delivered once the lease ends, with the Message-ID it had.
@Suite(.serialized) struct CrashRecoveryTests {
    static let root = MailHarness.root
    static var binary: String { root + "/.build/debug/bizing" }

    /// A data directory with the demo, its seeded messages gone, and one guest booking (one due
    /// confirmation; its reminder is days away). Returns the message's Message-ID left part.
    func prepare(_ directory: String) throws -> String {
        let database = try AppDatabase(dataDirectory: directory, migrationsDirectory: Self.root + "/migrations")
        let now = Int64(Date().timeIntervalSince1970)
        return try database.pool.write { db in
            _ = try DemoData.seed(db, now: now, hashPassword: { "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA" })
            try db.execute(sql: "DELETE FROM outbox")
            let business = try #require(try Catalog.business(db, slug: "demo"))
            let clock = ZoneClock(identifier: business.timeZone)!
            var date = clock.local(now).date.adding(days: 7)
            while date.weekday == .sunday { date = date.adding(days: 1) }
            _ = try Bookings.book(db, business: business, request: BookingRequest(
                offerSlug: "consultation", start: clock.instant(date, WallTime("10:00")!)!,
                customer: CustomerDetails(name: "Grace Guest", email: "grace@example.com"), resourceSlugs: ["sam-stylist"], source: "web"),
                now: now, actor: .guest)
            return try #require(try String.fetchOne(db, sql: "SELECT message_id FROM outbox WHERE kind = 'confirmation'"))
        }
    }

    func serve(_ directory: String, smtp: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["serve", "--data-dir", directory, "--port", "0", "--smtp", smtp, "--mail-lease-seconds", "5",
                             "--log-level", "critical"]
        var environment = ProcessInfo.processInfo.environment
        environment["BIZING_ROOT"] = Self.root
        environment["BIZING_MAIL_FROM"] = "Demo <bookings@demo.test>"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func status(_ directory: String) throws -> (status: String, attempts: Int)? {
        let queue = try DatabaseQueue(path: directory + "/bizing.sqlite")
        return try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT status, attempts FROM outbox WHERE kind = 'confirmation'").map { ($0["status"], $0["attempts"]) }
        }
    }

    func waitFor(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(50_000)
        }
        return try condition()
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: CrashRecoveryTests.binary)))
    func killedMidSendIsDeliveredOnceWithTheSameMessageID() throws {
        let directory = NSTemporaryDirectory() + "bizing-crash-\(UUID().uuidString)"
        let messageID = try prepare(directory)
        // Given a server whose SMTP server never answers the end of DATA
        let stalling = SMTPSink(stallInData: true)
        try stalling.start()
        defer { stalling.stop() }
        let first = try serve(directory, smtp: stalling.url)
        #expect(try waitFor(10) { try status(directory)?.status == "sending" })
        usleep(500_000)   // inside DATA now
        // When it is killed mid-send
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        #expect(try status(directory)?.status == "sending")
        // Then a restarted server sends it again after the lease, with the same Message-ID, once
        let sink = SMTPSink()
        try sink.start()
        defer { sink.stop() }
        let second = try serve(directory, smtp: sink.url)
        defer { second.terminate(); second.waitUntilExit() }
        let mails = sink.waitForMessages(count: 1, timeout: 20)
        #expect(mails.count == 1)
        #expect(mails.first?.header("Message-ID") == "<\(messageID)@demo.test>")
        #expect(mails.first?.recipients == ["grace@example.com"])
        #expect(try waitFor(5) { try status(directory)?.status == "sent" })
        #expect(try status(directory)?.attempts == 2)
        usleep(500_000)
        #expect(sink.messages().count == 1)
    }
}
