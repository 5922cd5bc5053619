/// The arithmetic of the owner's reports (issue 19), apart from the queries that feed it.
public enum ReportMath {
    /// `part` as a percentage of `whole`, rounded to one decimal; nil when `whole` is not positive.
    public static func percent(_ part: Double, of whole: Double) -> Double? {
        guard whole > 0 else { return nil }
        return (part / whole * 1000).rounded() / 10
    }

    /// Seconds of `ranges` inside `window` (ranges assumed not to overlap, as `openRanges` returns them).
    public static func seconds(of ranges: [TimeRange], within window: TimeRange) -> Int64 {
        ranges.reduce(0) { total, range in
            total + max(0, min(range.end, window.end) - max(range.start, window.start))
        }
    }

    /// Counts of bookings by the local hour (0–23 in `clock`'s zone) they start in, from counts by
    /// instants (the start of each counted bucket): a bucket's local hour is read at its own
    /// instant, so the two sides of a DST change each land in their own hour.
    public static func byLocalHour(_ buckets: [(start: Instant, count: Int)], clock: ZoneClock) -> [Int] {
        var hours = [Int](repeating: 0, count: 24)
        for bucket in buckets {
            let hour = clock.local(bucket.start).time.minutes / 60
            if (0..<24).contains(hour) { hours[hour] += bucket.count }
        }
        return hours
    }

    /// The no-show rate: no-shows among the bookings whose attendance is known (checked in,
    /// completed or no-show); nil when there are none.
    public static func noShowRate(noShows: Int, attended: Int) -> Double? {
        percent(Double(noShows), of: Double(noShows + attended))
    }
}
