/// When a webhook delivery is tried again, when it is given up, and when its endpoint is switched off:
/// pure rules of the webhook outbox (CONTRACT.md, "Webhooks").
public enum WebhookRetry {
    /// The first retry's plain wait; jitter spreads it over [¾, 1¼), so it comes within 25 s (≤ 30 s).
    public static let firstRetrySeconds: Int64 = 20
    /// Waits double up to this cap (4 hours).
    public static let capSeconds: Int64 = 4 * 3600
    /// A delivery is given up only after at least this many attempts…
    public static let minimumAttempts = 8
    /// …and at least this long after its event.
    public static let minimumSpanSeconds: Int64 = 86_400
    /// An endpoint failing for this long (no success since its first failure) is disabled.
    public static let disableAfterSeconds: Int64 = 86_400

    /// The wait after the `attempts`-th failed attempt (1-based): 20 s doubling, capped at 4 hours,
    /// spread by `jitter` (0 ..< 1) so that deliveries failing together do not retry together.
    /// Each wait is longer than the one before until the cap (the smallest doubled wait, 1½ of the
    /// previous plain wait, is above the largest jittered previous one, 1¼ of it).
    public static func delay(afterAttempt attempts: Int, jitter: Double) -> Int64 {
        Delivery.retryDelay(afterAttempt: attempts, jitter: jitter, base: firstRetrySeconds, cap: capSeconds)
    }

    /// When to try again after the `attempts`-th attempt failed at `now`, or nil: give up (`failed`),
    /// which happens only once both the attempt count and the time since the event are reached.
    public static func next(afterAttempt attempts: Int, eventAt: Instant, now: Instant, jitter: Double) -> Instant? {
        if attempts >= minimumAttempts && now - eventAt >= minimumSpanSeconds { return nil }
        return now + delay(afterAttempt: attempts, jitter: jitter)
    }

    /// Whether an HTTP status counts as delivered (any 2xx; a redirect is not followed, so it is not).
    public static func isDelivered(status: Int) -> Bool { (200...299).contains(status) }

    /// Whether an endpoint failing since `failingSince` is to be disabled at `now`.
    public static func shouldDisable(failingSince: Instant, now: Instant) -> Bool {
        now - failingSince >= disableAfterSeconds
    }
}
