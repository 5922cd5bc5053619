/// When to try a message again, and when to remind: pure rules of the outbox.
public enum Delivery {
    /// The wait after the `attempts`-th failed attempt (1-based): 30 s doubling each time, capped at
    /// `cap` (1 hour), then spread by `jitter` (0 ..< 1, from the caller's random source) over
    /// [¾, 1¼) of the wait so that messages failing together do not retry together.
    public static func retryDelay(afterAttempt attempts: Int, jitter: Double, base: Int64 = 30, cap: Int64 = 3600) -> Int64 {
        let exponent = min(max(attempts - 1, 0), 30)
        let plain = min(cap, base << Int64(exponent))
        let spread = 0.75 + 0.5 * min(max(jitter, 0), 0.999_999)
        return max(1, Int64((Double(plain) * spread).rounded()))
    }

    /// Attempts after which a transient failure becomes permanent (about two days with the cap).
    public static let maxAttempts = 60

    /// The instants to send reminders of a booking starting at `start`, one per offset (minutes
    /// before the start), leaving out those already past at `now`: a booking made inside a
    /// reminder's window gets no such reminder. Offsets are deduplicated.
    public static func reminderTimes(start: Instant, offsetsMinutes: [Int], now: Instant) -> [(offsetMinutes: Int, at: Instant)] {
        var seen = Set<Int>()
        return offsetsMinutes.filter { $0 > 0 && seen.insert($0).inserted }.sorted(by: >).compactMap { offset in
            let at = start - Int64(offset) * 60
            return at > now ? (offset, at) : nil
        }
    }
}
