import BookingCore
import Foundation  // TimeZone only.
import Testing

struct AvailabilityDSTTests {
    /// Open Mon–Sat 09:00–17:00 New York: the first Monday slot is 09:00 local on both sides of each change.
    @Test(arguments: [
        ("2026-03-02", "2026-03-02T14:00:00Z"), ("2026-03-09", "2026-03-09T13:00:00Z"),
        ("2027-03-08", "2027-03-08T14:00:00Z"), ("2027-03-15", "2027-03-15T13:00:00Z"),
        ("2026-10-26", "2026-10-26T13:00:00Z"), ("2026-11-02", "2026-11-02T14:00:00Z"),
    ])
    func firstMondaySlotIsNineLocal(date: String, expected: String) {
        let q = F.query(F.spec(advanceDays: 1000), [F.resource(1, rules: F.rules(F.monSat))])
        let slots = F.slots(q, date)
        #expect(slots.first?.start == F.t(expected))
        #expect(slots.count == 16)
        #expect(slots.last?.end == F.t(expected) + 8 * 3600)
    }

    @Test func sundaysAreClosedForAMonToSatBusiness() {
        let q = F.query(F.spec(), [F.resource(1, rules: F.rules(F.monSat))])
        #expect(F.slots(q, "2026-03-08").isEmpty)
        #expect(AvailabilityEngine(query: q, from: F.d("2026-03-08"), to: F.d("2026-03-08"))
            .explain(start: F.t("2026-03-08T14:00:00Z")) == [.closed])
    }

    @Test func springForwardDaySkipsNonexistentStarts() {
        let q = F.query(F.spec(), [F.resource(1, rules: F.rules(Weekday.allCases, "00:00", "24:00"))])
        let starts = Set(F.slots(q, "2026-03-08").map(\.start))
        #expect(starts.count == 46)  // 23 real hours of 30-minute slots
        #expect(starts.contains(F.t("2026-03-08T06:30:00Z")))  // 01:30 EST
        #expect(starts.contains(F.t("2026-03-08T07:00:00Z")))  // 03:00 EDT
        let clock = ZoneClock(F.newYork)
        #expect(starts.allSatisfy { clock.local($0).time.hour != 2 })
    }

    @Test func fallBackDayOffersRepeatedTimesOnce() {
        let q = F.query(F.spec(), [F.resource(1, rules: F.rules(Weekday.allCases, "00:00", "24:00"))])
        let slots = F.slots(q, "2026-11-01")
        #expect(slots.count == 48)
        #expect(slots.contains { $0.start == F.t("2026-11-01T05:30:00Z") })  // first 01:30
        #expect(!slots.contains { $0.start == F.t("2026-11-01T06:30:00Z") })  // second 01:30
        let engine = AvailabilityEngine(query: q, from: F.d("2026-11-01"), to: F.d("2026-11-01"))
        #expect(engine.explain(start: F.t("2026-11-01T06:30:00Z")) == [.misaligned])
    }

    @Test func berlinSpringForwardKeepsNineOClock() {
        let q = F.query(F.spec(), [F.resource(1, rules: F.rules(Weekday.allCases, "00:00", "24:00"))], zone: F.berlin)
        let starts = F.slots(q, "2026-03-29").map(\.start)
        #expect(starts.count == 46)
        #expect(starts.contains(F.t("2026-03-29T07:00:00Z")))  // 09:00 CEST
        let before = F.slots(F.query(F.spec(), [F.resource(1)], zone: F.berlin), "2026-03-28")
        #expect(before.first?.start == F.t("2026-03-28T08:00:00Z"))  // 09:00 CET
    }

    @Test func aucklandSlotsLandOnTheLocalDateEvenWhenUTCIsTheDayBefore() {
        let q = F.query(F.spec(), [F.resource(1)], zone: F.auckland)
        let slots = F.slots(q, "2026-12-01")
        #expect(slots.first?.start == F.t("2026-11-30T20:00:00Z"))  // 09:00 NZDT
        let clock = ZoneClock(F.auckland)
        #expect(slots.allSatisfy { clock.local($0.start).date == F.d("2026-12-01") })
    }

    @Test func tokyoNightOwlHoursBelongToTheLocalDate() {
        let q = F.query(F.spec(), [F.resource(1, rules: F.rules(Weekday.allCases, "00:00", "03:00"))], zone: F.tokyo)
        let slots = F.slots(q, "2026-12-01")
        #expect(slots.count == 6)
        #expect(slots.first?.start == F.t("2026-11-30T15:00:00Z"))
        #expect(slots.last?.start == F.t("2026-11-30T17:30:00Z"))
    }

    @Test func openingHoursThroughTheGapLoseTheMissingHour() {
        let r = F.resource(1, rules: F.rules(Weekday.allCases, "01:00", "05:00"))
        let open = r.openRanges(on: F.d("2026-03-08"), clock: ZoneClock(F.newYork), offerID: nil)
        #expect(open == [TimeRange(start: F.t("2026-03-08T06:00:00Z"), end: F.t("2026-03-08T09:00:00Z"))])
    }
}
