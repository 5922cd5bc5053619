import BookingCore
import Foundation
import GRDB
import HTTPServer
import Logging
@testable import Store
import TestSupport
import Testing
@testable import Web

/// The booking endpoints through a real server on a loopback port.
@Suite(.serialized)
final class BookingAPITests {
    let test: TestApp
    let server: Server
    let client: RawHTTPClient
    let key: String
    let otherKey: String

    init() throws {
        test = try TestApp(now: Date(timeIntervalSince1970: 1_795_366_800))   // Sunday 2026-11-22 12:00 New York
        let now: Int64 = 1_795_366_800
        let test = self.test
        (key, otherKey) = try test.database.pool.write { db in
            let (demo, other) = try test.seedDemoAndOther(db, now: now)
            return (try APIKeys.create(db, businessID: demo.id, name: "t", now: now, actor: .system).key,
                    try APIKeys.create(db, businessID: other.id, name: "t", now: now, actor: .system).key)
        }
        (server, client) = try test.serve()
    }

    deinit { server.stop(grace: .seconds(2)) }

    func call(_ method: String, _ path: String, _ body: String = "", key: String? = nil,
              headers: [(String, String)] = []) throws -> (status: Int, json: [String: Any]) {
        var all = headers + [("Content-Type", "application/json")]
        all.append(("Authorization", "Bearer \(key ?? self.key)"))
        let reply = try client.request(method, path, headers: all, body: Array(body.utf8))
        return (reply.status, (try? JSONSerialization.jsonObject(with: Data(reply.body))) as? [String: Any] ?? [:])
    }

    func bookingBody(_ start: String, offer: String = "consultation", resources: [String] = ["dana-doctor"]) -> String {
        #"{"offer":"\#(offer)","start":"\#(start)","customer":{"name":"Zed Racer","email":"zed@example.com"},"resources":[\#(resources.map { "\"\($0)\"" }.joined(separator: ","))]}"#
    }

    @Test func fortySimultaneousRequestsMakeOneBookingAndThirtyNineConflicts() async throws {
        let body = Array(bookingBody("2026-12-01T15:00:00Z").utf8)
        let client = self.client
        let headers = [("Content-Type", "application/json"), ("Authorization", "Bearer \(key)")]
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<40 {
                group.addTask { try client.request("POST", "/api/v1/bookings", headers: headers, body: body).status }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.filter { $0 == 201 }.count == 1)
        #expect(statuses.filter { $0 == 409 }.count == 39)
    }

    @Test func availabilityStartsAtNineNewYorkTime() throws {
        let answer = try call("GET", "/api/v1/offers/consultation/availability?from=2026-11-30&to=2026-11-30")
        #expect(answer.status == 200)
        let slots = answer.json["slots"] as? [[String: Any]] ?? []
        #expect(slots.first?["start"] as? String == "2026-11-30T14:00:00Z")
        #expect(slots.last?["start"] as? String == "2026-11-30T21:30:00Z")
    }

    @Test func idempotencyKeyReplaysTheFirstAnswerAndRefusesAnotherBody() throws {
        let first = try call("POST", "/api/v1/bookings", bookingBody("2026-12-02T15:00:00Z"), headers: [("Idempotency-Key", "abc")])
        let second = try call("POST", "/api/v1/bookings", bookingBody("2026-12-02T15:00:00Z"), headers: [("Idempotency-Key", "abc")])
        #expect(first.status == 201)
        #expect(second.status == 201)
        #expect(first.json["id"] as? String == second.json["id"] as? String)
        let other = try call("POST", "/api/v1/bookings", bookingBody("2026-12-02T16:00:00Z"), headers: [("Idempotency-Key", "abc")])
        #expect(other.status == 422)
        let count = try test.database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM booking_orders WHERE source = 'api'") }
        #expect(count == 1)
    }

