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

    /// Applies every migration but with `name` carrying `text`, records `checksum` for it, and opens
    /// the result with this build.
    static func openAfterApplying(_ name: String, as text: String, recording checksum: String) throws -> AppDatabase {
        let directory = NSTemporaryDirectory() + "bizing-store-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let pool = try DatabasePool(path: directory + "/bizing.sqlite")
        let all = try Migrator.load(directory: Self.directory)
        try Migrator.apply(all.map { $0.name == name ? Migration(name: name, sql: text) : $0 }, to: pool)
        try pool.write { db in
            try db.execute(sql: "UPDATE schema_migrations SET checksum = ? WHERE name = ?", arguments: [checksum, name])
        }
        try pool.close()
        return try AppDatabase(dataDirectory: directory, migrationsDirectory: Self.directory)
    }

    /// The database itself holds the check-in window to 0…10080 minutes, whichever text of 0013 made it.
    static func expectCheckInWindowUpToAWeek(_ database: AppDatabase) throws {
        try database.pool.write { db in
            try db.execute(sql: "INSERT INTO businesses (slug, name, timezone, currency, created_at) VALUES ('week-window', 'Week', 'UTC', 'USD', 0)")
            try db.execute(sql: "UPDATE businesses SET check_in_window_minutes = 10080 WHERE slug = 'week-window'")
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "UPDATE businesses SET check_in_window_minutes = 10081 WHERE slug = 'week-window'")
            }
            #expect(try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok")
        }
    }

    @Test func aFreshDatabaseAcceptsACheckInWindowOfAWeekAndNoMore() throws {
        let database = try AppDatabase(dataDirectory: NSTemporaryDirectory() + "bizing-store-\(UUID().uuidString)",
                                       migrationsDirectory: Self.directory)
        try Self.expectCheckInWindowUpToAWeek(database)
        // A pooled reader sees the widened text (0092 bumps the schema cookie for every connection).
        let text = try database.pool.read {
            try String.fetchOne($0, sql: "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'businesses'")
        }
        #expect(text?.contains("check_in_window_minutes BETWEEN 0 AND 10080") == true)
        #expect(text?.contains("BETWEEN 0 AND 1440)") == true)   // the grace period keeps its day
    }

    @Test func aDatabaseThatAppliedThe0013TextWithAWeekStillStartsAndKeepsAWeek() throws {
        let name = "0013_add_lifecycle_timing_and_key_rates"
        let current = try #require(try Migrator.load(directory: Self.directory).first { $0.name == name })
        let later = current.sql
            .replacingOccurrences(of: "before the start. Each at most a day.",
                                  with: "before the start. The grace period is at most a day, the check-in window at most a week.")
            .replacingOccurrences(of: "CHECK (check_in_window_minutes BETWEEN 0 AND 1440)",
                                  with: "CHECK (check_in_window_minutes BETWEEN 0 AND 10080)")
        let checksum = Migration(name: name, sql: later).checksum
        #expect(Migrator.supersededChecksums[name]?.contains(checksum) == true)
        try Self.expectCheckInWindowUpToAWeek(try Self.openAfterApplying(name, as: later, recording: checksum))
    }

    @Test func aDatabaseThatAppliedThe0012TextWithoutTheUniqueMessageIdStillStarts() throws {
        let name = "0012_create_outbox"
        let current = try #require(try Migrator.load(directory: Self.directory).first { $0.name == name })
        let later = current.sql.replacingOccurrences(
            of: """
                    -- The unique left part of the Message-ID (<message_id@sender domain>): the same on every attempt.
                    message_id      TEXT NOT NULL UNIQUE CHECK (length(message_id) BETWEEN 16 AND 100),
                """,
            with: """
                    -- The left part of the Message-ID (<message_id@sender domain>), 128 random bits: the same on
                    -- every attempt. (Not indexed: nothing looks a message up by it, and each index costs the booking.)
                    message_id      TEXT NOT NULL CHECK (length(message_id) BETWEEN 16 AND 100),
                """)
        let checksum = Migration(name: name, sql: later).checksum
        #expect(Migrator.supersededChecksums[name]?.contains(checksum) == true)
        let database = try Self.openAfterApplying(name, as: later, recording: checksum)
        // Either way the outbox ends as 0020 rebuilt it: no unique index on message_id.
        let uniques = try database.pool.read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM pragma_index_list('outbox') WHERE \"unique\" = 1")
        }
        #expect(uniques == 0)
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
