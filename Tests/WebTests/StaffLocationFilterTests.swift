import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// The calendar's location filter: shown only when the business has locations, narrowing the
/// columns to one location's resources, kept by navigation, refusing unknown locations.
@Suite(.serialized)
struct StaffLocationFilterTests {
    /// Puts Dana and Room 1 in "Uptown" and the other resources in "Downtown"; returns (uptown, downtown).
    static func addLocations(_ test: TestApp) throws -> (Int64, Int64) {
        try test.database.pool.write { db in
            let business = try #require(try Catalog.business(db, slug: "demo")).id
            func location(_ name: String, _ slugs: [String]) throws -> Int64 {
                try db.execute(sql: "INSERT INTO locations (business_id, name, created_at) VALUES (?, ?, 0)", arguments: [business, name])
                let id = db.lastInsertedRowID
                for slug in slugs {
                    try db.execute(sql: "UPDATE resources SET location_id = ? WHERE business_id = ? AND slug = ?", arguments: [id, business, slug])
                }
                return id
            }
            return (try location("Uptown", ["dana-doctor", "room-1"]), try location("Downtown", ["sam-stylist", "room-2", "studio"]))
        }
    }

    static func hasColumn(_ html: String, _ name: String) -> Bool { html.contains(#"<th scope="col">\#(name) <span class="kind">"#) }

    @Test func withoutLocationsThereIsNoLocationSelect() throws {
        // Given: the demo business without its one location ("Main street").
        let test = try TestApp.staff()
        try test.database.pool.write { db in
            try db.execute(sql: "UPDATE resources SET location_id = NULL")
            try db.execute(sql: "DELETE FROM locations")
        }
        let html = try test.signedIn("frontdesk@demo.test").get(test.dayURL).text
        #expect(html.contains(#"id="cal-kind""#))
        #expect(!html.contains(#"name="location""#))
    }

    @Test func aLocationShowsOnlyItsResourcesAndBookings() throws {
        let test = try TestApp.staff()
        let (uptown, downtown) = try Self.addLocations(test)
        let desk = try test.signedIn("frontdesk@demo.test")
        // Every location: the demo's own and both new ones in the select, every column shown.
        let all = try desk.get(test.dayURL).text
        #expect(all.contains(#"<label for="cal-location">Location</label>"#))
        #expect(all.contains(#"<option value="\#(uptown)">Uptown</option>"#))
        #expect(all.contains(#"<option value="\#(downtown)">Downtown</option>"#))
        #expect(all.contains(">Main street</option>"))
        #expect(Self.hasColumn(all, "Dana Doctor") && Self.hasColumn(all, "Sam Stylist") && Self.hasColumn(all, "Studio"))
        // Uptown: Dana and Room 1 only; Zelda's consultation with Dana, not Priya's yoga in the studio.
        let page = try desk.get(test.dayURL + "&location=\(uptown)")
        #expect(page.status == .ok)
        let html = page.text
        #expect(html.contains(#"<option value="\#(uptown)" selected>Uptown</option>"#))
        #expect(Self.hasColumn(html, "Dana Doctor") && Self.hasColumn(html, "Room 1"))
        #expect(!Self.hasColumn(html, "Sam Stylist") && !Self.hasColumn(html, "Studio") && !Self.hasColumn(html, "Room 2"))
        #expect(html.contains("Zelda Q."))
        #expect(!html.contains("Priya S."))
        // Navigation keeps the filter.
        #expect(html.contains("date=2026-11-24&amp;view=day&amp;location=\(uptown)"))
        // Combined with a kind: the uptown venue only.
        let venues = try desk.get(test.dayURL + "&kind=venue&location=\(uptown)").text
        #expect(Self.hasColumn(venues, "Room 1") && !Self.hasColumn(venues, "Dana Doctor"))
    }

    @Test func anUnknownLocationIsRefusedWithASentence() throws {
        let test = try TestApp.staff()
        let (uptown, _) = try Self.addLocations(test)
        let other = try test.database.pool.write { db -> Int64 in
            let business = try Catalog.createBusiness(db, slug: "other", name: "Other", timeZone: "UTC", currency: "USD", now: 0)
            try db.execute(sql: "INSERT INTO locations (business_id, name, created_at) VALUES (?, 'Elsewhere', 0)", arguments: [business.id])
            return db.lastInsertedRowID
        }
        let desk = try test.signedIn("frontdesk@demo.test")
        for bad in ["uptown", "\(uptown + 1000)", "\(other)"] {
            let page = try desk.get(test.dayURL + "&location=\(bad)")
            #expect(page.status == .badRequest, "location=\(bad)")
            #expect(page.text.contains("That location is not one of this business"))
            #expect(!page.text.contains("Elsewhere"))
        }
    }
}
