extension OfferVersionSpec {
    /// The service interval and the blocked interval (buffers included) of a booking starting at
    /// `start`, or nil when `durationMinutes` is not allowed (nil = the minimum duration).
    /// Store persists `blocked` so later availability queries see the buffers.
    public func intervals(start: Instant, durationMinutes: Int? = nil) -> (service: TimeRange, blocked: TimeRange)? {
        guard let minutes = duration.resolve(durationMinutes) else { return nil }
        let service = TimeRange(start: start, end: start + Int64(minutes) * 60)
        return (service, blockedRange(for: service))
    }

    /// The time a booking of this version keeps its resources from others: its service time with
    /// the buffers before and after.
    public func blockedRange(for service: TimeRange) -> TimeRange {
        TimeRange(start: service.start - Int64(bufferBeforeMinutes) * 60, end: service.end + Int64(bufferAfterMinutes) * 60)
    }

    /// The status an order of this version starts in: held, or straight to what checkout gives.
    public func initialStatus(holding: Bool) -> BookingStatus { holding ? .held : statusAfterCheckout }

    /// When a hold placed at `now` expires.
    public func holdExpiry(now: Instant) -> Instant { now + Int64(holdMinutes) * 60 }

    /// The status a confirmed hold moves to: pending when approval is required.
    public var statusAfterCheckout: BookingStatus { approvalRequired ? .pending : .confirmed }
}
