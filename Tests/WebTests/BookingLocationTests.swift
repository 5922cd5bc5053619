import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// A business with several locations tells the customer where the booked resource is.
struct BookingLocationTests {
    @Test func checkoutConfirmationAndCalendarFileNameTheBookedResourcesLocation() throws {
        let test = try TestApp.bookingPages()
        try test.database.pool.write { db in
            let business = try #require(try Catalog.business(db, slug: "demo"))
            try db.execute(sql: "INSERT INTO locations (business_id, name, address, created_at) VALUES (?, 'Uptown', '200 W 110th St, New York', ?)",
                           arguments: [business.id, TestApp.Pages.now])
            try db.execute(sql: "UPDATE resources SET location_id = ? WHERE business_id = ? AND slug = 'dana-doctor'",
                           arguments: [db.lastInsertedRowID, business.id])
        }
        let browser = test.browser()
        let held = try test.hold(browser)
        let checkout = try #require(held.headers["Location"])
        let page = try browser.get(checkout).text
        #expect(page.contains("Uptown, 200 W 110th St, New York"))
        #expect(!page.contains("12 Main Street"))
        let confirmed = try browser.post(checkout, [("name", "Zed Racer"), ("email", "zed@example.com"), ("phone", "")])
        let bookingURL = try #require(confirmed.headers["Location"])
        #expect(try browser.get(bookingURL).text.contains("Uptown, 200 W 110th St, New York"))
        let path = String(bookingURL.prefix { $0 != "?" }), query = String(bookingURL.drop { $0 != "?" })
        let ics = try browser.get(path + ".ics" + query).text
        #expect(ics.contains("Uptown"))
        #expect(!ics.contains("Main Street"))
        // A resource without a location still shows the business's first one.
        let other = test.browser("198.51.100.9")
        let heldSam = try test.hold(other, resource: "sam-stylist")
        #expect(try other.get(try #require(heldSam.headers["Location"])).text.contains("12 Main Street, Brooklyn, NY"))
    }
}
