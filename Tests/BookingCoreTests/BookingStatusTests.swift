import BookingCore
import Testing

struct BookingStatusTests {
    static let legal: Set<[BookingStatus]> = [
        [.held, .pending], [.held, .confirmed], [.held, .expired], [.held, .cancelled],
        [.pending, .confirmed], [.pending, .cancelled],
        [.confirmed, .checkedIn], [.confirmed, .cancelled], [.confirmed, .noShow],
        [.checkedIn, .completed],
    ]

    static let allPairs = BookingStatus.allCases.flatMap { a in BookingStatus.allCases.map { (a, $0) } }

    @Test(arguments: allPairs)
    func onlyTheListedMovesAreAllowed(from: BookingStatus, to: BookingStatus) {
        let isLegal = Self.legal.contains([from, to])
        #expect(from.canMove(to: to) == isLegal)
        var status = from
        do {
            try status.move(to: to)
            #expect(isLegal)
            #expect(status == to)
        } catch {
            #expect(!isLegal)
            #expect(error == IllegalTransition(from: from, to: to))
            #expect(status == from)
        }
    }

    @Test func illegalMovesSayWhatWentWrong() {
        #expect(throws: IllegalTransition(from: .cancelled, to: .checkedIn)) { try BookingStatus.cancelled.moving(to: .checkedIn) }
        #expect(IllegalTransition(from: .cancelled, to: .checkedIn).message == "a cancelled booking cannot be checked in")
        #expect(IllegalTransition(from: .expired, to: .confirmed).message == "an expired booking cannot be confirmed")
        #expect(IllegalTransition(from: .completed, to: .noShow).message == "a completed booking cannot be marked as a no-show")
        #expect(IllegalTransition(from: .cancelled, to: .cancelled).message == "the booking is already cancelled")
    }

    @Test func rawValuesAreTheStoredNames() {
        #expect(BookingStatus.allCases.map(\.rawValue)
                == ["held", "pending", "confirmed", "checked_in", "completed", "cancelled", "no_show", "expired"])
        #expect(BookingStatus(rawValue: "checked_in") == .checkedIn)
    }

    @Test func finalStatusesHaveNoWayOut() {
        #expect(BookingStatus.allCases.filter(\.isFinal) == [.completed, .cancelled, .noShow, .expired])
        #expect(!BookingStatus.cancelled.blocksTime && !BookingStatus.expired.blocksTime && BookingStatus.held.blocksTime)
    }
}
