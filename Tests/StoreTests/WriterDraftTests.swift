import BookingCore
import Foundation
import GRDB
import Synchronization
import Testing
@testable import Store

/// `AppDatabase.book` drafts a booking in a read transaction and the writer only rechecks and
/// inserts it (`Bookings.stillFree`, `Bookings.commit`): whatever changed between the two, no time is
/// given twice, the audit chain holds, and an idempotency key still answers one booking.
struct WriterDraftTests {
    static let now = DemoStore.seededAt

    func newYork(_ date: String, _ time: String) -> Instant {
        ZoneClock(identifier: "America/New_York")!.instant(LocalDate(date)!, WallTime(time)!)!
    }

    func request(_ start: Instant, _ n: Int = 0, resources: [String] = []) -> BookingRequest {
        BookingRequest(offerSlug: "consultation", start: start, customer: CustomerDetails(name: "Racer \(n)", email: "r\(n)@example.com"),
                       resourceSlugs: resources, source: "api")
    }

    func draft(_ database: AppDatabase, _ business: Business, _ request: BookingRequest) throws -> Bookings.Draft {
        try database.read { db in
            try Bookings.draft(db, business: business, request: request, now: Self.now, actor: .guest, confirm: true, waitlist: .mustBeEmpty)
        }
    }

    /// The host slugs of the blocking assignments at `start`, in booking order.
    func hosts(_ database: AppDatabase, at start: Instant) throws -> [String] {
        try database.pool.read { db in
            try String.fetchAll(db, sql: """
                SELECT r.slug FROM resource_assignments a JOIN resources r ON r.id = a.resource_id
                WHERE a.starts_at = ? AND a.blocks = 1 ORDER BY a.order_id
                """, arguments: [start])
        }
    }

