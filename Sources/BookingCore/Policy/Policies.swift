/// A refund decision.
public struct Refund: Hashable, Sendable, Codable {
    public var amount: Int64
    public var percent: Int

    public init(amount: Int64, percent: Int) {
        self.amount = amount
        self.percent = percent
    }
}

/// Cancellation, no-show and reschedule rules. Pure: `now` is passed in; amounts round half-up.
public enum Policies {
    /// The refund for cancelling at `now` a booking starting at `start` that paid `paid`:
    /// the tier with the largest `minHoursBefore` still satisfied; none (0 %) otherwise,
    /// and always none once the booking has started.
    public static func refund(paid: Int64, start: Instant, now: Instant, tiers: [CancellationTier]) -> Refund {
        let before = start - now
        guard before >= 0 else { return Refund(amount: 0, percent: 0) }
        let tier = tiers.filter { before >= Int64($0.minHoursBefore) * 3600 }
            .max { $0.minHoursBefore < $1.minHoursBefore }
        let percent = Swift.min(100, Swift.max(0, tier?.refundPercent ?? 0))
        return Refund(amount: roundHalfUp(paid, times: Int64(percent), over: 100), percent: percent)
    }

    /// The fee charged for a no-show on a booking priced `total`.
    public static func noShowCharge(total: Int64, feePercent: Int) -> Int64 {
        roundHalfUp(total, times: Int64(Swift.min(100, Swift.max(0, feePercent))), over: 100)
    }

    /// Rescheduling is allowed when the version allows it and `now` is at least the cutoff before `start`.
    public static func canReschedule(_ spec: OfferVersionSpec, start: Instant, now: Instant) -> Bool {
        spec.rescheduleAllowed && start - now >= Int64(spec.rescheduleCutoffHours) * 3600
    }
}
