import BookingCore
import Foundation
import GRDB
@testable import Store
import Testing

/// Minimum to run (issue 17): the demo's evening pilates runs with at least 3 people, decided 24 hours ahead.
struct SessionStoreTests {
    static let now = DemoStore.seededAt
    /// Monday 2026-11-23 and Wednesday 2026-11-25, 18:00 New York.
    static let monday: Int64 = 1_795_474_800
    static let wednesday: Int64 = 1_795_474_800 + 2 * 86_400

    static func book(_ database: AppDatabase, _ business: Business, _ name: String, at start: Int64, party: Int = 1) throws -> OrderView {
        try database.book(business: business, request: BookingRequest(
            offerSlug: "pilates-class", start: start, customer: CustomerDetails(name: name, email: "\(name.lowercased())@example.com"),
            partySize: party, source: "web"), now: now, actor: .guest).order
    }

    @Test func theDecisionCancelsExactlyTheSessionsBelowTheirMinimumAndRefundsEachInFull() throws {
        let (database, business) = try DemoStore.open("sessions")
        let ann = try Self.book(database, business, "Ann", at: Self.monday)
        let bo = try Self.book(database, business, "Bo", at: Self.monday)
        let full = try Self.book(database, business, "Cy", at: Self.wednesday, party: 3)
        // Each paid at the desk (cash), so the full refund has something to return.
        try database.pool.write { db in
            for order in [ann, bo] {
                try db.execute(sql: "INSERT INTO ledger_entries (business_id, order_id, kind, amount, currency, method, at) VALUES (?, ?, 'charge', 2000, 'USD', 'cash', 0)",
                               arguments: [business.id, order.id])
            }
        }
        #expect(try database.pool.read { try BookingReads.order($0, businessID: business.id, publicID: ann.publicID) }?.paid == 2000)
        // Before the decision staff see Monday at risk, Wednesday not
        let view = try #require(try database.staffCalendar(businessID: business.id, date: LocalDate("2026-11-23"), week: true, now: Self.now))
        #expect(view.data.atRisk[ann.publicID] == Self.monday - 24 * 3_600)
        #expect(view.data.atRisk[full.publicID] == nil)
        #expect(try database.decideSessions(now: Self.monday - 24 * 3_600 - 1) == 0)
        #expect(try database.decideSessions(now: Self.monday - 24 * 3_600) == 1)
        for order in [ann, bo] {
            let after = try #require(try database.pool.read { try BookingReads.order($0, businessID: business.id, publicID: order.publicID) })
            #expect(after.status == .cancelled && after.cancelReason == "below_minimum")
            #expect(after.paid == 0)   // refunded in full
        }
        let emails = try database.pool.read {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM outbox WHERE kind = 'cancellation' AND order_id IN (?, ?)", arguments: [ann.id, bo.id])
        }
        #expect(emails == 2)
        // Decided once; the session takes no new bookings; Wednesday runs when its time comes
        #expect(try database.decideSessions(now: Self.monday - 3_600) == 0)
        #expect(throws: BookingFailure.self) { try Self.book(database, business, "Late", at: Self.monday) }
        #expect(try database.decideSessions(now: Self.wednesday - 24 * 3_600) == 0)
        #expect(try database.pool.read { try BookingReads.order($0, businessID: business.id, publicID: full.publicID) }?.status == .confirmed)
    }

    /// Only a class offer with a minimum can be at risk: the calendar's at-risk check reads no offer
    /// version for a day of appointments and a class without a minimum, and the pilates class's once
    /// for both of its bookings.
    @Test func theDecisionTickReadsOnlyBookingsInsideTheDecisionWindow() throws {
        let (database, business) = try DemoStore.open("sessions-plan")
        _ = try Self.book(database, business, "Ann", at: Self.monday)
        // SQLite's plan: from the versions with a minimum, a range of `booking_orders_by_start` for each;
        // never a scan of every booking (what the tick did, growing with the data).
        let plan = try database.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + Sessions.dueSQL, arguments: [Self.now, Self.now, 100]).map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.hasPrefix("SEARCH b USING INDEX booking_orders_by_start") && $0.contains("starts_at>? AND starts_at<?") })
        #expect(!plan.contains { $0.hasPrefix("SCAN b") })
        // And it still finds Monday's session at its decision time, not a second before
        #expect(try database.decideSessions(now: Self.monday - 24 * 3_600 - 1) == 0)
        #expect(try database.pool.read { db in
            try Row.fetchAll(db, sql: Sessions.dueSQL, arguments: [Self.monday - 24 * 3_600, Self.monday - 24 * 3_600, 100])
        }.map { $0["starts_at"] as Int64 } == [Self.monday])
    }

    @Test func atRiskReadsOnlyTheVersionsOfClassesWithAMinimum() throws {
        let (database, business) = try DemoStore.open("at-risk-versions")
        let ann = try Self.book(database, business, "Ann", at: Self.monday)
        let bo = try Self.book(database, business, "Bo", at: Self.monday)
        let view = try #require(try database.staffCalendar(businessID: business.id, date: LocalDate("2026-11-23"), week: false, now: Self.now))
        let orders = view.data.orders
        let others = orders.filter { $0.offerSlug != "pilates-class" }
        #expect(Set(others.map(\.offerSlug)).isSuperset(of: ["consultation", "yoga-class"]))
        final class Count: @unchecked Sendable { var reads = 0 }
        let count = Count()
        let (none, both) = try database.pool.read { db in
            db.trace(options: .statement) { event in
                if "\(event)".contains("SELECT v.*, o.mode FROM offer_versions") { count.reads += 1 }
            }
            defer { db.trace(options: []) }
            let none = try Sessions.atRisk(db, businessID: business.id, orders: others, now: Self.now)
            #expect(count.reads == 0)
            return (none, try Sessions.atRisk(db, businessID: business.id, orders: orders, now: Self.now))
        }
        #expect(none.isEmpty)
        #expect(count.reads == 1)
        #expect(both == [ann.publicID: Self.monday - 24 * 3_600, bo.publicID: Self.monday - 24 * 3_600])
        #expect(view.data.atRisk == both)
    }
}

