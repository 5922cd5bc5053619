import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// The staff calendar pages its columns (issue 23): at most 25 resources a page, a labelled pager
/// of links (no script), "show all", the location filter and a member's location scope applied
/// before paging, and only the page's bookings on it.
@Suite(.serialized)
struct StaffCalendarPagingTests {
    let test: TestApp
    let uptown: Int64
    let downtown: Int64

    /// The demo (6 resources) with 30 more hosts, "Extra Host 01"…"30", all in Uptown with Dana and Room 1.
    init() throws {
        test = try TestApp.staff()
        (uptown, downtown) = try StaffLocationFilterTests.addLocations(test)
        let uptown = self.uptown
        try test.database.pool.write { db in
            let business = try #require(try Catalog.business(db, slug: "demo")).id
            for number in 1...30 {
                let name = String(format: "Extra Host %02d", number)
                let id = try Catalog.createResource(db, businessID: business, slug: "extra-\(number)", name: name, kind: .host, now: 0)
                try db.execute(sql: "UPDATE resources SET location_id = ? WHERE id = ?", arguments: [uptown, id])
            }
        }
    }

    /// The names of the day grid's resource columns, in order.
    static func columns(_ html: String) -> [String] {
        html.components(separatedBy: #"<th scope="col">"#).dropFirst().compactMap { part in
            part.range(of: " <span class=\"kind\">").map { String(part[..<$0.lowerBound]) }
        }
    }

    static let extras = (1...30).map { String(format: "Extra Host %02d", $0) }
    /// The demo's own resources.
    static let demo = ["Dana Doctor", "Sam Stylist", "Room 1", "Room 2", "Studio", "Kayak"]

    @Test func theFirstPageShows25ResourcesAndTheNextPageTheRest() throws {
        let owner = try test.signedIn("frontdesk@demo.test")   // sees "Zelda Q."
        let every = Self.columns(try owner.get(test.dayURL + "&all=1").text)
        #expect(every.count == 30 + Self.demo.count)
        let first = try owner.get(test.dayURL)
        #expect(first.status == .ok)
        let firstColumns = Self.columns(first.text)
        #expect(firstColumns == Array(every.prefix(25)))
        #expect(first.text.contains(#"<nav class="resource-pager no-print" aria-label="Resource pages">"#))
        #expect(first.text.contains("Resources 1–25 of \(every.count)"))
        #expect(first.text.contains(#"aria-current="page" aria-label="Resources page 1">1</a>"#))
        #expect(first.text.contains("view=day&amp;page=2\" rel=\"next\">Next resources</a>"))

        let second = try owner.get(test.dayURL + "&page=2")
        let secondColumns = Self.columns(second.text)
        #expect(secondColumns == Array(every.dropFirst(25)))
        #expect(Set(firstColumns + secondColumns) == Set(Self.extras + Self.demo))
        #expect(second.text.contains("Resources 26–\(every.count) of \(every.count)"))
        #expect(second.text.contains(#"aria-current="page" aria-label="Resources page 2">2</a>"#))
        // Only the page's bookings: Zelda's consultation is with Dana, Priya's yoga in the studio.
        let pages = [(firstColumns, first.text), (secondColumns, second.text)]
        for (columns, html) in pages {
            #expect(html.contains("Zelda Q.") == columns.contains("Dana Doctor"))
            #expect(html.contains("Priya S.") == columns.contains("Studio"))
        }
        // Day navigation keeps the page.
        #expect(second.text.contains("date=2026-11-24&amp;view=day&amp;page=2"))
        // A page past the last shows the last; a page that is not a number is refused with a sentence.
        #expect(Self.columns(try owner.get(test.dayURL + "&page=9").text) == secondColumns)
        let bad = try owner.get(test.dayURL + "&page=two")
        #expect(bad.status == .badRequest)
        #expect(bad.text.contains("Pages are numbered from 1"))
    }

