/// When the moves that record what happened at an appointment may be made. A no-show frees the
/// booking's time, so recording one before the start would let the time be sold twice.
/// Pure: the caller passes the booking's start and `now`.
public struct LifecycleTiming: Hashable, Sendable {
    /// Minutes after the start before a booking may be marked as a no-show (the business sets it).
    public var noShowGraceMinutes: Int
    /// Minutes before the start from which a customer may be checked in.
    public var checkInWindowMinutes: Int

    public static let standard = LifecycleTiming(noShowGraceMinutes: 15, checkInWindowMinutes: 60)
    /// The longest grace period: a day.
    public static let maximumGraceMinutes = 1440
    /// The longest check-in window: a week.
    public static let maximumCheckInWindowMinutes = 10080

    public init(noShowGraceMinutes: Int, checkInWindowMinutes: Int) {
        self.noShowGraceMinutes = noShowGraceMinutes
        self.checkInWindowMinutes = checkInWindowMinutes
    }

    /// The first instant at which a booking starting at `start` may move to `next`; nil for moves
    /// that do not depend on the time (confirm, cancel…).
    public func earliest(_ next: BookingStatus, start: Instant) -> Instant? {
        switch next {
        case .noShow: start + Int64(noShowGraceMinutes) * 60
        case .completed: start
        case .checkedIn: start - Int64(checkInWindowMinutes) * 60
        default: nil
        }
    }

    /// Throws `TooEarly` with a sentence when `now` is before the earliest instant for `next`.
    public func check(_ next: BookingStatus, start: Instant, now: Instant) throws(TooEarly) {
        guard let earliest = earliest(next, start: start), now < earliest else { return }
        throw TooEarly(status: next, earliest: earliest, timing: self)
    }
}

/// A move refused because the appointment has not reached the point where it makes sense.
public struct TooEarly: Error, Hashable, Sendable, CustomStringConvertible {
    public let status: BookingStatus
    public let earliest: Instant
    let timing: LifecycleTiming

    /// e.g. "a booking can be marked as a no-show only from 15 minutes after its start".
    public var message: String {
        switch status {
        case .noShow:
            timing.noShowGraceMinutes == 0
                ? "a booking can be marked as a no-show only once it has started"
                : "a booking can be marked as a no-show only from \(Self.minutes(timing.noShowGraceMinutes)) after its start"
        case .completed:
            "a booking can be completed only once it has started"
        case .checkedIn:
            timing.checkInWindowMinutes == 0
                ? "a customer can be checked in only once the booking has started"
                : "a customer can be checked in only from \(Self.minutes(timing.checkInWindowMinutes)) before the start"
        default:
            "it is too early to do that"
        }
    }

    public var description: String { message }

    static func minutes(_ count: Int) -> String { count == 1 ? "1 minute" : "\(count) minutes" }
}
