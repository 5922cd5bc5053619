import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// `/manage/{business}/customers`: the owner finds a customer and reads everything; the front
/// desk reads what the field policy lets it and changes nothing; other businesses' records are 404.
@Suite(.serialized)
struct CustomerPagesTests {
    let app: TestApp

    init() throws { app = try TestApp.staff() }

    func customerURL(_ email: String) throws -> String { try app.customerURL(email) }

    @Test func ownerSearchesByNameAndOpensTheCustomerWithBookingsAndSpend() throws {
        let owner = try app.signedIn("owner@demo.test")
        let list = try owner.get("/manage/demo/customers?q=quinn")
        #expect(list.status == .ok)
        #expect(list.text.contains("Zelda Quinn") && !list.text.contains("Omar Reyes"))
        #expect(list.text.contains(try customerURL("zelda.quinn@example.com")))
        let page = try owner.get(try customerURL("zelda.quinn@example.com"))
        #expect(page.status == .ok)
        #expect(page.text.contains("zelda.quinn@example.com") && page.text.contains("+1 212 555 0142"))
        #expect(page.text.contains("Consultation") && page.text.contains("No-shows"))
        #expect(page.text.contains("/staff/demo/bookings/"))
        #expect(page.text.contains("<dt>Spend</dt>"))
    }

    @Test func ownerSavesTagsAndNotesAndBadInputChangesNothing() throws {
        let owner = try app.signedIn("owner@demo.test")
        let url = try customerURL("zelda.quinn@example.com")
        _ = try owner.get(url)
        let saved = try owner.post(url, [("tags", "VIP, latex"), ("notes", "Allergic to latex.")])
        #expect(saved.status == .seeOther)
        let page = try owner.get(url)
        #expect(page.text.contains("Allergic to latex.") && page.text.contains("<span class=\"tag\">vip</span>"))
        let refused = try owner.post(url, [("tags", String(repeating: "x", count: 50)), ("notes", "Changed")])
        #expect(refused.status == .unprocessable)
        #expect(refused.text.contains("There is a problem") && refused.text.contains("href=\"#tags\""))
        #expect(try owner.get(url).text.contains("Allergic to latex."))
    }

    @Test func frontDeskSeesAMaskedNameAndNeitherContactNorNotesAndCannotEdit() throws {
        let owner = try app.signedIn("owner@demo.test")
        let url = try customerURL("zelda.quinn@example.com")
        _ = try owner.get(url)
        #expect(try owner.post(url, [("tags", "vip"), ("notes", "Allergic to latex.")]).status == .seeOther)
        let desk = try app.signedIn("frontdesk@demo.test")
        let page = try desk.get(url)
        #expect(page.status == .ok)
        #expect(page.text.contains("Zelda Q.") && !page.text.contains("Zelda Quinn"))
        for secret in ["zelda.quinn@example.com", "0142", "latex", "name=\"notes\""] { #expect(!page.text.contains(secret), "\(secret)") }
        // The list does not find her by address either.
        #expect(!(try desk.get("/manage/demo/customers?q=zelda.quinn%40")).text.contains("Zelda Q."))
        let refused = try desk.post(url, [("tags", ""), ("notes", "")])
        #expect(refused.status != .seeOther)
        #expect(try owner.get(url).text.contains("Allergic to latex."))
    }

    @Test func providersAndOtherBusinessesGetNothing() throws {
        let dana = try app.signedIn("dana@demo.test")
        #expect(try dana.get("/manage/demo/customers").status != .ok)
        let owner = try app.signedIn("owner@demo.test")
        #expect(try owner.get("/manage/demo/customers/999999").status == .notFound)
        #expect(try owner.get("/manage/demo/customers/abc").status == .notFound)
        // A second business's owner asking for the demo's customer under their own business: 404.
        let otherID = try app.database.pool.write { db in
            try Catalog.createBusiness(db, slug: "other", name: "Other", timeZone: "UTC", currency: "USD", now: 0).id
        }
        let (other, _) = try app.member("other-owner@example.com", role: .owner, in: otherID)
        let id = try customerURL("zelda.quinn@example.com").split(separator: "/").last!
        #expect(try other.get("/manage/other/customers/\(id)").status == .notFound)
        #expect(try other.get("/manage/demo/customers/\(id)").status == .notFound)
    }

    @Test func mergingTwoRecordsShowsBothBookingsOnTheKeptOne() throws {
        let owner = try app.signedIn("owner@demo.test")
        let keep = try customerURL("zelda.quinn@example.com"), duplicate = try customerURL("noah.kim@example.com")
        _ = try owner.get(keep)
        let merged = try owner.post(keep + "/merge", [("duplicate", String(duplicate.split(separator: "/").last!))])
        #expect(merged.status == .seeOther)
        let page = try owner.get(keep)
        #expect(page.text.contains("noah.kim@example.com") && page.text.contains("<dd>2</dd>"))
        #expect(try owner.get(duplicate).status == .notFound)
        let bad = try owner.post(keep + "/merge", [("duplicate", "nonsense")])
        #expect(bad.status == .unprocessable && bad.text.contains("href=\"#duplicate\""))
    }

    @Test func erasureIsRefusedWhileTheBookingIsAheadThenDoneAfterIt() throws {
        let owner = try app.signedIn("owner@demo.test")
        let url = try customerURL("zelda.quinn@example.com")
        _ = try owner.get(url)
        let unconfirmed = try owner.post(url + "/erase", [])
        #expect(unconfirmed.status == .unprocessable && unconfirmed.text.contains("href=\"#confirm\""))
        let refused = try owner.post(url + "/erase", [("confirm", "yes")])
        #expect(refused.status == .unprocessable && refused.text.contains("Cancel the upcoming booking first"))
        // A week later the visit is behind her (and the owner signs in again).
        app.advance(seconds: 7 * 86_400)
        let later = try app.signedIn("owner@demo.test")
        _ = try later.get(url)
        let erased = try later.post(url + "/erase", [("confirm", "yes")])
        #expect(erased.status == .seeOther)
        #expect(try later.get(url).status == .notFound)
        #expect(!(try later.get("/manage/demo/customers")).text.contains("Zelda"))
        #expect(try app.audit(action: "customer.erase").count == 1)
    }
}

extension TestApp {
    /// The demo's page of the customer with `email` (lower-case).
    func customerURL(_ email: String) throws -> String {
        let id = try #require(try database.pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT customer_id FROM customer_emails WHERE email = ?", arguments: [email])
        })
        return "/manage/demo/customers/\(id)"
    }
}