    @Test func showAllListsEveryResourceAndEveryBooking() throws {
        let owner = try test.signedIn("frontdesk@demo.test")   // sees "Zelda Q."
        let page = try owner.get(test.dayURL + "&all=1")
        #expect(page.status == .ok)
        #expect(Set(Self.columns(page.text)) == Set(Self.extras + Self.demo))
        #expect(Self.columns(page.text).count == 36)
        #expect(page.text.contains("All 36 resources"))
        #expect(page.text.contains("Show 25 at a time"))
        #expect(page.text.contains("Zelda Q.") && page.text.contains("Priya S."))
        // The filter form keeps "show all" (a hidden field), so a new filter still shows everything.
        #expect(page.text.contains(#"<input type="hidden" name="all" value="1">"#))
        // The week view pages the same way.
        #expect(Self.columns(try owner.get("/staff/demo/calendar?date=\(TestApp.Staff.demoDay)&view=week").text).count == 25)
    }

    @Test func theLocationFilterIsAppliedBeforePaging() throws {
        let owner = try test.signedIn("frontdesk@demo.test")   // sees "Zelda Q."
        let downtownPage = try owner.get(test.dayURL + "&location=\(downtown)").text
        #expect(Set(Self.columns(downtownPage)) == ["Sam Stylist", "Room 2", "Studio"])
        #expect(!downtownPage.contains("aria-label=\"Resource pages\""))
        // Uptown has 32: two pages, Studio on neither.
        let up1 = Self.columns(try owner.get(test.dayURL + "&location=\(uptown)").text)
        let up2 = Self.columns(try owner.get(test.dayURL + "&location=\(uptown)&page=2").text)
        #expect(up1.count == 25 && up2.count == 7)
        #expect(Set(up1 + up2) == Set(Self.extras + ["Dana Doctor", "Room 1"]))
    }

    @Test func aScopedMemberSeesOnlyTheirLocationOnEveryPageAndWithShowAll() throws {
        let business = try #require(try test.database.business(slug: "demo"))
        try test.database.setMembership(businessID: business.id, userID: try test.userID("frontdesk@demo.test"), role: .staff,
                                        locationID: LocationID(rawValue: uptown), actor: "system", now: test.nowSeconds)
        let desk = try test.signedIn("frontdesk@demo.test")
        var seen: [String] = []
        for query in ["", "&page=2", "&page=3", "&all=1", "&all=1&page=2"] {
            let page = try desk.get(test.dayURL + query)
            #expect(page.status == .ok, "\(query)")
            let columns = Self.columns(page.text)
            #expect(Set(columns).isSubset(of: Self.extras + ["Dana Doctor", "Room 1"]), "\(query)")
            #expect(!page.text.contains("Priya S."), "\(query)")
            seen += columns
        }
        #expect(Set(seen) == Set(Self.extras + ["Dana Doctor", "Room 1"]))
        // Asking for the other location, paged or all, is refused and shows nothing of it.
        for query in ["&location=\(downtown)", "&location=\(downtown)&all=1", "&location=\(downtown)&page=2"] {
            let other = try desk.get(test.dayURL + query)
            #expect(other.status == .badRequest, "\(query)")
            #expect(!other.text.contains("Priya") && !other.text.contains("Studio"), "\(query)")
        }
    }

