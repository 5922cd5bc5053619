import BookingCore
import Testing

struct LocalDateTests {
    @Test func parsesAndFormatsISODates() {
        #expect(LocalDate("2026-03-08")?.description == "2026-03-08")
        #expect(LocalDate("2028-02-29") != nil)
        for bad in ["2026-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "26-01-01", "2026-01-32", "abcd-ef-gh", ""] {
            #expect(LocalDate(bad) == nil, "\(bad)")
        }
    }

    @Test func knowsWeekdaysMondayIsOne() {
        #expect(F.d("2026-03-08").weekday == .sunday)
        #expect(F.d("2026-03-09").weekday == .monday)
        #expect(F.d("1970-01-01").weekday == .thursday)
        #expect(Weekday.monday.rawValue == 1 && Weekday.sunday.rawValue == 7)
    }

    @Test func addsDaysAcrossMonthsYearsAndLeapDays() {
        #expect(F.d("2026-12-31").adding(days: 1) == F.d("2027-01-01"))
        #expect(F.d("2028-02-28").adding(days: 1) == F.d("2028-02-29"))
        #expect(F.d("2026-03-01").adding(days: -1) == F.d("2026-02-28"))
        #expect(F.d("2026-01-01").days(to: F.d("2027-01-01")) == 365)
    }

    @Test func epochDaysRoundTrip() {
        var rng = SplitMix64(seed: 1)
        for _ in 0..<1000 {
            let days = Int64.random(in: -700_000...2_000_000, using: &rng)
            let date = LocalDate(daysSinceEpoch: days)
            #expect(date.daysSinceEpoch == days)
            #expect(LocalDate(date.description) == date)
        }
    }

    @Test func comparesChronologically() {
        #expect(F.d("2026-01-31") < F.d("2026-02-01"))
        #expect(F.d("2025-12-31") < F.d("2026-01-01"))
    }

    @Test func parsesWallTimes() {
        #expect(WallTime("09:30")?.minutes == 570)
        #expect(WallTime("9:05")?.minutes == 545)
        #expect(WallTime("24:00")?.minutes == 1440)
        for bad in ["24:01", "12:60", "1230", "", "12:3", "-1:00", "ab:cd"] { #expect(WallTime(bad) == nil, "\(bad)") }
        #expect(WallTime("07:05")?.description == "07:05")
    }
}
