@testable import BookingCore
import Foundation  // TimeZone only.
import Testing

/// `OpenHoursMemo` keeps resources' hours per local date across engines. What it answers must be
/// what computing afresh gives: across DST days, for overlapping and shifted ranges, after the
/// rules or overlays change, in another zone — and it stays within its bound.
struct OpenHoursMemoTests {
    /// Resources with seasonal, per-offer and midnight-closing rules, closed days and special hours
    /// (one inside the spring-forward gap).
    static func resources(_ rng: inout SplitMix64) -> [ResourceSchedule] {
        (1...6).map { n in
            var rules: [WeeklyRule] = []
            for weekday in Weekday.allCases where Int.random(in: 0..<6, using: &rng) > 0 {
                let opens = ["00:00", "01:30", "02:30", "08:00", "09:15"].randomElement(using: &rng)!
                let closes = ["03:00", "12:00", "17:45", "24:00"].randomElement(using: &rng)!
                rules.append(WeeklyRule(weekday: weekday, opens: F.w(opens), closes: F.w(closes),
                                        validFrom: Bool.random(using: &rng) ? nil : F.d("2027-03-10"),
                                        validUntil: Bool.random(using: &rng) ? nil : F.d("2027-11-10"),
                                        offerID: Int.random(in: 0..<4, using: &rng) == 0 ? OfferID(rawValue: 1) : nil))
            }
            let overlays = [
                DateOverlay(date: F.d("2027-03-14"), kind: .specialHours([WallInterval(opens: F.w("01:00"), closes: F.w("02:30")),
                                                                         WallInterval(opens: F.w("02:15"), closes: F.w("05:00"))])),
                DateOverlay(date: F.d("2027-11-07"), kind: .specialHours([WallInterval(opens: F.w("00:30"), closes: F.w("24:00"))])),
                DateOverlay(date: F.d("2027-03-20"), kind: .closed),
                DateOverlay(date: F.d("2027-11-01"), kind: .blackout(TimeRange(start: F.t("2027-11-01T15:00:00Z"), end: F.t("2027-11-01T16:00:00Z")))),
            ].filter { _ in Bool.random(using: &rng) }
            return F.resource(ResourceID(rawValue: Int64(n)), rules: rules, overlays: overlays)
        }
    }

    static func days(_ from: String, _ count: Int, _ zone: TimeZone = F.newYork) -> [ZoneDay] {
        (0..<count).map { ZoneClock(zone).day(F.d(from).adding(days: $0)) }
    }

    @Test(arguments: [false, true])
    func keptHoursEqualFreshOnesOverShiftedRangesAcrossBothNewYorkChangesOf2027(classMode: Bool) {
        var rng = SplitMix64(seed: classMode ? 7 : 11)
        let memo = OpenHoursMemo()
        let resources = Self.resources(&rng)
        // Ranges that overlap the ones before, as months asked one start day after another do.
        for from in ["2027-03-01", "2027-03-02", "2027-03-12", "2027-02-20", "2027-10-20", "2027-10-28", "2027-11-05"] {
            let days = Self.days(from, 34)
            for r in resources {
                let kept = memo.hours(r, days: days, offerID: 1, classMode: classMode)
                #expect(kept == PreparedResource.hours(r, days: days, offerID: 1, classMode: classMode), "\(from) \(r.id)")
            }
        }
        #expect(memo.kept.days > 0)
    }

