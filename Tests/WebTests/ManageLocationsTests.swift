import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// Locations in the business settings, resources placed at them, and the public page showing them.
struct ManageLocationsTests {
    static func locations(_ test: TestApp, _ business: Business) throws -> [ManageCatalog.LocationRow] {
        try test.database.pool.read { db in try ManageCatalog.locations(db, businessID: business.id) }
    }

    @Test func locationsAreAddedRenamedAssignedAndRemovedOnlyWhenUnused() throws {
        let test = try TestApp()
        let (browser, user, slug) = try SetupSupport.owner(test)
        let business = try SetupSupport.business(test, slug)
        let settings = "/manage/\(slug)/settings"
        let guest = test.browser()
        try browser.get(settings)
        #expect(!(try guest.get("/b/\(slug)").text.contains("Where:")))

        // Added: the public page shows its address.
        #expect(try browser.post("/manage/\(slug)/locations", [("location_name", "Main street"),
                                                               ("location_address", "12 Main Street, Springfield")]).status == .seeOther)
        #expect(try browser.post("/manage/\(slug)/locations", [("location_name", "Riverside"),
                                                               ("location_address", "1 River Road")]).status == .seeOther)
        let rows = try Self.locations(test, business)
        #expect(rows.map(\.name) == ["Main street", "Riverside"])
        var publicPage = try guest.get("/b/\(slug)").text
        #expect(publicPage.contains("Main street, 12 Main Street, Springfield") && publicPage.contains("Riverside, 1 River Road"))
        let main = rows[0].id, river = rows[1].id

        // Renamed.
        #expect(try browser.post("/manage/\(slug)/locations/\(main)", [("location_name", "Old Town"),
                                                                       ("location_address", "12 Main Street, Springfield")]).status == .seeOther)
        publicPage = try guest.get("/b/\(slug)").text
        #expect(publicPage.contains("Old Town, 12 Main Street, Springfield") && !publicPage.contains("Main street,"))

        // The owner's host is placed at Old Town on its page.
        let host = "/manage/\(slug)/resources/" + Validation.slug(user.name)
        let hostPage = try browser.get(host).text
        #expect(hostPage.contains("<option value=\"\(main)\">Old Town — 12 Main Street, Springfield</option>"))
        #expect(try browser.post(host + "/details", [("resource_name", user.name), ("resource_tags", ""), ("location", String(main))]).status == .seeOther)
        #expect(try browser.get(host).text.contains("<option value=\"\(main)\" selected>"))
        #expect(try browser.get(settings).text.contains("Used by \(user.name)."))

        // Removing a location in use is refused with a sentence, and nothing is removed.
        let audit = try SetupSupport.count(test, "audit_log")
        let refused = try browser.post("/manage/\(slug)/locations/\(main)/remove", [])
        #expect(refused.status == .conflict)
        #expect(refused.text.contains("This location is still used by \(user.name). Move them to another location (or none) first, then remove it."))
        #expect(refused.text.contains("<a href=\"#location_\(main)_name\">"))
        #expect(try Self.locations(test, business).count == 2)
        #expect(try SetupSupport.count(test, "audit_log") == audit)

        // An unused one goes; once the host moves away, so does the other.
        #expect(try browser.post("/manage/\(slug)/locations/\(river)/remove", []).status == .seeOther)
        #expect(try browser.post(host + "/details", [("resource_name", user.name), ("location", "")]).status == .seeOther)
        #expect(try browser.post("/manage/\(slug)/locations/\(main)/remove", []).status == .seeOther)
        #expect(try Self.locations(test, business).isEmpty)
        #expect(!(try guest.get("/b/\(slug)").text.contains("Where:")))
        #expect(try browser.post("/manage/\(slug)/locations/\(main)/remove", []).status == .notFound)

        let actions = try test.database.pool.read { db in
            try ManageCatalog.audit(db, businessID: business.id, action: "location.").map(\.action)
        }
        #expect(actions == ["location.remove", "location.remove", "location.update", "location.create", "location.create"])
    }

    @Test func invalidLocationsAreNamedAndNothingIsWritten() throws {
        let test = try TestApp()
        let (browser, _, slug) = try SetupSupport.owner(test)
        let business = try SetupSupport.business(test, slug)
        try browser.get("/manage/\(slug)/settings")
        let audit = try SetupSupport.count(test, "audit_log")
        let empty = try browser.post("/manage/\(slug)/locations", [("location_name", " "), ("location_address", "Somewhere")])
        #expect(empty.status == .unprocessable)
        #expect(empty.text.contains("<a href=\"#location_name\">") && empty.text.contains("id=\"location_name-error\""))
        #expect(empty.text.contains(#"value="Somewhere""#))
        let long = try browser.post("/manage/\(slug)/locations", [("location_name", "Main"),
                                                                  ("location_address", String(repeating: "x", count: 501))])
        #expect(long.status == .unprocessable && long.text.contains("<a href=\"#location_address\">"))
        #expect(try Self.locations(test, business).isEmpty)

        #expect(try browser.post("/manage/\(slug)/locations", [("location_name", "Main"), ("location_address", "")]).status == .seeOther)
        let id = try #require(try Self.locations(test, business).first).id
        let rename = try browser.post("/manage/\(slug)/locations/\(id)", [("location_name", ""), ("location_address", "")])
        #expect(rename.status == .unprocessable && rename.text.contains("<a href=\"#location_\(id)_name\">"))
        #expect(rename.text.contains("id=\"location_\(id)_name-error\""))
        #expect(try Self.locations(test, business).first?.name == "Main")
        #expect(try SetupSupport.count(test, "audit_log") == audit + 1)
        #expect(try browser.post("/manage/\(slug)/locations", [("location_name", "Main")], csrf: .some(nil)).status == .forbidden)
    }

    @Test func anotherBusinessesLocationsAndOtherRolesAreRefused() throws {
        let test = try TestApp()
        let (browser, _, slug) = try SetupSupport.owner(test)
        let business = try SetupSupport.business(test, slug)
        let otherID = try test.createBusiness(slug: "other")
        let foreign = try test.database.pool.write { db in
            try ManageCatalog.addLocation(db, businessID: otherID, name: "Elsewhere", address: "", actor: "system", now: 0)
        }
        try browser.get("/manage/\(slug)/settings")
        #expect(try browser.post("/manage/\(slug)/locations/\(foreign)", [("location_name", "Mine")]).status == .notFound)
        #expect(try browser.post("/manage/\(slug)/locations/\(foreign)/remove", []).status == .notFound)
        let host = try #require(try test.database.pool.read { db in try Catalog.resources(db, businessID: business.id).first })
        try browser.get("/manage/\(slug)/resources/\(host.slug)")
        let placed = try browser.post("/manage/\(slug)/resources/\(host.slug)/details",
                                      [("resource_name", host.name), ("location", String(foreign))])
        #expect(placed.status == .unprocessable && placed.text.contains("<a href=\"#location\">"))
        #expect(try test.database.pool.read { db in
            try ManageCatalog.resourceLocationID(db, businessID: business.id, resourceID: host.id)
        } == nil)
        #expect(try test.database.pool.read { db in try String.fetchOne(db, sql: "SELECT name FROM locations WHERE id = ?", arguments: [foreign]) } == "Elsewhere")

        // A manager builds resources but does not manage the business's locations.
        let (manager, _) = try test.member("manager@setup.test", role: .manager, in: business.id)
        try manager.get("/account")
        #expect(try manager.post("/manage/\(slug)/locations", [("location_name", "Mine")]).status == .notFound)
        #expect(try Self.locations(test, business).isEmpty)
    }
}
