import BookingCore
import Foundation
import GRDB
import Testing
@testable import Store

/// Availability bounds its scan of busy intervals by each resource's longest span; a long booking
/// that began long before the queried window must still block it.
struct BusyWindowTests {
    let now: Instant = 1_795_366_800

    /// A rental business open around the clock: venues `bays`, and offers "week" (7 days) and
    /// "hour" each needing one of them (`selector`).
    func rentals(_ bays: [String], selector: (ResourceID) -> ResourceSelector) throws -> (AppDatabase, Business) {
        let directory = NSTemporaryDirectory() + "bizing-busy-\(UUID().uuidString)"
        let migrations = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("migrations").path
        let database = try AppDatabase(dataDirectory: directory, migrationsDirectory: migrations)
        let business = try database.pool.write { db -> Business in
            let business = try Catalog.createBusiness(db, slug: "rent", name: "Rent", timeZone: "UTC", currency: "EUR", now: now)
            var last: ResourceID = 0
            for slug in bays {
                last = try Catalog.createResource(db, businessID: business.id, slug: slug, name: slug, kind: .venue, now: now)
                for day in Weekday.allCases {
                    try Catalog.addWeeklyRule(db, businessID: business.id, resourceID: last,
                                              rule: WeeklyRule(weekday: day, opens: WallTime(minutes: 0)!, closes: WallTime(minutes: 1440)!))
                }
            }
            for (slug, minutes) in [("week", 7 * 1440), ("hour", 60)] {
                let offer = try Catalog.createOffer(db, businessID: business.id, slug: slug, name: slug, mode: .slot, now: now)
                let version = try Catalog.createDraftVersion(db, businessID: business.id, offerID: offer, spec: OfferVersionSpec(
                    duration: .fixed(minutes), slotIntervalMinutes: 60, maximumAdvanceDays: 365, price: .fixed(Money(100, "EUR")),
                    components: [OfferComponent(selector: selector(last), role: "bay")]), now: now)
                try Catalog.publishVersion(db, businessID: business.id, versionID: version, now: now)
            }
            return business
        }
        return (database, business)
    }

    @Test func longBookingStartedBeforeTheWindowStillBlocks() throws {
        let (database, business) = try rentals(["bay"]) { .resource($0) }
        let monday = RFC3339.parse("2026-12-07T00:00:00Z")!
        _ = try database.write { db in
            try Bookings.book(db, business: business, request: BookingRequest(
                offerSlug: "week", start: monday, customer: CustomerDetails(name: "Long", email: "l@example.com"), source: "api"),
                now: now, actor: .system)
        }
        // Saturday of that week, five days after the start: far outside a few-day window, still taken.
        let saturday = RFC3339.parse("2026-12-12T10:00:00Z")!
        #expect(throws: BookingFailure.self) {
            try database.write { db in
                try Bookings.book(db, business: business, request: BookingRequest(
                    offerSlug: "hour", start: saturday, customer: CustomerDetails(name: "Short", email: "s@example.com"), source: "api"),
                    now: now, actor: .system)
            }
        }
        let slots = try database.pool.read { db in
            try AvailabilityReads.slots(db, business: business, offer: Catalog.offer(db, businessID: business.id, slug: "hour")!,
                                        from: LocalDate("2026-12-12")!, to: LocalDate("2026-12-14")!, now: now)
        }
        #expect(slots.allSatisfy { $0.start >= monday + 7 * 86_400 })
        #expect(slots.first?.start == monday + 7 * 86_400)
        let longest: Int64 = try database.pool.read { try Int64.fetchOne($0, sql: "SELECT max_busy_seconds FROM resources WHERE slug = 'bay'") } ?? -1
        #expect(longest == Int64(7 * 86_400))
    }

    @Test func longBookingMovedToAnotherResourceStillBlocksIt() throws {
        let (database, business) = try rentals(["bay-a", "bay-b"]) { _ in .anyOf(kind: .venue, tag: nil) }
        func book(_ offer: String, _ start: Instant, on bay: String) throws -> OrderView {
            try database.write { db in
                try Bookings.book(db, business: business, request: BookingRequest(
                    offerSlug: offer, start: start, customer: CustomerDetails(name: "C", email: "c@example.com"),
                    resourceSlugs: [bay], source: "api"), now: now, actor: .system).order
            }
        }
        let firstMonday = RFC3339.parse("2026-12-07T00:00:00Z")!, nextMonday = firstMonday + 7 * 86_400
        let week = try book("week", firstMonday, on: "bay-a")
        _ = try book("hour", nextMonday, on: "bay-a")   // bay A is taken when the week moves: it goes to bay B
        let moved = try database.write { db in
            try Bookings.reschedule(db, business: business, publicID: week.publicID, start: nextMonday, now: now, actor: .system)
        }
        #expect(moved.resources.map(\.slug) == ["bay-b"])
        let longest: Int64 = try database.pool.read { try Int64.fetchOne($0, sql: "SELECT max_busy_seconds FROM resources WHERE slug = 'bay-b'") } ?? -1
        #expect(longest == Int64(7 * 86_400))
        // Saturday of the moved week, on bay B: taken, however far from the week's start.
        #expect(throws: BookingFailure.self) { try book("hour", nextMonday + 5 * 86_400 + 36_000, on: "bay-b") }
    }
}
