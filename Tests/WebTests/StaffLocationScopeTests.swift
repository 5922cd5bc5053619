import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
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
}
