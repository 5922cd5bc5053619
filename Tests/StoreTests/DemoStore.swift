import Foundation
import GRDB
@testable import Store
import Testing

/// A fresh database file, migrated and seeded with the demo business, for the Store suites.
enum DemoStore {
    /// Sunday 2026-11-22 12:00 New York.
    static let seededAt: Int64 = 1_795_366_800

    static func open(_ name: String) throws -> (AppDatabase, Business) {
        let directory = NSTemporaryDirectory() + "bizing-\(name)-\(UUID().uuidString)"
        let migrations = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("migrations").path
        let database = try AppDatabase(dataDirectory: directory, migrationsDirectory: migrations)
        let business = try database.pool.write { db in
            _ = try DemoData.seed(db, now: seededAt, hashPassword: { "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA" })
            return try #require(try Catalog.business(db, slug: "demo"))
        }
        return (database, business)
    }
}
