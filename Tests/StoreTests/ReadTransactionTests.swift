import BookingCore
import Foundation
import GRDB
import Testing
@testable import Store

/// `AppDatabase.read` opens its transaction with prepared statements (`ReadTransaction`): it must
/// still be one snapshot, and end whether its body returns or throws.
struct ReadTransactionTests {
    let base = BookingStoreTests()

    func businesses(_ db: Database) throws -> Int { try Int.fetchOne(db, sql: "SELECT count(*) FROM businesses") ?? -1 }

    func addBusiness(_ database: AppDatabase, _ slug: String) throws {
        _ = try database.pool.write { try Catalog.createBusiness($0, slug: slug, name: slug, timeZone: "UTC", currency: "USD", now: 0) }
    }

    @Test func aReadSeesOneSnapshotWhateverCommitsMeanwhile() throws {
        let (database, _) = try base.demo()
        for round in 0..<3 {   // again on a connection whose BEGIN and COMMIT are prepared already
            let (before, after) = try database.read { db in
                let before = try businesses(db)
                try addBusiness(database, "other-\(round)")
                return (before, try businesses(db))
            }
            #expect(before == after)
            #expect(try database.read(businesses) == before + 1)
        }
    }

    @Test func aReadThatThrowsEndsItsTransactionAndTheNextSeesNewCommits() throws {
        struct Refused: Error {}
        let (database, _) = try base.demo()
        let before = try database.read(businesses)
        for _ in 0..<8 {   // more than the readers, so every connection is left by a throw at least once
            #expect(throws: Refused.self) { try database.read { db in _ = try businesses(db); throw Refused() } }
        }
        try addBusiness(database, "after-throws")
        for _ in 0..<8 { #expect(try database.read(businesses) == before + 1) }
    }
}
