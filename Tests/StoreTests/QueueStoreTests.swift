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
        var t = Self.now + 5 * 3600  // Monday 17:00, after Sam's appointments of the day
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
}
