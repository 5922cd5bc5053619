import Testing
@testable import BookingCore

struct DeliveryTests {
    @Test func retryDelayDoublesUpToTheCapWithJitter() {
        #expect(Delivery.retryDelay(afterAttempt: 1, jitter: 0.5) == 30)
        #expect(Delivery.retryDelay(afterAttempt: 3, jitter: 0.5) == 120)
        #expect(Delivery.retryDelay(afterAttempt: 40, jitter: 0.5) == 3600)
        #expect(Delivery.retryDelay(afterAttempt: 2, jitter: 0) == 45 && Delivery.retryDelay(afterAttempt: 2, jitter: 0.999) == 75)
    }

    @Test func remindersOnlyAheadOfNowEachOffsetOnce() {
        let start: Instant = 1_000_000
        let times = Delivery.reminderTimes(start: start, offsetsMinutes: [120, 1440, 120], now: start - 3 * 3600)
        #expect(times.map(\.offsetMinutes) == [120])
        #expect(times.map(\.at) == [start - 7200])
        #expect(Delivery.reminderTimes(start: start, offsetsMinutes: [1440, 120], now: 0).map(\.offsetMinutes) == [1440, 120])
    }

    @Test func calendarEventFoldsEscapesAndCarriesTheSequence() {
        let text = ICalendar.event(uid: "bk_1", sequence: 2, start: 1_795_000_000, end: 1_795_001_800,
                                   summary: "Cut, colour; and \(String(repeating: "é", count: 40))", location: "", status: .confirmed,
                                   now: 1_794_000_000)
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\n") && text.hasSuffix("END:VCALENDAR\r\n"))
        #expect(text.contains("SEQUENCE:2\r\n") && text.contains("SUMMARY:Cut\\, colour\\; and"))
        #expect(text.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 75 })
    }

    @Test func leadTimesReadNaturally() {
        #expect(HumanTime.lead(minutes: 1440) == "24 hours")
        #expect(HumanTime.lead(minutes: 60) == "1 hour")
        #expect(HumanTime.lead(minutes: 90) == "90 minutes")
        #expect(HumanTime.lead(minutes: 2880) == "2 days")
    }
}
