import Foundation
import CSQLiteSetup
import GRDB

/// The one door to SQLite. Wraps a `DatabasePool` (WAL: concurrent readers, one writer) over
/// `DATA_DIR/bizing.sqlite`, applies `migrations/*.sql` when opened, and owns every transaction.
public final class AppDatabase: Sendable {
    /// What start-up decides about the database, from flags and environment (never read here).
    public struct Settings: Sendable {
        /// Slots of availability answers kept for the current second; 0 turns the cache off.
        public var answerCacheSlots = 20_000
        /// WAL frames at which the checkpointer runs (SQLite's own threshold is 1,000 too).
        public var checkpointFrames = 1_000

        public init(answerCacheSlots: Int = 20_000, checkpointFrames: Int = 1_000) {
            self.answerCacheSlots = answerCacheSlots
            self.checkpointFrames = checkpointFrames
        }
    }

    let pool: DatabasePool
    public let path: String
    private let groupCommit: GroupCommit
    /// Runs the WAL's checkpoints off the writer; nil: SQLite's automatic checkpoint on the writer.
    let checkpointer: Checkpointer?
    let caches: Caches
    /// Bound around read transactions: they see committed data only, so they may keep everything.
    private let readScope: CacheScope
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
    public convenience init(dataDirectory: String, migrationsDirectory: String, settings: Settings = Settings()) throws {
        let directory = try Self.prepare(dataDirectory: dataDirectory)
        try self.init(path: directory + "/bizing.sqlite", migrations: try Migrator.load(directory: migrationsDirectory), settings: settings)
    }

    /// Whether SQLite keeps no memory statistics (CSQLiteSetup's constructor turns them off before
    /// any connection opens: with them on, every SQLite allocation takes one process-wide mutex).
    static var sqliteMemoryStatisticsOff: Bool { bizing_sqlite_configured() == 1 }
    /// SQLite's count of the memory it holds: 0 while its statistics are off.
    static var sqliteMemoryCounted: Int64 { bizing_sqlite_memory_used() }

    public init(path: String, migrations: [Migration], settings: Settings = Settings()) throws {
        var configuration = Configuration()
        configuration.label = "bizing"
        // Wait for the writer instead of failing at once when another connection holds the lock.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // An acknowledged write survives power loss (readers too, should one ever write).
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Deleted and overwritten content is zeroed, so an erased customer's details do not
            // linger in free space of the file (issue 19).
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        configuration.maximumReaderCount = max(4, ProcessInfo.processInfo.activeProcessorCount * 2)
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw OpenError.cannotOpen(path, reason: "\(error)")
        }
        self.path = path
        // GRDB's pool sets `synchronous = NORMAL` on its writer when it switches to WAL, after
        // `prepareDatabase`: set FULL again on the writer, so every commit is fsynced.
        // SQLite copies every page a savepoint (or a statement that may fail halfway) changes into
        // a sub-journal, and spills it to a temporary file past 64 KiB: when group commit gave each
        // booking a savepoint, its ~22 pages went to /var/tmp with two pwrite calls each, three
        // times the WAL's writes. Kept in memory: it holds one batch's pages at most, and no copy of
        // customer data lands in a temporary file.
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        try Migrator.apply(migrations, to: pool)
        checkpointer = Checkpointer(path: path, frames: settings.checkpointFrames)
        if let checkpointer { try pool.writeWithoutTransaction { db in checkpointer.attach(to: db) } }
        caches = Caches(answerSlots: settings.answerCacheSlots)
        readScope = CacheScope(caches: caches, keepsSpecs: true)
        groupCommit = GroupCommit(pool: pool, caches: caches)
        pool.add(transactionObserver: OutboxCommitObserver(wakeup: outboxWakeup), extent: .databaseLifetime)
        pool.add(transactionObserver: APIKeyCacheObserver(cache: caches.apiKeys), extent: .databaseLifetime)
    }

    /// A read transaction with this database's caches: every read use case goes through here.
    /// It is `ReadTransaction.run`'s (BEGIN and COMMIT prepared once per reader connection), not
    /// `DatabasePool.read`'s, which compiles both afresh every time (~30 k instructions).
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try CacheScope.$current.withValue(readScope) { try pool.unsafeRead { db in try ReadTransaction.run(db, body) } }
    }

    /// A write through group commit: `body` runs in its own savepoint of a transaction shared with
    /// the other writes waiting at the same moment, and returns only after that transaction is
    /// durably committed. If `body` throws, its changes are rolled back and the error rethrown.
    /// Every write use case goes through here.
    /// `rerunnable`: `body` has no effect outside the database (no captured state it changes, no
    /// cache it fills that a rollback would make wrong), so group commit may run it again after a
    /// rollback and skip its savepoint: the booking commit, the last-use touches of keys and
    /// sessions, and the outbox worker's claims and records say so.
    func write<T>(rerunnable: Bool = false, _ body: @escaping (Database) throws -> T) throws -> T {
        try groupCommit.write(rerunnable: rerunnable, body)
    }

    /// Writes waiting for the writer (tests).
    var writesWaiting: Int { groupCommit.waiting }

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
        (try? read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }

    public func journalMode() throws -> String {
        try read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }
}
