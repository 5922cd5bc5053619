import Foundation
import GRDB
@testable import Store
import Testing

/// `bizing privacy erase --business SLUG --email ADDRESS`.
@Suite(.serialized)
struct PrivacyCLITests {
    @Test func erasesAPastCustomerOnceThenFindsNothing() throws {
        // Given the demo, whose bookings (November 2026) are behind the real clock
        let directory = NSTemporaryDirectory() + "bizing-privacy-cli-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let seeded = try TestApp(directory: directory, seed: { database in
            try database.pool.write { db in _ = try DemoData.seed(db, now: TestApp.Staff.seededAt, hashPassword: { "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA" }) }
        })
        let cli = CLITests()
        // When the owner erases Zelda from the command line
        let erased = try cli.run(["privacy", "erase", "--business", "demo", "--email", "Zelda.Quinn@example.com", "--data-dir", directory])
        #expect(erased.status == 0, "\(erased.stderr)")
        #expect(erased.stdout.hasPrefix("erased: 1 booking(s) now read \"Erased customer "))
        #expect(try seeded.database.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM booking_orders WHERE customer_email LIKE 'zelda%'")
        } == 0)
        // Then a second run, and an unknown business, fail with one line and exit 1
        let again = try cli.run(["privacy", "erase", "--business", "demo", "--email", "zelda.quinn@example.com", "--data-dir", directory])
        #expect(again.status == 1 && again.stderr.contains("holds nothing"))
        let unknown = try cli.run(["privacy", "erase", "--business", "nope", "--email", "a@b.co", "--data-dir", directory])
        #expect(unknown.status == 1 && unknown.stderr.split(separator: "\n").count == 1)
    }
}
