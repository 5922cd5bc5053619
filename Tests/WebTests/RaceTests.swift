import BookingCore
import Foundation
import GRDB
import HTTPServer
import Logging
@testable import Store
import Testing
import TestSupport
@testable import Web

/// Issue 22: every booking path is race-proof. Many requests for one time sent at once to a real
/// server on loopback, through each path; exactly one booking (ten for a ten-seat class), and no
/// resource ever holds two overlapping bookings. `BIZING_RACE_COUNT` sets how many (200 in the
/// suite; `scripts/race-bench.sh` runs 1,000).
@Suite(.serialized)
final class RaceTests {
    static let count = max(20, Int(ProcessInfo.processInfo.environment["BIZING_RACE_COUNT"] ?? "") ?? 200)

    let test: TestApp
    let server: Server
    let client: RawHTTPClient
    let key: String
    /// The front desk's session cookie and form token.
    let desk: (cookie: String, csrf: String)

    init() throws {
        test = try TestApp.staff()   // Monday 2026-11-23 09:00 New York, the demo seeded the day before
        let database = test.database
        key = try database.pool.write { db in
            let business = try Catalog.business(db, slug: "demo")!
            let created = try APIKeys.create(db, businessID: business.id, name: "race", now: TestApp.Staff.seededAt, actor: .system)
            try APIKeys.setRateLimit(db, businessID: business.id, keyID: created.id, rate: (10_000, 10_000),
                                     now: TestApp.Staff.seededAt, actor: .system)
            return created.key
        }
        let browser = try test.signedIn("frontdesk@demo.test")
        try browser.get("/staff/demo/walk-in?offer=consultation")
        desk = (try #require(browser.cookie), try #require(browser.csrf))
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.threads = 4
        configuration.maxConnectionsPerIP = Self.count + 64
        var logger = Logger(label: "race")
        logger.logLevel = .critical
        server = try Server(configuration: configuration, application: test.app, logger: logger)
        client = RawHTTPClient(port: server.port)
    }

    deinit { server.stop(grace: .seconds(5)) }

    // MARK: Requests

    func api(_ method: String, _ path: String, _ body: String = "") -> [UInt8] {
        var headers = [("Authorization", "Bearer \(key)")]
        if !body.isEmpty { headers.append(("Content-Type", "application/json")) }
        return client.raw(method, path, headers: headers, body: body)
    }

    func bookingBody(_ start: String, offer: String = "consultation", resources: [String] = ["dana-doctor"], n: Int = 0) -> String {
        #"{"offer":"\#(offer)","start":"\#(start)","customer":{"name":"Racer \#(n)","email":"racer\#(n)@example.com"},"resources":[\#(resources.map { "\"\($0)\"" }.joined(separator: ","))]}"#
    }

    func staffForm(_ path: String, _ fields: [(String, String)]) -> [UInt8] {
        let body = FormData(pairs: (fields + [("_csrf", desk.csrf)]).map { (name: $0.0, value: $0.1) }).encoded
        return client.raw("POST", path, headers: [("Cookie", "bizing_session=\(desk.cookie)"),
                                                  ("Content-Type", "application/x-www-form-urlencoded")], body: body)
    }

    /// One anonymous visitor's hold form post: its own form cookie and the token a page gave it.
    func guestHold(_ start: String) -> [UInt8] {
        let cookie = Security.BrowserCookie.generate()
        let body = FormData(pairs: [("start", start), ("resource", "dana-doctor"),
                                    ("_csrf", test.app.security.browserFormToken(for: cookie))]).encoded
        return client.raw("POST", "/b/demo/consultation/hold", headers: [("Cookie", "\(cookie.name)=\(cookie.value)"),
                                                                         ("Content-Type", "application/x-www-form-urlencoded")], body: body)
    }

    /// Sends the burst and returns its statuses (0 for a connection that failed).
    func fire(_ requests: [[UInt8]]) -> [Int] {
        client.burst(requests).map { $0?.status ?? 0 }
    }

    func book(_ start: String, resources: [String] = ["dana-doctor"]) throws -> String {
        let reply = try client.send(api("POST", "/api/v1/bookings", bookingBody(start, resources: resources)), method: "POST")
        #expect(reply.status == 201, "\(start): \(reply.text)")
        return try #require(try JSONValue.parse(reply.body)["id"]?.string)
    }

    /// Orders holding time that starts at `start` (RFC 3339), live holds included.
    func blocking(at start: String) throws -> Int {
        let instant = try #require(RFC3339.parse(start))
        return try test.database.pool.read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(DISTINCT order_id) FROM resource_assignments
                WHERE starts_at = ? AND blocks = 1 AND (hold_expires_at IS NULL OR hold_expires_at > ?)
                """, arguments: [instant, TestApp.Staff.mondayNine])!
        }
    }

    /// The resources (slugs) of the orders blocking time that starts at `start`.
    func occupants(at start: String) throws -> [String] {
        let instant = try #require(RFC3339.parse(start))
        return try test.database.pool.read { db in
            try String.fetchAll(db, sql: """
                SELECT r.slug FROM resource_assignments a JOIN resources r ON r.id = a.resource_id
                WHERE a.starts_at = ? AND a.blocks = 1 ORDER BY r.slug
                """, arguments: [instant])
        }
    }

    /// No resource holds two overlapping bookings; no class holds more than its seats.
    func expectNoDoubleBooking(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (overlaps, overfull) = try test.database.pool.read { db in
            (try Int.fetchOne(db, sql: """
                SELECT count(*) FROM resource_assignments a JOIN resource_assignments b
                  ON a.resource_id = b.resource_id AND a.id < b.id AND a.order_id <> b.order_id
                 AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
                WHERE a.blocks = 1 AND b.blocks = 1 AND a.is_class = 0 AND b.is_class = 0
                  AND (a.hold_expires_at IS NULL OR a.hold_expires_at > ?) AND (b.hold_expires_at IS NULL OR b.hold_expires_at > ?)
                """, arguments: [TestApp.Staff.mondayNine, TestApp.Staff.mondayNine])!,
             try Int.fetchOne(db, sql: """
                SELECT count(*) FROM (SELECT resource_id, starts_at, sum(party_size) AS taken FROM resource_assignments
                  WHERE blocks = 1 AND is_class = 1 AND (hold_expires_at IS NULL OR hold_expires_at > ?)
                  GROUP BY resource_id, starts_at HAVING taken > 10)
                """, arguments: [TestApp.Staff.mondayNine])!)
        }
        #expect(overlaps == 0, "double bookings", sourceLocation: sourceLocation)
        #expect(overfull == 0, "overfull classes", sourceLocation: sourceLocation)
    }

    /// Twenty weekdays from 2026-12-02 on (the demo is closed at weekends).
    static let weekdays: [String] = {
        var days: [String] = []
        var date = LocalDate(year: 2026, month: 12, day: 2)!
        while days.count < 20 {
            if date.weekday < .saturday { days.append(date.description) }
            date = date.adding(days: 1)
        }
        return days
    }()

    // MARK: Races

    @Test func apiBookingsForOneTimeGiveOneBooking() throws {
        let start = "2026-12-01T15:00:00Z"
        let statuses = fire((0..<Self.count).map { api("POST", "/api/v1/bookings", bookingBody(start, n: $0)) })
        #expect(statuses.filter { $0 == 201 }.count == 1)
        #expect(statuses.allSatisfy { $0 == 201 || $0 == 409 }, "\(Set(statuses))")
        #expect(try blocking(at: start) == 1)
        try expectNoDoubleBooking()
    }

    @Test func holdFormsForOneTimeGiveOneHold() throws {
        let start = "2026-12-01T16:00:00Z"
        let statuses = fire((0..<Self.count).map { _ in guestHold(start) })
        #expect(statuses.filter { $0 == 303 }.count == 1, "\(Set(statuses))")
        #expect(!statuses.contains(403) && !statuses.contains(0) && !statuses.contains(500))
        #expect(try blocking(at: start) == 1)
        try expectNoDoubleBooking()
    }

    @Test func apiHoldsThenConfirmsOfOneHoldGiveOneBooking() throws {
        let start = "2026-12-01T17:00:00Z"
        let holds = fire((0..<Self.count).map { api("POST", "/api/v1/holds", bookingBody(start, n: $0)) })
        #expect(holds.filter { $0 == 201 }.count == 1)
        let holdID = try #require(try test.database.pool.read {
            try String.fetchOne($0, sql: "SELECT public_id FROM booking_orders WHERE status = 'held'")
        })
        let confirms = fire((0..<Self.count).map { _ in api("POST", "/api/v1/holds/\(holdID)/confirm") })
        #expect(confirms.filter { $0 == 201 }.count == 1)
        #expect(confirms.allSatisfy { $0 == 201 || $0 == 409 }, "\(Set(confirms))")
        let events = try test.database.pool.read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_log WHERE action = 'booking.confirm'")!
        }
        #expect(events == 1)
        #expect(try blocking(at: start) == 1)
    }

    @Test func reschedulesAndNewBookingsOntoOneFreeTimeGiveOneBookingPerProvider() throws {
        // Given twenty of Dana's bookings on other days, and a free time they and new bookings for
        // Dana all want. A move keeps the offer, not the provider: the consultation has two
        // providers, so a move may land on Sam. One booking per provider, never two.
        let movers = try Self.weekdays.map { day in try book("\(day)T15:00:00Z") }
        let target = "2026-12-01T18:00:00Z"
        var requests = movers.map { api("POST", "/api/v1/bookings/\($0)/reschedule", #"{"start":"\#(target)"}"#) }
        requests += (movers.count..<Self.count).map { api("POST", "/api/v1/bookings", bookingBody(target, n: $0)) }
        let statuses = fire(requests)
        let there = try occupants(at: target)
        let won = statuses.filter { $0 == 200 || $0 == 201 }.count
        #expect(won >= 1 && won == there.count && Set(there).count == there.count, "\(there)")
        #expect(statuses.allSatisfy { [200, 201, 409].contains($0) }, "\(Set(statuses))")
        #expect(statuses[movers.count...].filter { $0 == 201 }.count <= 1)   // Dana, once
        try expectNoDoubleBooking()
        // And onto a time now taken by both providers, nothing moves
        if there.count == 2 {
            let stayed = movers.indices.filter { statuses[$0] == 409 }.map { movers[$0] }
            let again = fire(stayed.map { api("POST", "/api/v1/bookings/\($0)/reschedule", #"{"start":"\#(target)"}"#) })
            #expect(again.allSatisfy { $0 == 409 }, "\(Set(again))")
            #expect(try occupants(at: target) == there)
        }
    }

    @Test func staffWalkInsAndMovesForOneTimeDoubleBookNobody() throws {
        // Walk-ins today: the desk clicks "book" for one time many times at once. The consultation
        // has two providers, so at most one walk-in per free provider.
        let form = try test.signedIn("frontdesk@demo.test").get("/staff/demo/walk-in?offer=consultation").text
        let range = try #require(form.range(of: #"name="start" value=""#))
        let start = String(form[range.upperBound...].prefix { $0 != "\"" })
        let walkIns = fire((0..<Self.count).map {
            staffForm("/staff/demo/walk-in", [("offer", "consultation"), ("start", start), ("name", "Walker \($0)")])
        })
        let booked = walkIns.filter { $0 == 303 }.count
        let walkedIn = try occupants(at: start)
        #expect(booked >= 1 && booked <= 2 && Set(walkedIn).count == walkedIn.count, "\(Set(walkIns)) \(walkedIn)")
        try expectNoDoubleBooking()

        // Staff moves: many of Dana's bookings moved at once onto one free time of hers
        let movers = try Self.weekdays.map { day in try book("\(day)T16:00:00Z") }
        let target = "2026-12-01T19:00:00Z"
        let moves = fire(movers.map { staffForm("/staff/demo/bookings/\($0)/reschedule", [("start", target)]) })
        let there = try occupants(at: target)
        let moved = moves.filter { $0 == 303 }.count
        #expect(moved >= 1 && moved <= 2 && moved == there.count && Set(there).count == there.count, "\(there)")
        try expectNoDoubleBooking()
    }

    @Test func aTenSeatClassTakesTen() throws {
        let slots = try client.send(api("GET", "/api/v1/offers/yoga-class/availability?from=2026-12-02&to=2026-12-02"))
        let start = try #require(try JSONValue.parse(slots.body)["slots"]?.array?.first?["start"]?.string)
        let statuses = fire((0..<Self.count).map { api("POST", "/api/v1/bookings", bookingBody(start, offer: "yoga-class", resources: [], n: $0)) })
        #expect(statuses.filter { $0 == 201 }.count == 10, "\(Set(statuses))")
        #expect(try blocking(at: start) == 10)
        try expectNoDoubleBooking()
    }
}
