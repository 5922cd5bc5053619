import BookingCore
import Foundation
import GRDB
@testable import Store
import TestSupport
import Testing

/// `bizing payments reconcile --business SLUG`: every difference on its own line, exit 1 when any.
@Suite(.serialized)
struct PaymentsCLITests {
    func reconcile(_ directory: String, stripe: String) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLITests.binary)
        process.arguments = ["payments", "reconcile", "--business", "demo", "--data-dir", directory]
        process.currentDirectoryURL = URL(fileURLWithPath: CLITests.root)
        var environment = ProcessInfo.processInfo.environment
        environment["BIZING_STRIPE_API_BASE"] = stripe
        environment["BIZING_SECRET_KEY"] = String(repeating: "ab", count: 32)
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    @Test func reconcilePrintsEachDifferenceAndExitsOne() throws {
        let stripe = StripeDouble()
        try stripe.start()
        defer { stripe.stop() }
        let directory = NSTemporaryDirectory() + "bizing-reconcile-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = try AppDatabase(dataDirectory: directory, migrationsDirectory: CLITests.root + "/migrations")
        let box = try SecretBox(keyBytes: Array(repeating: 0xAB, count: 32))
        try database.pool.write { db in _ = try DemoData.seed(db, now: 1_795_366_800, hashPassword: { "$argon2id$x" }) }
        try database.connectPayments(PaymentAccount(businessID: 1, secretKeySealed: try box.seal("sk_test_cli0001"),
                                                    webhookSecretSealed: try box.seal("whsec_cli"), publishableKey: "pk_test_cli0001",
                                                    secretKeyHint: "sk_test_…0001", webhookSecretHint: "whsec_…_cli",
                                                    reschedulePricing: .keepPrice, connectedAt: 0), actor: "system", now: 0)
        let clean = try reconcile(directory, stripe: stripe.base)
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.stdout.contains("agrees with Stripe"))
        try database.pool.write { db in
            try db.execute(sql: """
                INSERT INTO ledger_entries (business_id, order_id, kind, amount, currency, method, at, note, stripe_id)
                SELECT business_id, id, 'charge', 700, 'USD', 'stripe', 0, 'planted', 'pi_planted' FROM booking_orders LIMIT 1
                """)
        }
        let dirty = try reconcile(directory, stripe: stripe.base)
        #expect(dirty.status == 1)
        #expect(dirty.stdout.contains("pi_planted: the ledger records charge 700"))
        #expect(dirty.stderr.contains("1 difference(s)"))
    }
}
