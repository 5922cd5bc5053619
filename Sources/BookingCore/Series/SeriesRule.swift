/// How a booking repeats: every `intervalWeeks` weeks at the same wall-clock time in the business's
/// zone (so 10:00 stays 10:00 across a DST change), for `count` occurrences, until a date
/// (inclusive), or with no end (a standing reservation, booked a horizon ahead).
public struct SeriesRule: Sendable, Hashable {
    public enum End: Sendable, Hashable {
        case count(Int)
        case until(LocalDate)
        /// A standing reservation: no end.
        case none
    }

    public static let maximumCount = 104
    public static let maximumIntervalWeeks = 52

    public var intervalWeeks: Int
    public var end: End

    public init(intervalWeeks: Int = 1, end: End) {
        self.intervalWeeks = intervalWeeks
        self.end = end
    }

    /// Why the rule cannot be used, as (field, sentence); nil when it can.
    public func problem(first: LocalDate) -> (field: String, message: String)? {
        guard (1...Self.maximumIntervalWeeks).contains(intervalWeeks) else {
            return ("interval", "repeat every 1 to \(Self.maximumIntervalWeeks) weeks")
        }
        switch end {
        case .count(let count) where !(1...Self.maximumCount).contains(count):
            return ("count", "book 1 to \(Self.maximumCount) occurrences")
        case .until(let date) where date < first:
            return ("until", "the last date must not be before the first")
        case .until(let date) where first.days(to: date) / (7 * intervalWeeks) + 1 > Self.maximumCount:
            return ("until", "that makes more than \(Self.maximumCount) occurrences")
        default:
            return nil
        }
    }

    /// The occurrences starting with `first` (its local date and wall time in `clock`'s zone), the
    /// `index`-th at `first`'s wall time on the date `index * 7 * intervalWeeks` days later; at most
    /// `through` (inclusive) for a standing reservation, and never more than `maximumCount` at once.
    /// `after` (a standing reservation's last date tried) starts the list at the first date later
    /// than it. A wall time that does not exist on a date (a spring-forward gap) moves forward by the gap.
    public func occurrences(first: Instant, clock: ZoneClock, through horizon: LocalDate? = nil, after: LocalDate? = nil) -> [Instant] {
        let local = clock.local(first)
        let step = 7 * intervalWeeks
        var index = 0
        if let after, after >= local.date { index = local.date.days(to: after) / step + 1 }
        var out: [Instant] = []
        while out.count < Self.maximumCount {
            let date = local.date.adding(days: index * step)
            switch end {
            case .count(let count): if index >= count { return out }
            case .until(let last): if date > last { return out }
            case .none: if let horizon, date > horizon { return out }
            }
            out.append(clock.day(date).instantMovingForward(minutes: local.time.minutes))
            index += 1
        }
        return out
    }
}
