import BookingCore
import Testing

/// `explanation(start:)`: each reason code comes from exactly the rule that causes it, with that
/// rule as its cause, and the verdict always agrees with `slots()`.
struct ExplanationTests {
    /// A fixture business in New York: hosts 1 (Dana) and 2 (Sam), open Mon–Sat 09:00–17:00.
    static let tuesday = "2026-01-06"
    static func at(_ time: String, _ date: String = tuesday) -> Instant { F.t("\(date)T\(time):00-05:00") }
    static let now = F.t("2026-01-01T00:00:00Z")

    static func explain(_ start: Instant, spec: OfferVersionSpec = F.spec(), resources: [ResourceSchedule],
                        now: Instant = now, party: Int = 1, requested: ResourceID? = nil, duration: Int? = nil,
                        offerID: OfferID = 1) -> Explanation {
        let q = F.query(spec, resources, now: now, party: party, requested: requested, duration: duration, offerID: offerID)
        let explanation = AvailabilityEngine(query: q, from: F.d(tuesday), to: F.d(tuesday)).explanation(start: start)
        // Whatever the reason, the verdict is the engine's.
        #expect(explanation.isBookable == (AvailabilityEngine.check(q, start: start).slot != nil))
        return explanation
    }

    static func host(_ id: ResourceID, busy: [BusyEntry] = [], blocked: [TimeRange] = [], limits: ResourceLimits = .init(),
                     overlays: [DateOverlay] = []) -> ResourceSchedule {
        F.resource(id, rules: F.rules(F.monSat), busy: busy, blocked: blocked, limits: limits, overlays: overlays)
    }

    static func booking(_ time: String, minutes: Int = 30, after: Int = 0, order: BookingID) -> BusyEntry {
        var e = F.busy(at(time), minutes: minutes, after: after)
        e.orderID = order
        return e
    }

    @Test func aFreeStartHasNoReasons() {
        let e = Self.explain(Self.at("14:00"), resources: [Self.host(1), Self.host(2)])
        #expect(e.isBookable)
        #expect(e.reasons.isEmpty)
        #expect(e.resources.map(\.resourceID).sorted() == [1, 2])
    }

    @Test func closedComesFromNoHoursThatDay() {
        let sunday = "2026-01-04"
        let e = Self.explain(Self.at("14:00", sunday), resources: [Self.host(1)])
        #expect(e.codes == [.closed])
        #expect(e.resources[0].reasons == [ReasonDetail(.closed, .noHours(date: F.d(sunday), closedDate: false))])
        let holiday = Self.host(1, overlays: [DateOverlay(date: F.d(Self.tuesday), kind: .closed)])
        let closedDate = Self.explain(Self.at("14:00"), resources: [holiday])
        #expect(closedDate.reasons == [ReasonDetail(.closed, .noHours(date: F.d(Self.tuesday), closedDate: true))])
    }

