import BookingCore
import Testing

/// Class mode: sessions from the venue's rules, seats shared by party sizes.
struct ClassSessionTests {
    let monday = "2026-03-02"
    func at(_ time: String) -> Instant { F.t("2026-03-02T\(time):00Z") }
    let yogaID: OfferID = 5
    var yoga: OfferVersionSpec {
        F.spec(minutes: 60, mode: .class, seats: 10, components: [OfferComponent(selector: .resource(30), role: "studio")])
    }

    func studio(_ busy: [BusyEntry] = []) -> ResourceSchedule {
        F.resource(30, .venue, rules: F.rules(F.monSat) + F.rules([.monday], "12:00", "13:00", offerID: yogaID),
                   busy: busy)
    }

    func engine(_ busy: [BusyEntry] = [], party: Int = 1) -> AvailabilityEngine {
        AvailabilityEngine(query: F.query(yoga, [studio(busy)], party: party, offerID: yogaID),
                           from: F.d(monday), to: F.d(monday))
    }

    @Test func sessionsStartWhereTheOffersOwnRulesOpen() {
        let slots = engine().slots()
        #expect(slots.map(\.start) == [at("17:00")])
        #expect(slots.first?.seatsLeft == 10)
        #expect(engine().explain(start: at("14:00")) == [.misaligned])
    }

    @Test func bookingsOfTheSameSessionShareTheRoomButUseSeats() {
        let booked = (0..<3).map { _ in F.busy(at("17:00"), minutes: 60, offer: yogaID, party: 2, isClass: true) }
        #expect(engine(booked).slots().first?.seatsLeft == 4)
        #expect(engine(booked, party: 4).slots().count == 1)
        #expect(engine(booked, party: 5).slots().isEmpty)
        #expect(engine(booked, party: 5).explain(start: at("17:00")) == [.noSeats])
    }

    @Test func aClassNeverSellsMoreSeatsThanItHas() {
        let full = (0..<10).map { _ in F.busy(at("17:00"), minutes: 60, offer: yogaID, isClass: true) }
        #expect(engine(full).slots().isEmpty)
        #expect(engine(full).explain(start: at("17:00")) == [.noSeats])
    }

    @Test func otherBookingsOfTheVenueBlockTheSession() {
        let other = [F.busy(at("17:30"), minutes: 30, offer: 8)]
        #expect(engine(other).explain(start: at("17:00")) == [.taken])
        let otherClass = [F.busy(at("17:00"), minutes: 60, offer: 8, isClass: true)]
        #expect(engine(otherClass).slots().isEmpty)
    }

    @Test func withoutOfferRulesEveryRuleStartIsASession() {
        let plain = F.resource(30, .venue, rules: F.rules([.monday], "09:00", "10:00") + F.rules([.monday], "18:00", "20:00"))
        let slots = F.slots(F.query(yoga, [plain], offerID: yogaID), monday)
        #expect(slots.map(\.start) == [at("14:00"), at("23:00")])
    }

    @Test func specialHoursMoveTheSession() {
        let moved = F.resource(30, .venue, rules: F.rules([.monday], "12:00", "13:00", offerID: yogaID),
                               overlays: [DateOverlay(date: F.d(monday), kind: .specialHours([
                                   WallInterval(opens: F.w("15:00"), closes: F.w("16:00")),
                               ]))])
        let slots = F.slots(F.query(yoga, [moved], offerID: yogaID), monday)
        #expect(slots.map(\.start) == [at("20:00")])
    }
}
