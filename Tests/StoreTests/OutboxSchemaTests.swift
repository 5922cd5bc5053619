import Foundation
import GRDB
import Testing
@testable import Store

/// Migration 0179 rebuilds the outbox with its kind and status CHECKs written as chains of equalities:
/// the same values allowed and refused, the rows kept, and no temporary b-tree built per insert.
struct OutboxSchemaTests {
    let directory = NSTemporaryDirectory() + "bizing-outbox-schema-\(UUID().uuidString)"

    var repoMigrations: String { MigratorTests().repoMigrations }

    static let kinds = ["confirmation", "reschedule", "cancellation", "reminder", "staff_alert", "approval_requested", "approved",
                        "declined", "waitlist_offer", "password_reset", "webhook_disabled"]
    static let statuses = ["pending", "sending", "sent", "failed", "withdrawn"]

    func insert(_ db: Database, kind: String, status: String, id: Int64) throws {
        try db.execute(sql: """
            INSERT INTO outbox (business_id, id, kind, recipient_email, recipient_name, data, message_id, status, next_attempt_at, created_at)
            VALUES (CASE WHEN ? = 'password_reset' THEN NULL ELSE 1 END, ?, ?, 'a@example.com', 'A', '{"n":"1"}', ?, ?, 5, 4)
            """, arguments: [kind, id, kind, String(repeating: "m", count: 16) + String(id), status])
    }

    @Test func theRebuiltOutboxKeepsItsRowsAllowsTheSameValuesAndBuildsNoTemporaryTable() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/bizing.sqlite"
        let all = try Migrator.load(directory: repoMigrations)
        let before = all.filter { $0.name < "0179" }
        #expect(all.contains { $0.name.hasPrefix("0179_") } && !before.contains { $0.name.hasPrefix("0179_") })
        // Given rows of every kind and status written before the rebuild
        var rows: [Row] = []
        do {
            let old = try AppDatabase(path: path, migrations: before)
            rows = try old.pool.write { db in
                try db.execute(sql: "INSERT INTO businesses (id, slug, name, timezone, currency, created_at) VALUES (1, 'b', 'B', 'UTC', 'EUR', 1)")
                for (n, kind) in Self.kinds.enumerated() {
                    try insert(db, kind: kind, status: Self.statuses[n % Self.statuses.count], id: Int64(n + 1))
                }
                return try Row.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY id")
            }
        }
        // When the rebuild runs
        let database = try AppDatabase(path: path, migrations: all)
        try database.pool.write { db in
            // Then every row is as it was, and the indexes are back
            #expect(try Row.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY id") == rows)
            let indexes = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox' ORDER BY name")
            #expect(indexes == ["outbox_by_business", "outbox_by_order", "outbox_due"])
            // every kind and status is still allowed, anything else refused
            for (n, status) in Self.statuses.enumerated() { try insert(db, kind: "reminder", status: status, id: Int64(100 + n)) }
            for (n, kind) in Self.kinds.enumerated() { try insert(db, kind: kind, status: "pending", id: Int64(200 + n)) }
            #expect(throws: DatabaseError.self) { try insert(db, kind: "newsletter", status: "pending", id: 300) }
            #expect(throws: DatabaseError.self) { try insert(db, kind: "reminder", status: "queued", id: 301) }
            #expect(throws: DatabaseError.self) { try insert(db, kind: "Reminder", status: "pending", id: 302) }
            // and the outbox's insert builds no temporary b-tree (0179's reason)
            let program = try Row.fetchAll(db, sql: """
                EXPLAIN INSERT INTO outbox (business_id, kind, recipient_email, recipient_name, data, message_id, next_attempt_at, created_at, order_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: StatementArguments(Array(repeating: nil as String?, count: 9))).map { $0["opcode"] as String }
            #expect(program.contains("Insert"))
            #expect(!program.contains("OpenEphemeral"))
        }
    }
}
