import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// The offer page keeps its rendered list of times (issue 23, `RenderedSlotLists`): a second visitor
/// gets the kept list with their own form token, and anything that changes the times — a booking
/// made after the list was kept, a blocked hour — changes the next page.
@Suite struct OfferPageCacheTests {
    static let dana = "/b/demo/consultation?date=2026-11-30&resource=dana-doctor"

    static func starts(_ html: String) -> [String] {
        html.components(separatedBy: #"<input type="hidden" name="start" value=""#).dropFirst().map { String($0.prefix(20)) }
    }

    static func tokens(_ html: String) -> Set<String> {
        Set(html.components(separatedBy: #"name="_csrf" value=""#).dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) })
    }

    @Test func aSecondVisitorGetsTheKeptListWithTheirOwnFormToken() throws {
        let test = try TestApp.bookingPages()
        let first = try test.browser().get(Self.dana)
        let second = try test.browser().get(Self.dana)
        #expect(first.status == .ok && second.status == .ok)
        #expect(test.app.slotLists.count == 1)
        #expect(test.app.offerPages.count == 1)   // the whole page is kept too (`RenderedPages`)
        #expect(Self.starts(first.text) == Self.starts(second.text))
        #expect(Self.starts(first.text).contains(TestApp.Pages.mondayNine))
        // Every form carries the visitor's own token, never the other's (nor the placeholder).
        let one = Self.tokens(first.text), two = Self.tokens(second.text)
        #expect(one.count == 1 && two.count == 1 && one != two)
        #expect(!first.text.contains(RenderedSlotLists.marker) && !second.text.contains(RenderedSlotLists.marker))
    }

    @Test func aHostAddedRenamedOrArchivedShowsOnTheNextKeptPage() throws {
        let test = try TestApp.bookingPages()
        let page = "/b/demo/consultation?date=2026-11-30"
        let before = try test.browser().get(page).text
        #expect(before.contains(">Dana Doctor</option>") && before.contains(">Sam Stylist</option>"))
        #expect(try test.browser().get(page).text.contains(">Dana Doctor</option>"))   // served from the kept page
        try test.database.pool.write { db in
            let business = try #require(try Catalog.business(db, slug: "demo")).id
            try db.execute(sql: "UPDATE resources SET name = 'Dana Renamed' WHERE business_id = ? AND slug = 'dana-doctor'", arguments: [business])
            _ = try Catalog.createResource(db, businessID: business, slug: "nia-nurse", name: "Nia Nurse", kind: .host, now: 0)
            try db.execute(sql: "UPDATE resources SET active = 0 WHERE business_id = ? AND slug = 'sam-stylist'", arguments: [business])
        }
        let after = try test.browser().get(page).text
        #expect(after.contains(">Dana Renamed</option>") && !after.contains("Dana Doctor"))
        #expect(after.contains(">Nia Nurse</option>"))
        #expect(!after.contains("Sam Stylist"))
    }

    @Test func aBookingMadeAfterACachedRenderRemovesItsTimeFromTheNextPage() throws {
        let test = try TestApp.bookingPages()
        #expect(Self.starts(try test.browser().get(Self.dana).text).contains(TestApp.Pages.mondayNine))
        #expect(Self.starts(try test.browser().get(Self.dana).text).contains(TestApp.Pages.mondayNine))   // served from the kept list
        _ = try test.book(test.browser())   // Monday 09:00 with Dana
        let after = Self.starts(try test.browser().get(Self.dana).text)
        #expect(!after.contains(TestApp.Pages.mondayNine))
        #expect(after.contains("2026-11-30T14:30:00Z"))
    }

    @Test func aHoldAndABlockedHourChangeTheNextPageToo() throws {
        let test = try TestApp.bookingPages()
        #expect(Self.starts(try test.browser().get(Self.dana).text).contains("2026-11-30T14:30:00Z"))
        // A hold (not yet confirmed) takes 09:30 away.
        #expect(try test.hold(test.browser(), start: "2026-11-30T14:30:00Z").status == .seeOther)
        #expect(!Self.starts(try test.browser().get(Self.dana).text).contains("2026-11-30T14:30:00Z"))
        // Blocked time on Dana (10:00–11:00 New York) takes 15:00Z and 15:30Z away.
        try test.database.pool.write { db in
            let business = try #require(try Catalog.business(db, slug: "demo")).id
            try db.execute(sql: """
                INSERT INTO blocked_times (business_id, resource_id, starts_at, ends_at, reason, created_at)
                SELECT ?, id, ?, ?, 'Training', 0 FROM resources WHERE business_id = ? AND slug = 'dana-doctor'
                """, arguments: [business, 1_796_050_800, 1_796_054_400, business])
        }
        let blocked = Self.starts(try test.browser().get(Self.dana).text)
        #expect(!blocked.contains("2026-11-30T15:00:00Z") && !blocked.contains("2026-11-30T15:30:00Z"))
        #expect(blocked.contains("2026-11-30T16:00:00Z"))
    }
}
