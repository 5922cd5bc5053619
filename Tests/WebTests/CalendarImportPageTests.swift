import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// The resource page's busy-time import (issue 15): the address checked like a webhook's, the last
/// fetch said in a sentence (a failure says the last good copy is still used), and removal.
struct CalendarImportPageTests {
    @Test func theResourcePageSetsTheAddressAndSaysWhenTheFeedFails() throws {
        let test = try TestApp.staff()
        let owner = try test.signedIn("owner@demo.test")
        let page = "/manage/demo/resources/dana-doctor"
        #expect(try owner.get(page).text.contains("Busy times from another calendar"))
        // A loopback address is refused (the server does not allow private addresses).
        let refused = try owner.post(page + "/calendar-import", [("url", "http://127.0.0.1:9/dana.ics")])
        #expect(refused.status == .unprocessable && refused.text.contains("That URL is not allowed"))
        let dana = try #require(try test.database.pool.read { try Catalog.resourceID($0, businessID: 1, slug: "dana-doctor") })
        #expect(try test.database.calendarImport(businessID: 1, resourceID: dana) == nil)

        // A working import, then a failing fetch.
        try test.database.setCalendarImport(businessID: 1, resourceID: dana, url: "https://calendar.example.com/dana.ics", actor: "system",
                                            now: test.nowSeconds)
        #expect(try owner.get(page).text.contains("Waiting for the first fetch"))
        let busy = TimeRange(start: test.nowSeconds + 86_400, end: test.nowSeconds + 90_000)
        try test.database.recordCalendarImport(id: 1, busy: [busy], failure: nil, now: test.nowSeconds)
        try test.database.recordCalendarImport(id: 1, busy: nil, failure: "The calendar's server answered 500.", now: test.nowSeconds + 900)
        let failing = try owner.get(page).text
        #expect(failing.contains("The last fetch failed: The calendar") && failing.contains("server answered 500."))
        #expect(failing.contains("(1 busy time) is still used.") && failing.contains(#"role="alert""#))
        #expect(failing.contains(#"value="https://calendar.example.com/dana.ics""#))
        // Imported busy time is not listed (or removable) as the page's own blocked time.
        #expect(!failing.contains("Busy (imported calendar)"))

        // An empty address stops the import and frees the time.
        let removed = try owner.post(page + "/calendar-import", [("url", "")])
        #expect(removed.status == .seeOther)
        #expect(try test.database.calendarImport(businessID: 1, resourceID: dana) == nil)
        #expect(try test.audit(action: "calendar_import.remove").count == 1)
    }
}
