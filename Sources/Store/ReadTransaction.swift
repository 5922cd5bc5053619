import GRDB

/// A read transaction begun and ended with statements the connection prepared once. GRDB's `read`
/// compiles `BEGIN DEFERRED TRANSACTION` and `COMMIT TRANSACTION` afresh for every transaction
/// (16 k and 12 k instructions); a booking opened three.
///
/// Only for reads: the writer keeps GRDB's `inTransaction`, which also refuses every statement
/// after SQLite aborted the transaction (so no write can run outside it). Here a transaction SQLite
/// aborted under `body` (an I/O error, no memory) throws at the end instead, so no answer read
/// partly outside one snapshot is returned.
enum ReadTransaction {
    struct Aborted: Error {}

    /// Runs `body` in a deferred transaction (one snapshot, taken at its first read) on a reader
    /// connection outside any transaction (`DatabasePool.unsafeRead`).
    static func run<T>(_ db: Database, _ body: (Database) throws -> T) throws -> T {
        precondition(!db.isInsideTransaction, "ReadTransaction: already inside a transaction")
        try db.cachedStatement(sql: "BEGIN DEFERRED TRANSACTION").execute()
        do {
            let value = try body(db)
            guard db.isInsideTransaction else { throw Aborted() }
            try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
            return value
        } catch {
            if db.isInsideTransaction { try? db.cachedStatement(sql: "ROLLBACK TRANSACTION").execute() }
            throw error
        }
    }
}
