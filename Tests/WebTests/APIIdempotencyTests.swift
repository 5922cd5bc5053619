import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// `Idempotency-Key` on every API POST (issue 15), Stripe's semantics: the first answer again for
/// the same key and request, an error included; 422 for the same key with another request; per
/// API key; forgotten after 24 hours.
struct APIIdempotencyTests {
    let test: TestApp
    let key: String
    let secondKey: String

    init() throws {
        let now: Int64 = 1_795_366_800   // Sunday 2026-11-22 12:00 New York
        let test = try TestApp(now: Date(timeIntervalSince1970: TimeInterval(now)))
        self.test = test
        (key, secondKey) = try test.database.pool.write { db in
            let (demo, _) = try test.seedDemoAndOther(db, now: now)
            return (try APIKeys.create(db, businessID: demo.id, name: "a", now: now, actor: .system).key,
                    try APIKeys.create(db, businessID: demo.id, name: "b", now: now, actor: .system).key)
        }
    }

    func call(_ path: String, _ body: String = "", idempotency: String? = nil, key: String? = nil) -> (status: Int, body: String, replayed: Bool) {
        var headers = [("Content-Type", "application/json"), ("Authorization", "Bearer \(key ?? self.key)")]
        if let idempotency { headers.append(("Idempotency-Key", idempotency)) }
        let request = try! Request(method: "POST", target: path, headers: Headers(headers.map { (name: $0.0, value: $0.1) }),
                                   body: Array(body.utf8))
        let response = test.app.respond(to: request)
        return (response.status.code, response.text, response.headers["Idempotent-Replayed"] == "true")
    }

    func book(_ start: String, resource: String = "dana-doctor", idempotency: String? = nil) -> (status: Int, body: String, replayed: Bool) {
        call("/api/v1/bookings", #"{"offer":"consultation","start":"\#(start)","customer":{"name":"Zed Racer","email":"zed@example.com"},"resources":["\#(resource)"]}"#,
             idempotency: idempotency)
    }

    func id(_ body: String) throws -> String {
        let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        return try #require(json?["id"] as? String)
    }

    @Test func aCancelIsAnsweredOnceAndReplayedAndTheKeyOnAnotherBookingIsAMismatch() throws {
        let first = try id(book("2026-12-01T15:00:00Z").body)
        let second = try id(book("2026-12-01T16:00:00Z").body)
        let cancelled = call("/api/v1/bookings/\(first)/cancel", idempotency: "cancel-1")
        #expect(cancelled.status == 200 && !cancelled.replayed)
        let again = call("/api/v1/bookings/\(first)/cancel", idempotency: "cancel-1")
        #expect(again.status == 200 && again.replayed && again.body == cancelled.body)
        // Without the key, a second cancel is refused: the replay did not run the handler.
        #expect(call("/api/v1/bookings/\(first)/cancel").status == 409)
        let other = call("/api/v1/bookings/\(second)/cancel", idempotency: "cancel-1")
        #expect(other.status == 422 && other.body.contains("idempotency_mismatch"))
        #expect(try test.status(of: second) == "confirmed")
        // The same key with the same body but a different API key is another key.
        #expect(call("/api/v1/bookings/\(second)/cancel", idempotency: "cancel-1", key: secondKey).status == 200)
    }

    @Test func anErrorIsReplayedEvenWhenTheRequestWouldNowSucceed() throws {
        // Every host is taken at 15:00.
        let blocker = try id(book("2026-12-01T15:00:00Z").body)
        _ = try id(book("2026-12-01T15:00:00Z", resource: "sam-stylist").body)
        let moving = try id(book("2026-12-01T16:00:00Z").body)
        let move = #"{"start":"2026-12-01T15:00:00Z"}"#
        let refused = call("/api/v1/bookings/\(moving)/reschedule", move, idempotency: "move-1")
        #expect(refused.status == 409 && refused.body.contains("slot_unavailable"), "\(refused)")
        #expect(call("/api/v1/bookings/\(blocker)/cancel").status == 200)
        let replayed = call("/api/v1/bookings/\(moving)/reschedule", move, idempotency: "move-1")
        #expect(replayed.status == 409 && replayed.replayed && replayed.body == refused.body)
        #expect(call("/api/v1/bookings/\(moving)/reschedule", move, idempotency: "move-2").status == 200)
    }

    @Test func aRefusedBookingIsReplayedAndLeavesNothingBehind() throws {
        let blocker = try id(book("2026-12-01T15:00:00Z").body)
        let refused = book("2026-12-01T15:00:00Z", idempotency: "book-1")
        #expect(refused.status == 409 && refused.body.contains("slot_unavailable"))
        #expect(call("/api/v1/bookings/\(blocker)/cancel").status == 200)
        let replayed = book("2026-12-01T15:00:00Z", idempotency: "book-1")
        #expect(replayed.status == 409 && replayed.replayed && replayed.body == refused.body)
        let orders = try test.database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM booking_orders WHERE source = 'api'") }
        #expect(orders == 1)
        // The same key on another endpoint is a mismatch, not that endpoint's answer.
        #expect(call("/api/v1/bookings/\(blocker)/cancel", idempotency: "book-1").status == 422)
    }

    @Test func aKeyIsForgottenAfterADay() throws {
        let first = book("2026-12-01T15:00:00Z", idempotency: "day")
        #expect(first.status == 201)
        #expect(book("2026-12-01T16:00:00Z", idempotency: "day").status == 422)
        test.advance(seconds: 86_400 + 1)
        let later = book("2026-12-01T16:00:00Z", idempotency: "day")
        #expect(later.status == 201 && !later.replayed && later.body != first.body)
    }

    @Test func everyPostInTheDocumentTakesAnIdempotencyKey() {
        for operation in APISpec.operations where operation.method == "POST" {
            #expect(operation.allParameters.contains { $0.name == "Idempotency-Key" && $0.location == "header" }, "\(operation.path)")
            #expect(operation.allErrors.contains(422) && operation.allErrors.contains(409), "\(operation.path)")
        }
    }
}
