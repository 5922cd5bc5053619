import BookingCore
import Testing

/// The reports' arithmetic and the location rule, without a database.
struct ReportMathTests {
    @Test func startsOnBothSidesOfTheNovemberChangeLandInTheirLocalHour() throws {
        let clock = try #require(ZoneClock(identifier: "America/New_York"))
        // 01:30 EDT (05:30Z) and 01:30 EST (06:30Z) on 2026-11-01 are both one-thirty local; 09:00 EST is 14:00Z.
        let hours = ReportMath.byLocalHour([(start: 1_793_511_000, count: 2), (start: 1_793_514_600, count: 1),
                                            (start: 1_793_541_600, count: 4)], clock: clock)
        #expect(hours[1] == 3 && hours[9] == 4 && hours.reduce(0, +) == 7)
    }

    @Test func percentagesAndRatesRoundToOneDecimalAndNeedAWhole() {
        #expect(ReportMath.percent(3, of: 8) == 37.5)
        #expect(ReportMath.percent(1, of: 3) == 33.3)
        #expect(ReportMath.percent(1, of: 0) == nil)
        #expect(ReportMath.noShowRate(noShows: 1, attended: 3) == 25)
        #expect(ReportMath.noShowRate(noShows: 0, attended: 0) == nil)
        #expect(ReportMath.seconds(of: [TimeRange(start: 0, end: 100), TimeRange(start: 200, end: 300)],
                                   within: TimeRange(start: 50, end: 250)) == 100)
    }

    @Test func aLocationScopeAdmitsBookingsThatUseOneOfItsResources() {
        let here = LocationID(rawValue: 1), there = LocationID(rawValue: 2)
        let scope = LocationScope(here)
        #expect(scope.admitsBooking(resourceLocations: [there, here]))
        #expect(!scope.admitsBooking(resourceLocations: [there, nil]))
        #expect(!scope.admitsResources([here, there]) && scope.admitsResources([here]))
        #expect(LocationScope.everywhere.admitsBooking(resourceLocations: [there]) && LocationScope.everywhere.admitsResources([nil]))
    }
}
