import BookingCore
import Foundation
import GRDB
@testable import Store
import Testing

/// The owner's report (`AppDatabase.report`) on fixtures counted by hand: utilisation, open hours
/// on DST days, the ledger's sums, busiest hours and the location filter.
@Suite(.serialized)
struct ReportStoreTests {
    let database: AppDatabase
    let demo: Business

    init() throws {
        (database, demo) = try DemoStore.open("reports")
    }

    /// A business from the quick setup: one host open `opens`–`closes` on `days`, a 60-minute service at 40.00.
    func business(_ name: String, zone: String, days: [Weekday], opens: String, closes: String) throws -> Business {
        let owner = try #require(try database.pool.read { try Int64.fetchOne($0, sql: "SELECT id FROM users WHERE email = 'owner@demo.test'") })
        let result = try database.quickSetup(QuickSetup.Input(businessName: name, timeZone: zone, currency: "USD", serviceName: "Session",
                                                              durationMinutes: 60, priceMinorUnits: 4000, days: days,
                                                              opens: WallTime(opens)!, closes: WallTime(closes)!),
                                             userID: UserID(rawValue: owner), userName: "Owner", now: DemoStore.seededAt)
        return try #require(try database.business(slug: result.slug))
    }

    func offerSlug(_ business: Business) throws -> String {
        try #require(try database.pool.read { try String.fetchOne($0, sql: "SELECT slug FROM offers WHERE business_id = ?", arguments: [business.id]) })
    }

    func range(_ from: String, _ to: String) throws -> ExportRange { try ExportRange.parse(from: from, to: to) }

    static func utc(_ text: String) -> Instant { Instant(ISO8601DateFormatter().date(from: text)!.timeIntervalSince1970) }

    @Test func utilisationOfAKnownFixtureMatchesAHandCount() throws {
        // Given: open Mondays 09:00–17:00 UTC (8 hours); on Monday 2026-11-30, three one-hour bookings
        // and a fourth cancelled.
        let business = try business("Hand Count", zone: "UTC", days: [.monday], opens: "09:00", closes: "17:00")
        let offer = try offerSlug(business)
        var made: [OrderView] = []
        for (hour, name) in [("09", "Ann"), ("11", "Bo"), ("14", "Cy"), ("15", "Di")] {
            made.append(try database.book(business: business, request: BookingRequest(
                offerSlug: offer, start: Self.utc("2026-11-30T\(hour):00:00Z"),
                customer: CustomerDetails(name: name, email: "\(name.lowercased())@example.com", phone: ""), source: "staff"),
                now: DemoStore.seededAt, actor: .system).order)
        }
        _ = try database.cancelBooking(business: business, publicID: made[3].publicID, reason: "ill", now: DemoStore.seededAt, actor: .system)

        // When: the report of that day, and of the whole week (only Monday is open).
        for (from, to) in [("2026-11-30", "2026-11-30"), ("2026-11-30", "2026-12-06")] {
            let report = try #require(try database.report(businessID: business.id, range: try range(from, to), location: nil))
            // Then: 3 booked hours of 8 open: 37.5 %; the cancelled hour does not count.
            let host = try #require(report.utilisation.first)
            #expect(report.utilisation.count == 1)
            #expect(host.bookedSeconds == 3 * 3600 && host.openSeconds == 8 * 3600)
            #expect(host.percent == 37.5)
            #expect(report.statuses.map(\.count).reduce(0, +) == 4)
            #expect(report.statuses.first { $0.status == .cancelled }?.count == 1)
            #expect(report.startsByHour[9] == 1 && report.startsByHour[11] == 1 && report.startsByHour[14] == 1)
            #expect(report.startsByHour[15] == 0 && report.startsByHour.reduce(0, +) == 3)
        }
        // A range without the Monday: nothing open, nothing booked.
        let tuesday = try #require(try database.report(businessID: business.id, range: try range("2026-12-01", "2026-12-01"), location: nil))
        #expect(tuesday.utilisation.first?.openSeconds == 0 && tuesday.utilisation.first?.percent == nil)
    }

