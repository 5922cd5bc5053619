import Foundation
import HTTPServer
import Synchronization

/// Per-key token buckets in memory: `rate` requests a second on average, bursts up to `burst`.
/// Keyed by the SHA-256 of the presented key (unique per key, even across databases in one process).
/// `BIZING_API_RATE` and `BIZING_API_BURST` configure it; a restart refills every bucket.
final class APIRateLimiter: Sendable {
    struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let rate: Double
    let burst: Double
    private let buckets = Mutex<[Data: Bucket]>([:])

    init(rate: Double, burst: Double) {
        self.rate = max(rate, 0.001)
        self.burst = max(burst, 1)
    }

    static let shared: APIRateLimiter = {
        let environment = ProcessInfo.processInfo.environment
        return APIRateLimiter(rate: environment["BIZING_API_RATE"].flatMap(Double.init) ?? 20,
                              burst: environment["BIZING_API_BURST"].flatMap(Double.init) ?? 40)
    }()

    /// nil when the request may run (a token taken); otherwise the seconds to wait for one.
    func take(_ key: Data, now: ContinuousClock.Instant = .now) -> Int? {
        buckets.withLock { buckets in
            if buckets.count > 100_000 { buckets.removeAll(keepingCapacity: true) }
            var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(burst, bucket.tokens + max(0, seconds) * rate)
            bucket.updated = now
            defer { buckets[key] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up)))
        }
    }

    static func refusal(retryAfter seconds: Int) -> WebError {
        var error = WebError(.tooManyRequests, code: "rate_limited",
                             "This API key sent too many requests. Wait \(seconds) second\(seconds == 1 ? "" : "s") and try again.")
        error.headers.append(("Retry-After", String(seconds)))
        return error
    }
}
