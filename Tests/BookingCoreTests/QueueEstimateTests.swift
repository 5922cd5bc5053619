import BookingCore
import Testing

struct QueueEstimateTests {
    static let now = F.t("2027-05-14T15:00:00Z")

    @Test func withoutObservationsThePriorAnswers() {
        let model = ServiceTimeModel(priorMinutes: 20)
        let estimate = model.estimate([])
        #expect(estimate.mean == 20)
        #expect(abs(estimate.spread - 0.15) < 1e-9)
    }

    /// A fixture of observed haircuts: the estimate moves from the prior (20) toward what was
    /// seen (about 15), and the spread narrows with consistent times.
    @Test func observedTimesPullTheEstimateFromThePrior() {
        let model = ServiceTimeModel(priorMinutes: 20, priorWeight: 3, priorSpread: 0.2, window: 20)
        let observed: [Double] = [14, 16, 15, 15, 14, 16, 15, 15, 14, 16, 15, 15]
        let estimate = model.estimate(observed)
        #expect(abs(estimate.mean - 16) < 0.001)  // (3 × 20 + 180) / 15
        #expect(estimate.spread < 0.2 && estimate.spread >= 0.1)
        // Only the last `window` count: 30 old slow cuts then 20 quick ones answer like the quick ones.
        let windowed = model.estimate(Array(repeating: 60, count: 30) + Array(repeating: 10, count: 20))
        #expect(abs(windowed.mean - (3 * 20 + 200) / 23.0) < 0.001)
        // Erratic times widen the range.
        #expect(model.estimate([5, 40, 8, 35, 6, 45]).spread > 0.4)
    }

    /// The example: two ahead with one barber at 15 minutes a cut → "about 25–35 min".
    @Test func thirdInLineWithOneBarberWaitsAboutTwentyFiveToThirtyFive() throws {
        let starts = try #require(QueueEstimator.starts(services: [900, 900, 900], servers: [.init(freeAt: Self.now)], now: Self.now))
        #expect(starts == [Self.now, Self.now + 900, Self.now + 1800])
        #expect(QueueEstimator.wait(start: starts[2], now: Self.now, spread: 0.15) == .init(low: 25, high: 35))
        #expect(QueueEstimator.wait(start: starts[0], now: Self.now, spread: 0.15) == .init(low: 0, high: 5))
    }

    @Test func twoServersShareTheLineAndABusyOneJoinsWhenDone() throws {
        let servers = [QueueEstimator.Server(freeAt: Self.now + 600), .init(freeAt: Self.now)]
        let starts = try #require(QueueEstimator.starts(services: [1200, 1200, 1200], servers: servers, now: Self.now))
        #expect(starts == [Self.now, Self.now + 600, Self.now + 1200])
        #expect(QueueEstimator.starts(services: [600], servers: [], now: Self.now) == nil)
    }

    /// An appointment blocks its server: a 20-minute cut does not fit the 10 minutes before it.
    @Test func anAppointmentKeepsItsServerFromTheQueue() throws {
        let appointment = TimeRange(start: Self.now + 600, end: Self.now + 3600)
        let barber = QueueEstimator.Server(freeAt: Self.now, appointments: [appointment])
        let starts = try #require(QueueEstimator.starts(services: [1200, 300], servers: [barber], now: Self.now))
        #expect(starts == [Self.now + 3600, Self.now + 4800])
        // A short service still fits before it.
        #expect(QueueEstimator.starts(services: [300], servers: [barber], now: Self.now) == [Self.now])
    }

    @Test func ticketsMoveOnlyForward() {
        #expect(TicketStatus.waiting.canMove(to: .called))
        #expect(TicketStatus.called.canMove(to: .noShow))
        #expect(!TicketStatus.done.canMove(to: .waiting))
        #expect(!TicketStatus.serving.canMove(to: .noShow))
        #expect(TicketStatus.allCases.filter(\.isFinal) == [.done, .noShow, .left])
        #expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101].map(ordinal) == ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st"])
    }
}

struct QueueAccuracyTests {
    @Test func weeksCompareThePromiseWithTheWait() {
        let clock = ZoneClock(F.newYork)
        let monday = F.t("2027-05-10T14:00:00Z"), nextMonday = monday + 7 * 86_400
        func seen(_ joined: Instant, waited minutes: Int64, _ low: Int, _ high: Int) -> QueueAccuracy.Observation {
            .init(joinedAt: joined, calledAt: joined + minutes * 60, estimate: .init(low: low, high: high))
        }
        let weeks = QueueAccuracy.weeks([
            seen(monday, waited: 30, 25, 35), seen(monday + 3600, waited: 50, 25, 35), seen(monday + 7200, waited: 10, 10, 20),
            seen(nextMonday, waited: 5, 0, 5),
        ], clock: clock)
        #expect(weeks.map(\.monday) == [F.d("2027-05-17"), F.d("2027-05-10")])
        let first = weeks[1]
        #expect(first.tickets == 3)
        #expect(first.withinRange == 2)
        #expect(first.late == 1)
        #expect(abs(first.meanEstimated - 25) < 1e-9)  // (30 + 30 + 15) / 3
        #expect(abs(first.meanActual - 30) < 1e-9)     // (30 + 50 + 10) / 3
    }
}

struct QueueNextMessageTests {
    @Test func theYouAreNextLineFitsOneTextMessageWhateverTheNames() {
        #expect(QueueNextMessage.text(businessName: "Sam's Barbers", queueName: "Walk-ins")
                == "Sam's Barbers: you are next in line (Walk-ins). Please come to the desk now.")
        let long = QueueNextMessage.text(businessName: String(repeating: "B", count: 120), queueName: "Queue\nwith  lines " + String(repeating: "Q", count: 120))
        #expect(long.count == QueueNextMessage.maxLength)
        #expect(!long.contains("\n") && long.contains("you are next in line (Queue with lines"))
        #expect(long.hasSuffix("…). Please come to the desk now."))
    }
}