    @Test func openHoursOnDSTDaysAreTheHoursThatReallyPass() throws {
        // Given: open Sundays 00:00–12:00 in New York.
        let business = try business("Night Owls", zone: "America/New_York", days: [.sunday], opens: "00:00", closes: "12:00")
        func open(_ date: String) throws -> Int64 {
            try #require(try database.report(businessID: business.id, range: try range(date, date), location: nil)?.utilisation.first).openSeconds
        }
        // Then: 13 hours when the clocks go back (2026-11-01), 11 when they go forward (2026-03-08), 12 otherwise.
        #expect(try open("2026-11-01") == 13 * 3600)
        #expect(try open("2026-03-08") == 11 * 3600)
        #expect(try open("2026-11-08") == 12 * 3600)
    }

    @Test func revenueAndRefundsAreTheLedgersSums() throws {
        // Given: the demo's bookings, a cash payment on one and a partial refund on another.
        let orders = try database.pool.read { try Row.fetchAll($0, sql: "SELECT id FROM booking_orders WHERE business_id = ? ORDER BY id LIMIT 2",
                                                               arguments: [demo.id]).map { $0[0] as Int64 } }
        try database.pool.write { db in
            try db.execute(sql: """
                INSERT INTO ledger_entries (business_id, order_id, kind, amount, currency, method, at, note) VALUES
                  (?, ?, 'charge', 4000, 'USD', 'cash', ?, 'paid at the desk'),
                  (?, ?, 'refund', -1500, 'USD', 'cash', ?, 'goodwill')
                """, arguments: [demo.id, orders[0], DemoStore.seededAt + 60, demo.id, orders[1], DemoStore.seededAt + 120])
        }
        let report = try #require(try database.report(businessID: demo.id, range: try range("2026-11-01", "2026-11-30"), location: nil))
        let sums = try #require(try database.pool.read { db in
            try Row.fetchOne(db, sql: """
                SELECT COALESCE(SUM(CASE WHEN kind IN ('charge', 'deposit', 'fee') THEN amount END), 0),
                       COALESCE(SUM(CASE WHEN kind = 'refund' THEN amount END), 0), COALESCE(SUM(amount), 0)
                FROM ledger_entries WHERE business_id = ?
                """, arguments: [demo.id])
        })
        #expect(report.takings == sums[0] as Int64 && report.takings >= 4000)
        #expect(report.refunds == -(sums[1] as Int64) && report.refunds >= 1500)
        #expect(report.net == sums[2] as Int64)
        #expect(report.takings - report.refunds + report.adjustments == report.net)
    }

    @Test func aLocationNarrowsEveryFigureAndAnUnknownOneIsRefused() throws {
        let (uptown, other) = try database.pool.write { db -> (Int64, Int64) in
            try db.execute(sql: "INSERT INTO locations (business_id, name, created_at) VALUES (?, 'Uptown', 0)", arguments: [demo.id])
            let id = db.lastInsertedRowID
            try db.execute(sql: "UPDATE resources SET location_id = ? WHERE business_id = ? AND slug IN ('dana-doctor', 'room-1')",
                           arguments: [id, demo.id])
            let elsewhere = try Catalog.createBusiness(db, slug: "elsewhere", name: "Elsewhere", timeZone: "UTC", currency: "USD", now: 0)
            try db.execute(sql: "INSERT INTO locations (business_id, name, created_at) VALUES (?, 'Far', 0)", arguments: [elsewhere.id])
            return (id, db.lastInsertedRowID)
        }
        let november = try range("2026-11-01", "2026-11-30")
        let all = try #require(try database.report(businessID: demo.id, range: november, location: nil))
        let scoped = try #require(try database.report(businessID: demo.id, range: november, location: LocationID(rawValue: uptown)))
        #expect(Set(scoped.utilisation.map(\.name)) == ["Dana Doctor", "Room 1"])
        #expect(all.utilisation.count > scoped.utilisation.count)
        // The bookings using Dana or Room 1, counted apart; the studio's yoga is not one of them.
        let expected = try database.pool.read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(DISTINCT a.order_id) FROM resource_assignments a JOIN resources r ON r.id = a.resource_id
                JOIN booking_orders b ON b.id = a.order_id
                WHERE a.business_id = ? AND r.slug IN ('dana-doctor', 'room-1') AND b.status NOT IN ('held', 'expired')
                """, arguments: [demo.id]) ?? 0
        }
        let count = { (report: BusinessReport) in report.statuses.map(\.count).reduce(0, +) }
        #expect(expected >= 3 && count(scoped) == expected && count(all) == 6)
        #expect(throws: ValidationError.self) {
            try database.report(businessID: demo.id, range: november, location: LocationID(rawValue: other))
        }
    }
}
