import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
import TestSupport
@testable import Web

/// `/feeds/{token}.ics` (issue 15): made and turned off from the account page, the member's
/// bookings masked for their role, ETag and 304, and a file Python's `icalendar` reads as valid.
struct CalendarFeedTests {
    /// Makes a feed from the account page as `browser`; returns its path (the page shows the URL once).
    static func makeFeed(_ browser: Browser, scope: String, business: String = "demo") throws -> String {
        try browser.get("/account")
        let made = try browser.post("/account/calendar-feeds", [("business", business), ("scope", scope)])
        #expect(made.status == .created)
        #expect(made.headers["Cache-Control"] == "no-store")
        let html = made.text
        let start = try #require(html.range(of: "/feeds/"))
        let end = try #require(html[start.lowerBound...].range(of: ".ics"))
        return String(html[start.lowerBound..<end.upperBound])
    }

    @Test func aProviderFeedHoldsTheBookingsTheyProvideAsTheirRoleMaySeeThem() throws {
        let test = try TestApp.staff()
        let dana = try test.signedIn("dana@demo.test")
        // The business hides email from providers.
        try test.database.updateFieldVisibility(businessID: try #require(try test.database.business(slug: "demo")).id,
                                                changes: [.provider: [.email: .hidden]], actor: "system", now: test.nowSeconds)
        let path = try Self.makeFeed(dana, scope: "mine")
        let feed = try test.get(path)
        #expect(feed.status == .ok)
        #expect(feed.headers["Content-Type"] == "text/calendar; charset=utf-8")
        let report = try ICSCheck.check(feed.text)
        #expect(report.problems.isEmpty, "\(report.problems)")
        let summaries = report.events.map(\.summary).sorted()
        #expect(summaries == ["Consultation — Noah Kim", "Consultation — Zelda Quinn", "Treatment — Ana Souza"])
        #expect(!feed.text.contains("Omar Reyes") && !feed.text.contains("Liam Chen") && !feed.text.contains("Priya Shah"))
        #expect(!feed.text.contains("@example.com"), "the policy hides email from providers")
        #expect(report.events.allSatisfy { $0.description.contains("Phone: +1") && $0.description.contains("/staff/demo/bookings/bk_") })
        let zelda = try #require(report.events.first { $0.summary.hasSuffix("Zelda Quinn") })
        let order = try #require(try test.database.order(businessID: 1, publicID: test.bookingID(customer: "Zelda Quinn")))
        #expect(zelda.start == order.start && zelda.end == order.end && zelda.uid == "\(order.publicID)@bizing")
        #expect(zelda.status == "CONFIRMED" && zelda.location.contains("Dana"))
    }

    @Test func anOwnerHasTheWholeBusinessAndTheFrontDeskMayNotHaveIt() throws {
        let test = try TestApp.staff()
        let owner = try test.signedIn("owner@demo.test")
        let report = try ICSCheck.check(try test.get(try Self.makeFeed(owner, scope: "business")).text)
        #expect(report.problems.isEmpty, "\(report.problems)")
        #expect(report.events.count == 6)
        #expect(report.events.contains { $0.summary.hasSuffix("Omar Reyes") && $0.description.contains("omar.reyes@example.com") })
        let desk = try test.signedIn("frontdesk@demo.test")
        try desk.get("/account")
        #expect(!(try desk.get("/account").text.contains(#"name="scope" value="business""#)))
        #expect(try desk.post("/account/calendar-feeds", [("business", "demo"), ("scope", "business")]).status == .forbidden)
        #expect(try test.database.calendarFeeds(userID: test.userID("frontdesk@demo.test")).isEmpty)
        // The front desk provides nothing and booked nothing: their own feed is valid and empty.
        let deskFeed = try ICSCheck.check(try test.get(try Self.makeFeed(desk, scope: "mine")).text)
        #expect(deskFeed.problems.isEmpty && deskFeed.events.isEmpty)
    }

    @Test func anUnchangedFeedAnswers304AndAChangedOneItsNewETag() throws {
        let test = try TestApp.staff()
        let path = try Self.makeFeed(try test.signedIn("owner@demo.test"), scope: "business")
        let first = try test.get(path)
        let etag = try #require(first.headers["ETag"])
        let again = try test.get(path, headers: [("If-None-Match", etag)])
        #expect(again.status == .notModified && again.body.isEmpty && again.headers["ETag"] == etag)
        #expect(try test.get(path, headers: [("If-None-Match", "W/\(etag), \"other\"")]).status == .notModified)
        #expect(try test.get(path, headers: [("If-None-Match", "\"other\"")]).status == .ok)
        // A cancelled booking changes the feed.
        let business = try #require(try test.database.business(slug: "demo"))
        _ = try test.database.cancelBooking(business: business, publicID: test.bookingID(customer: "Zelda Quinn"), reason: "Ill",
                                            now: test.nowSeconds, actor: .system, byBusiness: true)
        let changed = try test.get(path, headers: [("If-None-Match", etag)])
        #expect(changed.status == .ok && changed.headers["ETag"] != etag)
        let zelda = try #require(try ICSCheck.check(changed.text).events.first { $0.summary.hasSuffix("Zelda Quinn") })
        #expect(zelda.status == "CANCELLED" && zelda.description.contains("Cancelled: Ill"))
    }

    @Test func aTurnedOffOrReplacedFeedIsGoneAndATokenIsStoredOnlyAsItsHash() throws {
        let test = try TestApp.staff()
        let owner = try test.signedIn("owner@demo.test")
        let first = try Self.makeFeed(owner, scope: "business")
        let second = try Self.makeFeed(owner, scope: "business")
        #expect(first != second)
        #expect(try test.get(first).status == .notFound)
        #expect(try test.get(second).status == .ok)
        let token = String(second.dropFirst("/feeds/".count).dropLast(".ics".count))
        let stored = try test.database.pool.read { try Data.fetchAll($0, sql: "SELECT token_hash FROM calendar_feeds") }
        #expect(stored.count == 2 && stored.contains(Tokens.hash(token)) && !stored.contains(Data(token.utf8)))
        let feeds = try test.database.calendarFeeds(userID: test.userID("owner@demo.test"))
        #expect(feeds.map(\.scope) == [.business])
        // Another user cannot turn it off; the owner can.
        let desk = try test.signedIn("frontdesk@demo.test")
        try desk.get("/account")
        #expect(try desk.post("/account/calendar-feeds/\(feeds[0].id)/revoke", []).status == .notFound)
        #expect(try test.get(second).status == .ok)
        #expect(try owner.post("/account/calendar-feeds/\(feeds[0].id)/revoke", []).headers["Location"] == "/account?done=feed-revoked")
        #expect(try test.get(second).status == .notFound)
        #expect(try test.audit(action: "calendar_feed.revoke").count == 1)
    }

    @Test func aFeedFollowsItsMembersRoleWhenRead() throws {
        let test = try TestApp.staff()
        let path = try Self.makeFeed(try test.signedIn("dana@demo.test"), scope: "mine")
        #expect(try test.get(path).status == .ok)
        // Dana leaves the team: the feed is gone with her membership.
        try test.database.removeMembership(businessID: 1, userID: test.userID("dana@demo.test"), actor: "system", now: test.nowSeconds)
        #expect(try test.get(path).status == .notFound)
        #expect(try test.get("/feeds/\(String(repeating: "0", count: 64)).ics").status == .notFound)
        #expect(try test.get("/feeds/short.ics").status == .notFound)
    }
}
