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
        // Several kayaks in one rental: 11 are left that weekend, so 11 fit and then none
        func rent(_ quantity: Int) throws -> (status: Int, json: JSONValue) {
            let body = #"{"offer":"kayak-rental","start_date":"2026-11-27","end_date":"2026-11-29","quantity":"# + String(quantity)
                + #","customer":{"name":"Kay","email":"kay@example.com"}}"#
            return try call("POST", "/api/v1/bookings", body, spec: "/api/v1/bookings")
        }
        let twelve = try rent(12)
        #expect(twelve.status == 409)
        let eleven = try rent(11)
        #expect(eleven.status == 201)
        #expect(eleven.json["party_size"]?.int == 11)
        #expect(eleven.json["price"]?["total"]?.int == Int64(148_500))  // 11 kayaks × 3 days × 45.00
        let thirteenth = try rent(1)
        #expect(thirteenth.status == 409, "\(thirteenth.json)")
        // Beyond the documented limit, and without dates: 422 naming the field
        let tooMany = try rent(101)
        #expect(tooMany.status == 422 && tooMany.json["error"]?["field"]?.string == "quantity")
        let withoutDates = #"{"offer":"kayak-rental","start":"2026-11-27T14:00:00Z","quantity":2,"customer":{"name":"Kay","email":"kay@example.com"}}"#
        let refusedQuantity = try call("POST", "/api/v1/bookings", withoutDates, spec: "/api/v1/bookings")
        #expect(refusedQuantity.status == 422 && refusedQuantity.json["error"]?["field"]?.string == "quantity")
        // The document states the limits the server enforces
        let quantity = try JSONValue.parse(APISpec.json)["components"]?["schemas"]?["BookingRequest"]?["properties"]?["quantity"]
        #expect(quantity?["minimum"]?.int == 1 && quantity?["maximum"]?.int == 100)
    }
}