    @Test func holdThenConfirmThenCancelWithTieredRefund() throws {
        let hold = try call("POST", "/api/v1/holds", bookingBody("2026-12-03T15:00:00Z", offer: "treatment", resources: []))
        #expect(hold.status == 201)
        #expect(hold.json["status"] as? String == "held")
        let id = try #require(hold.json["id"] as? String)
        let confirmed = try call("POST", "/api/v1/holds/\(id)/confirm")
        #expect(confirmed.status == 201)
        #expect(confirmed.json["status"] as? String == "confirmed")
        let price = confirmed.json["price"] as? [String: Any]
        let lines = price?["lines"] as? [[String: Any]] ?? []
        #expect(lines.compactMap { $0["amount"] as? Int }.reduce(0, +) == price?["total"] as? Int)
        let cancelled = try call("POST", "/api/v1/bookings/\(id)/cancel", #"{"reason":"changed plans"}"#)
        #expect(cancelled.status == 200)
        #expect(cancelled.json["status"] as? String == "cancelled")
        #expect((cancelled.json["refund"] as? [String: Any])?["percent"] as? Int == 100)
        #expect((cancelled.json["refund"] as? [String: Any])?["currency"] as? String == "USD")
        let booking = cancelled.json["booking"] as? [String: Any]
        #expect(booking?["id"] as? String == id)
        #expect(booking?["status"] as? String == "cancelled")
        #expect((booking?["customer"] as? [String: Any])?.keys.sorted() == ["email", "name", "phone"])
        #expect(try call("POST", "/api/v1/bookings/\(id)/cancel").status == 409)
    }

    @Test func badInputGetsTheErrorShapeAndChangesNothing() throws {
        let cases: [(String, Int, String)] = [
            (#"{"offer":"consultation","start":"2026-12-01T15:10:00Z","customer":{"name":"A","email":"a@example.com"}}"#, 422, "invalid_start"),
            (#"{"offer":"consultation","start":"tomorrow","customer":{"name":"A","email":"a@example.com"}}"#, 422, "validation_failed"),
            (#"{"offer":"consultation","start":"2026-12-01T15:00:00Z","customer":{"name":"A","email":"a@example.com"},"extra":1}"#, 422, "unknown_field"),
            (#"{"offer":"consultation","start":"2026-12-01T15:00:00Z","customer":{"name":"A","email":"nope"}}"#, 422, "validation_failed"),
            (#"{"offer":"consultation","start":"2026-12-01T15:00:00Z","customer":{"name":"A","email":"a@example.com"},"party_size":true}"#, 422, "validation_failed"),
            (#"{"offer":"massage","start":"2026-12-01T15:00:00Z","customer":{"name":"A","email":"a@example.com"}}"#, 404, "not_found"),
            (#"[1,2]"#, 400, "bad_json"),
            (#"{"offer":"#, 400, "bad_json"),
            (#"{"offer":"consultation","start":"2026-12-01T15:00:00Z","customer":{"name":"A","email":"a@example.com"},}"#, 400, "bad_json"),
        ]
        for (body, status, code) in cases {
            let answer = try call("POST", "/api/v1/bookings", body)
            #expect(answer.status == status, "\(body)")
            #expect((answer.json["error"] as? [String: Any])?["code"] as? String == code, "\(body)")
            #expect(((answer.json["error"] as? [String: Any])?["message"] as? String)?.isEmpty == false)
        }
        let count = try test.database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM booking_orders WHERE source = 'api'") }
        #expect(count == 0)
    }

    /// A series' `preview` is true or false: the integer 1 is refused (it was taken as true), and
    /// nothing is booked.
    @Test func aSeriesPreviewFlagMustBeTrueOrFalse() throws {
        let body = #"{"offer":"consultation","start":"2026-12-01T15:00:00Z","customer":{"name":"A","email":"a@example.com"},"repeat":{"frequency":"weekly","count":3},"preview":1}"#
        let count = { try self.test.database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM booking_orders") } }
        let before = try count()
        let answer = try call("POST", "/api/v1/booking-series", body)
        #expect(answer.status == 422)
        let error = answer.json["error"] as? [String: Any]
        #expect(error?["code"] as? String == "validation_failed")
        #expect((error?["message"] as? String)?.contains("preview") == true)
        #expect(try count() == before)
    }

    @Test func aKeyOfAnotherBusinessSeesNothingOfThisOne() throws {
        let booked = try call("POST", "/api/v1/bookings", bookingBody("2026-12-04T15:00:00Z"))
        let id = try #require(booked.json["id"] as? String)
        #expect(try call("GET", "/api/v1/bookings/\(id)", key: otherKey).status == 404)
        #expect(try call("POST", "/api/v1/bookings/\(id)/cancel", key: otherKey).status == 404)
        #expect(try call("POST", "/api/v1/holds/\(id)/confirm", key: otherKey).status == 404)
        #expect(try call("GET", "/api/v1/offers/consultation/availability", key: otherKey).status == 404)
        #expect(try call("POST", "/api/v1/bookings", bookingBody("2026-12-04T16:00:00Z"), key: otherKey).status == 404)
        let list = try call("GET", "/api/v1/bookings?from=2026-11-01&to=2026-12-31", key: otherKey)
        #expect((list.json["bookings"] as? [Any])?.isEmpty == true)
        #expect(try call("GET", "/api/v1/bookings/\(id)").status == 200)
    }

    @Test func missingOrUnknownKeyIs401() throws {
        let reply = try client.request("GET", "/api/v1/offers")
        #expect(reply.status == 401)
        #expect(reply.header("WWW-Authenticate") != nil)
        #expect(try call("GET", "/api/v1/offers", key: "bz_unknown").status == 401)
    }

    @Test func listingLeavesOutHoldsUnlessAsked() throws {
        _ = try call("POST", "/api/v1/holds", bookingBody("2026-12-07T15:00:00Z"))
        let plain = try call("GET", "/api/v1/bookings?from=2026-12-07&to=2026-12-07")
        #expect((plain.json["bookings"] as? [Any])?.count == 0)
        let held = try call("GET", "/api/v1/bookings?from=2026-12-07&to=2026-12-07&status=held")
        #expect((held.json["bookings"] as? [Any])?.count == 1)
    }
}
