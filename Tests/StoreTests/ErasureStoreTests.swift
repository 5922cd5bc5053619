import BookingCore
import Foundation
import GRDB
@testable import Store
import Testing

/// Erasure on request: refused while a booking is ahead; afterwards the address is nowhere in the
/// database file or its WAL, and the ledger adds up to what it did.
@Suite(.serialized)
struct ErasureStoreTests {
    let database: AppDatabase
    let business: Business
    static let email = "Erin.Erase@Example.com"

    init() throws {
        (database, business) = try DemoStore.open("erasure")
    }

    /// A booking by Erin on Thursday 16:00 New York, with its confirmation queued; returns it.
    func bookErin() throws -> OrderView {
        let clock = try #require(ZoneClock(identifier: business.timeZone))
        let start = try #require(clock.instant(LocalDate(year: 2026, month: 11, day: 26)!, WallTime(hour: 16, minute: 0)!))
        let request = BookingRequest(offerSlug: "consultation", start: start,
                                     customer: CustomerDetails(name: "Erin Erasmus", email: Self.email, phone: "+1 212 555 0999",
                                                               notes: "Erin's knee hurts."),
                                     resourceSlugs: ["dana-doctor"], source: "staff")
        return try database.pool.write { db in
            let order = try Bookings.book(db, business: business, request: request, now: DemoStore.seededAt, actor: .system).order
            try Outbox.enqueue(db, businessID: business.id, kind: .confirmation, email: Self.email, name: "Erin Erasmus",
                               data: [("note", "Erin Erasmus, see you")], orderID: order.id, due: DemoStore.seededAt, now: DemoStore.seededAt)
            return order
        }
    }

    func ledgerSum() throws -> Int64 {
        try database.pool.read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(amount), 0) FROM ledger_entries") ?? 0 }
    }

    /// Every byte of the database file and its WAL.
    func fileBytes() throws -> Data {
        var data = try Data(contentsOf: URL(fileURLWithPath: database.path))
        if let wal = try? Data(contentsOf: URL(fileURLWithPath: database.path + "-wal")) { data.append(wal) }
        return data
    }

    @Test func refusedWhileTheBookingIsAhead() throws {
        let order = try bookErin()
        let outcome = try database.eraseCustomer(businessID: business.id, email: "erin.erase@example.com", actor: "user:1", now: order.start - 60)
        #expect(outcome == .upcoming([order.publicID]))
        #expect(try database.pool.read { db in
            try String.fetchOne(db, sql: "SELECT customer_email FROM booking_orders WHERE id = ?", arguments: [order.id])
        } == Self.email)
    }

    @Test func leavesNoTraceOfTheAddressOnDiskAndKeepsTheMoney() throws {
        let order = try bookErin()
        let sum = try ledgerSum()
        #expect(try fileBytes().range(of: Data(Self.email.utf8)) != nil, "the check would find the address before")
        // When the customer asks after the visit
        let outcome = try database.eraseCustomer(businessID: business.id, email: "ERIN.ERASE@example.com", actor: "user:1",
                                                 now: order.end + 3600)
        guard case .erased(let pseudonym, let bookings) = outcome else { Issue.record("not erased: \(outcome)"); return }
        #expect(bookings == 1 && pseudonym.hasPrefix("Erased customer "))
        // Then nothing of them is on disk: not the address in any case, not the name, phone or notes
        let bytes = try fileBytes()
        for secret in ["erin.erase@example.com", Self.email, "Erin Erasmus", "555 0999", "knee hurts"] {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) is still in the file")
        }
        #expect(try ledgerSum() == sum)
        let row = try #require(try database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT customer_name, customer_email, price_total FROM booking_orders WHERE id = ?", arguments: [order.id])
        })
        #expect(row["customer_name"] as String == pseudonym && row["customer_email"] as String == "")
        #expect(try database.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE status = 'pending' AND order_id = ?",
                                                                 arguments: [order.id]) } == 0)
        #expect(try database.verifyAuditLog(businessSlug: "demo") == .intact(entries: try database.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_log WHERE business_id = ?", arguments: [business.id]) ?? 0
        }))
        #expect(try database.pool.read { db in
            try String.fetchOne(db, sql: "SELECT details FROM audit_log WHERE action = 'customer.erase'")
        }?.contains(pseudonym) == true)
        // A second request finds nothing.
        #expect(try database.eraseCustomer(businessID: business.id, email: Self.email, actor: "user:1", now: order.end + 7200) == .notFound)
    }

    @Test func anotherBusinessCannotEraseTheCustomer() throws {
        let order = try bookErin()
        let other = try database.pool.write { db in
            try Catalog.createBusiness(db, slug: "other", name: "Other", timeZone: "UTC", currency: "USD", now: DemoStore.seededAt)
        }
        #expect(try database.eraseCustomer(businessID: other.id, email: Self.email, actor: "user:1", now: order.end + 3600) == .notFound)
        #expect(try database.pool.read { db in
            try String.fetchOne(db, sql: "SELECT customer_email FROM booking_orders WHERE id = ?", arguments: [order.id])
        } == Self.email)
    }
}
