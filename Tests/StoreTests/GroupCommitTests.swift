import Admission
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

    /// Holds the writer with one write until `count` writes from other threads wait behind it, so
    /// that they make one batch; answers each write's result by index.
    func batch(_ database: AppDatabase, count: Int, rerunnable: @escaping @Sendable (Int) -> Bool,
               _ body: @escaping @Sendable (Int, Database) throws -> Int) -> [Result<Int, any Error>] {
        let gate = DispatchSemaphore(value: 0)
        let holding = DispatchSemaphore(value: 0)
        let held = Thread { _ = try? database.write { _ in holding.signal(); gate.wait() } }
        held.start()
        holding.wait()
        let results = Mutex([Int: Result<Int, any Error>]())
        let group = DispatchGroup()
        for i in 0..<count {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                let result = Result { try database.write(rerunnable: rerunnable(i)) { db in try body(i, db) } }
                results.withLock { $0[i] = result }
            }
        }
        while database.writesWaiting < count { usleep(1_000) }
        gate.signal()
        group.wait()
        return results.withLock { r in (0..<count).map { r[$0]! } }
    }

    /// A write waiting for the writer holds no core: on a write thread admitted by a `CoreGate` of
    /// one place, other work runs while the write waits, and the write then commits.
    @Test func aWriteWaitingForTheWriterGivesItsCoreAway() throws {
        let database = try database()
        let cores = CoreGate(width: 1)
        let release = DispatchSemaphore(value: 0), holding = DispatchSemaphore(value: 0)
        let held = Thread { _ = try? database.write { _ in holding.signal(); release.wait() } }
        held.start()
        holding.wait()
        let committed = DispatchSemaphore(value: 0)
        Thread {
            cores.run { _ = try? database.write { db in try db.execute(sql: "INSERT INTO t VALUES (1)") } }
            committed.signal()
        }.start()
        while database.writesWaiting < 1 { usleep(1_000) }
        let ranBeside = DispatchSemaphore(value: 0)
        Thread { cores.run { ranBeside.signal() } }.start()
        #expect(ranBeside.wait(timeout: .now() + 10) == .success, "the waiting write kept the only place")
        release.signal()
        #expect(committed.wait(timeout: .now() + 10) == .success)
        #expect(try database.pool.read { try Int.fetchAll($0, sql: "SELECT x FROM t") } == [1])
    }

    /// The WAL's checkpoints run on the checkpointer's thread, not in the writer's commits: with a
    /// threshold of 20 frames, ~1,000 frames of writes leave a WAL a fraction of that long (the
    /// checkpointer copied it into the database file and the writer started it over). Without
    /// the checkpointer, SQLite would checkpoint only at 1,000 frames and the WAL would hold them all.
    @Test func checkpointsRunOffTheWriterAndKeepTheWALShort() throws {
        let directory = NSTemporaryDirectory() + "bizing-gc-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let database = try AppDatabase(path: directory + "/t.sqlite",
                                       migrations: [Migration(name: "0001_create_t", sql: "CREATE TABLE t (x INTEGER UNIQUE, filler BLOB)")],
                                       settings: .init(checkpointFrames: 20))
        let checkpointer = try #require(database.checkpointer)
        let pageSize = try database.pool.read { try Int.fetchOne($0, sql: "PRAGMA page_size")! }
        for i in 0..<300 {
            // ~3 pages a write: the row's overflow pages, the table's and the index's leaves.
            try database.write { db in try db.execute(sql: "INSERT INTO t VALUES (?, zeroblob(6000))", arguments: [i]) }
            if i % 20 == 0 { usleep(2_000) }   // the checkpointer's turn, as between real batches
        }
        #expect(checkpointer.runs >= 1)
        let walBytes = try #require(try FileManager.default.attributesOfItem(atPath: directory + "/t.sqlite-wal")[.size] as? Int)
        #expect(walBytes < 300 * pageSize, "WAL of \(walBytes / pageSize) pages")
        #expect(try database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM t") } == 300)
    }

    @Test func aBatchOfRerunnableWritesRunsEachOnceWhenNoneThrows() throws {
        let database = try database()
        let runs = Mutex([Int](repeating: 0, count: 20))
        let results = batch(database, count: 20, rerunnable: { _ in true }) { i, db in
            runs.withLock { $0[i] += 1 }
            try db.execute(sql: "INSERT INTO t VALUES (?)", arguments: [i])
            return i * 10
        }
        #expect(results.map { try? $0.get() } == (0..<20).map { $0 * 10 })
        #expect(runs.withLock { $0 } == Array(repeating: 1, count: 20))
        #expect(try database.pool.read { try Int.fetchAll($0, sql: "SELECT x FROM t ORDER BY x") } == Array(0..<20))
    }

    /// Without savepoints a throw rolls the whole batch back: it runs again with savepoints, where
    /// the failure is its writer's alone and every other write commits once, with its own answer.
    @Test func aRerunnableWriteThatThrowsInABatchFailsAloneAndTheOthersCommit() throws {
        let database = try database()
        let runs = Mutex([Int](repeating: 0, count: 20))
        let results = batch(database, count: 20, rerunnable: { _ in true }) { i, db in
            runs.withLock { $0[i] += 1 }
            try db.execute(sql: "INSERT INTO t VALUES (?)", arguments: [i])
            if i == 7 {
                try db.execute(sql: "INSERT INTO t VALUES (?)", arguments: [10_007])
                throw CatalogError.invalid(field: "x", message: "planned")
            }
            return i * 10
        }
        for (i, result) in results.enumerated() {
            if i == 7 {
                #expect(throws: CatalogError.self) { try result.get() }
            } else {
                #expect((try? result.get()) == i * 10)
            }
        }
        #expect(try database.pool.read { try Int.fetchAll($0, sql: "SELECT x FROM t ORDER BY x") } == (0..<20).filter { $0 != 7 })
        // The failing write ran in both passes; the savepoint pass ran every write once more.
        #expect(runs.withLock { $0[7] } == 2)
        #expect(runs.withLock { $0.reduce(0, +) } > 20)
    }

    /// Rerunnable writes beside one that is not share a savepoint: without a throw each runs once;
    /// when one throws, only it is refused, and the write that is not rerunnable ran once either way.
    @Test func rerunnableWritesBesideOneThatIsNotRunOnceOrFailAlone() throws {
        for failing in [nil, 6] as [Int?] {
            let database = try database()
            let runs = Mutex([Int](repeating: 0, count: 10))
            let results = batch(database, count: 10, rerunnable: { $0 != 2 }) { i, db in
                runs.withLock { $0[i] += 1 }
                try db.execute(sql: "INSERT INTO t VALUES (?)", arguments: [i])
                if i == failing { throw CatalogError.invalid(field: "x", message: "planned") }
                return i
            }
            let committed = (0..<10).filter { $0 != failing }
            #expect(results.compactMap { try? $0.get() } == committed)
            #expect(try database.pool.read { try Int.fetchAll($0, sql: "SELECT x FROM t ORDER BY x") } == committed)
            #expect(runs.withLock { $0[2] } == 1)
            if let failing {
                // Their shared savepoint rolled back, and each ran again in its own.
                #expect(runs.withLock { $0[failing] } == 2)
            } else {
                #expect(runs.withLock { $0 } == Array(repeating: 1, count: 10))
            }
        }
    }

    /// SQLite's memory statistics are off in this process (a C constructor configures it before
    /// any connection opens): its allocations take no process-wide mutex. With them on, the count
    /// after these writes and reads is well over a megabyte.
    @Test func sqliteCountsNoMemoryWhileItWorks() throws {
        let database = try database()
        for i in 0..<50 { try database.write { try $0.execute(sql: "INSERT INTO t VALUES (?)", arguments: [i]) } }
        #expect(try database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM t") } == 50)
        #expect(AppDatabase.sqliteMemoryStatisticsOff)
        #expect(AppDatabase.sqliteMemoryCounted == 0)
    }
}
