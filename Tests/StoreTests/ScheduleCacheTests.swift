import BookingCore
import Foundation
import GRDB
import Synchronization
import Testing
@testable import Store

/// Compiled schedules are cached per business; every change to what they are made of must show at
/// once in availability and in the booking check.
struct ScheduleCacheTests {
    func demo() throws -> (AppDatabase, Business, OfferInfo) {
        let directory = NSTemporaryDirectory() + "bizing-cache-\(UUID().uuidString)"
        let migrations = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("migrations").path
        let database = try AppDatabase(dataDirectory: directory, migrationsDirectory: migrations)
        try database.pool.write { db in _ = try DemoData.seed(db, now: 1_795_366_800, hashPassword: { "$argon2id$x" }) }
        let business = try database.pool.read { try Catalog.business($0, slug: "demo") }!
        let offer = try database.pool.read { try Catalog.offer($0, businessID: business.id, slug: "consultation") }!
        return (database, business, offer)
    }

    func slots(_ database: AppDatabase, _ business: Business, _ offer: OfferInfo, _ date: String) throws -> [AvailabilityReads.SlotView] {
        try database.read { db in
            try AvailabilityReads.slots(db, business: business, offer: offer, from: LocalDate(date)!, to: LocalDate(date)!, now: 1_795_366_800)
        }
    }

    @Test func closingADayShowsAtOnceAfterACachedRead() throws {
        let (database, business, offer) = try demo()
        #expect(try slots(database, business, offer, "2026-12-08").contains { $0.resourceSlugs == ["dana-doctor"] || $0.seatsLeft == 2 })
        try database.write { db in
            for slug in ["dana-doctor", "sam-stylist"] {
                try Catalog.addOverlay(db, businessID: business.id, resourceID: Catalog.resourceID(db, businessID: business.id, slug: slug)!,
                                       overlay: DateOverlay(date: LocalDate("2026-12-08")!, kind: .closed))
            }
        }
        #expect(try slots(database, business, offer, "2026-12-08").isEmpty)
        #expect(try !slots(database, business, offer, "2026-12-09").isEmpty)
    }

