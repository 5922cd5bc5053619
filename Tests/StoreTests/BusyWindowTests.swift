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

    /// `ScheduleLoader.load` reads every candidate's busy time in one statement and when each was
    /// last booked in another: the schedules are exactly what one read per resource gives (the
    /// reads before issue 23's month work, kept here as the reference) — a week on one bay that
    /// began before the window, hours on the other, a booking outside the window, an expired hold.
    @Test func oneReadForEveryCandidateGivesWhatOneReadPerResourceGave() throws {
        let (database, business) = try rentals(["bay-a", "bay-b", "bay-c"]) { _ in .anyOf(kind: .venue, tag: nil) }
        func book(_ offer: String, _ start: Instant, on bay: String, hold: Bool = false) throws {
            _ = try database.write { db in
                let request = BookingRequest(offerSlug: offer, start: start, customer: CustomerDetails(name: "C", email: "c@example.com"),
                                             resourceSlugs: [bay], source: "api")
                if hold { _ = try Bookings.hold(db, business: business, request: request, now: now, actor: .system) } else {
                    _ = try Bookings.book(db, business: business, request: request, now: now, actor: .system)
                }
            }
        }
        let monday = RFC3339.parse("2026-12-07T00:00:00Z")!
        try book("week", monday, on: "bay-a")
        for hour in [2, 30, 50, 75, 120, 200] { try book("hour", monday + Int64(hour) * 3_600, on: "bay-b") }
        try book("hour", monday + 100 * 3_600, on: "bay-c", hold: true)
        try book("hour", monday + 30 * 86_400, on: "bay-c")
        let offer = try database.pool.read { db in try Catalog.offer(db, businessID: business.id, slug: "hour")! }
        let window = TimeRange(start: monday + 3 * 86_400, end: monday + 10 * 86_400)
        for at in [now, monday + 101 * 3_600 + 86_400 * 30] {   // the hold in force, then long expired
            let loaded = try database.pool.read { db in
                try ScheduleLoader.load(db, businessID: business.id, spec: offer.spec, window: window, now: at).schedules
            }
            #expect(loaded.map(\.id).count == 3)
            for schedule in loaded {
                let reference = try database.pool.read { db -> ([BusyEntry], Int64?) in
                    let longest = try Int64.fetchOne(db, sql: "SELECT max_busy_seconds FROM resources WHERE id = ?", arguments: [schedule.id])!
                    let busy = try Row.fetchAll(db, sql: """
                        SELECT order_id, offer_id, is_class, party_size, starts_at, ends_at, blocked_from, blocked_to, units
                        FROM resource_assignments
                        WHERE business_id = ? AND resource_id = ? AND blocks = 1 AND blocked_from >= ? AND blocked_from < ? AND blocked_to > ?
                          AND (hold_expires_at IS NULL OR hold_expires_at > ?) ORDER BY blocked_from
                        """, arguments: [business.id, schedule.id, window.start - longest, window.end, window.start, at]).flatMap { row in
                        Array(repeating: BusyEntry(blocked: TimeRange(start: row[6], end: row[7]), service: TimeRange(start: row[4], end: row[5]),
                                                   offerID: row[1], partySize: row[3], isClass: row[2], orderID: row[0]), count: row[8])
                    }
                    let latest = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM resource_assignments WHERE business_id = ? AND resource_id = ? AND blocks = 1",
                                                    arguments: [business.id, schedule.id])
                    return (busy, latest)
                }
                #expect(schedule.busy == reference.0, "resource \(schedule.id)")
                #expect(schedule.lastBookedAt == reference.1, "resource \(schedule.id)")
            }
            let busy = loaded.map(\.busy.count)
            #expect(busy[0] == 1 && busy[1] == 3, "the week, and the hours that reach the window: \(busy)")
        }
    }

    /// Availability's busy read and the writer's conflict check are answered from the busy index
    /// alone (migration 0180): no row is fetched from the table for columns the index lacked.
    @Test func busyReadsNeedNoTableRow() throws {
        let (database, _) = try rentals(["bay"]) { .resource($0) }
        for sql in [ScheduleLoader.busySQL, Bookings.stillFreeSQL] {
            let plan = try database.pool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: StatementArguments(Array(repeating: 0, count: 8).prefix(
                    sql.filter { $0 == "?" }.count).map { $0 as Int })).map { $0["detail"] as String }
            }
            let busy = plan.filter { $0.contains("resource_assignments_busy") }
            #expect(busy.count == 1 && busy[0].contains("COVERING INDEX"), "\(plan)")
        }
    }
}
