import BookingCore
import Foundation  // JSONEncoder/JSONDecoder in tests only.
import Testing

struct OfferSpecTests {
    @Test func intervalsAddBuffersAroundTheService() {
        let spec = F.spec(minutes: 60, before: 10, after: 15)
        let i = spec.intervals(start: 10_000)
        #expect(i?.service == TimeRange(start: 10_000, end: 13_600))
        #expect(i?.blocked == TimeRange(start: 9_400, end: 14_500))
        #expect(spec.intervals(start: 0, durationMinutes: 45) == nil)
    }

    @Test func holdsExpireAfterTheHoldMinutesAndApprovalMeansPending() {
        var spec = F.spec()
        spec.holdMinutes = 15
        #expect(spec.holdExpiry(now: 1000) == 1900)
        #expect(spec.statusAfterCheckout == .confirmed)
        spec.approvalRequired = true
        #expect(spec.statusAfterCheckout == .pending)
    }

    @Test func durationRangesAllowOnlyTheirSteps() {
        let d = DurationSpec(minMinutes: 60, maxMinutes: 240, stepMinutes: 30)
        #expect(d.resolve(nil) == 60 && d.resolve(90) == 90 && d.resolve(240) == 240)
        #expect(d.resolve(75) == nil && d.resolve(270) == nil && d.resolve(30) == nil)
    }

    @Test func specsAndSchedulesSurviveAJSONRoundTrip() throws {
        var spec = F.spec(minutes: 45, mode: .class, before: 5, components: [F.anyHost, F.anyRoom])
        spec.price = .hourly(rate: Money(6000, "EUR"), incrementMinutes: 15, minimumMinutes: 60)
        spec.pricingRules = [.timeOfDay(from: F.w("17:00"), to: F.w("20:00"), weekdays: [.friday], multiplierBasisPoints: 12_000),
                             .dateOverride(F.d("2026-12-25"), .fixed(9000)), .lastMinute(withinHours: 3, percentChange: -10)]
        spec.deposit = .percent(20)
        spec.cancellationTiers = [CancellationTier(minHoursBefore: 24, refundPercent: 100)]
        let data = try JSONEncoder().encode(spec)
        #expect(try JSONDecoder().decode(OfferVersionSpec.self, from: data) == spec)
        let r = F.resource(1, busy: [F.busy(5000, minutes: 30)],
                           overlays: [DateOverlay(date: F.d("2026-12-24"), kind: .specialHours([WallInterval(opens: F.w("09:00"), closes: F.w("12:00"))]))])
        #expect(try JSONDecoder().decode(ResourceSchedule.self, from: JSONEncoder().encode(r)) == r)
        #expect(String(decoding: try JSONEncoder().encode(F.d("2026-03-08")), as: UTF8.self) == "\"2026-03-08\"")
        #expect(String(decoding: try JSONEncoder().encode(F.w("09:30")), as: UTF8.self) == "\"09:30\"")
    }
}
