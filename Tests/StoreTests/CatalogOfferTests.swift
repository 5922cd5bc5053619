import BookingCore
import Foundation
import GRDB
import Testing
@testable import Store

/// `Catalog.offer` reads the offer and its current version's id, and the spec from the decoded specs
/// kept by version (or the version's row when none is kept).
struct CatalogOfferTests {
    let base = BookingStoreTests()

    func slugs(_ database: AppDatabase, _ business: Business) throws -> [String] {
        try database.pool.read { try String.fetchAll($0, sql: "SELECT slug FROM offers WHERE business_id = ? ORDER BY id", arguments: [business.id]) }
    }

    @Test func anOfferReadsAsItsCurrentVersionsFullRowDecodes() throws {
        let (database, business) = try base.demo()
        for slug in try slugs(database, business) {
            // Without kept specs (the pool directly), then with them (the door's reads, twice: decoded, then kept)
            let plain = try database.pool.read { try Catalog.offer($0, businessID: business.id, slug: slug) }
            let kept = try database.read { try Catalog.offer($0, businessID: business.id, slug: slug) }
            let again = try database.read { try Catalog.offer($0, businessID: business.id, slug: slug) }
            guard let plain else { continue }   // no published version
            let fromRow = try database.pool.read { try Catalog.offerVersion($0, businessID: business.id, versionID: plain.versionID) }
            #expect(plain.spec == fromRow, "\(slug)")
            #expect(kept == plain && again == plain, "\(slug)")
            let row = try #require(try database.pool.read {
                try Row.fetchOne($0, sql: "SELECT o.id, o.name, o.status, v.version FROM offers o JOIN offer_versions v ON v.id = ? WHERE o.slug = ? AND o.business_id = ?",
                                 arguments: [plain.versionID, slug, business.id])
            })
            #expect(plain.id.rawValue == row[0] && plain.name == row[1] && plain.status.rawValue == row[2] && plain.version == row[3], "\(slug)")
        }
    }

    @Test func aNewlyPublishedVersionIsReadWithItsOwnSpec() throws {
        let (database, business) = try base.demo()
        let before = try #require(try database.read { try Catalog.offer($0, businessID: business.id, slug: "consultation") })
        var spec = before.spec
        spec.duration = .fixed(before.spec.duration.maxMinutes + 15)
        try database.pool.write { db in
            let id = try Catalog.createDraftVersion(db, businessID: business.id, offerID: before.id, spec: spec, now: BookingStoreTests.now)
            try Catalog.publishVersion(db, businessID: business.id, versionID: id, now: BookingStoreTests.now)
        }
        let after = try #require(try database.read { try Catalog.offer($0, businessID: business.id, slug: "consultation") })
        #expect(after.version == before.version + 1 && after.versionID != before.versionID)
        #expect(after.spec.duration == spec.duration)
        #expect(after.spec == (try database.pool.read { try Catalog.offerVersion($0, businessID: business.id, versionID: after.versionID) }))
    }
}
