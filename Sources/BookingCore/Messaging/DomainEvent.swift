/// The events a business can subscribe to (CONTRACT.md, "Webhooks"). Raw values are the names sent in
/// `Bizing-Event` and the payload's `type`, and stored with each delivery.
public enum DomainEventType: String, Sendable, Hashable, CaseIterable, Codable {
    case bookingCreated = "booking.created"
    case bookingConfirmed = "booking.confirmed"
    case bookingRescheduled = "booking.rescheduled"
    case bookingCancelled = "booking.cancelled"
    case bookingCheckedIn = "booking.checked_in"
    case bookingCompleted = "booking.completed"
    case bookingNoShow = "booking.no_show"
    case bookingApproved = "booking.approved"
    case bookingDeclined = "booking.declined"
    case waitlistOffered = "waitlist.offered"
    case paymentSucceeded = "payment.succeeded"
    case paymentRefunded = "payment.refunded"

    /// The events a move of the state machine announces. A hold is nobody's business until it becomes
    /// a booking (`held` → `confirmed` or `pending` is the booking's creation), and a hold that expires
    /// or is abandoned was never announced, so its end is not either. An approval announces both that
    /// it was approved and that the booking is now confirmed. A refusal of a pending booking by the
    /// business (`declined`) is announced by the use case that knows it was one, not from the move.
    public static func announcing(from: BookingStatus?, to: BookingStatus) -> [DomainEventType] {
        switch (from, to) {
        case (.held?, .confirmed), (.held?, .pending), (nil, .confirmed), (nil, .pending): return [.bookingCreated]
        case (.pending?, .confirmed): return [.bookingApproved, .bookingConfirmed]
        case (.held?, _), (nil, _): return []
        case (_, .cancelled): return [.bookingCancelled]
        case (_, .checkedIn): return [.bookingCheckedIn]
        case (_, .completed): return [.bookingCompleted]
        case (_, .noShow): return [.bookingNoShow]
        default: return []
        }
    }
}
