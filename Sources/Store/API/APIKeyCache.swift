import BookingCore
import Foundation
import GRDB
import Synchronization

/// Authenticated API keys, by the SHA-256 of the key: what `APIKeys.authenticate` read, kept until
/// a commit changes what it read. A request with a kept key opens no read transaction (~0.26 M
/// instructions per API request).
///
/// Invalidation: `APIKeyCacheObserver`, on this database's writer, empties the cache when a
/// transaction that changed a key (revoked, deleted, its role or rate limit; not only `last_used_at`)
/// or what a principal carries of its business commits — before the writer answers the write, so
/// the next request reads afresh. A read made before such a commit is kept only if no commit
/// emptied the cache since it began (`generation`), so a stale principal is never kept.
/// Only this process's writes are seen: every change to keys and businesses is made by the server
/// (the command line only creates keys, which the cache never holds: it keeps no refusals).
final class APIKeyCache: Sendable {
    struct Entry: Sendable {
        var principal: APIKeys.Principal
        var lastUsedAt: Int64?
    }

    private struct State {
        var entries: [Data: Entry] = [:]
        var generation: UInt64 = 0
    }

    private let state = Mutex(State())
    /// More keys than this in use at once: the cache starts again rather than grow.
    let maxEntries: Int

    init(maxEntries: Int = 10_000) { self.maxEntries = maxEntries }

    func entry(_ keyHash: Data) -> Entry? { state.withLock { $0.entries[keyHash] } }

    /// Read before the read transaction whose result is passed to `keep`.
    var generation: UInt64 { state.withLock { $0.generation } }

    /// Keeps what a read found, unless the cache was emptied since `generation` was taken.
    func keep(_ entry: Entry, for keyHash: Data, readAt generation: UInt64) {
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries.count >= maxEntries { state.entries.removeAll(keepingCapacity: true) }
            state.entries[keyHash] = entry
        }
    }

    /// A commit changed keys or businesses: everything is read afresh.
    func removeAll() {
        state.withLock { state in
            state.generation &+= 1
            state.entries.removeAll(keepingCapacity: true)
        }
    }

    /// The key's use was recorded (`touch`): its kept entry says so, so the next minute's requests
    /// do not record it again. Only `last_used_at` changed, which the observer leaves alone.
    func touched(_ keyID: APIKeyID, at now: Int64) {
        state.withLock { state in
            for (hash, entry) in state.entries where entry.principal.keyID == keyID {
                state.entries[hash]?.lastUsedAt = now
            }
        }
    }

    var count: Int { state.withLock { $0.entries.count } }
}

/// Empties an `APIKeyCache` when a transaction that changed what it holds commits: any change to
/// `api_keys` but a `last_used_at`-only update, a deleted business, or an update of a business
/// column a principal carries (not the version counters the booking triggers bump).
final class APIKeyCacheObserver: TransactionObserver, @unchecked Sendable {
    // @unchecked: `changed` is touched only on the writer connection's queue, as GRDB calls observers.
    private let cache: APIKeyCache
    private var changed = false

    /// The `businesses` columns `Catalog.business(row:)` reads into a principal.
    static let principalColumns: Set<String> = ["id", "slug", "name", "timezone", "currency", "description", "status"]

    init(cache: APIKeyCache) { self.cache = cache }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        switch eventKind {
        case .insert: false   // a new key or business is in no kept principal
        case .delete(let table): table == "api_keys" || table == "businesses"
        case .update("api_keys", let columns): !columns.allSatisfy { $0.lowercased() == "last_used_at" }
        case .update("businesses", let columns): columns.contains { Self.principalColumns.contains($0.lowercased()) }
        case .update: false
        }
    }

    func databaseDidChange(with event: DatabaseEvent) {
        changed = true
        stopObservingDatabaseChangesUntilNextTransaction()
    }

    func databaseDidCommit(_ db: Database) {
        if changed { cache.removeAll() }
        changed = false
    }

    func databaseDidRollback(_ db: Database) { changed = false }
}