    @Test func theSpringForwardAndFallBackDaysAreKeptRight() {
        // Given open 00:00–24:00 and 01:00–05:00 on both change days, asked once to fill the memo
        let memo = OpenHoursMemo()
        let allDay = F.resource(1, rules: F.rules(Weekday.allCases, "00:00", "24:00"))
        let early = F.resource(2, rules: F.rules(Weekday.allCases, "01:00", "05:00"))
        for date in ["2027-03-14", "2027-11-07"] {
            _ = memo.hours(allDay, days: Self.days(date, 1), offerID: 1, classMode: false)
            _ = memo.hours(early, days: Self.days(date, 1), offerID: 1, classMode: false)
        }
        // When asked again, Then the days are 23 and 25 hours long and the gap hour is lost
        let march = memo.hours(allDay, days: Self.days("2027-03-14", 1), offerID: 1, classMode: false)
        #expect(march.open == [TimeRange(start: F.t("2027-03-14T05:00:00Z"), end: F.t("2027-03-15T04:00:00Z"))])
        let november = memo.hours(allDay, days: Self.days("2027-11-07", 1), offerID: 1, classMode: false)
        #expect(november.open == [TimeRange(start: F.t("2027-11-07T04:00:00Z"), end: F.t("2027-11-08T05:00:00Z"))])
        #expect(memo.hours(early, days: Self.days("2027-03-14", 1), offerID: 1, classMode: false).open
            == [TimeRange(start: F.t("2027-03-14T06:00:00Z"), end: F.t("2027-03-14T09:00:00Z"))])
        #expect(memo.hours(early, days: Self.days("2027-11-07", 1), offerID: 1, classMode: false).open
            == [TimeRange(start: F.t("2027-11-07T05:00:00Z"), end: F.t("2027-11-07T10:00:00Z"))])
    }

    @Test func changedRulesOrOverlaysAreNotAnsweredFromTheMemo() {
        // Given a resource's month kept in the memo
        let memo = OpenHoursMemo()
        let days = Self.days("2027-03-01", 31)
        let before = F.resource(1, rules: F.rules(Weekday.allCases, "09:00", "17:00"))
        let kept = memo.hours(before, days: days, offerID: 1, classMode: false)
        // When its rules change, then its overlays, Then each answer is the fresh one, not the kept one
        var later = before
        later.weeklyRules = F.rules(Weekday.allCases, "10:00", "17:00")
        let changed = memo.hours(later, days: days, offerID: 1, classMode: false)
        #expect(changed == PreparedResource.hours(later, days: days, offerID: 1, classMode: false))
        #expect(changed != kept)
        later.overlays = [DateOverlay(date: F.d("2027-03-14"), kind: .closed)]
        let closed = memo.hours(later, days: days, offerID: 1, classMode: false)
        #expect(closed == PreparedResource.hours(later, days: days, offerID: 1, classMode: false))
        #expect(closed.hasHours[13] == false && changed.hasHours[13] == true)
        // And the first schedule is still answered right
        #expect(memo.hours(before, days: days, offerID: 1, classMode: false) == kept)
    }

    @Test func anotherZoneOrOfferIsNotAnsweredFromTheMemo() {
        let memo = OpenHoursMemo()
        let r = F.resource(1, rules: F.rules(Weekday.allCases, "09:00", "17:00") + F.rules([.monday], "18:00", "20:00", offerID: 2))
        let newYork = memo.hours(r, days: Self.days("2027-03-01", 31), offerID: 1, classMode: false)
        let berlinDays = Self.days("2027-03-01", 31, F.berlin)
        let berlin = memo.hours(r, days: berlinDays, offerID: 1, classMode: false)
        #expect(berlin == PreparedResource.hours(r, days: berlinDays, offerID: 1, classMode: false))
        #expect(berlin != newYork)
        let offer2 = memo.hours(r, days: berlinDays, offerID: 2, classMode: false)
        #expect(offer2 == PreparedResource.hours(r, days: berlinDays, offerID: 2, classMode: false))
        #expect(offer2 != berlin)
    }

    @Test func zoneDaysEqualFreshOnesAndFollowTheZone() {
        let memo = OpenHoursMemo()
        for (zone, from) in [(F.newYork, "2027-03-10"), (F.newYork, "2027-03-01"), (F.berlin, "2027-03-20"), (F.newYork, "2027-11-01")] {
            let clock = ZoneClock(zone)
            let kept = memo.zoneDays(from: F.d(from), count: 20, clock: clock)
            let fresh = (0..<20).map { clock.day(F.d(from).adding(days: $0)) }
            #expect(kept.map(\.date) == fresh.map(\.date))
            #expect(kept.map(\.start) == fresh.map(\.start))
            #expect(kept.map { $0.instant(minutes: 150) } == fresh.map { $0.instant(minutes: 150) })
            #expect(kept.map { $0.instant(minutes: 90) } == fresh.map { $0.instant(minutes: 90) })
        }
    }

    @Test func theMemoKeepsAtMostItsBound() {
        let memo = OpenHoursMemo(maxDays: 100)
        let r = F.resource(1)
        for month in 0..<12 {
            let days = Self.days(F.d("2027-01-01").adding(days: month * 31).description, 31)
            #expect(memo.hours(r, days: days, offerID: 1, classMode: false) == PreparedResource.hours(r, days: days, offerID: 1, classMode: false))
            _ = memo.zoneDays(from: days[0].date, count: 31, clock: ZoneClock(F.newYork))
            #expect(memo.kept.days <= 100 && memo.kept.zoneDays <= 100)
        }
    }

    /// The engine with a memo answers what it answers without one, when the memo is cold and warm.
    @Test(arguments: [("2027-03-01", 20), ("2027-10-25", 21)])
    func slotsWithTheMemoEqualSlotsWithout(from: String, days: Int) {
        var rng = SplitMix64(seed: UInt64(days) &* 7919)
        let memo = OpenHoursMemo()
        for shift in 0..<3 {
            let (query, first, last) = FreeStartSweepTests.month(&rng, from: F.d(from).adding(days: shift), days: days)
            var q = query
            let plain = AvailabilityEngine(query: q, from: first, to: last).slots()
            q.hoursMemo = memo
            #expect(AvailabilityEngine(query: q, from: first, to: last).slots() == plain)
            #expect(AvailabilityEngine(query: q, from: first, to: last).slots() == plain)
        }
    }
}
