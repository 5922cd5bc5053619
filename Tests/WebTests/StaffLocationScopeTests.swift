import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
import TestSupport
@testable import Web

/// A member limited to a location (their membership's `location_id`) sees and books only that
/// location: another location's booking is 404 on its page and every action, the calendar,
/// customer pages, exports and reports show their location only, and a phone booking or a block
/// on another location's resource is refused.
@Suite(.serialized)
struct StaffLocationScopeTests {
    let test: TestApp
    let uptown: Int64
    let downtown: Int64

    /// The demo with Dana and Room 1 "Uptown", the rest "Downtown", and the front desk limited to Uptown.
    init() throws {
        test = try TestApp.staff()
        let locations = try StaffLocationFilterTests.addLocations(test)
        uptown = locations.0
        downtown = locations.1
        try limit("frontdesk@demo.test", role: .staff, to: uptown)
    }

    func limit(_ email: String, role: BookingCore.Role, to location: Int64) throws {
        let business = try #require(try test.database.business(slug: "demo"))
        try test.database.setMembership(businessID: business.id, userID: try test.userID(email), role: role,
                                        locationID: LocationID(rawValue: location), actor: "system", now: test.nowSeconds)
    }

    func customerID(_ email: String) throws -> Int64 {
        try #require(try test.database.pool.read {
            try Int64.fetchOne($0, sql: "SELECT customer_id FROM customer_emails WHERE email = ?", arguments: [email])
        })
    }

    @Test func anotherLocationsBookingIs404OnItsPageAndEveryAction() throws {
        let desk = try test.signedIn("frontdesk@demo.test")
        let priya = try test.bookingID(customer: "Priya Shah")     // yoga in the studio: Downtown
        let zelda = try test.bookingID(customer: "Zelda Quinn")    // consultation with Dana: Uptown
        #expect(try desk.get("/staff/demo/bookings/\(zelda)").status == .ok)
        #expect(try desk.get("/staff/demo/bookings/\(priya)").status == .notFound)
        for action in ["check-in", "no-show", "complete", "cancel", "reschedule", "check-out", "return"] {
            let response = try desk.post("/staff/demo/bookings/\(priya)/\(action)", [("reason", "test"), ("start", "2026-11-30T17:00:00Z")])
            #expect(response.status == .notFound, "\(action)")
        }
        #expect(try test.status(customer: "Priya Shah") == "confirmed")
        // The same member checks in their own location's booking (at 10:05, just after its start).
        test.advance(seconds: 3600 + 300)
        #expect(try desk.post("/staff/demo/bookings/\(zelda)/check-in", []).status == .seeOther)
        #expect(try test.status(customer: "Zelda Quinn") == "checked_in")
        // An owner, limited nowhere, still opens both.
        let owner = try test.signedIn("owner@demo.test")
        #expect(try owner.get("/staff/demo/bookings/\(priya)").status == .ok)
    }

    @Test func theDayViewListsOnlyTheMembersLocation() throws {
        let html = try test.signedIn("frontdesk@demo.test").get(test.dayURL).text
        #expect(StaffLocationFilterTests.hasColumn(html, "Dana Doctor") && StaffLocationFilterTests.hasColumn(html, "Room 1"))
        #expect(!StaffLocationFilterTests.hasColumn(html, "Studio") && !StaffLocationFilterTests.hasColumn(html, "Sam Stylist"))
        #expect(html.contains("Zelda Q."))
        #expect(!html.contains("Priya S."))
        #expect(!html.contains(">Downtown</option>") && !html.contains("value=\"room-2\""))
        // Asking for the other location is refused, not answered.
        let other = try test.signedIn("frontdesk@demo.test").get(test.dayURL + "&location=\(downtown)")
        #expect(other.status == .badRequest)
        #expect(!other.text.contains("Priya"))
    }

    @Test func phoneBookingListsAndBooksOnlyTheMembersLocation() throws {
        let desk = try test.signedIn("frontdesk@demo.test")
        let form = try desk.get("/staff/demo/book?offer=consultation&date=2026-11-30")
        #expect(form.status == .ok)
        let starts = StaffWalkInNoticeTests.starts(in: form.text)
        #expect(!starts.isEmpty)
        #expect(starts.allSatisfy { $0.hasSuffix(" dana-doctor") })
        // Another location's host, sent by hand: refused, nothing written.
        let refused = try desk.post("/staff/demo/book", [("offer", "consultation"), ("date", "2026-11-30"),
                                                         ("start", "2026-11-30T15:00:00Z sam-stylist"), ("name", "Far Away"),
                                                         ("phone", "+1 212 555 0100")])
        #expect(refused.status == .unprocessable)
        #expect(refused.text.contains("There is a problem"))
        #expect(try test.status(customer: "Far Away") == nil)
        // The studio's class is Downtown: it has no times here.
        #expect(StaffWalkInNoticeTests.starts(in: try desk.get("/staff/demo/book?offer=yoga-class&date=2026-11-30").text).isEmpty)
        // Their own host books.
        let booked = try desk.post("/staff/demo/book", [("offer", "consultation"), ("date", "2026-11-30"), ("start", starts[0]),
                                                        ("name", "Near By"), ("phone", "+1 212 555 0101")])
        #expect(booked.status == .seeOther)
        #expect(try test.status(customer: "Near By") == "confirmed")
        // Blocking another location's resource is refused too.
        let block = try desk.post("/staff/demo/block", [("resource", "studio"), ("date", "2026-11-30"), ("from", "10:00"), ("to", "11:00"),
                                                        ("reason", "x")])
        #expect(block.status == .unprocessable)
    }

    @Test func customerPagesExportsAndReportsLeaveOutOtherLocations() throws {
        // Priya's page: her downtown booking is not listed to the uptown desk.
        let priya = try customerID("priya.shah@example.com")
        let deskPage = try test.signedIn("frontdesk@demo.test").get("/manage/demo/customers/\(priya)").text
        #expect(!deskPage.contains(try test.bookingID(customer: "Priya Shah")))
        #expect(try test.signedIn("owner@demo.test").get("/manage/demo/customers/\(priya)").text
            .contains(try test.bookingID(customer: "Priya Shah")))
        // A manager limited to Uptown exports and reports Uptown only.
        let business = try #require(try test.database.business(slug: "demo"))
        let (manager, _) = try test.member("uptown.manager@demo.test", role: .manager, in: business.id)
        try limit("uptown.manager@demo.test", role: .manager, to: uptown)
        let csv = try manager.get("/manage/demo/exports/bookings.csv?\(ExportTests.november)").text
        #expect(csv.contains("Zelda"))
        #expect(!csv.contains("Priya"))
        let report = try manager.get("/manage/demo/reports?from=2026-11-01&to=2026-11-30&location=\(downtown)")
        #expect(report.status == .ok)
        #expect(report.text.contains("<th scope=\"row\">Dana Doctor</th>"))
        #expect(!report.text.contains("<th scope=\"row\">Studio</th>"))
        #expect(!report.text.contains(">Downtown</option>"))
    }

    @Test func approvalsOfAnotherLocationAreNeitherListedNorDecided() throws {
        // Given: a pending request with Dana (Uptown); a manager limited to Downtown.
        let business = try #require(try test.database.business(slug: "demo"))
        let (manager, _) = try test.member("downtown.manager@demo.test", role: .manager, in: business.id)
        try limit("downtown.manager@demo.test", role: .manager, to: downtown)
        let pending = try test.database.pool.write { db in
            try Bookings.book(db, business: business, request: BookingRequest(
                offerSlug: "new-patient-visit", start: 1_796_050_800,   // Monday 2026-11-30 10:00 New York
                customer: CustomerDetails(name: "Pat Pending", email: "pat@example.com", phone: ""), source: "web"),
                now: TestApp.Staff.seededAt, actor: .system).order
        }
        #expect(pending.status == .pending)
        #expect(!(try manager.get("/staff/demo/approvals").text.contains("Pat")))
        #expect(try manager.post("/staff/demo/bookings/\(pending.publicID)/approve", []).status == .notFound)
        #expect(try test.status(customer: "Pat Pending") == "pending")
    }

    @Test func theOwnerLimitsAMemberToALocationOnTheTeamPage() throws {
        let owner = try test.signedIn("owner@demo.test")
        let desk = try test.userID("frontdesk@demo.test")
        let page = try owner.get("/manage/demo/members").text
        #expect(page.contains("aria-label=\"Location of "))
        #expect(page.contains("<option value=\"\(uptown)\" selected>Uptown</option>"))
        // Every location again, then Downtown; an unknown location is refused.
        #expect(try owner.post("/manage/demo/members/\(desk)/role", [("role", "staff"), ("resource", ""), ("location", "")]).status == .seeOther)
        #expect(try test.database.membership(userID: desk, businessSlug: "demo")?.locationID == nil)
        #expect(try owner.post("/manage/demo/members/\(desk)/role", [("role", "staff"), ("resource", ""), ("location", "\(downtown)")])
            .status == .seeOther)
        #expect(try test.database.membership(userID: desk, businessSlug: "demo")?.locationID == LocationID(rawValue: downtown))
        #expect(try owner.post("/manage/demo/members/\(desk)/role", [("role", "staff"), ("resource", ""), ("location", "999999")])
            .status == .unprocessable)
        // Now the desk sees Priya's downtown booking, not Zelda's uptown one.
        let deskBrowser = try test.signedIn("frontdesk@demo.test")
        #expect(try deskBrowser.get("/staff/demo/bookings/\(try test.bookingID(customer: "Priya Shah"))").status == .ok)
        #expect(try deskBrowser.get("/staff/demo/bookings/\(try test.bookingID(customer: "Zelda Quinn"))").status == .notFound)
    }

    @Test func aLocationLimitedAdminsWholeBusinessFeedHoldsOnlyTheirLocation() throws {
        let business = try #require(try test.database.business(slug: "demo"))
        let (admin, _) = try test.member("uptown.admin@demo.test", role: .admin, in: business.id)
        try limit("uptown.admin@demo.test", role: .admin, to: uptown)
        let report = try ICSCheck.check(try test.get(try CalendarFeedTests.makeFeed(admin, scope: "business")).text)
        #expect(report.problems.isEmpty, "\(report.problems)")
        let summaries = report.events.map(\.summary)
        #expect(summaries.contains("Consultation — Zelda Quinn") && summaries.contains("Treatment — Ana Souza"))
        #expect(!summaries.contains { $0.contains("Priya") || $0.contains("Liam") }, "\(summaries)")
        // The owner, limited nowhere, still has them all.
        let owner = try ICSCheck.check(try test.get(try CalendarFeedTests.makeFeed(try test.signedIn("owner@demo.test"), scope: "business")).text)
        #expect(owner.events.contains { $0.summary.hasSuffix("Priya Shah") })
    }

    @Test func checkATimeAnswersForTheMembersLocationOnly() throws {
        // 10:00 on the demo day: Dana (Uptown) has Zelda; Sam (Downtown) is free.
        let url = "/staff/demo/check?offer=consultation&date=\(TestApp.Staff.demoDay)&time=10:00"
        let owner = try test.signedIn("owner@demo.test").get(url).text
        #expect(owner.contains("is bookable.") && owner.contains("Sam Stylist"))
        let desk = try test.signedIn("frontdesk@demo.test")
        let page = try desk.get(url)
        #expect(page.status == .ok)
        #expect(page.text.contains("is not bookable."))
        #expect(page.text.contains("Dana Doctor"))
        #expect(!page.text.contains("Sam Stylist") && !page.text.contains("value=\"sam-stylist\"") && !page.text.contains("value=\"studio\""))
        // Another location's resource asked for by name is unknown here.
        let other = try desk.get(url + "&resource=sam-stylist")
        #expect(other.status == .unprocessable)
        #expect(other.text.contains("Choose one of the listed resources."))
        #expect(!other.text.contains("Sam Stylist"))
    }

    @Test func theDashboardCountsTheMembersLocation() throws {
        let business = try #require(try test.database.business(slug: "demo"))
        let (manager, _) = try test.member("uptown.manager@demo.test", role: .manager, in: business.id)
        try limit("uptown.manager@demo.test", role: .manager, to: uptown)
        func figures(_ html: String) throws -> (upcoming: Int, resources: Int) {
            func number(after marker: String) throws -> Int {
                let start = try #require(html.range(of: marker)).upperBound
                let end = try #require(html[start...].range(of: "</dd>")).lowerBound
                return try #require(Int(html[start..<end]))
            }
            return (try number(after: #"<dd id="bookings-upcoming">"#), try number(after: "<dt>Resources</dt><dd>"))
        }
        let everywhere = try figures(try test.signedIn("owner@demo.test").get("/manage/demo/").text)
        let page = try manager.get("/manage/demo/")
        #expect(page.status == .ok)
        let here = try figures(page.text)
        #expect(here.resources == 2, "Dana Doctor and Room 1")
        #expect(everywhere.resources > here.resources)
        // Zelda, Ana, Noah and Omar (in Room 1) are Uptown; Priya (the studio) and Liam (Sam in Room 2) are not.
        #expect(here.upcoming >= 3)
        #expect(everywhere.upcoming - here.upcoming >= 2)
    }

    @Test func anotherLocationsProgramSessionIsNeitherShownNorMarked() throws {
        // Yoga as a program: its class is in the studio, Downtown; the desk is limited to Uptown.
        let programs = ProgramWebTests()
        let ann = try programs.enrolAnn(test)
        test.clock.set("2026-12-01T17:20:00Z")
        let path = "/staff/demo/program-sessions/\(try programs.sessionID(test, ProgramWebTests.tuesdays[0]))"
        let desk = try test.signedIn("frontdesk@demo.test")
        #expect(try desk.get(path).status == .notFound)
        #expect(try desk.get("/staff/demo/programs/yoga-class").status == .notFound)
        try desk.get(test.dayURL)   // a page with the form token
        #expect(try desk.post(path + "/attendance", [("booking", ann.publicID), ("status", "absent")]).status == .notFound)
        #expect(try desk.post(path + "/makeup", [("booking", ann.publicID), ("missed", ProgramWebTests.tuesdays[0]),
                                                 ("session", ProgramWebTests.wednesdays[1])]).status == .notFound)
        #expect(try test.database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM program_attendance") } == 0)
        // Limited to Downtown, the same desk has the roster and marks it.
        try limit("frontdesk@demo.test", role: .staff, to: downtown)
        let roster = try desk.get(path)
        #expect(roster.status == .ok && roster.text.contains(ann.publicID))
        #expect(try desk.post(path + "/attendance", [("booking", ann.publicID), ("status", "absent")]).status == .seeOther)
        #expect(try test.database.pool.read { try String.fetchAll($0, sql: "SELECT status FROM program_attendance") } == ["absent"])
    }

    @Test func anotherLocationsQueueIsNeitherShownNorRun() throws {
        // The walk-in queue is served by Sam, Downtown; the desk is limited to Uptown.
        let before = try test.database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM queue_tickets") }
        let desk = try test.signedIn("frontdesk@demo.test")
        try desk.get(test.dayURL)   // a page with the form token
        #expect(try desk.get("/staff/demo/queues/walk-in-haircut").status == .notFound)
        #expect(try desk.post("/staff/demo/queues/walk-in-haircut/join", [("name", "Far Away"), ("service", "haircut")]).status == .notFound)
        #expect(try desk.post("/staff/demo/queues/walk-in-haircut/call-next", []).status == .notFound)
        #expect(try test.database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM queue_tickets") } == before)
        try limit("frontdesk@demo.test", role: .staff, to: downtown)
        #expect(try desk.get("/staff/demo/queues/walk-in-haircut").status == .ok)
    }
}
