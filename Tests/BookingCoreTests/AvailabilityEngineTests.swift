import BookingCore
import Testing

/// Single-resource rules: hours, overlays, blocked time, buffers, notice, advance, alignment.
struct AvailabilityEngineTests {
    let monday = "2026-03-02"
    func at(_ time: String) -> Instant { F.t("2026-03-02T\(time):00Z") }  // EST: local = UTC − 5h

    func engine(_ spec: OfferVersionSpec, _ r: ResourceSchedule, now: Instant = F.t("2026-01-01T00:00:00Z"),
                duration: Int? = nil) -> AvailabilityEngine {
        AvailabilityEngine(query: F.query(spec, [r], now: now, duration: duration), from: F.d(monday), to: F.d(monday))
    }

    @Test func buffersMayHangOutsideOpeningHours() {
        let e = engine(F.spec(minutes: 60, interval: 60, before: 15, after: 15), F.resource(1))
        let starts = e.slots().map(\.start)
        #expect(starts.first == at("14:00"))  // 09:00 local
        #expect(starts.last == at("21:00"))  // 16:00 local, ends at closing
        #expect(e.slots().first?.end == at("15:00"))  // end excludes buffers
    }

    @Test func refusesAStartWhoseBufferTouchesABooking() {
        let r = F.resource(1, busy: [F.busy(at("15:00"), minutes: 60)])  // 10:00–11:00 local
        let e = engine(F.spec(minutes: 60, interval: 30, after: 15), r)
        let starts = Set(e.slots().map(\.start))
        #expect(!starts.contains(at("14:00")))  // buffer 10:00–10:15 overlaps
        #expect(e.explain(start: at("14:00")) == [.buffer])
        #expect(e.explain(start: at("15:30")) == [.taken])
        #expect(starts.contains(at("16:00")))
        #expect(starts.contains(at("13:30")) == false)  // 08:30 is before opening
    }

    @Test func theirBuffersBlockButAreNotTheirService() {
        let r = F.resource(1, busy: [F.busy(at("16:00"), minutes: 60, before: 30)])  // blocked 10:30–12:00 local
        let e = engine(F.spec(minutes: 30), r)
        #expect(e.explain(start: at("15:30")) == [.buffer])
        #expect(e.explain(start: at("15:00")) == [])
    }

    @Test func blockedTimeAndBlackoutsAreNotBookable() {
        let r = F.resource(1, blocked: [TimeRange(start: at("17:00"), end: at("18:00"))],
                           overlays: [DateOverlay(date: F.d(monday),
                                                  kind: .blackout(TimeRange(start: at("19:00"), end: at("19:30"))))])
        let e = engine(F.spec(minutes: 30), r)
        let starts = Set(e.slots().map(\.start))
        #expect(!starts.contains(at("17:00")) && !starts.contains(at("17:30")) && !starts.contains(at("19:00")))
        #expect(starts.contains(at("18:00")) && starts.contains(at("19:30")))
        #expect(e.explain(start: at("17:30")) == [.blocked])
        #expect(e.explain(start: at("19:00")) == [.blocked])
        #expect(e.slots().count == 16 - 3)
    }

    @Test func closedOverlayAndSpecialHoursReplaceTheWeek() {
        let closed = F.resource(1, overlays: [DateOverlay(date: F.d(monday), kind: .closed)])
        #expect(engine(F.spec(), closed).slots().isEmpty)
        #expect(engine(F.spec(), closed).explain(start: at("15:00")) == [.closed])
        let special = F.resource(1, overlays: [DateOverlay(date: F.d(monday), kind: .specialHours([
            WallInterval(opens: F.w("12:00"), closes: F.w("13:00")),
        ]))])
        let e = engine(F.spec(), special)
        #expect(e.slots().map(\.start) == [at("17:00"), at("17:30")])
        #expect(e.explain(start: at("14:00")) == [.outsideHours])
    }

    @Test func seasonalRulesApplyOnlyInTheirSeason() {
        let rules = [WeeklyRule(weekday: .monday, opens: F.w("09:00"), closes: F.w("10:00"),
                                validFrom: F.d("2026-03-03"), validUntil: nil),
                     WeeklyRule(weekday: .monday, opens: F.w("14:00"), closes: F.w("15:00"),
                                validFrom: nil, validUntil: F.d("2026-03-02"))]
        let e = engine(F.spec(), F.resource(1, rules: rules))
        #expect(e.slots().map(\.start) == [at("19:00"), at("19:30")])
    }

