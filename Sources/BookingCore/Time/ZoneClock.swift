public import Foundation  // TimeZone only: IANA zone offsets. Never Date() — time is passed in.

/// Converts between instants and wall-clock time in one IANA time zone, DST-correct.
///
/// Rules for wall times that do not map to exactly one instant:
/// - a nonexistent time (in a spring-forward gap) gives `nil` from `instant(_:_:)`;
/// - an ambiguous time (repeated in a fall-back hour) gives its **first** occurrence.
public struct ZoneClock: Sendable, Hashable {
    public let timeZone: TimeZone

    public init(_ timeZone: TimeZone) { self.timeZone = timeZone }

    /// `nil` for an unknown IANA name.
    public init?(identifier: String) {
        guard let tz = TimeZone(identifier: identifier) else { return nil }
        self.init(tz)
    }

    /// Seconds east of UTC in effect at `instant`.
    @inline(__always)
    public func offset(at instant: Instant) -> Int64 {
        Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant))))
    }

    /// The per-date conversion table; build once per date and reuse for every wall time of that date.
    public func day(_ date: LocalDate) -> ZoneDay { ZoneDay(date: date, clock: self) }

    /// The instant of `wall` on `date`; nil inside a DST gap; first occurrence when ambiguous.
    public func instant(_ date: LocalDate, _ wall: WallTime) -> Instant? {
        day(date).instant(wall)
    }

    /// The local date and time of `instant`.
    public func local(_ instant: Instant) -> LocalDateTime {
        let l = instant + offset(at: instant)
        let days = floorDiv(l, 86_400)
        let secs = Int(l - days * 86_400)
        return LocalDateTime(date: LocalDate(daysSinceEpoch: days),
                             time: WallTime(minutes: secs / 60)!, second: secs % 60)
    }
}

/// A local date and wall time (with seconds) in some zone.
public struct LocalDateTime: Hashable, Sendable, Codable {
    public let date: LocalDate
    public let time: WallTime
    public let second: Int
}

/// Wall time → instant for one local date. Caches the UTC offsets around the date: when they are
/// equal (almost every day) a conversion is one subtraction; only on a transition day does it ask
/// the zone again.
public struct ZoneDay: Sendable {
    public let date: LocalDate
    let clock: ZoneClock
    /// The local midnight read as if it were UTC (seconds).
    let naiveMidnight: Int64
    /// Offsets in effect well before and well after the date.
    let before: Int64
    let after: Int64

    init(date: LocalDate, clock: ZoneClock) {
        self.date = date
        self.clock = clock
        naiveMidnight = date.daysSinceEpoch * 86_400
        // Offsets are within [-12h, +14h]: these instants are surely before the local day begins
        // and after it ends.
        before = clock.offset(at: naiveMidnight - 15 * 3600)
        after = clock.offset(at: naiveMidnight + 39 * 3600)
    }

    /// True when the offset changes on or around this date (the careful path is used).
    public var hasTransition: Bool { before != after }

    /// The instant of `wall` on this date; nil if it does not exist; first occurrence if repeated.
    @inline(__always)
    public func instant(_ wall: WallTime) -> Instant? { instant(minutes: wall.minutes) }

    /// Same as `instant(_:)` with minutes since midnight (0...1440).
    @inline(__always)
    public func instant(minutes: Int) -> Instant? {
        let l = naiveMidnight + Int64(minutes) * 60
        if before == after { return l - before }
        let t1 = l - before, t2 = l - after
        let ok1 = clock.offset(at: t1) == before, ok2 = clock.offset(at: t2) == after
        switch (ok1, ok2) {
        case (true, true): return Swift.min(t1, t2)
        case (true, false): return t1
        case (false, true): return t2
        case (false, false): return nil
        }
    }

    /// Like `instant(minutes:)`, but a nonexistent time is moved forward by the gap's length
    /// (02:30 on a spring-forward day becomes 03:30). Used for opening-hour boundaries.
    @inline(__always)
    public func instantMovingForward(minutes: Int) -> Instant {
        instant(minutes: minutes) ?? (naiveMidnight + Int64(minutes) * 60 - before)
    }

    /// The first instant of this local date.
    public var start: Instant { instantMovingForward(minutes: 0) }
}
