import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// Rentals by date through `/api/v1`: availability as days, bookings by `start_date` and `end_date`.
@Suite(.serialized)
struct RentalAPITests {
    @Test func aRentalIsBookedByDatesAndAvailabilityAnswersDays() throws {
        let test = try TestApp.staff()  // Monday 2026-11-23 09:00 New York; the demo includes the kayaks
        let key = try test.database.pool.write { db in
            try APIKeys.create(db, businessID: try #require(try Catalog.business(db, slug: "demo")).id, name: "owner", now: 0, actor: .system).key
        }
        let checker = APISchemaChecker(document: try JSONValue.parse(APISpec.json))
        func call(_ method: String, _ path: String, _ body: String = "", spec: String) throws -> (status: Int, json: JSONValue) {
            var headers = [("Authorization", "Bearer \(key)")]
            if !body.isEmpty { headers.append(("Content-Type", "application/json")) }
            let response = test.app.respond(to: try Request(method: method, target: path, headers: Headers(headers), body: Array(body.utf8)))
            let json = (try? JSONValue.parse(response.body)) ?? .null
            let schema = try #require(checker.responseSchema(method: method, path: spec, status: response.status.code),
                                      "\(method) \(spec) answered an undocumented \(response.status.code)")
            #expect(checker.problems(json, schema).isEmpty, "\(checker.problems(json, schema))")
            return (response.status.code, json)
        }
        let days = try call("GET", "/api/v1/offers/kayak-rental/availability?from=2026-11-27&to=2026-11-29",
                            spec: "/api/v1/offers/{offer}/availability")
        #expect(days.status == 200)
        #expect(days.json["days"]?.array?.compactMap { $0["date"]?.string } == ["2026-11-27", "2026-11-28", "2026-11-29"])
        #expect(days.json["days"]?.array?.allSatisfy { $0["available"] == .bool(true) } == true)
        let booking = #"{"offer":"kayak-rental","start_date":"2026-11-27","end_date":"2026-11-29","customer":{"name":"Kay","email":"kay@example.com"}}"#
        let booked = try call("POST", "/api/v1/bookings", booking, spec: "/api/v1/bookings")
        #expect(booked.status == 201)
        #expect(booked.json["start"]?.string == "2026-11-27T14:00:00Z")
        #expect(booked.json["end"]?.string == "2026-11-29T22:00:00Z")
        #expect(booked.json["price"]?["total"]?.int == 13_500)
        let tooLong = #"{"offer":"kayak-rental","start_date":"2026-11-27","end_date":"2026-12-10","customer":{"name":"Kay","email":"kay@example.com"}}"#
        let refused = try call("POST", "/api/v1/bookings", tooLong, spec: "/api/v1/bookings")
        #expect(refused.status == 422)
        #expect(refused.json["error"]?["field"]?.string == "end_date")
        // A start alone does not rent by date.
        let byStart = #"{"offer":"kayak-rental","start":"2026-11-27T14:00:00Z","customer":{"name":"Kay","email":"kay@example.com"}}"#
        #expect(try call("POST", "/api/v1/bookings", byStart, spec: "/api/v1/bookings").status == 422)
    }
}