    /// Pairs of blocking assignments of one capacity-1 resource whose blocked intervals overlap.
    func overlaps(_ database: AppDatabase) throws -> Int {
        try database.pool.read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM resource_assignments a JOIN resource_assignments b
                  ON a.resource_id = b.resource_id AND a.id < b.id AND a.blocked_from < b.blocked_to AND b.blocked_from < a.blocked_to
                JOIN resources r ON r.id = a.resource_id
                WHERE a.blocks = 1 AND b.blocks = 1 AND r.capacity = 1
                """) ?? -1
        }
    }

    @Test func aFreeDraftIsWrittenAsDrafted() throws {
        let (database, business) = try DemoStore.open("draft-free")
        let ten = newYork("2026-12-01", "10:00")
        let drafted = try draft(database, business, request(ten, resources: ["dana-doctor"]))
        guard case .inserted(let orderID, let token) = try database.write({ db in try Bookings.commit(db, drafted, noticeWaiver: nil) }) else {
            Issue.record("a draft whose time is still free is inserted as it is"); return
        }
        let order = try #require(try database.read { db in try BookingReads.order(db, businessID: business.id, orderID: orderID) })
        #expect(order.publicID == drafted.publicID)
        #expect(order.status == .confirmed)
        let stored = try database.pool.read { db in
            try Data.fetchOne(db, sql: "SELECT access_token_hash FROM booking_orders WHERE id = ?", arguments: [orderID])
        }
        #expect(Tokens.matches(stored, try #require(token)))
        #expect(try hosts(database, at: ten) == ["dana-doctor"])
    }

    @Test func aDraftWhoseHostWasTakenMeanwhileIsBookedAfreshOnTheOtherHost() throws {
        let (database, business) = try DemoStore.open("draft-taken")
        let ten = newYork("2026-12-01", "10:00")
        let drafted = try draft(database, business, request(ten))
        let host = try database.pool.read { db in
            try String.fetchOne(db, sql: "SELECT slug FROM resources WHERE id = ?", arguments: [drafted.slot.assignments[0].resourceIDs[0]])
        }!
        // Someone else takes the drafted host between the draft and the writer.
        _ = try database.book(business: business, request: request(ten, 1, resources: [host]), now: Self.now, actor: .guest)
        guard case .booked(let order, _) = try database.write({ db in try Bookings.commit(db, drafted, noticeWaiver: nil) }) else {
            Issue.record("a draft whose host was taken is booked afresh"); return
        }
        #expect(order.resources.map(\.slug) != [host])
        #expect(Set(try hosts(database, at: ten)) == ["dana-doctor", "sam-stylist"])
        // A third draft made before both bookings finds no host left.
        #expect(throws: BookingFailure.self) { _ = try database.write { db in try Bookings.commit(db, drafted, noticeWaiver: nil) } }
        #expect(try overlaps(database) == 0)
    }

    @Test func aDraftIsNotWrittenOverTimeBlockedSinceIt() throws {
        let (database, business) = try DemoStore.open("draft-blocked")
        let ten = newYork("2026-12-01", "10:00")
        let drafted = try draft(database, business, request(ten, resources: ["dana-doctor"]))
        try database.blockTime(business: business, resourceSlug: "dana-doctor", range: TimeRange(start: ten - 3600, end: ten + 7200),
                               reason: "meeting", now: Self.now, actor: "owner")
        #expect(throws: BookingFailure.self) { _ = try database.write { db in try Bookings.commit(db, drafted, noticeWaiver: nil) } }
        #expect(try hosts(database, at: ten).isEmpty)
    }

    /// The draft reads only the busy time overlapping its own blocked interval: a booking that starts
    /// an hour before that interval and runs into it (a treatment, 60 minutes and a 10-minute buffer)
    /// still refuses it, and the first start after its buffer is free.
    @Test func aDraftSeesABookingThatStartsBeforeItsIntervalAndRunsIntoIt() throws {
        let (database, business) = try DemoStore.open("draft-earlier")
        let nine = newYork("2026-12-08", "09:00")
        var treatment = request(nine, 1, resources: ["dana-doctor"])
        treatment.offerSlug = "treatment"
        _ = try database.book(business: business, request: treatment, now: Self.now, actor: .guest)
        // Its service ended at 10:00; its buffer did not.
        #expect(throws: BookingFailure.slotUnavailable([.buffer])) {
            _ = try draft(database, business, request(newYork("2026-12-08", "10:00"), 2, resources: ["dana-doctor"]))
        }
        let drafted = try draft(database, business, request(newYork("2026-12-08", "10:30"), 3, resources: ["dana-doctor"]))
        #expect(drafted.slot.assignments.flatMap(\.resourceIDs).count == 1)
        // Any host at 10:00: only Sam is free.
        let anyHost = try draft(database, business, request(newYork("2026-12-08", "10:00"), 4))
        let sam = try database.pool.read { db in try ResourceID.fetchOne(db, sql: "SELECT id FROM resources WHERE slug = 'sam-stylist'") }
        #expect(anyHost.slot.assignments.flatMap(\.resourceIDs) == [try #require(sam)])
    }

    /// The draft's interval includes its own buffer: a treatment whose 10 minutes after would run into
    /// the next consultation is refused for the buffer; one that ends its buffer before it is not.
    @Test func aDraftsOwnBufferMeetsTheNextBooking() throws {
        let (database, business) = try DemoStore.open("draft-buffer")
        _ = try database.book(business: business, request: request(newYork("2026-12-08", "11:00"), 1, resources: ["dana-doctor"]),
                              now: Self.now, actor: .guest)
        var treatment = request(newYork("2026-12-08", "10:00"), 2, resources: ["dana-doctor"])
        treatment.offerSlug = "treatment"
        #expect(throws: BookingFailure.slotUnavailable([.buffer])) { _ = try draft(database, business, treatment) }
        treatment.start = newYork("2026-12-08", "10:30")
        #expect(throws: BookingFailure.slotUnavailable([.taken])) { _ = try draft(database, business, treatment) }
        treatment.start = newYork("2026-12-08", "09:30")
        let drafted = try draft(database, business, treatment)
        #expect(drafted.slot.end == newYork("2026-12-08", "10:30"))
    }

    @Test func fortyRacersThroughTheStoreForOneHostMakeOneBookingAndKeepTheAuditChain() throws {
        let (database, business) = try DemoStore.open("draft-race")
        let ten = newYork("2026-12-02", "10:00")
        let wins = Mutex(0), refusals = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 40) { n in
            do {
                _ = try database.book(business: business, request: request(ten, n, resources: ["dana-doctor"]), now: Self.now, actor: .guest)
                wins.withLock { $0 += 1 }
            } catch BookingFailure.slotUnavailable {
                refusals.withLock { $0 += 1 }
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
        #expect(wins.withLock { $0 } == 1)
        #expect(refusals.withLock { $0 } == 39)
        // Any-host racers at another time: one booking per host, never two on one.
        let eleven = newYork("2026-12-02", "11:00")
        let anyWins = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 24) { n in
            if (try? database.book(business: business, request: request(eleven, 100 + n), now: Self.now, actor: .guest)) != nil {
                anyWins.withLock { $0 += 1 }
            }
        }
        #expect(anyWins.withLock { $0 } == 2)
        #expect(Set(try hosts(database, at: eleven)) == ["dana-doctor", "sam-stylist"])
        #expect(try overlaps(database) == 0)
        guard case .intact(let entries) = try database.verifyAuditLog(businessSlug: "demo") else {
            Issue.record("the audit chain must hold"); return
        }
        #expect(entries > 3)
    }

    @Test func racingRequestsWithOneIdempotencyKeyMakeOneBooking() throws {
        let (database, business) = try DemoStore.open("draft-idempotent")
        let key = try database.createAPIKey(businessID: business.id, name: "test", role: .owner, now: Self.now, actor: .system)
        let ten = newYork("2026-12-03", "10:00")
        let created = Mutex(0), replayed = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 20) { _ in
            let outcome = try? database.book(business: business, request: request(ten), now: Self.now, actor: .apiKey(key.id), apiKeyID: key.id,
                                             idempotencyKey: "same", requestHash: Data([7]), body: { order, _ in Array(order.publicID.utf8) },
                                             refusal: { failure in (409, Array("\(failure)".utf8)) })
            switch outcome {
            case .created: created.withLock { $0 += 1 }
            case .replayed(201, _): replayed.withLock { $0 += 1 }
            default: Issue.record("unexpected \(String(describing: outcome))")
            }
        }
        #expect(created.withLock { $0 } == 1)
        #expect(replayed.withLock { $0 } == 19)
        #expect(try hosts(database, at: ten).count == 1)
        // The key was recorded with the key's id on the order.
        #expect(try database.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM booking_orders WHERE starts_at = ? AND api_key_id = ?", arguments: [ten, key.id])
        } == 1)
    }
}
