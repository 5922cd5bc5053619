import Foundation
import GRDB
import Synchronization
import Testing
@testable import Store

struct GroupCommitTests {
    func database() throws -> AppDatabase {
        let directory = NSTemporaryDirectory() + "bizing-gc-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return try AppDatabase(path: directory + "/t.sqlite", migrations: [Migration(name: "0001_create_t", sql: "CREATE TABLE t (x INTEGER UNIQUE)")])
    }

    @Test func concurrentWritesAllCommitAndFailuresRollBackAlone() throws {
        let database = try database()
        let failures = Mutex(0)
        let group = DispatchGroup()
        for i in 0..<200 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    try database.write { db in
                        try db.execute(sql: "INSERT INTO t VALUES (?)", arguments: [i])
                        // Every tenth write inserts then fails: its row must not survive.
                        if i % 10 == 0 {
                            try db.execute(sql: "INSERT INTO t VALUES (?)", arguments: [10_000 + i])
                            throw CatalogError.invalid(field: "x", message: "planned")
                        }
                    }
                } catch {
                    failures.withLock { $0 += 1 }
                }
            }
        }
        group.wait()
        #expect(failures.withLock { $0 } == 20)
        let rows = try database.pool.read { try Int.fetchAll($0, sql: "SELECT x FROM t ORDER BY x") }
        #expect(rows.count == 180)
        #expect(rows.allSatisfy { $0 < 10_000 && $0 % 10 != 0 })
    }

    /// One write at a time is a batch of one, committed without a savepoint: when it throws, its
    /// whole transaction rolls back, and the next write commits normally.
    @Test func aWriteAloneThatThrowsLeavesNothingAndTheNextCommits() throws {
        let database = try database()
        #expect(throws: CatalogError.self) {
            try database.write { db in
                try db.execute(sql: "INSERT INTO t VALUES (1)")
                throw CatalogError.invalid(field: "x", message: "planned")
            }
        }
        #expect(try database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM t") } == 0)
        try database.write { try $0.execute(sql: "INSERT INTO t VALUES (1)") }
        #expect(try database.pool.read { try Int.fetchAll($0, sql: "SELECT x FROM t") } == [1])
    }

    @Test func aConstraintFailureIsThrownToItsCallerOnly() throws {
        let database = try database()
        try database.write { try $0.execute(sql: "INSERT INTO t VALUES (1)") }
        #expect(throws: DatabaseError.self) { try database.write { try $0.execute(sql: "INSERT INTO t VALUES (1)") } }
        let value = try database.write { db -> Int in
            try db.execute(sql: "INSERT INTO t VALUES (2)")
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM t") ?? 0
        }
        #expect(value == 2)
    }

    /// Group commit runs each write in a savepoint, and SQLite copies every page a savepoint
    /// changes into a sub-journal. Past 64 KiB it used to spill that to a temporary file (two
    /// `pwrite` calls a page, 56 per booking at 64 clients): on the writer it must stay in memory.
    @Test func aSavepointsCopiesOfPagesStayInMemory() throws {
        let database = try database()
        try database.pool.write { db in
            try db.execute(sql: "CREATE TABLE pages (body BLOB)")
            for _ in 0..<300 { try db.execute(sql: "INSERT INTO pages VALUES (randomblob(1000))") }
        }
        let temporaryFilesOpen = try database.pool.write { db -> Int in
            var open = 0
            try db.inSavepoint {
                // Every existing page changes: ~75 pages, 300 KiB of sub-journal.
                try db.execute(sql: "UPDATE pages SET body = randomblob(1000)")
                open = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").filter { fd in
                    ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + fd)) ?? "").contains("etilqs")
                }.count
                return .commit
            }
            return open
        }
        #expect(temporaryFilesOpen == 0)
        #expect(try database.write { db in try Int.fetchOne(db, sql: "PRAGMA temp_store") } == 2)   // MEMORY
    }
}
