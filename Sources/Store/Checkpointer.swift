import CSQLiteSetup
import GRDB

/// Checkpoints off the writer (CSQLiteSetup's `bizing_checkpointer`): SQLite's automatic checkpoint
/// runs inside the commit that takes the WAL past 1,000 frames, and holds up that batch and every
/// write behind it while ~1,000 pages are copied into the database file and both files synced.
/// Here the writer's WAL hook only wakes a thread with its own connection, which runs a PASSIVE
/// checkpoint (no writer lock) while the writer goes on committing.
final class Checkpointer: @unchecked Sendable {
    /// Owned by this object; the C side locks around everything it shares with the writer's hook.
    private let handle: OpaquePointer

    /// Nil when the connection or the thread cannot be made (SQLite's own checkpoint then stays).
    init?(path: String, frames: Int) {
        guard let handle = bizing_checkpointer_start(path, Int32(clamping: frames)) else { return nil }
        self.handle = handle
    }

    /// Installs the WAL hook on the writer's connection; from then on the writer does not checkpoint.
    func attach(to writer: Database) {
        bizing_checkpointer_attach(handle, writer.sqliteConnection)
    }

    /// Checkpoints run so far.
    var runs: Int { Int(bizing_checkpointer_runs(handle)) }

    deinit { bizing_checkpointer_stop(handle) }
}