    /// The page is kept whole once rendered (`RenderedPages`, keyed by its model): a resource added,
    /// renamed or archived, and a member's scope changed, show on the next request all the same, and
    /// every member gets their own form token.
    @Test func aKeptPageFollowsResourcesAddedRenamedOrArchivedAndTheMembersScope() throws {
        let owner = try test.signedIn("owner@demo.test")
        let desk = try test.signedIn("frontdesk@demo.test")
        let first = try owner.get(test.dayURL + "&all=1")
        #expect(try owner.get(test.dayURL + "&all=1").text == first.text)   // served from the kept page
        #expect(!first.text.contains(RenderedPages.marker))
        let deskFirst = try desk.get(test.dayURL + "&all=1")
        #expect(OfferPageCacheTests.tokens(deskFirst.text).count == 1)
        #expect(OfferPageCacheTests.tokens(first.text) != OfferPageCacheTests.tokens(deskFirst.text))
        try test.database.pool.write { db in
            let business = try #require(try Catalog.business(db, slug: "demo")).id
            _ = try Catalog.createResource(db, businessID: business, slug: "new-host", name: "Aa New Host", kind: .host, now: 0)
            try db.execute(sql: "UPDATE resources SET name = 'Extra Host Renamed' WHERE business_id = ? AND slug = 'extra-1'", arguments: [business])
            try db.execute(sql: "UPDATE resources SET active = 0 WHERE business_id = ? AND slug = 'extra-2'", arguments: [business])
        }
        let after = Self.columns(try owner.get(test.dayURL + "&all=1").text)
        #expect(after.contains("Aa New Host") && after.contains("Extra Host Renamed"))
        #expect(!after.contains("Extra Host 01") && !after.contains("Extra Host 02"))
        #expect(after.count == 30 + Self.demo.count)
        // The default page follows too (the new host sorts before Dana, who is on the first page).
        #expect(Self.columns(try owner.get(test.dayURL).text).contains("Aa New Host"))
        // Limited to Uptown afterwards, the front desk no longer gets the page it was served before.
        let business = try #require(try test.database.business(slug: "demo"))
        try test.database.setMembership(businessID: business.id, userID: try test.userID("frontdesk@demo.test"), role: .staff,
                                        locationID: LocationID(rawValue: uptown), actor: "system", now: test.nowSeconds)
        let scoped = Self.columns(try test.signedIn("frontdesk@demo.test").get(test.dayURL + "&all=1").text)
        #expect(!scoped.contains("Studio") && !scoped.contains("Aa New Host") && scoped.contains("Dana Doctor"))
    }

    /// The time of the day's row marked "now" (`aria-current="time"`), nil when none is.
    static func nowRow(_ html: String) -> String? {
        let parts = html.components(separatedBy: #" <span class="visually-hidden">(now)</span>"#)
        guard parts.count == 2, let cell = parts[0].components(separatedBy: #"<th scope="row">"#).last else { return nil }
        return cell
    }

    /// A kept page is keyed by what the page is built from (`StaffCalendar.Inputs`), where the time of
    /// the request is only the half-hour row holding it: within the half hour the kept page is served,
    /// in the next one the next row is "now"; a booking's status and its customer's name changed in
    /// the database show on the next request.
    @Test func aKeptDayPageMarksTheCurrentHalfHourAndFollowsABookingsStatusAndCustomer() throws {
        let owner = try test.signedIn("owner@demo.test")
        let nine = try owner.get(test.dayURL).text
        #expect(Self.nowRow(nine) == "09:00")
        #expect(nine.contains("Zelda Quinn") && !nine.contains("Checked in"))
        let kept = test.app.calendarPages.count
        test.clock.advance(20 * 60)   // 09:20: the same row
        #expect(try owner.get(test.dayURL).text == nine)
        #expect(test.app.calendarPages.count == kept)
        test.clock.advance(15 * 60)   // 09:35: the next row
        let later = try owner.get(test.dayURL).text
        #expect(Self.nowRow(later) == "09:30")
        #expect(test.app.calendarPages.count == kept + 1)
        // Another day's page marks no row.
        #expect(Self.nowRow(try owner.get("/staff/demo/calendar?date=2026-11-24&view=day").text) == nil)
        try test.database.pool.write { db in
            try db.execute(sql: "UPDATE booking_orders SET customer_name = 'Zelda Renamed', status = 'checked_in' WHERE customer_name = 'Zelda Quinn'")
        }
        let changed = try owner.get(test.dayURL).text
        #expect(changed.contains("Zelda Renamed") && !changed.contains("Zelda Quinn"))
        #expect(changed.contains("Checked in"))
        #expect(Self.nowRow(changed) == "09:30")
    }

    @Test func aSmallBusinessHasNoPager() throws {
        let small = try TestApp.staff()
        let html = try small.signedIn("owner@demo.test").get(small.dayURL).text
        #expect(Self.columns(html).count == Self.demo.count)
        #expect(!html.contains("Resource pages"))
        #expect(!html.contains(#"name="all""#))
    }
}
