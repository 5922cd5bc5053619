import BookingCore
import Testing

struct DomainEventTests {
    @Test func aHoldBecomingABookingIsItsCreation() {
        #expect(DomainEventType.announcing(from: .held, to: .confirmed) == [.bookingCreated])
        #expect(DomainEventType.announcing(from: .held, to: .pending) == [.bookingCreated])
        #expect(DomainEventType.announcing(from: nil, to: .confirmed) == [.bookingCreated])
    }

    @Test func holdsThatNeverBecameBookingsAreNeverAnnounced() {
        #expect(DomainEventType.announcing(from: nil, to: .held).isEmpty)
        #expect(DomainEventType.announcing(from: .held, to: .expired).isEmpty)
        #expect(DomainEventType.announcing(from: .held, to: .cancelled).isEmpty)
    }

    @Test func anApprovalAnnouncesTheApprovalAndTheConfirmation() {
        #expect(DomainEventType.announcing(from: .pending, to: .confirmed) == [.bookingApproved, .bookingConfirmed])
    }

    @Test func eachLaterMoveAnnouncesItsOwnEvent() {
        #expect(DomainEventType.announcing(from: .confirmed, to: .cancelled) == [.bookingCancelled])
        #expect(DomainEventType.announcing(from: .pending, to: .cancelled) == [.bookingCancelled])
        #expect(DomainEventType.announcing(from: .confirmed, to: .checkedIn) == [.bookingCheckedIn])
        #expect(DomainEventType.announcing(from: .checkedIn, to: .completed) == [.bookingCompleted])
        #expect(DomainEventType.announcing(from: .confirmed, to: .noShow) == [.bookingNoShow])
        // A reschedule records a move to the same status: the reschedule announces itself.
        #expect(DomainEventType.announcing(from: .confirmed, to: .confirmed).isEmpty)
    }

    @Test func theNamesAreTheContractsNames() {
        #expect(Set(DomainEventType.allCases.map(\.rawValue)) == [
            "booking.created", "booking.confirmed", "booking.rescheduled", "booking.cancelled", "booking.checked_in",
            "booking.completed", "booking.no_show", "booking.approved", "booking.declined", "waitlist.offered",
            "payment.succeeded", "payment.refunded",
        ])
    }
}
