import BookingCore
import Synchronization

/// The in-memory caches of one `AppDatabase`: they live and die with it, and hold only what is
/// exactly what reading again would give.
///
/// - Compiled schedules, by business, valid while `businesses.schedule_version` is unchanged.
/// - Availability answers of the current second, keyed by both versions and the question.
/// - Decoded published offer versions, by version id (published versions never change).
/// - Authenticated API keys, by key hash, until a commit changes a key or a business (`APIKeyCache`).
///
/// Filled only from committed data, by construction: the versions are random values set by
/// triggers (migration 0011), so a version names one content whether or not its transaction
/// commits — what a rolled-back transaction cached is keyed by a version no reader will ever see.
/// Published specs are keyed by row id, which a rolled-back insert can hand to another version
/// later, so they are kept only from read transactions (`CacheScope.keepsSpecs`).
final class Caches: Sendable {
    let schedules = Mutex<[BusinessID: CompiledSchedules]>([:])
    let specs = Mutex<[SpecKey: OfferVersionSpec]>([:])
    let answers: AnswerCache
    /// Authenticated API keys (emptied by `APIKeyCacheObserver` on the commits that change them).
    let apiKeys = APIKeyCache()

    struct SpecKey: Hashable {
        let versionID: OfferVersionID
        let mode: String
    }

    init(answerSlots: Int) {
        answers = AnswerCache(maxSlots: answerSlots)
    }
}

/// The caches the current transaction uses, bound by `AppDatabase` around every transaction it
/// opens (reads on the calling thread, writes on the group-commit writer thread). Code running in
/// a transaction the door did not open (tests reaching the pool directly) has no scope and reads
/// everything afresh.
struct CacheScope: Sendable {
    let caches: Caches
    /// Whether decoded published specs may be kept: only in read transactions (see `Caches`).
    let keepsSpecs: Bool

    @TaskLocal static var current: CacheScope?
}