    @Test func twoRulesTheSameDayMergeSoAServiceMayCrossThem() {
        let rules = F.rules([.monday], "09:00", "12:00") + F.rules([.monday], "12:00", "13:00")
        let e = engine(F.spec(minutes: 60, interval: 30), F.resource(1, rules: rules))
        #expect(e.slots().map(\.start).contains(at("16:30")))  // 11:30–12:30
        #expect(e.slots().count == 7)
    }

    @Test func offerSpecificRulesOnlyCountForThatOffer() {
        let rules = F.rules([.monday], "09:00", "10:00") + F.rules([.monday], "18:00", "19:00", offerID: 7)
        let r = F.resource(1, rules: rules)
        #expect(F.slots(F.query(F.spec(), [r], offerID: 1), monday).count == 2)
        #expect(F.slots(F.query(F.spec(), [r], offerID: 7), monday).count == 4)
    }

    @Test func noticeAndAdvanceAreMeasuredFromNow() {
        let now = at("15:10")
        let e = engine(F.spec(notice: 60, advanceDays: 1), F.resource(1), now: now)
        #expect(e.slots().first?.start == at("16:30"))
        #expect(e.explain(start: at("16:00")) == [.notice])
        #expect(e.explain(start: at("14:00")) == [.notice])  // in the past
        let tomorrow = engine(F.spec(advanceDays: 1), F.resource(1), now: at("15:00") - 86_400 - 60)
        #expect(tomorrow.explain(start: at("15:00")) == [.advance])
        #expect(tomorrow.explain(start: at("14:30")) == [])
    }

    @Test func misalignedStartsAreRefusedWithTheReason() {
        let e = engine(F.spec(), F.resource(1))
        #expect(e.explain(start: at("15:10")) == [.misaligned])
        #expect(e.explain(start: at("15:00") + 1) == [.misaligned])
        #expect(e.check(start: at("15:00")).slot?.resourceIDs == [1])
    }

    @Test func durationRangesUseTheRequestedDuration() {
        var spec = F.spec()
        spec.duration = DurationSpec(minMinutes: 30, maxMinutes: 120, stepMinutes: 30)
        let r = F.resource(1)
        #expect(engine(spec, r).slots().count == 16)
        let ninety = engine(spec, r, duration: 90).slots()
        #expect(ninety.count == 14 && ninety.first?.end == at("15:30"))
        #expect(engine(spec, r, duration: 75).slots().isEmpty)
        #expect(engine(spec, r, duration: 75).explain(start: at("15:00")) == [.invalidDuration])
    }

    @Test func multiDayRentalsNeedOnlyPickupAndReturnInHours() {
        var spec = F.spec(minutes: 2 * 1440, mode: .multiDay, interval: 60,
                          components: [OfferComponent(selector: .anyOf(kind: .asset, tag: nil), role: "bike")])
        spec.maximumAdvanceDays = 365
        let r = F.resource(1, .asset, busy: [F.busy(F.t("2026-03-05T15:00:00Z"), minutes: 60)])
        let starts = engine(spec, r).slots().map(\.start)
        #expect(engine(spec, r).explain(start: at("14:00")) == [])
        #expect(starts.first == at("14:00"))
        #expect(starts.count == 8)  // 09:00…16:00 pickups, back by the same time Wednesday
        let blockedByThursday = AvailabilityEngine(query: F.query(spec, [r]), from: F.d("2026-03-03"),
                                                   to: F.d("2026-03-03")).slots()
        #expect(blockedByThursday.allSatisfy { $0.end <= F.t("2026-03-05T15:00:00Z") })
        #expect(blockedByThursday.count == 2)  // 09:00 and 10:00 pickups return by 10:00 Thursday
    }

    @Test func reasonsSayWhetherTheStartConflictsOrIsInvalid() {
        #expect(UnavailableReason.allCases.filter(\.isConflict) == [.blocked, .taken, .buffer, .limitReached, .noSeats])
        #expect(UnavailableReason.outsideHours.rawValue == "outside_hours")
    }

    @Test func checkPreparesOnlyTheStartsDate() {
        let q = F.query(F.spec(), [F.resource(1, busy: [F.busy(at("15:00"), minutes: 30)])])
        #expect(AvailabilityEngine.check(q, start: at("15:00")) == .unavailable([.taken]))
        #expect(AvailabilityEngine.check(q, start: at("15:30")).slot?.start == at("15:30"))
        // An engine prepared for another date still answers for this one.
        let other = AvailabilityEngine(query: q, from: F.d("2026-04-01"), to: F.d("2026-04-01"))
        #expect(other.check(start: at("15:00")) == .unavailable([.taken]))
    }
}
