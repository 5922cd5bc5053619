import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// Renting the demo's kayaks from the web by date, and the front desk handing them over and back.
@Suite(.serialized)
struct RentalPagesTests {
    static func app() throws -> TestApp {
        let test = try TestApp.staff()  // Monday 2026-11-23 09:00 New York
        try test.database.pool.write { db in
            _ = try DemoData.seedRentals(db, businessID: try #require(try Catalog.business(db, slug: "demo")).id,
                                         now: TestApp.Staff.seededAt)
        }
        return test
    }

    /// Friday 2026-11-27 to Sunday 2026-11-29: held from the page, confirmed at checkout.
    static func rentFridayToSunday(_ test: TestApp, name: String = "Kay Paddler") throws -> String {
        let guest = test.browser()
        let page = try guest.get("/b/demo/kayak-rental")
        #expect(page.status == .ok)
        let held = try guest.post("/b/demo/kayak-rental/hold", [("pick_up", "2026-11-27"), ("return", "2026-11-29")])
        #expect(held.status == .seeOther)
        let checkout = try #require(held.headers["Location"])
        #expect(checkout.hasPrefix("/b/demo/checkout/"))
        _ = try guest.get(checkout)
        let confirmed = try guest.post(checkout, [("name", name), ("email", "kay@example.com"), ("phone", "")])
        #expect(confirmed.status == .seeOther)
        return try test.bookingID(customer: name)
    }

    @Test func aCustomerRentsAKayakFromFridayToSunday() throws {
        let test = try Self.app()
        let page = try test.browser().get("/b/demo/kayak-rental").text
        #expect(page.contains("<label for=\"pick_up\">Pick-up date</label>"))
        #expect(page.contains("Pick up from 09:00, return by 17:00"))
        #expect(page.contains("data-date=\"2026-11-27\" class=\"available\""))
        let id = try Self.rentFridayToSunday(test)
        let business = try #require(try test.database.pool.read { try Catalog.business($0, slug: "demo") })
        let order = try #require(try test.database.order(businessID: business.id, publicID: id))
        #expect(order.status == .confirmed)
        #expect(order.price.total == 13_500)
        #expect(order.start == RFC3339.parse("2026-11-27T14:00:00Z"))
        #expect(order.end == RFC3339.parse("2026-11-29T22:00:00Z"))
    }

    @Test func datesThatCannotBeRentedShowWhyAndHoldNothing() throws {
        let test = try Self.app()
        let guest = test.browser()
        _ = try guest.get("/b/demo/kayak-rental")
        let backwards = try guest.post("/b/demo/kayak-rental/hold", [("pick_up", "2026-11-29"), ("return", "2026-11-27")])
        #expect(backwards.status == .unprocessable)
        #expect(backwards.text.contains("There is a problem"))
        #expect(backwards.text.contains("The return date must be after the pick-up date."))
        let garbled = try guest.post("/b/demo/kayak-rental/hold", [("pick_up", "friday"), ("return", "2026-11-27")])
        #expect(garbled.status == .unprocessable)
        #expect(garbled.text.contains("href=\"#pick_up\""))
        let count = try test.database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM booking_orders WHERE offer_id = (SELECT id FROM offers WHERE slug = 'kayak-rental')") }
        #expect(count == 0)
    }

    @Test func theFrontDeskChecksTheKayakOutAndBackInWithNotes() throws {
        let test = try Self.app()
        let id = try Self.rentFridayToSunday(test)
        let desk = try test.signedIn("frontdesk@demo.test")
        let url = "/staff/demo/bookings/\(id)"
        test.clock.set("2026-11-27T14:05:00Z")  // Friday 09:05
        let before = try desk.get(url).text
        #expect(before.contains("Condition before"))
        #expect(!before.contains("action=\"\(url)/check-in\""))
        #expect(try desk.post(url + "/check-out", [("note", "Small scratch on the bow")]).status == .seeOther)
        #expect(try test.status(customer: "Kay Paddler") == "checked_in")
        test.clock.set("2026-11-29T21:30:00Z")  // Sunday 16:30
        let during = try desk.get(url).text
        #expect(during.contains("Small scratch on the bow"))
        #expect(during.contains("Condition after"))
        #expect(try desk.post(url + "/return", [("note", "Paddle blade cracked"), ("maintenance", "1")]).status == .seeOther)
        #expect(try test.status(customer: "Kay Paddler") == "completed")
        let after = try desk.get(url).text
        #expect(after.contains("Paddle blade cracked"))
        #expect(try test.audit(action: "rental.check_out").count == 1)
        #expect(try test.audit(action: "rental.check_in").count == 1)
        // The cracked one is out of service (11 of 12 left) until the desk clears it.
        let maintenance = try desk.get("/staff/demo/maintenance").text
        #expect(maintenance.contains("Paddle blade cracked"))
        let flagID = try #require(try test.database.pool.read { try Int64.fetchOne($0, sql: "SELECT id FROM maintenance_flags") })
        #expect(try desk.post("/staff/demo/maintenance/\(flagID)/clear", []).status == .seeOther)
        #expect(try desk.get("/staff/demo/maintenance").text.contains("Everything is in service."))
    }

    @Test func aCustomerCannotReachTheMaintenancePage() throws {
        let test = try Self.app()
        let customer = try test.signedIn("customer@demo.test")
        #expect(try customer.get("/staff/demo/maintenance").status == .notFound)
        _ = try customer.get("/account/bookings")
        #expect(try customer.post("/staff/demo/maintenance", [("resource", "kayak"), ("quantity", "12")]).status == .notFound)
        #expect(try test.database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM maintenance_flags") } == 0)
    }
}
