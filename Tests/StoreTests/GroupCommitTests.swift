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
}
