import Foundation
import GRDB
import Synchronization

/// Wakes the outbox worker soon after a transaction that added or re-queued outbox rows (emails or
/// webhook deliveries) commits.
/// Owned by the `AppDatabase`: a transaction observer on its writer notices changes to `outbox`
/// and signals on commit (a rolled-back change signals nothing). The worker also polls, so a
/// missed signal only delays a message by its poll interval.
public final class OutboxWakeup: Sendable {
    private let signalled = Mutex<Bool>(false)
    private let semaphore = DispatchSemaphore(value: 0)

    init() {}

    /// Wakes one waiting worker (at most one pending wake-up is kept).
    public func signal() {
        let wasSignalled = signalled.withLock { flag in
            defer { flag = true }
            return flag
        }
        if !wasSignalled { semaphore.signal() }
    }

    /// Waits until signalled or `seconds` pass; true when signalled.
    @discardableResult
    public func wait(seconds: Double) -> Bool {
        let woken = semaphore.wait(timeout: .now() + seconds) == .success
        if woken { signalled.withLock { $0 = false } }
        return woken
    }
}

/// Observes the writer connection: any insert or update of `outbox` or `webhook_deliveries` in a committed transaction
/// wakes the worker. Used only on the writer's queue, as GRDB guarantees for observers.
final class OutboxCommitObserver: TransactionObserver, @unchecked Sendable {
    private let wakeup: OutboxWakeup
    private var changed = false

    init(wakeup: OutboxWakeup) { self.wakeup = wakeup }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        switch eventKind {
        case .insert(let table), .update(let table, _): table == "outbox" || table == "webhook_deliveries"
        case .delete: false
        }
    }

    func databaseDidChange(with event: DatabaseEvent) {
        changed = true
        stopObservingDatabaseChangesUntilNextTransaction()
    }

    func databaseDidCommit(_ db: Database) {
        if changed { wakeup.signal() }
        changed = false
    }

    func databaseDidRollback(_ db: Database) { changed = false }
}
