/// Lets a staff booking start inside the offer's minimum notice: a walk-in "for now or later
/// today". Only a role with the calendar and `booking:create` can obtain one, and only the staff
/// walk-in passes it; the customer pages and the API never do. Every other rule still applies in
/// the booking transaction: no start in the past, the slot grid, opening hours, maximum advance,
/// capacity and double booking.
public struct NoticeWaiver: Sendable, Hashable {
    public let role: Role

    public init?(role: Role) {
        guard role.can(.calendarView), role.can(.bookingCreate) else { return nil }
        self.role = role
    }

    /// `spec` as the check sees it under the waiver: no minimum notice (a start before now is still refused).
    public func apply(to spec: OfferVersionSpec) -> OfferVersionSpec {
        var waived = spec
        waived.minimumNoticeMinutes = 0
        return waived
    }
}

/// Who may book for a walk-in, and what a staff booking is recorded as.
public enum WalkIn {
    /// A start at most this far ahead is a walk-in (`walk_in`); later today it is a staff booking (`staff`).
    public static let window: Int64 = 90 * 60

    /// The source recorded for a booking staff make for `start` at `now`.
    public static func source(start: Instant, now: Instant) -> String {
        start - now <= window ? "walk_in" : "staff"
    }
}
