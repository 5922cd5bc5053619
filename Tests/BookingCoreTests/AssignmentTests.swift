import BookingCore
import Testing

/// Which free host "any host" gets, and per-host limits.
struct AssignmentTests {
    let monday = "2026-03-02"
    func at(_ time: String) -> Instant { F.t("2026-03-02T\(time):00Z") }

    @Test func leastRecentlyBookedHostGetsTheBooking() {
        let hosts = [F.resource(1, lastBookedAt: 300), F.resource(2, lastBookedAt: 100), F.resource(3, lastBookedAt: 200)]
        #expect(F.slots(F.query(F.spec(), hosts), monday).first?.resourceIDs == [2])
    }

    @Test func neverBookedComesFirstAndTiesGoToTheLowestID() {
        let hosts = [F.resource(4, lastBookedAt: 100), F.resource(3), F.resource(2)]
        #expect(F.slots(F.query(F.spec(), hosts), monday).first?.resourceIDs == [2])
        let tied = [F.resource(9, lastBookedAt: 5), F.resource(7, lastBookedAt: 5)]
        #expect(F.slots(F.query(F.spec(), tied), monday).first?.resourceIDs == [7])
    }

    @Test func priorityOrderWinsWhenChosen() {
        let hosts = [F.resource(1), F.resource(2), F.resource(3, busy: [F.busy(at("14:00"), minutes: 30)])]
        let slots = F.slots(F.query(F.spec(), hosts, strategy: .priority([3, 2])), monday)
        #expect(slots[0].resourceIDs == [2])  // 3 is busy at 09:00
        #expect(slots[1].resourceIDs == [3])
    }

    @Test func maxBookingsPerDayMovesTheBookingToAnotherHost() {
        let busyDay = F.resource(1, busy: [F.busy(at("20:00"), minutes: 30)], limits: .init(maxBookingsPerDay: 1))
        let slots = F.slots(F.query(F.spec(), [busyDay, F.resource(2, lastBookedAt: 10)]), monday)
        #expect(slots.allSatisfy { $0.resourceIDs == [2] })
        let alone = AvailabilityEngine(query: F.query(F.spec(), [busyDay]), from: F.d(monday), to: F.d(monday))
        #expect(alone.slots().isEmpty)
        #expect(alone.explain(start: at("14:00")) == [.limitReached])
        // The next local day is a new day.
        #expect(F.slots(F.query(F.spec(), [busyDay]), "2026-03-03").count == 16)
    }

    @Test func minimumRestKeepsAGapAfterEachBooking() {
        let host = F.resource(1, busy: [F.busy(at("15:00"), minutes: 60)], limits: .init(minRestMinutes: 30))
        let e = AvailabilityEngine(query: F.query(F.spec(), [host]), from: F.d(monday), to: F.d(monday))
        let starts = Set(e.slots().map(\.start))
        #expect(!starts.contains(at("16:00")) && starts.contains(at("16:30")))
        #expect(!starts.contains(at("14:30")) && starts.contains(at("14:00")))
        #expect(e.explain(start: at("16:00")) == [.limitReached])
    }
}
