import BookingCore
import Foundation
import GRDB
@testable import Store
import Testing

/// Customer records: kept in step with bookings by migration 0070's triggers, backfilled for
/// bookings made before it, searched, edited and merged in one transaction each.
@Suite(.serialized)
struct CustomerStoreTests {
    let database: AppDatabase
    let business: Business

    init() throws {
        (database, business) = try DemoStore.open("customers")
    }

    func id(_ email: String) throws -> CustomerID {
        try #require(try database.pool.read { db in
            try CustomerID.fetchOne(db, sql: "SELECT customer_id FROM customer_emails WHERE business_id = ? AND email = ?",
                                    arguments: [business.id, email])
        })
    }

    func book(_ email: String, name: String, dayOffset: Int = 3) throws -> OrderView {
        let clock = try #require(ZoneClock(identifier: business.timeZone))
        let date = clock.local(DemoStore.seededAt).date.adding(days: dayOffset)
        let start = try #require(clock.instant(date, WallTime(hour: 16, minute: 0)!))
        let request = BookingRequest(offerSlug: "consultation", start: start,
                                     customer: CustomerDetails(name: name, email: email, phone: "(212) 555-0199", notes: ""),
                                     resourceSlugs: ["dana-doctor"], source: "staff")
        return try database.pool.write { db in
            try Bookings.book(db, business: business, request: request, now: DemoStore.seededAt, actor: .system).order
        }
    }

    func ledgerSum(_ email: String) throws -> Int64 {
        try database.pool.read { db in
            try Int64.fetchOne(db, sql: """
                SELECT COALESCE(SUM(l.amount), 0) FROM ledger_entries l JOIN booking_orders b ON b.business_id = l.business_id AND b.id = l.order_id
                WHERE b.business_id = ? AND lower(b.customer_email) = ?
                """, arguments: [business.id, email]) ?? 0
        }
    }

    @Test func everyDemoAddressBecomesOneRecordWithItsBookingAndSpend() throws {
        let list = try #require(try database.customers(businessID: business.id, role: .owner, text: ""))
        #expect(list.customers.count == 6)
        let zelda = try #require(try database.customer(businessID: business.id, id: try id("zelda.quinn@example.com")))
        #expect(zelda.name == "Zelda Quinn" && zelda.phone == "+1 212 555 0142")
        #expect(zelda.bookings.count == 1 && zelda.noShows == 0)
        #expect(zelda.spend == (try ledgerSum("zelda.quinn@example.com")))
    }

    @Test func aLaterBookingUnderTheSameAddressInAnyCaseJoinsTheRecord() throws {
        let before = try id("zelda.quinn@example.com")
        _ = try book("Zelda.Quinn@EXAMPLE.com", name: "Zelda Quinn-Park")
        #expect(try id("zelda.quinn@example.com") == before)
        let zelda = try #require(try database.customer(businessID: business.id, id: before))
        #expect(zelda.bookings.count == 2)
        #expect(zelda.name == "Zelda Quinn-Park")
        #expect(try database.customers(businessID: business.id, role: .owner, text: "")?.customers.count == 6)
    }

    @Test func searchMatchesNameAddressOrPhoneDigitsOnlyWhereTheRoleMaySee() throws {
        let byName = try #require(try database.customers(businessID: business.id, role: .owner, text: "quinn"))
        #expect(byName.customers.map(\.name) == ["Zelda Quinn"])
        #expect(try database.customers(businessID: business.id, role: .owner, text: "omar.reyes@")?.customers.map(\.name) == ["Omar Reyes"])
        #expect(try database.customers(businessID: business.id, role: .owner, text: "(718) 555-0199")?.customers.map(\.name) == ["Omar Reyes"])
        #expect(try database.customers(businessID: business.id, role: .owner, text: "100%_")?.customers.isEmpty == true)
        // The front desk may not see addresses or numbers (default policy): searching them finds nobody.
        #expect(try database.customers(businessID: business.id, role: .staff, text: "omar.reyes@")?.customers.isEmpty == true)
        #expect(try database.customers(businessID: business.id, role: .staff, text: "7185550199")?.customers.isEmpty == true)
        #expect(try database.customers(businessID: business.id, role: .staff, text: "Omar")?.customers.count == 1)
    }

    @Test func noShowsAreCounted() throws {
        let order = try book("late@example.com", name: "Lee Late")
        _ = try database.transition(business: business, publicID: order.publicID, to: .noShow, now: order.start + 3600, actor: .system)
        let lee = try #require(try database.customer(businessID: business.id, id: try id("late@example.com")))
        #expect(lee.noShows == 1)
    }

    @Test func tagsAndNotesAreSavedAndAuditedWithoutTheNotesText() throws {
        let zelda = try id("zelda.quinn@example.com")
        try database.updateCustomer(businessID: business.id, id: zelda, tags: ["vip"], notes: "Allergic to latex.", actor: "user:1",
                                    now: DemoStore.seededAt)
        let record = try #require(try database.customer(businessID: business.id, id: zelda))
        #expect(record.tags == ["vip"] && record.notes == "Allergic to latex.")
        let details = try database.pool.read { db in
            try String.fetchAll(db, sql: "SELECT details FROM audit_log WHERE action = 'customer.update'")
        }
        #expect(details.count == 1 && !details[0].contains("latex"))
        #expect(throws: CatalogError.notFound("customer")) {
            try database.updateCustomer(businessID: business.id, id: 9999, tags: [], notes: "", actor: "user:1", now: DemoStore.seededAt)
        }
    }

    @Test func mergingMovesBookingsAddressesTagsAndNotes() throws {
        _ = try book("zq@example.com", name: "Zelda Q")
        let keep = try id("zelda.quinn@example.com"), duplicate = try id("zq@example.com")
        try database.updateCustomer(businessID: business.id, id: duplicate, tags: ["new"], notes: "Second address.", actor: "user:1",
                                    now: DemoStore.seededAt)
        try database.mergeCustomers(businessID: business.id, keep: keep, duplicate: duplicate, actor: "user:1", now: DemoStore.seededAt)
        let record = try #require(try database.customer(businessID: business.id, id: keep))
        #expect(record.emails == ["zelda.quinn@example.com", "zq@example.com"])
        #expect(record.bookings.count == 2 && record.tags == ["new"] && record.notes == "Second address.")
        #expect(try database.customer(businessID: business.id, id: duplicate) == nil)
        // A later booking under the merged address lands on the kept record.
        _ = try book("ZQ@example.com", name: "Zelda Q", dayOffset: 4)
        #expect(try database.customer(businessID: business.id, id: keep)?.bookings.count == 3)
        #expect(throws: CatalogError.notFound("customer")) {
            try database.mergeCustomers(businessID: business.id, keep: keep, duplicate: keep, actor: "user:1", now: DemoStore.seededAt)
        }
    }

    @Test func anotherBusinessesCustomerIsNotFound() throws {
        let other = try database.pool.write { db in
            try Catalog.createBusiness(db, slug: "other", name: "Other", timeZone: "UTC", currency: "USD", now: DemoStore.seededAt)
        }
        #expect(try database.customer(businessID: other.id, id: try id("zelda.quinn@example.com")) == nil)
        #expect(try database.customers(businessID: other.id, role: .owner, text: "")?.customers.isEmpty == true)
    }

    @Test func migrationBackfillsBookingsMadeBeforeIt() throws {
        // Given the demo seeded on a database migrated with everything but 0070 (the demo needs the later ones)
        let directory = NSTemporaryDirectory() + "bizing-backfill-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let all = try Migrator.load(directory: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("migrations").path)
        let pool = try DatabasePool(path: directory + "/bizing.sqlite")
        _ = try Migrator.apply(all.filter { !$0.name.hasPrefix("0070") }, to: pool)
        try pool.write { db in _ = try DemoData.seed(db, now: DemoStore.seededAt, hashPassword: { "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA" }) }
        // When 0070 runs
        _ = try Migrator.apply(all, to: pool)
        // Then each address has one record, named as booked
        let rows = try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT e.email, c.name, c.phone FROM customer_emails e JOIN customers c ON c.id = e.customer_id ORDER BY e.email")
        }
        #expect(rows.count == 6)
        #expect(rows.first.map { $0["email"] as String } == "ana.souza@example.com")
        #expect(rows.first.map { $0["name"] as String } == "Ana Souza")
        #expect(rows.allSatisfy { ($0["phone"] as String).hasPrefix("+1") })
    }
}
