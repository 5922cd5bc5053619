import Crypto
import Foundation
import GRDB

/// One `migrations/NNNN_verb_subject.sql` file.
public struct Migration: Sendable, Equatable {
    public let name: String
    public let sql: String

    public init(name: String, sql: String) {
        self.name = name
        self.sql = sql
    }

    /// SHA-256 of the file, recorded when applied: a shipped migration must never be edited.
    public var checksum: String {
        Tokens.hex(Array(SHA256.hash(data: Array(sql.utf8))))
    }
}

public enum MigrationError: Error, CustomStringConvertible, Equatable {
    case directoryMissing(String)
    case badName(String)
    case failed(name: String, message: String)
    case edited(name: String)
    case unknownApplied(name: String)

    public var description: String {
        switch self {
        case .directoryMissing(let dir): "migrations directory not found: \(dir)"
        case .badName(let name): "migration file \(name) is not named NNNN_verb_subject.sql"
        case .failed(let name, let message): "migration \(name) failed and was rolled back: \(message)"
        case .edited(let name): "migration \(name) was changed after it was applied; add a new migration instead"
        case .unknownApplied(let name): "the database has migration \(name), which this build does not know (is it newer?)"
        }
    }
}

/// Applies migrations in name order, each exactly once, each in its own transaction together with
/// the row that records it — a failing file leaves the database as it was and stops start-up.
public enum Migrator {
    public static func load(directory: String) throws -> [Migration] {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: directory) else {
            throw MigrationError.directoryMissing(directory)
        }
        return try names.filter { $0.hasSuffix(".sql") }.sorted().map { name in
            guard name.count > 5, name.prefix(4).allSatisfy(\.isNumber), name.dropFirst(4).first == "_" else {
                throw MigrationError.badName(name)
            }
            let sql = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
            return Migration(name: String(name.dropLast(4)), sql: sql)
        }
    }

    /// Texts a migration had for a while after it shipped, by checksum, that databases may have
    /// recorded. Such a database starts: what the later text changed is also done by a newer
    /// migration that tolerates finding it done.
    /// - 0010 was edited after shipping to add the rename trigger; 0011 adds it `IF NOT EXISTS`.
    /// - 0012 shipped with a UNIQUE constraint on `outbox.message_id`, later dropped from the file;
    ///   0020 rebuilds the outbox without it either way (message ids are 128 random bits).
    /// - 0013 shipped with a day as the check-in window's limit, later a week in the file; 0092
    ///   widens the CHECK where it still says a day.
    static let supersededChecksums: [String: Set<String>] = [
        "0010_cache_availability_answers": ["0352a1af8d26ae387e1a0e31f0d4807c6e56eeaef9e3e0e110f0c085209583d3"],
        "0012_create_outbox": ["fa9be2d3eff65b84cc5c60250352ea00b59ed9257f10dd53ec1df89facdb1f49"],
        "0013_add_lifecycle_timing_and_key_rates": ["b3d861256d381ab965828df9e3b9d9f1864130cb48dfd86838e7131c7e0fe3ac"],
    ]

    /// Returns the names applied by this call.
    @discardableResult
    static func apply(_ migrations: [Migration], to writer: some DatabaseWriter) throws -> [String] {
        try writer.write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    name TEXT PRIMARY KEY NOT NULL,
                    checksum TEXT NOT NULL,
                    applied_at INTEGER NOT NULL
                ) STRICT
                """)
        }
        let applied = try writer.read { db in
            try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT name, checksum FROM schema_migrations")
                .map { ($0["name"] as String, $0["checksum"] as String) })
        }
        let known = Set(migrations.map(\.name))
        if let stranger = applied.keys.sorted().first(where: { !known.contains($0) }) {
            throw MigrationError.unknownApplied(name: stranger)
        }
        var done: [String] = []
        for migration in migrations {
            if let checksum = applied[migration.name] {
                guard checksum == migration.checksum || supersededChecksums[migration.name]?.contains(checksum) == true else {
                    throw MigrationError.edited(name: migration.name)
                }
                continue
            }
            do {
                try writer.write { db in
                    try db.execute(sql: migration.sql)
                    try db.execute(sql: "INSERT INTO schema_migrations (name, checksum, applied_at) VALUES (?, ?, ?)",
                                   arguments: [migration.name, migration.checksum, Int(Date().timeIntervalSince1970)])
                }
            } catch let error as DatabaseError {
                throw MigrationError.failed(name: migration.name, message: error.message ?? "\(error)")
            }
            done.append(migration.name)
        }
        return done
    }
}
