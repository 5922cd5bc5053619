import Foundation
import GRDB
import Testing
@testable import Store

/// Shipped migrations never change: `Tests/StoreTests/shipped-migrations.sha256` records the SHA-256 of every
/// migration file as it shipped, and a database that recorded a file's checksum refuses to start
/// when the file differs. A new migration is added to the list in the commit that adds it.
struct ShippedMigrationsTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("migrations").path

    static func recorded() throws -> [String: String] {
        let list = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("shipped-migrations.sha256").path
        let text = try String(contentsOfFile: list, encoding: .utf8)
        var sums: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2 else { continue }
            sums[String(parts[1])] = String(parts[0])
        }
        return sums
    }

    @Test func everyMigrationFileMatchesTheChecksumItShippedWith() throws {
        let recorded = try Self.recorded()
        let migrations = try Migrator.load(directory: Self.directory)
        #expect(!migrations.isEmpty)
        for migration in migrations {
            let file = migration.name + ".sql"
            #expect(recorded[file] != nil, "\(file) is not in Tests/StoreTests/shipped-migrations.sha256: add `sha256sum` of it there in the commit that adds it")
            #expect(recorded[file] == nil || recorded[file] == migration.checksum,
                    "\(file) differs from the text it shipped with: add a new migration instead of editing this one")
        }
    }

    @Test func everySupersededChecksumBelongsToAMigrationAndDiffersFromItsText() throws {
        let migrations = Dictionary(uniqueKeysWithValues: try Migrator.load(directory: Self.directory).map { ($0.name, $0) })
        #expect(!Migrator.supersededChecksums.isEmpty)
        for (name, sums) in Migrator.supersededChecksums {
            let migration = try #require(migrations[name], "\(name) is not a migration")
            #expect(!sums.contains(migration.checksum), "\(name): the current text is not superseded")
        }
    }

    @Test func aDatabaseThatAppliedTheEditedMigration0010StillStartsAndHasTheRenameTrigger() throws {
        // Given a database migrated while 0010 carried the rename trigger (its checksum recorded)
        let directory = NSTemporaryDirectory() + "bizing-store-\(UUID().uuidString)"
        let all = try Migrator.load(directory: Self.directory)
        let upTo0010 = all.filter { $0.name <= "0010" || $0.name.hasPrefix("0010") }
        let edited = """
            \(upTo0010.last!.sql)
            -- Compiled schedules also carry the resource list pages show (Catalog.resources), names included.
            CREATE TRIGGER resources_bump_rename AFTER UPDATE OF name ON resources
            BEGIN UPDATE businesses SET schedule_version = schedule_version + 1 WHERE id IN (OLD.business_id, NEW.business_id); END;
            """
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let pool = try DatabasePool(path: directory + "/bizing.sqlite")
        try Migrator.apply(Array(upTo0010.dropLast()) + [Migration(name: upTo0010.last!.name, sql: edited)], to: pool)
        try pool.write { db in
            try db.execute(sql: "UPDATE schema_migrations SET checksum = ? WHERE name = ?",
                           arguments: [Array(Migrator.supersededChecksums[upTo0010.last!.name]!)[0], upTo0010.last!.name])
        }
        try pool.close()
        // When this build opens it, then it starts, and renames still bump the schedule version
        let database = try AppDatabase(dataDirectory: directory, migrationsDirectory: Self.directory)
        let triggers = try database.pool.read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'resources_bump_rename'")
        }
        #expect(triggers == 1)
        // And a file edited in any other way is still refused
        let other = NSTemporaryDirectory() + "bizing-store-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        let otherPool = try DatabasePool(path: other + "/bizing.sqlite")
        try Migrator.apply(Array(upTo0010.dropLast()) + [Migration(name: upTo0010.last!.name, sql: edited + "\n-- more")], to: otherPool)
        #expect(throws: MigrationError.edited(name: upTo0010.last!.name)) { try Migrator.apply(all, to: otherPool) }
    }

    @Test func theWriterCommitsWithSynchronousFull() throws {
        // GRDB's pool resets its writer to NORMAL when it turns WAL on: read the pragma where commits happen.
        let database = try AppDatabase(dataDirectory: NSTemporaryDirectory() + "bizing-store-\(UUID().uuidString)",
                                       migrationsDirectory: Self.directory)
        let inGroupCommit = try database.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(inGroupCommit == 2)   // FULL
        let onTheWriter = try database.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(onTheWriter == 2)
    }
}
