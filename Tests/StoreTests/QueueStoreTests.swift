import BookingCore
import Foundation
import GRDB
@testable import Store
import Synchronization
import Testing

/// Walk-in queues through the door, on a real database file with real threads where it races.
struct QueueStoreTests {
    static let now = DemoStore.seededAt + 86_400  // Monday 2026-11-23 12:00 New York

    /// The demo plus a queue open all week, served by Sam and Dana, haircuts expected to take 20 minutes.
    static func open(_ name: String, servers: [String] = ["sam-stylist", "dana-doctor"]) throws -> (AppDatabase, Business) {
        let (database, business) = try DemoStore.open(name)
        let always = Weekday.allCases.map { WeeklyRule(weekday: $0, opens: WallTime(minutes: 0)!, closes: WallTime(minutes: 1440)!) }
        try database.createQueue(business: business, slug: "barber", name: "Barber", hours: always,
                                 services: [("haircut", "Haircut", 20), ("beard", "Beard trim", 10)], serverSlugs: servers,
                                 now: now, actor: .system)
        return (database, business)
    }

    static func join(_ database: AppDatabase, _ business: Business, _ n: Int, at: Instant = now) throws -> QueueTicket {
        try database.joinQueue(business: business, queueSlug: "barber",
                               join: QueueJoin(name: "Walker \(n)", email: "walker\(n)@example.com", source: "web"), now: at)
    }

