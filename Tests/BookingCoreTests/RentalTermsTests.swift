import BookingCore
import Foundation  // TimeZone only.
import Testing

struct RentalTermsTests {
    static let nightly = RentalTerms(pickUp: F.w("15:00"), returnBy: F.w("11:00"), unit: .night, rate: 12_000,
                                     weeklyDiscountPercent: 10, minUnits: 1, maxUnits: 14)
    static let clock = ZoneClock(F.newYork)

    /// 2027-03-14 (spring forward) and 2027-11-07 (fall back) in New York: three nights are three
    /// nights, although they last 71 and 73 hours.
    @Test(arguments: [("2027-03-13", "2027-03-16", Int64(71 * 3600)), ("2027-11-06", "2027-11-09", Int64(73 * 3600))])
    func threeNightsAcrossDSTPriceThreeNights(pickUp: String, returnDate: String, hours: Int64) throws {
        let period = try Self.nightly.period(from: F.d(pickUp), to: F.d(returnDate), clock: Self.clock)
        #expect(period.units == 3)
        #expect(period.end - period.start == hours - 4 * 3600)  // 15:00 → 11:00 three days later
        #expect(Self.clock.local(period.start).time == F.w("15:00"))
        #expect(Self.clock.local(period.end).time == F.w("11:00"))
        let price = Self.nightly.quote(units: period.units, currency: "USD", deposit: nil)
        #expect(price.total == 36_000)
        #expect(price.lines.map(\.amount).reduce(0, +) == price.total)
    }

    @Test func daysCountThePickUpAndReturnDays() throws {
        let daily = RentalTerms(pickUp: F.w("09:00"), returnBy: F.w("17:00"), unit: .day, rate: 4_500, minUnits: 1, maxUnits: 7)
        let period = try daily.period(from: F.d("2027-05-14"), to: F.d("2027-05-16"), clock: Self.clock)  // Friday → Sunday
        #expect(period.units == 3)
        #expect(daily.quote(units: period.units, currency: "USD", deposit: .percent(20)).deposit == 2_700)
        #expect(try daily.period(from: F.d("2027-05-14"), to: F.d("2027-05-14"), clock: Self.clock).units == 1)
    }

    @Test func weeklyDiscountStartsAtSevenUnits() {
        let six = Self.nightly.quote(units: 6, currency: "USD", deposit: nil)
        let seven = Self.nightly.quote(units: 7, currency: "USD", deposit: nil)
        #expect(six.total == 72_000 && six.lines.count == 1)
        #expect(seven.total == 75_600)
        #expect(seven.lines.last == PriceBreakdown.Line(label: "Weekly discount −10%", amount: -8_400))
    }

    @Test func refusesReturnsBeforePickUpAndLengthsOutsideTheLimits() {
        let terms = RentalTerms(pickUp: F.w("15:00"), returnBy: F.w("11:00"), unit: .night, rate: 100, minUnits: 2, maxUnits: 3)
        #expect(throws: RentalError.returnBeforePickUp) { try terms.period(from: F.d("2027-05-14"), to: F.d("2027-05-13"), clock: Self.clock) }
        #expect(throws: RentalError.tooShort(minUnits: 2, unit: .night)) {
            try terms.period(from: F.d("2027-05-14"), to: F.d("2027-05-15"), clock: Self.clock)
        }
        #expect(throws: RentalError.tooLong(maxUnits: 3, unit: .night)) {
            try terms.period(from: F.d("2027-05-14"), to: F.d("2027-05-18"), clock: Self.clock)
        }
    }

    /// One boat; the previous renter returns it at 11:00 and the turnover takes `buffer` minutes:
    /// a 15:00 pick-up that day fits a 4-hour turnover, not a 5-hour one.
    @Test(arguments: [(240, true), (300, false)])
    func turnoverBufferSeparatesAReturnFromTheNextPickUp(buffer: Int, bookable: Bool) throws {
        let returned = F.t("2027-05-16T15:00:00Z")  // 11:00 New York
        let earlier = BusyEntry(blocked: TimeRange(start: returned - 2 * 86_400, end: returned + Int64(buffer) * 60),
                                service: TimeRange(start: returned - 2 * 86_400, end: returned), offerID: 1)
        let boat = F.resource(1, .asset, rules: F.rules(Weekday.allCases, "08:00", "20:00"), busy: [earlier])
        var spec = F.spec(mode: .multiDay, after: buffer, components: [OfferComponent(selector: .anyOf(kind: .asset, tag: nil), role: "boat")])
        spec.price = .fixed(Money(12_000, "USD"))
        let period = try Self.nightly.period(from: F.d("2027-05-16"), to: F.d("2027-05-18"), clock: Self.clock)
        let query = F.query(Self.nightly.spec(for: period, from: spec), [boat], now: F.t("2027-05-01T00:00:00Z"))
        let check = AvailabilityEngine.check(query, start: period.start)
        #expect((check.slot != nil) == bookable)
        if !bookable { #expect(check.reasons == [.buffer]) }
    }
}
