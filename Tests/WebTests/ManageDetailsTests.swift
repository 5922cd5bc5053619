import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// Editing resources and offers after creation, and locations in the settings (issue 5).
struct ManageDetailsTests {
    static func book(_ test: TestApp, _ business: Business, offer slug: String, at start: Instant? = nil,
                     on date: LocalDate, name: String = "Ann") throws -> OrderView {
        try test.database.pool.write { db in
            let offer = try #require(try Catalog.offer(db, businessID: business.id, slug: slug))
            let slot = try #require(try AvailabilityReads.slots(db, business: business, offer: offer, from: date, to: date,
                                                                now: test.nowSeconds).first)
            return try Bookings.book(db, business: business, request: BookingRequest(
                offerSlug: slug, start: start ?? slot.start, customer: CustomerDetails(name: name, email: "\(name.lowercased())@example.test"),
                source: "web"), now: test.nowSeconds, actor: .guest).order
        }
    }

    static func resource(_ test: TestApp, _ business: Business, _ slug: String) throws -> ResourceInfo {
        try #require(try test.database.pool.read { db in try Catalog.resources(db, businessID: business.id).first { $0.slug == slug } })
    }

    static func weekdayHours() -> [(String, String)] {
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].flatMap { day in
            let open = !["sat", "sun"].contains(day)
            return [("opens_\(day)", open ? "09:00" : ""), ("closes_\(day)", open ? "17:00" : "")]
        }
    }

    // MARK: Resources

    @Test func aResourceIsRenamedRetaggedAndResizedAndItIsAudited() throws {
        let test = try TestApp()
        let (browser, user, slug) = try SetupSupport.owner(test)
        let business = try SetupSupport.business(test, slug)
        let base = "/manage/\(slug)"
        try browser.get(base + "/resources")
        let created = try browser.post(base + "/resources", [("name", "Room 1"), ("kind", "venue"), ("capacity", "1"), ("tags", "treatment")])
        let room = try #require(created.headers["Location"])
        let page = try browser.get(room)
        #expect(page.text.contains(#"id="resource_name" name="resource_name" type="text" maxlength="120" value="Room 1""#))
        #expect(page.text.contains(#"id="resource_capacity""#))

        let saved = try browser.post(room + "/details", [("resource_name", "Garden Room"), ("resource_tags", "Treatment, Sauna"),
                                                         ("resource_capacity", "3"), ("location", "")])
        #expect(saved.status == .seeOther)
        #expect(saved.headers["Location"] == room + "?saved=1")
        let info = try Self.resource(test, business, "room-1")
        #expect(info.name == "Garden Room" && info.tags == ["sauna", "treatment"] && info.capacity == 3)
        #expect(try browser.get(room).text.contains(#"value="sauna, treatment""#))
        let entry = try #require(try test.database.pool.read { db in
            try ManageCatalog.audit(db, businessID: business.id, action: "resource.update").first
        })
        #expect(entry.subject == "resource:\(info.id)")
        #expect(entry.details.contains("Garden Room") && entry.details.contains("sauna,treatment") && entry.details.contains("\"3\""))

        // A host is one person: no capacity field, and a posted capacity is ignored.
        let hostSlug = Validation.slug(user.name)
        let host = base + "/resources/" + hostSlug
        #expect(!(try browser.get(host).text.contains(#"id="resource_capacity""#)))
        #expect(try browser.post(host + "/details", [("resource_name", "Dr Owner"), ("resource_tags", "massage"),
                                                     ("resource_capacity", "5")]).status == .seeOther)
        let hostInfo = try Self.resource(test, business, hostSlug)
        #expect(hostInfo.name == "Dr Owner" && hostInfo.capacity == 1 && hostInfo.tags == ["massage"])
    }

    struct BadDetails: Sendable, CustomStringConvertible {
        let field: String
        let fields: [(String, String)]
        var description: String { field }
    }

    static let badDetails: [BadDetails] = [
        BadDetails(field: "resource_name", fields: [("resource_name", "  "), ("resource_capacity", "2")]),
        BadDetails(field: "resource_name", fields: [("resource_name", "!!!"), ("resource_capacity", "2")]),
        BadDetails(field: "resource_capacity", fields: [("resource_name", "Room"), ("resource_capacity", "0")]),
        BadDetails(field: "resource_capacity", fields: [("resource_name", "Room"), ("resource_capacity", "two")]),
        BadDetails(field: "resource_tags", fields: [("resource_name", "Room"), ("resource_capacity", "2"),
                                                    ("resource_tags", (1...21).map { "t\($0)" }.joined(separator: ","))]),
        BadDetails(field: "location", fields: [("resource_name", "Room"), ("resource_capacity", "2"), ("location", "999")]),
    ]

    @Test(arguments: badDetails)
    func invalidResourceDetailsAreNamedAndNothingChanges(_ bad: BadDetails) throws {
        let test = try TestApp()
        let (browser, _, slug) = try SetupSupport.owner(test)
        let business = try SetupSupport.business(test, slug)
        try browser.get("/manage/\(slug)/resources")
        let room = try #require(try browser.post("/manage/\(slug)/resources", [("name", "Room 1"), ("kind", "venue"), ("capacity", "1"),
                                                                                ("tags", "")]).headers["Location"])
        let audit = try SetupSupport.count(test, "audit_log")
        let response = try browser.post(room + "/details", bad.fields)
        #expect(response.status == .unprocessable)
        #expect(response.text.contains("<a href=\"#\(bad.field)\">"))
        #expect(response.text.contains("id=\"\(bad.field)-error\""))
        #expect(try SetupSupport.count(test, "audit_log") == audit)
        let info = try Self.resource(test, business, "room-1")
        #expect(info.name == "Room 1" && info.capacity == 1 && info.tags.isEmpty)
    }

    @Test func capacityCannotDropBelowBookingsThatOverlap() throws {
        let test = try TestApp()
        let (browser, _, slug) = try SetupSupport.owner(test)
        let business = try SetupSupport.business(test, slug)
        let base = "/manage/\(slug)"
        try browser.get(base + "/resources")
        let studio = try #require(try browser.post(base + "/resources", [("name", "Studio"), ("kind", "venue"), ("capacity", "2"),
                                                                          ("tags", "")]).headers["Location"])
        #expect(try browser.post(studio + "/hours", Self.weekdayHours()).status == .seeOther)
        // A sauna session needing only the studio, booked twice at the same time.
        let offer = try #require(try browser.post(base + "/offers", [("name", "Sauna"), ("mode", "slot"), ("duration_minutes", "60"),
                                                                      ("price", "20.00")]).headers["Location"])
        let form = try ManageBuilderTests.renderedForm(try browser.get(offer).text, action: offer + "/draft",
                                                       changes: ["component_0": "resource:studio", "component_0_role": "room"])
        #expect(try browser.post(offer + "/draft", form).status == .seeOther)
        #expect(try browser.post(offer + "/publish", []).status == .seeOther)
        let monday = SetupSupport.nextMonday(test, zone: business.timeZone)
        let first = try Self.book(test, business, offer: "sauna", on: monday, name: "Ann")
        _ = try Self.book(test, business, offer: "sauna", at: first.start, on: monday, name: "Bob")

        try browser.get(studio)
        let refused = try browser.post(studio + "/details", [("resource_name", "Studio"), ("resource_capacity", "1"), ("location", "")])
        #expect(refused.status == .unprocessable)
        #expect(refused.text.contains("2 upcoming bookings overlap on Studio"))
        #expect(try Self.resource(test, business, "studio").capacity == 2)
        // Raising it, or keeping it, is fine.
        #expect(try browser.post(studio + "/details", [("resource_name", "Studio"), ("resource_capacity", "4"), ("location", "")]).status == .seeOther)
        #expect(try Self.resource(test, business, "studio").capacity == 4)
        #expect(try browser.post(studio + "/details", [("resource_name", "Studio"), ("resource_capacity", "2"), ("location", "")]).status == .seeOther)
        #expect(try Self.resource(test, business, "studio").capacity == 2)
    }

    // MARK: Offers

    @Test func anOffersNameDescriptionAndSensitiveFlagAreEditedAndStaffSeeOnlyAppointment() throws {
        let test = try TestApp()
        let (browser, _, slug) = try SetupSupport.owner(test)
        let business = try SetupSupport.business(test, slug)
        let monday = SetupSupport.nextMonday(test, zone: business.timeZone)
        _ = try Self.book(test, business, offer: "deep-tissue-massage", on: monday)
        let (desk, _) = try test.member("desk@setup.test", role: .staff, in: business.id)
        let calendar = "/staff/\(slug)/calendar?date=\(monday)&view=day"
        #expect(try desk.get(calendar).text.contains("Deep Tissue Massage"))

        let offer = "/manage/\(slug)/offers/deep-tissue-massage"
        #expect(try browser.get(offer).text.contains(#"id="offer_name" name="offer_name" type="text" maxlength="120" value="Deep Tissue Massage""#))
        let versions = try SetupSupport.count(test, "offer_versions")
        let saved = try browser.post(offer + "/details", [("offer_name", "Private Massage"), ("offer_description", "Quiet room, 30 minutes."),
                                                          ("sensitive", "1")])
        #expect(saved.status == .seeOther)
        let offerID = try #require(try test.database.pool.read { db in
            try ManageCatalog.offer(db, businessID: business.id, slug: "deep-tissue-massage")
        }).id
        let details = try #require(try test.database.pool.read { db in
            try ManageCatalog.offerDetails(db, businessID: business.id, offerID: offerID)
        })
        #expect(details == .init(name: "Private Massage", description: "Quiet room, 30 minutes.", sensitive: true))
        #expect(try SetupSupport.count(test, "offer_versions") == versions)
        let entry = try #require(try test.database.pool.read { db in
            try ManageCatalog.audit(db, businessID: business.id, action: "offer.update").first
        })
        #expect(entry.details.contains("Private Massage") && entry.details.contains("\"sensitive\":\"yes\""))
        // Customers see the new name and text at the same link; staff see only "Appointment".
        let publicPage = try test.browser().get("/b/\(slug)").text
        #expect(publicPage.contains("Private Massage") && publicPage.contains("Quiet room, 30 minutes."))
        let staffView = try desk.get(calendar).text
        #expect(staffView.contains("Appointment"))
        #expect(!staffView.contains("Private Massage") && !staffView.contains("Deep Tissue Massage"))
        #expect(try browser.get(offer).text.contains(#"name="sensitive" type="checkbox" value="1" aria-describedby="sensitive-hint" checked"#))

        // Unticking the box names the service again.
        #expect(try browser.post(offer + "/details", [("offer_name", "Private Massage"), ("offer_description", "")]).status == .seeOther)
        #expect(try desk.get(calendar).text.contains("Private Massage"))
        // Staff may not edit offers.
        try desk.get("/account")
        #expect(try desk.post(offer + "/details", [("offer_name", "Mine")]).status == .notFound)
    }

    @Test(arguments: [("offer_name", [("offer_name", ""), ("offer_description", "x")]),
                      ("offer_description", [("offer_name", "Massage"), ("offer_description", String(repeating: "a", count: 4001))])])
    func invalidOfferDetailsAreNamedAndNothingChanges(_ field: String, _ fields: [(String, String)]) throws {
        let test = try TestApp()
        let (browser, _, slug) = try SetupSupport.owner(test)
        let offer = "/manage/\(slug)/offers/deep-tissue-massage"
        try browser.get(offer)
        let audit = try SetupSupport.count(test, "audit_log")
        let response = try browser.post(offer + "/details", fields + [("sensitive", "1")])
        #expect(response.status == .unprocessable)
        #expect(response.text.contains("<a href=\"#\(field)\">") && response.text.contains("id=\"\(field)-error\""))
        #expect(try SetupSupport.count(test, "audit_log") == audit)
        #expect(try test.database.pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT sensitive FROM offers WHERE slug = 'deep-tissue-massage'")
        } == false)
        // Without the form token nothing is read at all.
        #expect(try browser.post(offer + "/details", [("offer_name", "Other")], csrf: .some(nil)).status == .forbidden)
    }
}
