import BookingCore
import Foundation
import GRDB
import Testing
@testable import Store

/// Migration 0130: what an API key creates in the catalog records the key, a person's or the
/// system's creations record none, and the schema refuses a key of another business.
struct CatalogKeyStoreTests {
    @Test func aKeysResourceRecordsTheKeyAndAKeyOfAnotherBusinessIsRefused() throws {
        let (database, business) = try DemoStore.open("catalog-key")
        let (mine, theirs) = try database.pool.write { db in
            let other = try Catalog.createBusiness(db, slug: "other", name: "Other", timeZone: "UTC", currency: "EUR", now: 0)
            return (try APIKeys.create(db, businessID: business.id, name: "mine", now: 0, actor: .system).id,
                    try APIKeys.create(db, businessID: other.id, name: "theirs", now: 0, actor: .system).id)
        }
        let slug = try database.createResource(businessID: business.id, name: "Key Room", kind: .venue, capacity: 2, tags: [],
                                               hours: [WeeklyRule(weekday: .monday, opens: WallTime("09:00")!, closes: WallTime("12:00")!)],
                                               actor: .apiKey(mine), now: DemoStore.seededAt)
        let byPerson = try database.createResource(businessID: business.id, name: "Page Room", kind: .venue, capacity: 1, tags: [],
                                                   actor: "user:1", now: DemoStore.seededAt)
        let keys = try database.pool.read { db in
            try Int64?.fetchAll(db, sql: "SELECT api_key_id FROM resources WHERE slug IN (?, ?) ORDER BY slug = ?",
                                arguments: [slug, byPerson, byPerson])
        }
        #expect(keys == [mine.rawValue, nil])
        // The hours came in the same write.
        let page = try #require(try database.resourcePage(businessID: business.id, slug: slug))
        #expect(page.detail.rules.map(\.weekday) == [.monday])
        #expect(throws: DatabaseError.self) {
            try database.pool.write { db in
                try db.execute(sql: "UPDATE resources SET api_key_id = ? WHERE slug = ?", arguments: [theirs, slug])
            }
        }
    }
}
