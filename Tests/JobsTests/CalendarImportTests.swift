import BookingCore
import Foundation
import GRDB
import Jobs
import Outbound
@testable import Store
import TestSupport
import Testing

/// Busy-time import (issue 15): an ICS served on loopback with a weekly series across the DST change
/// of 14 March 2027 blocks the resource at the right UTC instants; a failing feed keeps the last
/// good copy; a private address is refused without the flag.
@Suite(.serialized) struct CalendarImportTests {
    /// Mondays 09:00–10:00 New York, four times from 1 March 2027.
    static let weekly = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//EN", "BEGIN:VEVENT", "UID:clinic@test",
        "DTSTART;TZID=America/New_York:20270301T090000", "DTEND;TZID=America/New_York:20270301T100000",
        "RRULE:FREQ=WEEKLY;COUNT=4", "END:VEVENT", "END:VCALENDAR",
    ].joined(separator: "\r\n") + "\r\n"

    func imported(_ harness: MailHarness) throws -> [TimeRange] {
        try harness.database.pool.read {
            try Row.fetchAll($0, sql: "SELECT starts_at, ends_at FROM blocked_times WHERE import_id IS NOT NULL ORDER BY starts_at")
                .map { TimeRange(start: $0[0], end: $0[1]) }
        }
    }

    @Test func aWeeklySeriesAcrossDSTBlocksTheRightInstantsAndAFailingFeedKeepsTheLastCopy() throws {
        let harness = try MailHarness()
        let receiver = HTTPReceiver()
        try receiver.start()
        defer { receiver.stop() }
        try receiver.serve(Self.weekly, as: "dana.ics")
        harness.set(now: harness.newYork("2027-02-25", "12:00"))
        let dana = try #require(try harness.database.pool.read { try Catalog.resourceID($0, businessID: harness.business.id, slug: "dana-doctor") })
        try harness.database.setCalendarImport(businessID: harness.business.id, resourceID: dana, url: receiver.baseURL + "/file/dana.ics",
                                               actor: "system", now: harness.now)
        let job = CalendarImportJob(database: harness.database, client: HTTPClient(policy: DestinationPolicy(allowPrivate: true)))
        #expect(try job.runDue(now: harness.now) == 1)
        // 09:00 EST is 14:00Z; from 15 March, 09:00 EDT is 13:00Z.
        #expect(try imported(harness).map(\.start) == [harness.newYork("2027-03-01", "09:00"), harness.newYork("2027-03-08", "09:00"),
                                                         harness.newYork("2027-03-15", "09:00"), harness.newYork("2027-03-22", "09:00")])
        #expect(try imported(harness).map(\.start) == [1_803_909_600, 1_804_514_400, 1_805_115_600, 1_805_720_400])
        #expect(try imported(harness).allSatisfy { $0.duration == 3600 })
        // Dana cannot be booked at 09:00 on 15 March, and can at 10:00.
        #expect(throws: BookingFailure.self) { _ = try harness.book(at: harness.newYork("2027-03-15", "09:00"), resources: ["dana-doctor"]) }
        _ = try harness.book(at: harness.newYork("2027-03-15", "10:00"), resources: ["dana-doctor"])
        // Not due again for 15 minutes.
        #expect(try job.runDue(now: harness.now + 60) == 0)

        // The feed fails: the last good copy stays, and the reason is kept for the resource page.
        try receiver.serve(nil, as: "dana.ics")
        #expect(try job.runDue(now: harness.now + 15 * 60) == 1)
        #expect(try imported(harness).count == 4)
        let status = try #require(try harness.database.calendarImport(businessID: harness.business.id, resourceID: dana))
        #expect(status.lastError?.contains("404") == true && status.lastSuccessAt == harness.now && status.busyCount == 4)

        // Removing the import frees the time.
        try harness.database.setCalendarImport(businessID: harness.business.id, resourceID: dana, url: nil, actor: "system", now: harness.now)
        #expect(try imported(harness).isEmpty)
    }

    @Test func aLoopbackAddressIsRefusedWithoutTheFlag() throws {
        let harness = try MailHarness()
        let receiver = HTTPReceiver()
        try receiver.start()
        defer { receiver.stop() }
        try receiver.serve(Self.weekly, as: "dana.ics")
        let dana = try #require(try harness.database.pool.read { try Catalog.resourceID($0, businessID: harness.business.id, slug: "dana-doctor") })
        try harness.database.setCalendarImport(businessID: harness.business.id, resourceID: dana, url: receiver.baseURL + "/file/dana.ics",
                                               actor: "system", now: harness.now)
        #expect(try CalendarImportJob(database: harness.database, client: HTTPClient()).runDue(now: harness.now) == 1)
        let status = try #require(try harness.database.calendarImport(businessID: harness.business.id, resourceID: dana))
        #expect(status.lastError?.contains("refused") == true && status.lastSuccessAt == nil)
        #expect(try imported(harness).isEmpty)
        #expect(receiver.requests().isEmpty)
    }
}
