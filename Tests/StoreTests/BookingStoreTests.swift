import BookingCore
import Foundation
import GRDB
import Synchronization
import Testing
@testable import Store

/// The booking writes against a real database file with real threads.
struct BookingStoreTests {
    let directory = NSTemporaryDirectory() + "bizing-bookings-\(UUID().uuidString)"
    /// Sunday 2026-11-22 12:00 New York.
    static let now: Instant = 1_795_366_800

    var migrations: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("migrations").path
    }

    func demo() throws -> (AppDatabase, Business) {
        let database = try AppDatabase(dataDirectory: directory, migrationsDirectory: migrations)
        try database.pool.write { db in _ = try DemoData.seed(db, now: Self.now, hashPassword: { "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA" }) }
        let business = try database.pool.read { try Catalog.business($0, slug: "demo") }!
        return (database, business)
    }

    func newYork(_ date: String, _ time: String) -> Instant {
        ZoneClock(identifier: "America/New_York")!.instant(LocalDate(date)!, WallTime(time)!)!
    }

    func request(_ offer: String, _ start: Instant, name: String = "Racer", party: Int = 1, resources: [String] = []) -> BookingRequest {
        BookingRequest(offerSlug: offer, start: start, customer: CustomerDetails(name: name, email: "r@example.com"),
                       partySize: party, resourceSlugs: resources, source: "api")
    }

    /// Runs `count` bookings on real threads at once; returns how many succeeded and the failures.
    func race(_ database: AppDatabase, _ business: Business, count: Int, make: @escaping @Sendable (Int) -> BookingRequest)
        -> (wins: Int, failures: [BookingFailure]) {
        let all = Racers.atOnce(Array(0..<count)) { i in
            try database.pool.write { try Bookings.book($0, business: business, request: make(i), now: Self.now, actor: .guest).order }
        }
        return (Racers.wins(all), all.compactMap { if case .failure(let f) = $0 { f } else { nil } })
    }

    @Test func fortyRacersForOneHostSlotMakeOneBooking() throws {
        let (database, business) = try demo()
        let start = newYork("2026-12-01", "10:00")
        let outcome = race(database, business, count: 40) { _ in request("consultation", start, resources: ["dana-doctor"]) }
        #expect(outcome.wins == 1)
        #expect(outcome.failures.count == 39)
        #expect(outcome.failures.allSatisfy { if case .slotUnavailable = $0 { true } else { false } })
    }

    @Test func fifteenRacersForATenSeatClassFillTenSeats() throws {
        let (database, business) = try demo()
        let start = newYork("2026-12-01", "12:00")
        let outcome = race(database, business, count: 15) { _ in request("yoga-class", start) }
        #expect(outcome.wins == 10)
        #expect(outcome.failures.count == 5)
        let seats = try database.pool.read {
            try Int.fetchOne($0, sql: "SELECT SUM(party_size) FROM booking_orders WHERE offer_id = (SELECT id FROM offers WHERE slug = 'yoga-class') AND starts_at = ? AND status = 'confirmed'",
                             arguments: [start])
        }
        #expect(seats == 10)
    }

    @Test func partySizesNeverOversellAClass() throws {
        let (database, business) = try demo()
        let start = newYork("2026-12-02", "12:00")
        let outcome = race(database, business, count: 8) { i in request("yoga-class", start, party: 3) }
        #expect(outcome.wins == 3)   // 9 of 10 seats; a fourth party of 3 does not fit
    }

    @Test func treatmentsNeverShareARoom() throws {
        let (database, business) = try demo()
        let start = newYork("2026-12-01", "14:00")
        // Two hosts, two treatment rooms: at most two treatments at once, each in its own room.
        let outcome = race(database, business, count: 10) { _ in request("treatment", start) }
        #expect(outcome.wins == 2)
        let rows = try database.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.resource_id, a.blocked_from, a.blocked_to FROM resource_assignments a JOIN resources r ON r.id = a.resource_id
                WHERE a.blocks = 1 ORDER BY a.resource_id, a.blocked_from
                """)
        }
        var last: [Int64: Int64] = [:]
        for row in rows {
            let resource: Int64 = row["resource_id"], from: Int64 = row["blocked_from"], to: Int64 = row["blocked_to"]
            if let end = last[resource] { #expect(from >= end, "resource \(resource) double-booked") }
            last[resource] = to
        }
        #expect(!rows.isEmpty)
    }

    @Test func firstMondaySlotIsNineInNewYorkOnBothSidesOfDST() throws {
        let (database, business) = try demo()
        let offer = try database.pool.read { try Catalog.offer($0, businessID: business.id, slug: "consultation") }!
        // Mondays before and after the fall-back change of 2026-11-01 (EDT → EST); the demo opened
        // "now", so query from a `now` well before each Monday.
        for (monday, expected) in [("2026-10-26", "2026-10-26T13:00:00Z"), ("2026-11-02", "2026-11-02T14:00:00Z"),
                                   ("2027-03-08", "2027-03-08T14:00:00Z"), ("2027-03-15", "2027-03-15T13:00:00Z")] {
            let date = LocalDate(monday)!
            let slots = try database.pool.read {
                try AvailabilityReads.slots($0, business: business, offer: offer, from: date, to: date, now: RFC3339.parse("2026-10-01T00:00:00Z")!)
            }
            #expect(slots.first.map { RFC3339.format($0.start) } == expected, "first slot on \(monday)")
        }
    }

    @Test func expiredHoldCannotBeConfirmed() throws {
        let (database, business) = try demo()
        let start = newYork("2026-12-03", "10:00")
        let hold = try database.pool.write { try Bookings.hold($0, business: business, request: request("consultation", start), now: Self.now, actor: .guest) }
        #expect(hold.status == .held)
        #expect(throws: BookingFailure.holdExpired) {
            try database.pool.write { try Bookings.confirm($0, business: business, holdID: hold.publicID, now: Self.now + 11 * 60, actor: .guest) }
        }
        // An unexpired hold blocks the slot like a booking; once expired it no longer does.
        #expect(throws: BookingFailure.self) {
            try database.pool.write { try Bookings.book($0, business: business, request: request("consultation", start, resources: hold.resources.map(\.slug)),
                                                     now: Self.now + 60, actor: .guest) }
        }
        let later = try database.pool.write {
            try Bookings.book($0, business: business, request: request("consultation", start, resources: hold.resources.map(\.slug)),
                              now: Self.now + 11 * 60, actor: .guest).order
        }
        #expect(later.status == .confirmed)
    }

    @Test func confirmedHoldCannotBeConfirmedTwice() throws {
        let (database, business) = try demo()
        let hold = try database.pool.write {
            try Bookings.hold($0, business: business, request: request("consultation", newYork("2026-12-03", "11:00")), now: Self.now, actor: .guest)
        }
        let confirmed = try database.pool.write { try Bookings.confirm($0, business: business, holdID: hold.publicID, now: Self.now + 60, actor: .guest) }
        #expect(confirmed.order.status == .confirmed)
        #expect(confirmed.order.paid == 0)   // pay at the venue: no money moved online
        #expect(confirmed.order.paymentStatus == .notRequired)
        #expect(throws: BookingFailure.self) {
            try database.pool.write { try Bookings.confirm($0, business: business, holdID: hold.publicID, now: Self.now + 120, actor: .guest) }
        }
    }

    @Test func cancellingFreesTheTimeAndRefundsPerTier() throws {
        let (database, business) = try demo()
        let start = newYork("2026-12-03", "15:00")
        let order = try database.pool.write {
            try Bookings.book($0, business: business, request: request("treatment", start, resources: ["dana-doctor", "room-1"]), now: Self.now, actor: .guest).order
        }
        try payAtTheDesk(database, order, 9000)
        // Cancelled 10 hours before: the 50 % tier.
        let cancellation = try database.pool.write {
            try Bookings.cancel($0, business: business, publicID: order.publicID, reason: "ill", now: start - 10 * 3600, actor: .guest)
        }
        #expect(cancellation.refund == Refund(amount: 4500, percent: 50))
        #expect(cancellation.order.paid == 4500)   // the ledger sums to what the customer paid
        #expect(cancellation.order.status == .cancelled)
        let again = try database.pool.write {
            try Bookings.book($0, business: business, request: request("treatment", start, resources: ["dana-doctor", "room-1"]),
                              now: start - 10 * 3600, actor: .guest).order
        }
        #expect(again.resources.map(\.slug) == ["dana-doctor", "room-1"])
    }

    @Test func illegalMovesAreRefused() throws {
        let (database, business) = try demo()
        let order = try database.pool.write {
            try Bookings.book($0, business: business, request: request("consultation", newYork("2026-12-04", "10:00")), now: Self.now, actor: .guest).order
        }
        _ = try database.pool.write { try Bookings.cancel($0, business: business, publicID: order.publicID, reason: "", now: Self.now, actor: .guest) }
        #expect(throws: BookingFailure.illegalTransition(IllegalTransition(from: .cancelled, to: .checkedIn))) {
            try database.pool.write { try Bookings.transition($0, business: business, publicID: order.publicID, to: .checkedIn, now: Self.now, actor: .guest) }
        }
    }

    @Test func publishedVersionIsImmutable() throws {
        let (database, _) = try demo()
        #expect(throws: DatabaseError.self) { try database.pool.write { try $0.execute(sql: "UPDATE offer_versions SET price_amount = 1") } }
        #expect(throws: DatabaseError.self) { try database.pool.write { try $0.execute(sql: "DELETE FROM offer_versions") } }
        #expect(throws: DatabaseError.self) { try database.pool.write { try $0.execute(sql: "UPDATE offer_components SET count = 2") } }
        try database.pool.write {
            try $0.execute(sql: """
                INSERT INTO ledger_entries (business_id, order_id, kind, amount, currency, method, at)
                SELECT business_id, id, 'charge', 100, 'USD', 'cash', 0 FROM booking_orders LIMIT 1
                """)
        }
        #expect(throws: DatabaseError.self) { try database.pool.write { try $0.execute(sql: "DELETE FROM ledger_entries") } }
        #expect(throws: DatabaseError.self) { try database.pool.write { try $0.execute(sql: "UPDATE ledger_entries SET amount = 1") } }
    }

    @Test func bookingKeepsThePriceOfItsVersion() throws {
        let (database, business) = try demo()
        let order = try database.pool.write {
            try Bookings.book($0, business: business, request: request("consultation", newYork("2026-12-04", "11:00")), now: Self.now, actor: .guest).order
        }
        // A new version with a new price is published; the booking keeps its frozen price and version.
        try database.pool.write { db in
            let offer = try Catalog.offer(db, businessID: business.id, slug: "consultation")!
            var spec = offer.spec
            spec.price = .fixed(Money(9900, "USD"))
            let draft = try Catalog.createDraftVersion(db, businessID: business.id, offerID: offer.id, spec: spec, now: Self.now)
            try Catalog.publishVersion(db, businessID: business.id, versionID: draft, now: Self.now)
        }
        let reread = try database.pool.read { try BookingReads.order($0, businessID: business.id, publicID: order.publicID) }!
        #expect(reread.price.total == 4000)
        #expect(reread.offerVersionID == order.offerVersionID)
        let current = try database.pool.read { try Catalog.offer($0, businessID: business.id, slug: "consultation") }!
        #expect(current.spec.price == .fixed(Money(9900, "USD")))
    }

    @Test func auditVerifyDetectsAnEditedRow() throws {
        let (database, business) = try demo()
        #expect(try database.pool.read { try AuditLog.verify($0, businessID: business.id) } != .broken(seq: 1, reason: ""))
        guard case .intact = try database.pool.read({ try AuditLog.verify($0, businessID: business.id) }) else {
            Issue.record("fresh chain should be intact"); return
        }
        try database.pool.write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_no_update")
            try db.execute(sql: "UPDATE audit_log SET actor = 'user:999' WHERE business_id = ? AND seq = 2", arguments: [business.id])
        }
        guard case .broken(let seq, _) = try database.pool.read({ try AuditLog.verify($0, businessID: business.id) }) else {
            Issue.record("edited row not detected"); return
        }
        #expect(seq == 2)
    }

    @Test func demoSeedIsIdempotent() throws {
        let (database, _) = try demo()
        let again = try database.pool.write { db in try DemoData.seed(db, now: Self.now, hashPassword: { "$argon2id$x" }) }
        #expect(!again)
        #expect(try database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM businesses") } == 1)
        #expect(try database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM booking_orders") } == 6)
    }

    /// A payment recorded in the ledger by hand (money taken outside Stripe), so refunds have something to refund.
    private func payAtTheDesk(_ database: AppDatabase, _ order: OrderView, _ amount: Int64) throws {
        try database.pool.write { db in
            try db.execute(sql: """
                INSERT INTO ledger_entries (business_id, order_id, kind, amount, currency, method, at) VALUES (?, ?, 'charge', ?, 'USD', 'cash', 0)
                """, arguments: [order.businessID, order.id, amount])
        }
    }
}
