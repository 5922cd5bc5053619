import Foundation
public import GRDB

/// The one door to SQLite. Wraps a `DatabasePool` (WAL: concurrent readers, one writer) over
/// `DATA_DIR/bizing.sqlite`, applies `migrations/*.sql` when opened, and owns every transaction.
public final class AppDatabase: Sendable {
    public let pool: DatabasePool
    public let path: String
    private let groupCommit: GroupCommit
    /// Signalled when a transaction that adds or re-queues outbox rows commits (the worker waits on it).
    public let outboxWakeup = OutboxWakeup()

    public enum OpenError: Error, CustomStringConvertible {
        case dataDirectoryUnusable(String, reason: String)
        case cannotOpen(String, reason: String)

        public var description: String {
            switch self {
            case .dataDirectoryUnusable(let dir, let reason): "data directory \(dir) is not usable: \(reason)"
            case .cannotOpen(let path, let reason): "cannot open database \(path): \(reason)"
            }
        }
    }

    /// Opens (creating when missing) `dataDirectory/bizing.sqlite` and migrates it.
    public convenience init(dataDirectory: String, migrationsDirectory: String) throws {
        let directory = try Self.prepare(dataDirectory: dataDirectory)
        try self.init(path: directory + "/bizing.sqlite", migrations: try Migrator.load(directory: migrationsDirectory))
    }

    public init(path: String, migrations: [Migration]) throws {
        var configuration = Configuration()
        // A unique label: in-memory caches keyed by database never mix two files.
        configuration.label = "bizing-" + UUID().uuidString
        // Wait for the writer instead of failing at once when another connection holds the lock.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // An acknowledged write survives power loss.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        configuration.maximumReaderCount = max(4, ProcessInfo.processInfo.activeProcessorCount * 2)
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw OpenError.cannotOpen(path, reason: "\(error)")
        }
        self.path = path
        try Migrator.apply(migrations, to: pool)
        groupCommit = GroupCommit(pool: pool)
        pool.add(transactionObserver: OutboxCommitObserver(wakeup: outboxWakeup), extent: .databaseLifetime)
    }

    /// A write through group commit: `body` runs in its own savepoint of a transaction shared with
    /// the other writes waiting at the same moment, and returns only after that transaction is
    /// durably committed. If `body` throws, its changes are rolled back and the error rethrown.
    /// Use it for request-path writes; `pool.write` stays available for one-off work.
    public func write<T>(_ body: @escaping (Database) throws -> T) throws -> T {
        try groupCommit.write(body)
    }

    /// Creates the directory when missing; refuses one that cannot be written.
    public static func prepare(dataDirectory: String) throws -> String {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: dataDirectory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw OpenError.dataDirectoryUnusable(dataDirectory, reason: "it is a file, not a directory")
            }
        } else {
            do {
                try manager.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            } catch {
                throw OpenError.dataDirectoryUnusable(dataDirectory, reason: "it cannot be created")
            }
        }
        guard access(dataDirectory, W_OK | X_OK) == 0 else {
            throw OpenError.dataDirectoryUnusable(dataDirectory, reason: "it is not writable")
        }
        return dataDirectory
    }

    /// Whether the database answers a trivial query (for `/healthz`).
    public func isHealthy() -> Bool {
        (try? pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }

    public func journalMode() throws -> String {
        try pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }
}
