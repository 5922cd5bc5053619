import BookingCore
import Foundation
import HTTPServer
import Synchronization

/// A rate limit: the steady requests a second and the burst that may be sent at once.
public struct APIRateLimit: Hashable, Sendable {
    public var rate: Double
    public var burst: Double

    /// Stripe's published limit: 100 requests a second.
    public static let standard = APIRateLimit(rate: 100, burst: 100)

    public init(rate: Double, burst: Double) {
        self.rate = max(rate, 0.001)
        self.burst = max(burst, 1)
    }
}

/// Per-key token buckets in memory: `rate` requests a second on average, bursts up to `burst`.
/// Keyed by the authenticated key's id (only known keys reach it). The defaults are Stripe's
/// published 100 requests a second; a key may carry its own (set on its page). Owned by the `App`,
/// configured at start-up from `BIZING_API_RATE` / `BIZING_API_BURST`; a restart refills every bucket.
final class APIRateLimiter: Sendable {
    typealias Limit = APIRateLimit

    /// What the `RateLimit-*` headers say about a bucket after a request.
    struct State: Hashable, Sendable {
        /// The burst: requests that may be sent at once.
        let limit: Int
        let remaining: Int
        /// Seconds until the bucket is full again.
        let reset: Int
        /// Seconds until one request may be sent, when none may now.
        let retryAfter: Int?
    }

    struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let defaultLimit: Limit
    private let buckets = Mutex<[APIKeyID: Bucket]>([:])

    init(defaultLimit: Limit = .standard) {
        self.defaultLimit = defaultLimit
    }

    /// Takes a token from `key`'s bucket when there is one; the state says which.
    func take(_ key: APIKeyID, limit: Limit? = nil, now: ContinuousClock.Instant = .now) -> State {
        let limit = limit ?? defaultLimit
        return buckets.withLock { buckets in
            if buckets.count > 100_000 { buckets.removeAll(keepingCapacity: true) }
            var bucket = buckets[key] ?? Bucket(tokens: limit.burst, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(limit.burst, bucket.tokens + max(0, seconds) * limit.rate)
            bucket.updated = now
            defer { buckets[key] = bucket }
            var retryAfter: Int?
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
            } else {
                retryAfter = max(1, Int(((1 - bucket.tokens) / limit.rate).rounded(.up)))
            }
            return State(limit: Int(limit.burst), remaining: Int(bucket.tokens.rounded(.down)),
                         reset: Int(((limit.burst - bucket.tokens) / limit.rate).rounded(.up)), retryAfter: retryAfter)
        }
    }

    /// The `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` headers (IETF draft
    /// httpapi-ratelimit-headers), and `Retry-After` when the request was refused.
    static func headers(_ state: State) -> [(String, String)] {
        var headers = [("RateLimit-Limit", String(state.limit)), ("RateLimit-Remaining", String(state.remaining)),
                       ("RateLimit-Reset", String(state.reset))]
        if let wait = state.retryAfter { headers.append(("Retry-After", String(wait))) }
        return headers
    }

    static func refusal(_ state: State) -> WebError {
        let seconds = state.retryAfter ?? 1
        var error = WebError(.tooManyRequests, code: "rate_limited",
                             "This API key sent too many requests. Wait \(seconds) second\(seconds == 1 ? "" : "s") and try again.")
        error.headers.append(contentsOf: headers(state))
        return error
    }
}
