import Admission
import Foundation
import GRDB
import Synchronization

/// Group commit: one writer thread takes every write waiting at that moment into one transaction,
/// each in its own savepoint (a write that throws rolls back alone), and answers each caller only
/// after the shared commit — so one fsync (`synchronous=FULL`) makes a whole batch durable.
/// A caller sees exactly what it would see with its own transaction: its closure's changes commit
/// together or not at all, and nothing is acknowledged before it is on disk.
///
/// A savepoint costs: SQLite copies every page a write changes into a sub-journal first (~22 pages,
/// ~180 k instructions a booking with the savepoint's own statements). So a batch whose writes are
/// all *rerunnable* (no effect outside the database: a second run after a rollback is the same
/// write) runs without savepoints; when one of them throws, the whole transaction rolls back and the
/// batch runs again the savepoint way, where that write fails alone and the others commit.
final class GroupCommit: Sendable {
    /// One waiting write. The writer thread sets `outcome` before signalling `done`; the caller
    /// reads it only after `done.wait()`, so the semaphore orders the two accesses.
    private final class Job: @unchecked Sendable {
        let body: (Database) throws -> Any
        /// The body has no effect outside the database, so it may run again after a rollback.
        let rerunnable: Bool
        var outcome: Result<Any, any Error>?
        let done = DispatchSemaphore(value: 0)
        init(rerunnable: Bool, _ body: @escaping (Database) throws -> Any) {
            self.rerunnable = rerunnable
            self.body = body
        }
    }

    /// What the writer thread needs; it holds this, not the `GroupCommit`, so the owner's deinit
    /// can stop it.
    private final class Shared: Sendable {
        let pool: DatabasePool
        /// Bound around every batch: the writes use their database's caches.
        let scope: CacheScope
        let pending = Mutex<[Job]>([])
        let wake = DispatchSemaphore(value: 0)
        let stopped = Atomic<Bool>(false)
        /// Largest batch per transaction, so one transaction never grows without bound.
        let maxBatch: Int

        init(pool: DatabasePool, scope: CacheScope, maxBatch: Int) {
            self.pool = pool
            self.scope = scope
            self.maxBatch = maxBatch
        }
    }

    private let shared: Shared

    init(pool: DatabasePool, caches: Caches, maxBatch: Int = 256) {
        let shared = Shared(pool: pool, scope: CacheScope(caches: caches, keepsSpecs: false), maxBatch: maxBatch)
        self.shared = shared
        let thread = Thread {
            // Named for top -H and /proc/PID/task/*/comm (on Linux, Thread.name does not reach them).
            try? "bizing-writer".write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
            Self.run(shared)
        }
        thread.name = "bizing-writer"
        thread.start()
    }

    deinit {
        shared.stopped.store(true, ordering: .sequentiallyConsistent)
        shared.wake.signal()
    }

    /// `rerunnable`: `body` has no effect outside the database (it may run more than once; the
    /// value of the run that commits is returned).
    func write<T>(rerunnable: Bool = false, _ body: @escaping (Database) throws -> T) throws -> T {
        let job = Job(rerunnable: rerunnable) { db in try body(db) }
        shared.pending.withLock { $0.append(job) }
        shared.wake.signal()
        // Waiting holds no core: the caller's place at a CoreGate goes to the next in line.
        CoreGate.whileAway { job.done.wait() }
        switch job.outcome! {
        case .success(let value): return value as! T
        case .failure(let error): throw error
        }
    }

    private static func run(_ shared: Shared) {
        let maxBatch = shared.maxBatch
        while true {
            shared.wake.wait()
            if shared.stopped.load(ordering: .sequentiallyConsistent) && shared.pending.withLock({ $0.isEmpty }) { return }
            while true {
                let batch: [Job] = shared.pending.withLock { jobs in
                    let taken = Array(jobs.prefix(maxBatch))
                    jobs.removeFirst(taken.count)
                    return taken
                }
                if batch.isEmpty { break }
                CacheScope.$current.withValue(shared.scope) { commit(batch, pool: shared.pool) }
            }
        }
    }

