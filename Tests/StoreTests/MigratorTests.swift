import Foundation
import GRDB
import Testing
@testable import Store

/// Migrations against a real database file in a temporary directory.
struct MigratorTests {
    let directory = NSTemporaryDirectory() + "bizing-store-\(UUID().uuidString)"

    var repoMigrations: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("migrations").path
    }

    @Test func freshDatabaseIsWALWithEveryMigrationApplied() throws {
        let database = try AppDatabase(dataDirectory: directory, migrationsDirectory: repoMigrations)
        #expect(try database.journalMode() == "wal")
        let names = try database.pool.read { try String.fetchAll($0, sql: "SELECT name FROM schema_migrations ORDER BY name") }
        #expect(names == (try Migrator.load(directory: repoMigrations)).map(\.name))
        #expect(!names.isEmpty)
        let sync = try database.pool.read { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
        #expect(sync == 2)   // FULL
        let foreignKeys = try database.pool.read { try Int.fetchOne($0, sql: "PRAGMA foreign_keys") }
        #expect(foreignKeys == 1)
    }

    @Test func secondRunAppliesNothing() throws {
        let migrations = try Migrator.load(directory: repoMigrations)
        // Keep the first database open: a discarded one closes (and checkpoints) on another thread.
        let database = try AppDatabase(dataDirectory: directory, migrationsDirectory: repoMigrations)
        #expect(try Migrator.apply(migrations, to: database.pool).isEmpty)
        let reopened = try AppDatabase(dataDirectory: directory, migrationsDirectory: repoMigrations)
        #expect(try reopened.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM schema_migrations") } == migrations.count)
    }

    @Test func brokenMigrationRollsBackAndStops() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let good = Migration(name: "0001_create_a", sql: "CREATE TABLE a (x INTEGER);")
        let broken = Migration(name: "0002_create_b", sql: "CREATE TABLE b (y INTEGER); INSERT INTO a VALUES (1); CREATE TABLE oops (;")
        let pool = try DatabasePool(path: directory + "/t.sqlite")
        #expect(throws: MigrationError.self) { try Migrator.apply([good, broken], to: pool) }
        let state = try pool.read { db in
            (try db.tableExists("a"), try db.tableExists("b"), try Int.fetchOne(db, sql: "SELECT count(*) FROM a"),
             try String.fetchAll(db, sql: "SELECT name FROM schema_migrations"))
        }
        #expect(state.0)
        #expect(!state.1)
        #expect(state.2 == 0)
        #expect(state.3 == ["0001_create_a"])
    }

    @Test func editedMigrationIsRefused() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let pool = try DatabasePool(path: directory + "/t.sqlite")
        try Migrator.apply([Migration(name: "0001_create_a", sql: "CREATE TABLE a (x INTEGER);")], to: pool)
        #expect(throws: MigrationError.edited(name: "0001_create_a")) {
            try Migrator.apply([Migration(name: "0001_create_a", sql: "CREATE TABLE a (x TEXT);")], to: pool)
        }
    }

    @Test func badlyNamedMigrationFileIsRefused() throws {
        let dir = directory + "/migrations"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "SELECT 1;".write(toFile: dir + "/init.sql", atomically: true, encoding: .utf8)
        #expect(throws: MigrationError.badName("init.sql")) { try Migrator.load(directory: dir) }
    }

    @Test func unwritableDataDirectoryIsRefusedWithAReason() throws {
        let file = directory + "-file"
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(throws: AppDatabase.OpenError.self) { try AppDatabase.prepare(dataDirectory: file) }
        let created = try AppDatabase.prepare(dataDirectory: directory + "/nested/data")
        #expect(FileManager.default.fileExists(atPath: created))
    }

    @Test func auditLogIsAppendOnly() throws {
        let database = try AppDatabase(dataDirectory: directory, migrationsDirectory: repoMigrations)
        try database.pool.write { db in
            try db.execute(sql: "INSERT INTO businesses (slug, name, timezone, currency, created_at) VALUES ('b', 'B', 'UTC', 'USD', 0)")
            try db.execute(sql: "INSERT INTO audit_log (business_id, seq, at, actor, action, prev_hash, hash) VALUES (1, 1, 0, 'system', 'x', '', 'h')")
        }
        #expect(throws: DatabaseError.self) { try database.pool.write { try $0.execute(sql: "UPDATE audit_log SET action = 'y'") } }
        #expect(throws: DatabaseError.self) { try database.pool.write { try $0.execute(sql: "DELETE FROM audit_log") } }
    }
}
