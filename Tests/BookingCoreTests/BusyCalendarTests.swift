@testable import BookingCore
import Testing

/// `BusyCalendar`: an imported calendar's events as busy time, recurring ones expanded in their zone.
struct BusyCalendarTests {
    /// Mondays and Wednesdays 09:00–10:00 New York through March 2027 (across the DST change of
    /// 14 March), without 10 March, with 22 March moved to 11:00; a whole day on the DST day itself;
    /// a UTC event; an Outlook zone name; a free and a cancelled event that block nothing.
    static let calendar = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//EN",
        "BEGIN:VTIMEZONE", "TZID:America/New_York", "BEGIN:STANDARD", "DTSTART:20071104T020000", "TZOFFSETFROM:-0400",
        "TZOFFSETTO:-0500", "END:STANDARD", "END:VTIMEZONE",
        "BEGIN:VEVENT", "UID:weekly@test", "DTSTART;TZID=America/New_York:20270301T090000", "DTEND;TZID=America/New_York:20270301T100000",
        "RRULE:FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20270331T235959Z", "EXDATE;TZID=America/New_York:20270310T090000",
        "SUMMARY:Clinic at the hospital, a long summary that is folded over more than one line of the",
        "  file", "BEGIN:VALARM", "TRIGGER:-PT15M", "ACTION:DISPLAY", "DESCRIPTION:Reminder", "END:VALARM", "END:VEVENT",
        "BEGIN:VEVENT", "UID:weekly@test", "RECURRENCE-ID;TZID=America/New_York:20270322T090000",
        "DTSTART;TZID=America/New_York:20270322T110000", "DTEND;TZID=America/New_York:20270322T120000", "END:VEVENT",
        "BEGIN:VEVENT", "UID:day@test", "DTSTART;VALUE=DATE:20270314", "DTEND;VALUE=DATE:20270315", "END:VEVENT",
        "BEGIN:VEVENT", "UID:utc@test", "DTSTART:20270320T180000Z", "DTEND:20270320T190000Z", "END:VEVENT",
        "BEGIN:VEVENT", "UID:outlook@test", #"DTSTART;TZID="Eastern Standard Time":20270302T100000"#, "DURATION:PT45M", "END:VEVENT",
        "BEGIN:VEVENT", "UID:free@test", "DTSTART:20270304T150000Z", "DTEND:20270304T160000Z", "TRANSP:TRANSPARENT", "END:VEVENT",
        "BEGIN:VEVENT", "UID:off@test", "DTSTART:20270305T150000Z", "DTEND:20270305T160000Z", "STATUS:CANCELLED", "END:VEVENT",
        "END:VCALENDAR",
    ].joined(separator: "\r\n") + "\r\n"

    static let march = TimeRange(start: 1_803_859_200, end: 1_809_129_600)   // 2027-03-01 .. 2027-05-01 UTC

    @Test func aWeeklySeriesKeepsItsWallClockAcrossTheDSTChange() throws {
        let busy = try BusyCalendar.busy(Self.calendar, window: Self.march, defaultZone: "America/New_York")
        let hour: Int64 = 3600
        #expect(busy == [
            TimeRange(start: 1_803_909_600, end: 1_803_909_600 + hour),      // Mon 1 Mar 09:00 EST = 14:00Z
            TimeRange(start: 1_803_999_600, end: 1_803_999_600 + 2700),      // Tue 2 Mar 10:00 (Outlook zone read in New York)
            TimeRange(start: 1_804_082_400, end: 1_804_082_400 + hour),      // Wed 3 Mar
            TimeRange(start: 1_804_514_400, end: 1_804_514_400 + hour),      // Mon 8 Mar; Wed 10 Mar excluded
            TimeRange(start: 1_805_000_400, end: 1_805_083_200),             // Sun 14 Mar, the whole 23-hour day
            TimeRange(start: 1_805_115_600, end: 1_805_115_600 + hour),      // Mon 15 Mar 09:00 EDT = 13:00Z
            TimeRange(start: 1_805_288_400, end: 1_805_288_400 + hour),      // Wed 17 Mar
            TimeRange(start: 1_805_565_600, end: 1_805_565_600 + hour),      // Sat 20 Mar 18:00Z
            TimeRange(start: 1_805_727_600, end: 1_805_727_600 + hour),      // Mon 22 Mar moved to 11:00 EDT
            TimeRange(start: 1_805_893_200, end: 1_805_893_200 + hour),      // Wed 24 Mar
            TimeRange(start: 1_806_325_200, end: 1_806_325_200 + hour),      // Mon 29 Mar
            TimeRange(start: 1_806_498_000, end: 1_806_498_000 + hour),      // Wed 31 Mar
        ])
    }

    @Test func countIntervalAndTheWindowBoundTheSeries() throws {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20270301T120000Z\nDTEND:20270301T130000Z\nRRULE:FREQ=DAILY;INTERVAL=2;COUNT=3\nEND:VEVENT\nEND:VCALENDAR\n"
        let starts = try BusyCalendar.busy(text, window: Self.march, defaultZone: "UTC").map(\.start)
        #expect(starts == [1_803_902_400, 1_804_075_200, 1_804_248_000])
        // Only what overlaps the window.
        let late = TimeRange(start: 1_804_075_200 + 3600, end: Self.march.end)
        #expect(try BusyCalendar.busy(text, window: late, defaultZone: "UTC").map(\.start) == [1_804_248_000])
    }

    @Test func aPageThatIsNoCalendarIsRefused() {
        #expect(throws: BusyCalendar.Failure.notACalendar) {
            try BusyCalendar.busy("<html>Sign in</html>", window: Self.march, defaultZone: "UTC")
        }
    }

    /// The dates (UTC) of a noon event starting on `start` with `rule`, between two dates.
    static func dates(_ start: String, _ rule: String?, more: [String] = [], from: String = "1997-01-01",
                      to: String = "2030-01-01") throws -> [String] {
        var lines = ["BEGIN:VCALENDAR", "BEGIN:VEVENT", "DTSTART:\(start)T120000Z", "DURATION:PT1H"]
        if let rule { lines.append("RRULE:\(rule)") }
        lines += more + ["END:VEVENT", "END:VCALENDAR"]
        let window = TimeRange(start: LocalDate(from)!.daysSinceEpoch * 86_400, end: LocalDate(to)!.daysSinceEpoch * 86_400)
        return try BusyCalendar.busy(lines.joined(separator: "\r\n"), window: window, defaultZone: "UTC")
            .map { LocalDate(daysSinceEpoch: $0.start / 86_400).description }
    }

    @Test func theNthWeekdayOfTheMonthCountsFromTheStartOrTheEnd() throws {
        #expect(try Self.dates("20270112", "FREQ=MONTHLY;BYDAY=2TU;COUNT=4") == ["2027-01-12", "2027-02-09", "2027-03-09", "2027-04-13"])
        #expect(try Self.dates("20270129", "FREQ=MONTHLY;BYDAY=-1FR;COUNT=3") == ["2027-01-29", "2027-02-26", "2027-03-26"])
    }

    @Test func monthDaysCountFromTheEndAndAMissingDaySkipsTheMonth() throws {
        #expect(try Self.dates("20270131", "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3") == ["2027-01-31", "2027-02-28", "2027-03-31"])
        #expect(try Self.dates("20270131", "FREQ=MONTHLY;COUNT=3") == ["2027-01-31", "2027-03-31", "2027-05-31"])
    }

    @Test func setPositionPicksTheLastWorkingDayOfEachMonth() throws {
        #expect(try Self.dates("20270129", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=3")
                == ["2027-01-29", "2027-02-26", "2027-03-31"])
    }

    @Test func aYearlyRuleByMonthAndOrdinalWeekdayIsThanksgiving() throws {
        #expect(try Self.dates("20261126", "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH;COUNT=3") == ["2026-11-26", "2027-11-25", "2028-11-23"])
    }

    @Test func theWeekStartDecidesWhichWeeksAnEveryOtherWeekRuleTakes() throws {
        // RFC 5545's own example: the same rule gives different days with WKST=MO and WKST=SU.
        #expect(try Self.dates("19970805", "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO")
                == ["1997-08-05", "1997-08-10", "1997-08-19", "1997-08-24"])
        #expect(try Self.dates("19970805", "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU")
                == ["1997-08-05", "1997-08-17", "1997-08-19", "1997-08-31"])
    }

    @Test func aDailyRuleLimitedToJanuaryJumpsToTheNextJanuary() throws {
        #expect(try Self.dates("20271230", "FREQ=DAILY;BYMONTH=1;COUNT=3") == ["2028-01-01", "2028-01-02", "2028-01-03"])
    }

    @Test func extraDatesJoinTheSeriesAndExceptionsStillRemoveThem() throws {
        let more = ["RDATE:20270305T120000Z,20270310T120000Z/PT1H", "EXDATE:20270305T120000Z"]
        #expect(try Self.dates("20270301", nil, more: more) == ["2027-03-01", "2027-03-10"])
        #expect(try Self.dates("20270301", "FREQ=WEEKLY;COUNT=2", more: ["RDATE:20270303T120000Z"])
                == ["2027-03-01", "2027-03-03", "2027-03-08"])
    }

    @Test func aRuleThatNeverMatchesEndsAtTheWindow() throws {
        #expect(try Self.dates("20270101", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30").isEmpty)
        #expect(try Self.dates("20270101", "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30").isEmpty)
    }
}
