import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// Data exports on request: the customer's own from their account page, and the business's by staff.
@Suite(.serialized)
struct PersonalDataTests {
    let app: TestApp

    init() throws { app = try TestApp.staff() }

    func customerURL(_ email: String) throws -> String { try app.customerURL(email) }

    func json(_ response: Response) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    @Test func ownerDownloadsEverythingHeldAboutACustomer() throws {
        let owner = try app.signedIn("owner@demo.test")
        let url = try customerURL("zelda.quinn@example.com")
        _ = try owner.get(url)
        #expect(try owner.post(url, [("tags", "vip"), ("notes", "Allergic to latex.")]).status == .seeOther)
        let response = try owner.get(url + "/data.json")
        #expect(response.status == .ok && response.headers["Content-Type"] == "application/json")
        #expect(response.headers["Content-Disposition"]?.hasPrefix("attachment;") == true)
        let body = try json(response)
        let customer = try #require(body["customer"] as? [String: Any])
        #expect(customer["emails"] as? [String] == ["zelda.quinn@example.com"])
        #expect(customer["staff_notes"] as? String == "Allergic to latex.")
        let bookings = try #require(body["bookings"] as? [[String: Any]])
        #expect(bookings.count == 1 && bookings[0]["notes"] as? String == "Prefers morning reminders.")
        #expect(!response.text.contains("omar.reyes@example.com"))
        let desk = try app.signedIn("frontdesk@demo.test")
        #expect(try desk.get(url + "/data.json").status != .ok)
    }

    @Test func aCustomerDownloadsTheirOwnBookingsAndNobodyElses() throws {
        let (browser, _) = try app.member("zed@example.com")
        try app.database.pool.write { db in
            let business = try #require(try Catalog.business(db, slug: "demo"))
            let start: Int64 = TestApp.Staff.mondayNine + 86_400 * 3 + 3600 * 7
            _ = try Bookings.book(db, business: business,
                                  request: BookingRequest(offerSlug: "consultation", start: start,
                                                          customer: CustomerDetails(name: "Zed Racer", email: "Zed@Example.com",
                                                                                    phone: "", notes: "Window seat"),
                                                          resourceSlugs: ["dana-doctor"], source: "web"),
                                  now: TestApp.Staff.seededAt, actor: .system)
        }
        #expect(try browser.get("/account").text.contains("href=\"/account/data.json\""))
        let response = try browser.get("/account/data.json")
        #expect(response.status == .ok)
        let bookings = try #require(try json(response)["bookings"] as? [[String: Any]])
        #expect(bookings.map { $0["notes"] as? String } == ["Window seat"])
        #expect(try json(response)["customer"] == nil)
        #expect(!response.text.contains("zelda"))
        #expect(try app.browser().get("/account/data.json").status != .ok)
    }
}
