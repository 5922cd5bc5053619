import Foundation
import GRDB
import Synchronization

/// Wakes the outbox worker soon after a transaction that added or re-queued outbox rows (emails or
/// webhook deliveries) commits.
/// Owned by the `AppDatabase`: a transaction observer on its writer notices changes to `outbox`
/// and signals on commit (a rolled-back change signals nothing). The worker also polls, so a
/// missed signal only delays a message by its poll interval.
public final class OutboxWakeup: Sendable {
    /// What a wake-up is for: new or re-queued emails (`outbox`), webhook deliveries, or both. A
    /// worker without a mail transport has nothing to do for emails, so a booking (which writes
    /// emails) does not make it claim webhooks: that claim is a write through the group-commit
    /// writer, and it cost every booking a second serial transaction.
    public struct Work: OptionSet, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let mail = Work(rawValue: 1)
        public static let webhooks = Work(rawValue: 2)
        public static let all: Work = [.mail, .webhooks]
    }

    /// What the wake-ups not yet taken were for (empty: no wake-up pending).
    private let pending = Mutex<Work>([])
    private let semaphore = DispatchSemaphore(value: 0)

    init() {}

    /// Wakes one waiting worker for `work` (at most one pending wake-up is kept; its kinds add up).
    public func signal(_ work: Work = .all) {
        guard !work.isEmpty else { return }
        let wasPending = pending.withLock { kinds in
            defer { kinds.formUnion(work) }
            return !kinds.isEmpty
        }
        if !wasPending { semaphore.signal() }
    }

    /// Waits until signalled or `seconds` pass: what the wake-up was for, or `.all` when the time
    /// passed (a poll looks at everything).
    public func wait(seconds: Double) -> Work {
        guard semaphore.wait(timeout: .now() + seconds) == .success else { return .all }
        return pending.withLock { kinds in
            defer { kinds = [] }
            return kinds
        }
    }
}

/// Observes the writer connection: any insert or update of `outbox` or `webhook_deliveries` in a committed transaction
/// wakes the worker, for the kind of work that changed. Used only on the writer's queue, as GRDB guarantees for observers.
final class OutboxCommitObserver: TransactionObserver, @unchecked Sendable {
    private let wakeup: OutboxWakeup
    private var changed: OutboxWakeup.Work = []

    init(wakeup: OutboxWakeup) { self.wakeup = wakeup }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        switch eventKind {
        case .insert(let table), .update(let table, _): table == "outbox" || table == "webhook_deliveries"
        case .delete: false
        }
    }

    func databaseDidChange(with event: DatabaseEvent) {
        changed.insert(event.tableName == "outbox" ? .mail : .webhooks)
        if changed == .all { stopObservingDatabaseChangesUntilNextTransaction() }
    }

    func databaseDidCommit(_ db: Database) {
        wakeup.signal(changed)
        changed = []
    }

    func databaseDidRollback(_ db: Database) { changed = [] }
}