    @Test func blockedTimeAddedAfterACachedReadRefusesTheBooking() throws {
        let (database, business, offer) = try demo()
        let start = RFC3339.parse("2026-12-10T15:00:00Z")!   // 10:00 New York
        #expect(try slots(database, business, offer, "2026-12-10").contains { $0.start == start })
        try database.write { db in
            let dana = try Catalog.resourceID(db, businessID: business.id, slug: "dana-doctor")!
            try Catalog.addBlockedTime(db, businessID: business.id, resourceID: dana, range: TimeRange(start: start, end: start + 3600),
                                       reason: "dentist", now: 1_795_366_800)
        }
        #expect(throws: BookingFailure.self) {
            try database.write { db in
                try Bookings.book(db, business: business, request: BookingRequest(
                    offerSlug: "consultation", start: start, customer: CustomerDetails(name: "A", email: "a@example.com"),
                    resourceSlugs: ["dana-doctor"], source: "api"), now: 1_795_366_800, actor: .system)
            }
        }
    }

    @Test func everyScheduleTableBumpsTheVersion() throws {
        let (database, business, _) = try demo()
        func version() throws -> Int64 { try database.pool.read { try Int64.fetchOne($0, sql: "SELECT schedule_version FROM businesses WHERE id = ?", arguments: [business.id])! } }
        var last = try version()
        let changes = [
            "UPDATE availability_rules SET closes_minute = 1000 WHERE id = (SELECT MIN(id) FROM availability_rules)",
            "UPDATE resources SET name = 'Room one' WHERE slug = 'room-1'",
            "INSERT INTO resource_tags (business_id, resource_id, tag) SELECT business_id, id, 'new' FROM resources WHERE slug = 'room-1'",
            "UPDATE resources SET capacity = 2 WHERE slug = 'room-1'",
            "DELETE FROM resource_tags WHERE tag = 'new'",
        ]
        for change in changes {
            try database.pool.write { try $0.execute(sql: change) }
            let now = try version()
            #expect(now != last, "\(change)")
            last = now
        }
    }

    // MARK: - Cached availability answers (migration 0010)

    func answer(_ database: AppDatabase, _ business: Business, _ offer: OfferInfo, _ date: String,
                now: Instant = 1_795_366_800) throws -> AvailabilityReads.Answer {
        try database.read { db in
            try AvailabilityReads.answer(db, business: business, offer: offer, from: LocalDate(date)!, to: LocalDate(date)!, now: now)
        }
    }

    func book(_ database: AppDatabase, _ business: Business, at start: Instant, hold: Bool = false) throws -> OrderView {
        try database.write { db in
            let request = BookingRequest(offerSlug: "consultation", start: start, customer: CustomerDetails(name: "A", email: "a@example.com"),
                                         resourceSlugs: ["dana-doctor"], source: "api")
            return hold ? try Bookings.hold(db, business: business, request: request, now: 1_795_366_800, actor: .system)
                        : try Bookings.book(db, business: business, request: request, now: 1_795_366_800, actor: .system).order
        }
    }

    @Test func sameQuestionInTheSameSecondSharesOneAnswer() throws {
        let (database, business, offer) = try demo()
        let first = try answer(database, business, offer, "2026-12-10")
        #expect(!first.slots.isEmpty)
        #expect(try answer(database, business, offer, "2026-12-10") === first)
        // Another second, date or database is another question.
        #expect(try answer(database, business, offer, "2026-12-10", now: 1_795_366_801) !== first)
        #expect(try answer(database, business, offer, "2026-12-11") !== first)
        let (other, otherBusiness, otherOffer) = try demo()
        #expect(try answer(other, otherBusiness, otherOffer, "2026-12-10") !== first)
    }

    @Test func bookingAndCancellingShowInTheSameSecond() throws {
        let (database, business, offer) = try demo()
        let start = RFC3339.parse("2026-12-10T15:00:00Z")!   // 10:00 New York
        let before = try answer(database, business, offer, "2026-12-10").slots.filter { $0.start == start }
        #expect(!before.isEmpty)
        let order = try book(database, business, at: start)
        let during = try answer(database, business, offer, "2026-12-10").slots.filter { $0.start == start }
        #expect(during != before, "the booking must show although the question was asked in the same second")
        #expect(!during.contains { $0.resourceSlugs.contains("dana-doctor") })
        _ = try database.write { db in
            try Bookings.cancel(db, business: business, publicID: order.publicID, reason: "test", now: 1_795_366_800, actor: .system)
        }
        #expect(try answer(database, business, offer, "2026-12-10").slots.filter { $0.start == start } == before)
    }

    @Test func heldSlotComesBackWhenTheHoldExpires() throws {
        let (database, business, offer) = try demo()
        let start = RFC3339.parse("2026-12-10T16:00:00Z")!
        let before = try answer(database, business, offer, "2026-12-10").slots.filter { $0.start == start }
        let hold = try book(database, business, at: start, hold: true)
        let expires = try #require(hold.holdExpiresAt)
        #expect(try answer(database, business, offer, "2026-12-10", now: expires - 1).slots.filter { $0.start == start } != before)
        #expect(try answer(database, business, offer, "2026-12-10", now: expires).slots.filter { $0.start == start } == before)
    }

    @Test func everyAssignmentChangeBumpsTheBookingVersion() throws {
        let (database, business, _) = try demo()
        func version() throws -> Int64 { try database.pool.read { try Int64.fetchOne($0, sql: "SELECT booking_version FROM businesses WHERE id = ?", arguments: [business.id])! } }
        let first = try version()
        let order = try book(database, business, at: RFC3339.parse("2026-12-10T17:00:00Z")!)
        let afterBooking = try version()
        #expect(afterBooking != first)
        _ = try database.write { db in
            try Bookings.cancel(db, business: business, publicID: order.publicID, reason: "test", now: 1_795_366_800, actor: .system)
        }
        #expect(try version() != afterBooking)
    }

    struct RolledBack: Error {}

    @Test func aRolledBackChangeSeenInsideItsTransactionIsNeverServedLater() throws {
        let (database, business, offer) = try demo()
        func close(_ date: String, in db: Database) throws {
            for slug in ["dana-doctor", "sam-stylist"] {
                try Catalog.addOverlay(db, businessID: business.id, resourceID: Catalog.resourceID(db, businessID: business.id, slug: slug)!,
                                       overlay: DateOverlay(date: LocalDate(date)!, kind: .closed))
            }
        }
        #expect(try !slots(database, business, offer, "2026-12-08").isEmpty)
        // Inside a write that is rolled back, the day is closed, and availability says so (and the
        // group-commit writer, which uses the caches, keeps what it compiled there).
        let inside = Mutex<[AvailabilityReads.SlotView]?>(nil)
        #expect(throws: RolledBack.self) {
            try database.write { db in
                try close("2026-12-08", in: db)
                let slots = try AvailabilityReads.slots(db, business: business, offer: offer, from: LocalDate("2026-12-08")!,
                                                        to: LocalDate("2026-12-08")!, now: 1_795_366_800)
                inside.withLock { $0 = slots }
                throw RolledBack()
            }
        }
        #expect(inside.withLock { $0 } == [])
        // Another change takes the version on again (a counter would reach the number the rolled-back
        // one had); the 8th is open.
        try database.write { db in try close("2026-12-09", in: db) }
        #expect(try !slots(database, business, offer, "2026-12-08").isEmpty)
        #expect(try slots(database, business, offer, "2026-12-09").isEmpty)
    }

    @Test func theGroupCommitWriterFillsItsDatabasesScheduleCache() throws {
        let (database, business, _) = try demo()
        let (other, _, _) = try demo()
        func cached(_ database: AppDatabase) -> Int64? { database.caches.schedules.withLock { $0[business.id]?.version } }
        #expect(cached(database) == nil)
        _ = try book(database, business, at: RFC3339.parse("2026-12-10T17:00:00Z")!)
        let version = try database.pool.read { try Int64.fetchOne($0, sql: "SELECT schedule_version FROM businesses WHERE id = ?", arguments: [business.id]) }
        #expect(cached(database) == version)
        #expect(cached(other) == nil, "caches belong to the database that filled them")
    }

    @Test func aRenamedResourceShowsAtOnceInTheCachedList() throws {
        let (database, business, _) = try demo()
        func names() throws -> [String] { try database.pool.read { try Catalog.resources($0, businessID: business.id).map(\.name) } }
        #expect(try names().contains("Room 1"))
        try database.write { db in try db.execute(sql: "UPDATE resources SET name = 'Blue room' WHERE slug = 'room-1'") }
        #expect(try names().contains("Blue room"))
        #expect(try !names().contains("Room 1"))
    }

    @Test func theAnswerCacheKeepsOnlyTheCurrentSecondWithinItsSlotBudget() throws {
        let (database, business, offer) = try demo()
        let cache = AnswerCache(maxSlots: 30)
        func key(_ date: String, _ now: Instant) -> AnswerKey {
            AnswerKey(businessID: business.id, timeZone: business.timeZone, versionID: offer.versionID,
                      from: LocalDate(date)!, to: LocalDate(date)!, now: now, partySize: 1, resourceSlug: nil,
                      scheduleVersion: 1, bookingVersion: 1)
        }
        let day = try answer(database, business, offer, "2026-12-10")
        #expect(day.slots.count > 10 && day.slots.count <= 30)
        cache.store(day, for: key("2026-12-10", 100), spec: offer.spec)
        #expect(cache.answer(for: key("2026-12-10", 100), spec: offer.spec) === day)
        // Over the budget: not kept.
        cache.store(day, for: key("2026-12-11", 100), spec: offer.spec)
        #expect(cache.answer(for: key("2026-12-11", 100), spec: offer.spec) == nil)
        #expect(cache.kept.answers == 1)
        // A later second drops the earlier one; an earlier second is not kept.
        cache.store(day, for: key("2026-12-11", 101), spec: offer.spec)
        #expect(cache.answer(for: key("2026-12-10", 100), spec: offer.spec) == nil)
        #expect(cache.answer(for: key("2026-12-11", 101), spec: offer.spec) === day)
        cache.store(day, for: key("2026-12-12", 100), spec: offer.spec)
        #expect(cache.answer(for: key("2026-12-12", 100), spec: offer.spec) == nil)
        #expect(cache.kept == (1, day.slots.count))
    }
}