    /// Writes waiting for the writer (tests hold the writer to make a batch of a known size).
    var waiting: Int { shared.pending.withLock { $0.count } }

    private static func commit(_ batch: [Job], pool: DatabasePool) {
        if batch.count == 1 { return commitAlone(batch[0], pool: pool) }
        let others = batch.filter { !$0.rerunnable }
        if others.isEmpty, commitWithoutSavepoints(batch, pool: pool) { return }
        do {
            try pool.write { db in
                if others.isEmpty {
                    // One of these rerunnable writes threw without savepoints: each in its own now.
                    for job in batch { runInSavepoint(job, db) }
                } else {
                    // Writes that may not run twice (a staff change, a payment's record) beside
                    // rerunnable ones: each of them gets its savepoint; the rerunnable ones share one.
                    for job in others { runInSavepoint(job, db) }
                    runTogether(batch.filter(\.rerunnable), db)
                }
            }
        } catch {
            // The shared commit failed: nothing of the batch is durable, so every caller fails.
            for job in batch { job.outcome = .failure(error) }
        }
        for job in batch { job.done.signal() }
    }

    /// Runs a write in its own savepoint: when it throws, its changes alone roll back.
    private static func runInSavepoint(_ job: Job, _ db: Database) {
        do {
            var value: Any?
            try db.inSavepoint {
                value = try job.body(db)
                return .commit
            }
            job.outcome = .success(value as Any)
        } catch {
            job.outcome = .failure(error)
        }
    }

    /// Runs rerunnable writes in one savepoint (SQLite copies a page it changes once for them all,
    /// not once for each); when one throws, that savepoint rolls back and each runs in its own.
    private static func runTogether(_ jobs: [Job], _ db: Database) {
        guard jobs.count > 1 else { return jobs.forEach { runInSavepoint($0, db) } }
        var values: [Any]?
        do {
            try db.inSavepoint {
                values = runBackToBack(jobs, db)
                return values == nil ? .rollback : .commit
            }
        } catch {
            // The savepoint itself failed (the transaction is gone): every one of them fails.
            for job in jobs { job.outcome = .failure(error) }
            return
        }
        guard let values else { return jobs.forEach { runInSavepoint($0, db) } }
        for (job, value) in zip(jobs, values) { job.outcome = .success(value) }
    }

    /// Runs a batch of rerunnable writes in one transaction without savepoints. False, with nothing
    /// written and no caller answered, when one of them threw: the caller runs the batch again with
    /// savepoints.
    private static func commitWithoutSavepoints(_ batch: [Job], pool: DatabasePool) -> Bool {
        struct AJobThrew: Error {}
        do {
            var values: [Any] = []
            try pool.write { db in
                guard let ran = runBackToBack(batch, db) else { throw AJobThrew() }
                values = ran
            }
            for (job, value) in zip(batch, values) { job.outcome = .success(value) }
        } catch is AJobThrew {
            return false
        } catch {
            // The shared commit failed: nothing of the batch is durable, so every caller fails.
            for job in batch { job.outcome = .failure(error) }
        }
        for job in batch { job.done.signal() }
        return true
    }

    /// Runs rerunnable writes one after another with no savepoint of their own: their values, or
    /// nil as soon as one throws (its changes and the earlier ones' are then the caller's to roll back).
    private static func runBackToBack(_ jobs: [Job], _ db: Database) -> [Any]? {
        var values: [Any] = []
        values.reserveCapacity(jobs.count)
        for job in jobs {
            do { values.append(try job.body(db)) } catch { return nil }
        }
        return values
    }

    /// A batch of one (every write when callers come one at a time) needs no savepoint: its own
    /// transaction rolls back alone when it throws. GRDB prepares `SAVEPOINT`/`RELEASE` afresh on
    /// every use, so this saves two statement compilations per such commit.
    private static func commitAlone(_ job: Job, pool: DatabasePool) {
        do {
            var value: Any?
            try pool.write { db in value = try job.body(db) }
            job.outcome = .success(value as Any)
        } catch {
            job.outcome = .failure(error)
        }
        job.done.signal()
    }
}