    @Test func thirtyConcurrentJoinsGetThirtyDistinctPositions() throws {
        let (database, business) = try Self.open("queue-joins")
        let positions = Mutex<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 30) { n in
            if let ticket = try? Self.join(database, business, n), let position = ticket.position {
                positions.withLock { $0.append(position) }
            }
        }
        #expect(positions.withLock { $0.sorted() } == Array(1...30))
        let state = try database.queueState(business: business, queueSlug: "barber", now: Self.now)
        #expect(state.waiting.compactMap(\.position) == Array(1...30))
        #expect(Set(state.waiting.map(\.publicID)).count == 30)
    }

    @Test func callNextWithTwoServersNeverCallsTheSameTicketTwice() throws {
        let (database, business) = try Self.open("queue-call")
        for n in 0..<10 { _ = try Self.join(database, business, n) }
        let called = Mutex<[String]>([])
        let empty = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 12) { n in
            do {
                let ticket = try database.callNext(business: business, queueSlug: "barber",
                                                   serverSlug: n % 2 == 0 ? "sam-stylist" : "dana-doctor", now: Self.now, actor: .system)
                called.withLock { $0.append(ticket.publicID) }
            } catch QueueFailure.noneWaiting {
                empty.withLock { $0 += 1 }
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
        let ids = called.withLock { $0 }
        #expect(ids.count == 10)
        #expect(Set(ids).count == 10)
        #expect(empty.withLock { $0 } == 2)
        #expect(try database.queueState(business: business, queueSlug: "barber", now: Self.now).waiting.isEmpty)
    }

    @Test func aNoShowMovesEveryoneUp() throws {
        let (database, business) = try Self.open("queue-noshow")
        let tickets = try (0..<4).map { try Self.join(database, business, $0) }
        #expect(tickets.map(\.position) == [1, 2, 3, 4])
        // The first is called and does not come; the third gives up waiting and is marked too.
        let first = try database.callNext(business: business, queueSlug: "barber", serverSlug: "sam-stylist", now: Self.now, actor: .system)
        #expect(first.publicID == tickets[0].publicID)
        _ = try database.moveTicket(business: business, publicID: first.publicID, to: .noShow, now: Self.now + 300, actor: .system)
        _ = try database.moveTicket(business: business, publicID: tickets[2].publicID, to: .noShow, now: Self.now + 300, actor: .system)
        let state = try database.queueState(business: business, queueSlug: "barber", now: Self.now + 300)
        #expect(state.waiting.map(\.publicID) == [tickets[1].publicID, tickets[3].publicID])
        #expect(state.waiting.map(\.position) == [1, 2])
        #expect(throws: QueueFailure.illegalMove(from: .noShow, to: .serving)) {
            _ = try database.moveTicket(business: business, publicID: first.publicID, to: .serving, now: Self.now + 300, actor: .system)
        }
    }

    @Test func aCalledCustomerMovesToAnotherServerAndAWaitingOneToTheBack() throws {
        let (database, business) = try Self.open("queue-transfer")
        let tickets = try (0..<3).map { try Self.join(database, business, $0) }
        let called = try database.callNext(business: business, queueSlug: "barber", serverSlug: "sam-stylist", now: Self.now, actor: .system)
        let moved = try database.transferTicket(business: business, publicID: called.publicID, serverSlug: "dana-doctor", now: Self.now,
                                                actor: .system)
        #expect(moved.serverSlug == "dana-doctor")
        _ = try database.moveTicketToBack(business: business, publicID: tickets[1].publicID, now: Self.now, actor: .system)
        let state = try database.queueState(business: business, queueSlug: "barber", now: Self.now)
        #expect(state.waiting.map(\.publicID) == [tickets[2].publicID, tickets[1].publicID])
        #expect(state.waiting.map(\.position) == [1, 2])
        #expect(throws: QueueFailure.illegalMove(from: .called, to: .waiting)) {
            _ = try database.moveTicketToBack(business: business, publicID: called.publicID, now: Self.now, actor: .system)
        }
        #expect(throws: QueueFailure.invalid(field: "resource", message: "only a called or served customer moves to another server")) {
            _ = try database.transferTicket(business: business, publicID: tickets[2].publicID, serverSlug: "sam-stylist", now: Self.now,
                                            actor: .system)
        }
    }

    /// One barber whose cuts took 10 minutes, twelve times: the line's estimate follows them
    /// rather than the 20-minute prior, and is shown as a range.
    @Test func estimatesFollowObservedServiceTimes() throws {
        let (database, business) = try Self.open("queue-estimates", servers: ["sam-stylist"])
        try Self.freeTheDay(database, "sam-stylist")
        var t = Self.now  // Monday 12:00, inside Sam's hours (9–17), nothing else booked for Sam
        for n in 0..<12 {
            _ = try Self.join(database, business, n, at: t)
            let called = try database.callNext(business: business, queueSlug: "barber", serverSlug: nil, now: t, actor: .system)
            _ = try database.moveTicket(business: business, publicID: called.publicID, to: .serving, now: t, actor: .system)
            _ = try database.moveTicket(business: business, publicID: called.publicID, to: .done, now: t + 600, actor: .system)
            t += 600
        }
        let waiting = try (0..<3).map { try Self.join(database, business, 100 + $0, at: t) }
        // (3 × 20 + 12 × 10) / 15 = 12 minutes a cut: the third waits about 24.
        let third = try #require(waiting[2].wait)
        #expect(third.low <= 24 && 24 <= third.high)
        #expect(third.high < 40)  // the prior alone would say 40
        #expect(waiting[2].estimatedAtJoin == third)
        #expect(waiting[0].wait == QueueEstimator.Wait(low: 0, high: 5))
    }

    /// Takes a server's demo appointments out of the way (as if cancelled), so only the queue keeps them busy.
    static func freeTheDay(_ database: AppDatabase, _ slug: String) throws {
        try database.pool.write { db in
            try db.execute(sql: "UPDATE resource_assignments SET blocks = 0 WHERE resource_id = (SELECT id FROM resources WHERE slug = ?)",
                           arguments: [slug])
        }
    }

    /// Adds `count` completed haircuts of `minutes` each by `server`, finished before `before`.
    static func observed(_ database: AppDatabase, _ business: Business, server: String, minutes: Int, count: Int, before: Instant) throws {
        try database.pool.write { db in
            let ids = try Row.fetchOne(db, sql: """
                SELECT q.id, s.id, r.id FROM queues q JOIN queue_services s ON s.queue_id = q.id AND s.slug = 'haircut'
                JOIN resources r ON r.business_id = q.business_id AND r.slug = ? WHERE q.business_id = ? AND q.slug = 'barber'
                """, arguments: [server, business.id])!
            for n in 0..<count {
                let finished = before - Int64(n) * 3600
                try db.execute(sql: """
                    INSERT INTO queue_tickets (business_id, public_id, queue_id, seq, service_id, status, customer_name, customer_email, source,
                      resource_id, joined_at, estimate_low, estimate_high, called_at, started_at, finished_at)
                    VALUES (?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM queue_tickets WHERE queue_id = ?), ?, 'done', 'Past', 'p@example.com',
                      'demo', ?, ?, 0, 5, ?, ?, ?)
                    """, arguments: [business.id, "qt_fixture_\(server)_\(n)", ids[0] as Int64, ids[0] as Int64, ids[1] as Int64, ids[2] as Int64,
                                     finished - Int64(minutes) * 60 - 60, finished - Int64(minutes) * 60, finished - Int64(minutes) * 60, finished])
            }
        }
    }

    /// A fixture of observed times: Sam cuts in 10 minutes, Dana in 30 (ten each). The service's
    /// average is 20 for both, but each server's own pace decides when the line moves.
    @Test func estimatesFollowEachServersOwnObservedTimes() throws {
        let (database, business) = try Self.open("queue-per-server")
        try Self.freeTheDay(database, "sam-stylist")
        try Self.freeTheDay(database, "dana-doctor")
        try Self.observed(database, business, server: "sam-stylist", minutes: 10, count: 10, before: Self.now - 86_400)
        try Self.observed(database, business, server: "dana-doctor", minutes: 30, count: 10, before: Self.now - 86_400)
        let models = try database.pool.read { db in
            try QueueEstimates.models(db, businessID: business.id, queue: Queues.requireQueue(db, business: business, slug: "barber"))
        }
        let haircut = try #require(models.service.keys.min())
        // (3 × 20 + 10 × 10 + 10 × 30) / 23 = 20 for the service; each server pulled toward it with the prior's weight
        #expect(abs(try #require(models.service[haircut]).mean - 20) < 0.001)
        let byServer = try #require(models.server[haircut])
        let means = byServer.values.map(\.mean).sorted()
        #expect(means.count == 2)
        #expect(abs(means[0] - 160.0 / 13) < 0.001)  // Sam: (3 × 20 + 10 × 10) / 13
        #expect(abs(means[1] - 360.0 / 13) < 0.001)  // Dana: (3 × 20 + 10 × 30) / 13
        // Both are cutting since 5 minutes ago: Sam is free in about 7, Dana in about 23
        let t = Self.now
        let a = try Self.join(database, business, 1, at: t - 300), b = try Self.join(database, business, 2, at: t - 300)
        _ = try database.callNext(business: business, queueSlug: "barber", serverSlug: "sam-stylist", now: t - 300, actor: .system)
        _ = try database.callNext(business: business, queueSlug: "barber", serverSlug: "dana-doctor", now: t - 300, actor: .system)
        for ticket in [a, b] { _ = try database.moveTicket(business: business, publicID: ticket.publicID, to: .serving, now: t - 300, actor: .system) }
        let next = try Self.join(database, business, 3, at: t)
        // Sam's 7.3 minutes with the service's spread (0.45): 0–15 min (the service average alone would say 5–25)
        #expect(next.wait == QueueEstimator.Wait(low: 0, high: 15))
    }

    /// A server's weekly hours count: after Sam's day ends (17:00), the queue cannot use Sam until
    /// the next morning, so a customer joining at 16:55 behind a 20-minute haircut waits until 09:00.
    @Test func aServersWeeklyHoursBoundTheEstimate() throws {
        let (database, business) = try Self.open("queue-hours", servers: ["sam-stylist"])
        try Self.freeTheDay(database, "sam-stylist")
        let closing = Self.now + 5 * 3600 - 300  // Monday 16:55 New York
        _ = try Self.join(database, business, 1, at: closing)
        let second = try Self.join(database, business, 2, at: closing)
        // The first fits before 17:00? No: 20 minutes do not fit in 5, so the first starts at 09:00 Tuesday, the second at 09:20.
        let wait = try #require(second.wait)
        let untilMorning = (16 * 3600 + 5 * 60 + 20 * 60) / 60  // 16:55 → 09:20 next day, in minutes
        #expect(wait.low <= untilMorning && untilMorning <= wait.high)
        #expect(wait.low > 600)
    }

    /// Dana has a treatment now: the queue cannot use her until it ends, so the wait accounts for it.
    @Test func anAppointmentBlocksItsServerInTheEstimate() throws {
        let (database, business) = try Self.open("queue-appointment", servers: ["dana-doctor"])
        let start = RFC3339.parse("2026-11-23T17:00:00Z")!  // Monday 12:00 New York
        _ = try database.book(business: business, request: BookingRequest(
            offerSlug: "consultation", start: start, customer: CustomerDetails(name: "Booked", email: "booked@example.com"),
            resourceSlugs: ["dana-doctor"], source: "web"), now: Self.now - 7200, actor: .guest)
        let ticket = try Self.join(database, business, 1, at: start)
        let wait = try #require(ticket.wait)
        #expect(wait.low >= 20 && wait.high >= 30)  // after the 30-minute consultation, not 0–5 min
    }

    @Test func joiningOutsideOpeningHoursIsRefused() throws {
        let (database, business) = try DemoStore.open("queue-closed")
        try database.pool.write { db in _ = try DemoData.seedQueue(db, businessID: business.id, now: Self.now) }
        let sunday = DemoStore.seededAt  // Sunday noon: the walk-in queue is closed
        #expect(throws: QueueFailure.closed) {
            _ = try database.joinQueue(business: business, queueSlug: "walk-in-haircut",
                                       join: QueueJoin(name: "Zed", phone: "+1 212 555 0100", source: "web"), now: sunday)
        }
        let ticket = try database.joinQueue(business: business, queueSlug: "walk-in-haircut",
                                            join: QueueJoin(name: "Zed", phone: "+1 212 555 0100", source: "web"), now: Self.now)
        #expect(ticket.position == 1)
        #expect(throws: QueueFailure.invalid(field: "email", message: "enter an email address or a phone number so we can tell you when it is your turn")) {
            _ = try database.joinQueue(business: business, queueSlug: "walk-in-haircut", join: QueueJoin(name: "Nobody", source: "web"), now: Self.now)
        }
    }

    /// The tickets told they are next (queue_next rows of the outbox), in order, with their lines.
    static func told(_ database: AppDatabase) throws -> [(ticket: String, email: String, text: String)] {
        try database.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT json_extract(data, '$.ticket'), recipient_email, json_extract(data, '$.text') FROM outbox
                WHERE kind = 'waitlist_offer' AND json_extract(data, '$.about') = 'queue_next' AND order_id IS NULL ORDER BY id
                """).map { (ticket: $0[0], email: $0[1], text: $0[2]) }
        }
    }

    @Test func whoeverBecomesNextInLineIsToldExactlyOnce() throws {
        let (database, business) = try Self.open("queue-next")
        // Given three in line: the first is next from the moment they join
        let a = try Self.join(database, business, 0), b = try Self.join(database, business, 1), c = try Self.join(database, business, 2)
        #expect(try Self.told(database).map(\.ticket) == [a.publicID])
        // When the first is called, the second is next; when the second leaves, the third
        _ = try database.callNext(business: business, queueSlug: "barber", serverSlug: "sam-stylist", now: Self.now, actor: .system)
        #expect(try Self.told(database).map(\.ticket) == [a.publicID, b.publicID])
        _ = try database.moveTicket(business: business, publicID: b.publicID, to: .left, now: Self.now, actor: .system)
        #expect(try Self.told(database).map(\.ticket) == [a.publicID, b.publicID, c.publicID])
        // Moving the first to the back makes the one behind next; moving that one back again tells no one twice
        let d = try Self.join(database, business, 3)
        _ = try database.moveTicketToBack(business: business, publicID: c.publicID, now: Self.now, actor: .system)
        _ = try database.moveTicketToBack(business: business, publicID: d.publicID, now: Self.now, actor: .system)
        // Starting, completing and a no-show of the called customer change nobody's place: no new message
        _ = try database.moveTicket(business: business, publicID: a.publicID, to: .serving, now: Self.now, actor: .system)
        _ = try database.moveTicket(business: business, publicID: a.publicID, to: .done, now: Self.now + 600, actor: .system)
        let told = try Self.told(database)
        #expect(told.map(\.ticket) == [a.publicID, b.publicID, c.publicID, d.publicID])
        #expect(told.map(\.email) == ["walker0@example.com", "walker1@example.com", "walker2@example.com", "walker3@example.com"])
        // Then: one line a text message can carry
        for message in told {
            #expect(message.text == "Demo Wellness: you are next in line (Barber). Please come to the desk now.")
            #expect(message.text.count <= QueueNextMessage.maxLength && !message.text.contains("\n"))
        }
        let stamped = try database.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM queue_tickets WHERE next_notified_at IS NOT NULL") }
        #expect(stamped == 4)
    }

    @Test func aNoShowTellsTheOneBehindThatTheyAreNext() throws {
        let (database, business) = try Self.open("queue-next-no-show")
        let a = try Self.join(database, business, 0), b = try Self.join(database, business, 1)
        _ = try Self.join(database, business, 2)
        #expect(try Self.told(database).map(\.ticket) == [a.publicID])
        // When the first in line is not there when looked for, the second is next, and told in that write
        _ = try database.moveTicket(business: business, publicID: a.publicID, to: .noShow, now: Self.now, actor: .system)
        #expect(try Self.told(database).map(\.ticket) == [a.publicID, b.publicID])
    }
}