    @Test func outsideHoursComesFromTheHoursInForce() {
        let e = Self.explain(Self.at("08:00"), resources: [Self.host(1)])
        #expect(e.codes == [.outsideHours])
        #expect(e.reasons == [ReasonDetail(.outsideHours, .hours(date: F.d(Self.tuesday),
                                                                   open: [WallInterval(opens: F.w("09:00"), closes: F.w("17:00"))]))])
    }

    @Test func blockedNamesTheTimeOffOverTheService() {
        let dentist = TimeRange(start: Self.at("14:00"), end: Self.at("15:00"))
        let other = TimeRange(start: Self.at("10:00"), end: Self.at("11:00"))
        let e = Self.explain(Self.at("14:30"), resources: [Self.host(1, blocked: [other, dentist])])
        #expect(e.codes == [.blocked])
        #expect(e.reasons == [ReasonDetail(.blocked, .blockedTime(dentist))])
    }

    @Test func takenNamesTheBooking() {
        let e = Self.explain(Self.at("14:00"), resources: [Self.host(1, busy: [Self.booking("14:00", order: 7)])])
        #expect(e.codes == [.taken])
        guard case .booking(let entry) = e.reasons.first?.cause else { Issue.record("no booking cause"); return }
        #expect(entry.orderID == 7)
    }

    @Test func bufferNamesTheBookingWhoseBufferOverlaps() {
        // Our 15 minutes after 14:00–14:30 reach the booking at 14:30; the service itself is free.
        let e = Self.explain(Self.at("14:00"), spec: F.spec(after: 15),
                             resources: [Self.host(1, busy: [Self.booking("14:30", order: 8)])])
        #expect(e.codes == [.buffer])
        guard case .booking(let entry) = e.reasons.first?.cause else { Issue.record("no booking cause"); return }
        #expect(entry.orderID == 8)
        // Time off inside only the buffer is a buffer reason too, naming the time off.
        let off = TimeRange(start: Self.at("14:30"), end: Self.at("15:00"))
        let t = Self.explain(Self.at("14:00"), spec: F.spec(after: 15), resources: [Self.host(1, blocked: [off])])
        #expect(t.reasons == [ReasonDetail(.buffer, .blockedTime(off))])
    }

    @Test func noticeComesFromTheMinimumNotice() {
        let now = Self.at("13:00")
        let e = Self.explain(Self.at("14:00"), spec: F.spec(notice: 120), resources: [Self.host(1)], now: now)
        #expect(e.codes == [.notice])
        #expect(e.offerReasons == [ReasonDetail(.notice, .notice(minutes: 120, earliest: Self.at("15:00")))])
        #expect(e.resources[0].reasons.isEmpty)
    }

    @Test func advanceComesFromTheMaximumAdvance() {
        let now = Self.at("09:00", "2026-01-04")
        let e = Self.explain(Self.at("14:00"), spec: F.spec(advanceDays: 1), resources: [Self.host(1)], now: now)
        #expect(e.codes == [.advance])
        #expect(e.offerReasons == [ReasonDetail(.advance, .advance(days: 1, latest: now + 86_400))])
    }

    @Test func noSeatsComesFromTheSessionsSoldSeats() {
        let classID: OfferID = 5
        let spec = F.spec(minutes: 60, mode: .class, seats: 4, components: [OfferComponent(selector: .resource(30), role: "studio")])
        let sold = (0..<3).map { _ in F.busy(Self.at("10:00"), minutes: 60, offer: classID, isClass: true) }
        let studio = F.resource(30, .venue, rules: F.rules([.tuesday], "10:00", "11:00"), busy: sold)
        let e = Self.explain(Self.at("10:00"), spec: spec, resources: [studio], party: 2, offerID: classID)
        #expect(e.codes == [.noSeats])
        #expect(e.offerReasons == [ReasonDetail(.noSeats, .seats(seats: 4, left: 1, party: 2))])
    }

    @Test func limitReachedComesFromTheDailyLimit() {
        let host = Self.host(1, busy: [Self.booking("09:00", order: 1), Self.booking("10:00", order: 2)],
                             limits: ResourceLimits(maxBookingsPerDay: 2))
        let e = Self.explain(Self.at("14:00"), resources: [host])
        #expect(e.codes == [.limitReached])
        #expect(e.reasons == [ReasonDetail(.limitReached, .dailyLimit(max: 2, booked: 2))])
    }

    @Test func limitReachedComesFromTheRestBetweenBookings() {
        let before = Self.booking("12:30", order: 3)
        let host = Self.host(1, busy: [before], limits: ResourceLimits(minRestMinutes: 60))
        let e = Self.explain(Self.at("13:30"), resources: [host])
        #expect(e.codes == [.limitReached])
        #expect(e.reasons == [ReasonDetail(.limitReached, .rest(minutes: 60, booking: before))])
        #expect(Self.explain(Self.at("14:00"), resources: [host]).isBookable)
    }

    @Test func misalignedDurationAndUnqualifiedResourceAreOfferWide() {
        #expect(Self.explain(Self.at("14:10"), resources: [Self.host(1)]).offerReasons == [ReasonDetail(.misaligned, .grid(minutes: 30))])
        #expect(Self.explain(Self.at("14:00"), resources: [Self.host(1)], duration: 45).codes == [.invalidDuration])
        let room = F.resource(9, .venue)
        let e = Self.explain(Self.at("14:00"), resources: [Self.host(1), room], requested: 9)
        #expect(e.offerReasons == [ReasonDetail(.noQualifiedResource, .noResource(requested: true))])
    }

    @Test func everyCandidateIsListedWithEveryReason() {
        // Dana has time off 14:00–15:00, Sam is taken: both listed, each with its own cause.
        let dentist = TimeRange(start: Self.at("14:00"), end: Self.at("15:00"))
        let e = Self.explain(Self.at("14:00"), resources: [Self.host(1, blocked: [dentist]),
                                                           Self.host(2, busy: [Self.booking("14:00", order: 4)])])
        #expect(!e.isBookable)
        let byID = Dictionary(uniqueKeysWithValues: e.resources.map { ($0.resourceID, $0.reasons.map(\.code)) })
        #expect(byID == [1: [.blocked], 2: [.taken]])
        // Asking for Sam alone lists Sam alone.
        let sam = Self.explain(Self.at("14:00"), resources: [Self.host(1, blocked: [dentist]),
                                                             Self.host(2, busy: [Self.booking("14:00", order: 4)])], requested: 2)
        #expect(sam.resources.map(\.resourceID) == [2])
        // One free candidate makes the start bookable; the other keeps its reason.
        let one = Self.explain(Self.at("14:00"), resources: [Self.host(1, blocked: [dentist]), Self.host(2)])
        #expect(one.isBookable && one.offerReasons.isEmpty)
        #expect(one.resources.first { $0.resourceID == 1 }?.reasons.map(\.code) == [.blocked])
    }

    /// The property: the explanation is empty of blocking reasons iff the start is a slot, its codes
    /// cover the engine's, and a resource has no reasons iff the slow checker finds it free.
    @Test(arguments: 0..<4)
    func explanationAgreesWithSlotsAndTheBruteForceChecker(batch: UInt64) {
        var rng = SplitMix64(seed: 5000 + batch)
        for _ in 0..<25 {
            let s = AvailabilityPropertyTests.scenario(&rng)
            let engine = AvailabilityEngine(query: s.query, from: s.from, to: s.to)
            let slots = Set(engine.slots().map(\.start))
            let first = s.query.clock.day(s.from).start, last = s.query.clock.day(s.to.adding(days: 1)).start
            var probes = Array(stride(from: first, to: last, by: 15 * 60))
            probes += (0..<20).map { _ in Int64.random(in: first..<last, using: &rng) }
            for start in probes {
                let e = engine.explanation(start: start)
                let codes = engine.explain(start: start)
                #expect(codes.isEmpty == slots.contains(start))
                #expect(e.isBookable == slots.contains(start), "\(RFC3339.format(start))")
                #expect(e.isBookable || !e.reasons.isEmpty)
                #expect(Set(codes).isSubset(of: Set(e.codes)), "\(codes) vs \(e.codes)")
                if e.isBookable { #expect(e.offerReasons.isEmpty) }
                let date = s.query.clock.local(start).date
                let aligned = !e.offerReasons.contains { $0.code == .misaligned }
                guard aligned else { continue }
                for r in e.resources {
                    let schedule = s.query.resources.first { $0.id == r.resourceID }!
                    let free = AvailabilityPropertyTests.bruteFree(schedule, s.query, start: start, date: date)
                    #expect(r.reasons.isEmpty == free, "resource \(r.resourceID) at \(RFC3339.format(start)): \(r.reasons)")
                }
            }
        }
    }
}

