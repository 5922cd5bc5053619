import Foundation
import Testing
@testable import BookingCore

/// `ICalendar.calendar` (the feeds' writer) and `CalendarFeedScope` (who may have which feed).
struct ICalendarFeedTests {
    static let events = [
        ICalendar.Event(uid: "bk_1", stamp: 1_794_000_000, start: 1_795_000_000, end: 1_795_001_800,
                        summary: "Cut, colour; and a \\ backslash", location: "Chair 1, by the window",
                        description: "Line one\nLine two\r\nLine three\u{7}", status: .confirmed),
        ICalendar.Event(uid: "busy-ab", stamp: 1_794_000_000, start: 1_795_100_000, end: 1_795_103_600, summary: "Busy", status: nil),
        ICalendar.Event(uid: "bk_2", stamp: 1_794_000_000, start: 1_795_200_000, end: 1_795_203_600,
                        summary: String(repeating: "€", count: 40), status: .cancelled),
    ]

    @Test func aCalendarHasEveryEventInUTCWithCRLFAndFoldedLines() {
        let text = ICalendar.calendar(Self.events, name: "Demo: all bookings", refreshMinutes: 15)
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:") && text.hasSuffix("END:VEVENT\r\nEND:VCALENDAR\r\n"))
        #expect(text.components(separatedBy: "BEGIN:VEVENT").count == 4)
        #expect(text.contains("DTSTART:20261118T110640Z\r\n") && text.contains("DTSTAMP:20261106T212000Z\r\n"))
        #expect(text.contains("REFRESH-INTERVAL;VALUE=DURATION:PT15M\r\n") && text.contains("X-WR-CALNAME:Demo: all bookings\r\n"))
        // No bare LF or CR, lines of at most 75 octets, multi-byte characters never split.
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { !$0.contains("\n") && !$0.contains("\r") && $0.utf8.count <= 75 })
        #expect(lines.contains { $0.hasPrefix(" ") }, "the long summary is folded")
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("SUMMARY:" + String(repeating: "€", count: 40) + "\r\n"))
        #expect(unfolded.contains("STATUS:CANCELLED\r\n"))
    }

    @Test func textValuesEscapeCommaSemicolonBackslashAndNewlines() {
        let text = ICalendar.calendar(Self.events).replacingOccurrences(of: "\r\n ", with: "")
        #expect(text.contains(#"SUMMARY:Cut\, colour\; and a \\ backslash"# + "\r\n"))
        #expect(text.contains(#"LOCATION:Chair 1\, by the window"# + "\r\n"))
        #expect(text.contains(#"DESCRIPTION:Line one\nLine two\nLine three "# + "\r\n"), "a control character becomes a space")
        // A busy-only event carries no status line.
        let busy = text.components(separatedBy: "BEGIN:VEVENT")[2]
        #expect(busy.contains("SUMMARY:Busy\r\n") && !busy.contains("STATUS:"))
    }

    @Test func theSingleBookingFileIsUnchanged() {
        let text = ICalendar.event(uid: "bk_1", sequence: 3, start: 1_795_000_000, end: 1_795_001_800, summary: "Consultation",
                                   location: "", status: .pending, now: 1_794_000_000)
        #expect(text == "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Bizing//Bookings//EN\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n"
            + "BEGIN:VEVENT\r\nUID:bk_1@bizing\r\nSEQUENCE:3\r\nDTSTAMP:20261106T212000Z\r\nDTSTART:20261118T110640Z\r\n"
            + "DTEND:20261118T113640Z\r\nSUMMARY:Consultation\r\nSTATUS:TENTATIVE\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    }

    @Test(arguments: Role.allCases)
    func whoMayHaveWhichFeed(role: Role) {
        #expect(CalendarFeedScope.business.allowed(role: role) == (role == .owner || role == .admin))
        #expect(CalendarFeedScope.mine.allowed(role: role) == (role != .client))
    }

    @Test func aPersonalFeedHoldsOnlyTheMembersOwnAndProvidedBookings() {
        #expect(CalendarFeedScope.mine.includes(.assigned) && CalendarFeedScope.mine.includes(.own))
        #expect(!CalendarFeedScope.mine.includes(.other))
        #expect(BookingRelation.allCases.allSatisfy(CalendarFeedScope.business.includes))
    }
}