extension ExplanationTests {
    /// Per-offer hours narrow the resources' hours: mornings only, Monday to Friday.
    @Test func offerHoursNarrowTheResourcesHoursAndExplainAsOutsideHours() {
        var spec = F.spec()
        spec.hours = F.rules([.monday, .tuesday, .wednesday, .thursday, .friday], "09:00", "12:00")
        let q = F.query(spec, [Self.host(1)], now: Self.now)
        let starts = F.slots(q, Self.tuesday).map { ZoneClock(F.newYork).local($0.start).time.description }
        #expect(starts.first == "09:00" && starts.last == "11:30" && starts.count == 6)
        let afternoon = Self.explain(Self.at("14:00"), spec: spec, resources: [Self.host(1)])
        #expect(afternoon.codes == [.outsideHours])
        #expect(afternoon.offerReasons == [ReasonDetail(.outsideHours, .offerHours(
            date: F.d(Self.tuesday), open: [WallInterval(opens: F.w("09:00"), closes: F.w("12:00"))]))])
        #expect(afternoon.resources[0].reasons.isEmpty)
        // Saturday: the resource is open, the offer is not — the day is closed on Saturdays.
        #expect(EmptyDayTests.emptyDay("2026-01-10", spec: spec, resources: [Self.host(1)]) == .closedWeekday(.saturday))
    }
}
