import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// The queue endpoints of `/api/v1`, their answers checked against the OpenAPI document.
@Suite(.serialized)
struct QueueAPITests {
    let test: TestApp
    let key: String
    let otherKey: String
    let checker: APISchemaChecker

    init() throws {
        let test = try TestApp.staff(now: TestApp.Staff.mondayNine + 3600)  // Monday 10:00 New York
        self.test = test
        (key, otherKey) = try test.database.pool.write { db in
            let demo = try #require(try Catalog.business(db, slug: "demo"))
            _ = try DemoData.seedQueue(db, businessID: demo.id, now: TestApp.Staff.seededAt)
            let other = try Catalog.createBusiness(db, slug: "other", name: "Other", timeZone: "Europe/Berlin", currency: "EUR", now: 0)
            return (try APIKeys.create(db, businessID: demo.id, name: "owner", now: 0, actor: .system).key,
                    try APIKeys.create(db, businessID: other.id, name: "other", now: 0, actor: .system).key)
        }
        checker = APISchemaChecker(document: try JSONValue.parse(APISpec.json))
    }

    @discardableResult
    func call(_ method: String, _ path: String, _ body: String = "", spec: String, key: String? = nil,
              sourceLocation: SourceLocation = #_sourceLocation) throws -> (status: Int, json: JSONValue) {
        var headers = [("Authorization", "Bearer \(key ?? self.key)")]
        if !body.isEmpty { headers.append(("Content-Type", "application/json")) }
        let response = test.app.respond(to: try Request(method: method, target: path, headers: Headers(headers), body: Array(body.utf8)))
        let json = (try? JSONValue.parse(response.body)) ?? .null
        let schema = checker.responseSchema(method: method, path: spec, status: response.status.code)
        #expect(schema != nil, "\(method) \(spec) answered an undocumented \(response.status.code)", sourceLocation: sourceLocation)
        if let schema { #expect(checker.problems(json, schema).isEmpty, "\(checker.problems(json, schema))", sourceLocation: sourceLocation) }
        return (response.status.code, json)
    }

    @Test func ticketsAndTheQueueStateAnswerInTheirDocumentedShapes() throws {
        let join = "/api/v1/queues/walk-in-haircut/tickets"
        let first = try call("POST", join, #"{"name":"Ann","phone":"+1 212 555 0100"}"#, spec: "/api/v1/queues/{queue}/tickets")
        #expect(first.status == 201)
        #expect(first.json["position"]?.int == 1)
        #expect(first.json["estimated_wait_minutes"]?["high"]?.int == 5)
        let second = try call("POST", join, #"{"name":"Ben","email":"ben@example.com","service":"cut-and-beard"}"#,
                              spec: "/api/v1/queues/{queue}/tickets")
        #expect(second.json["position"]?.int == 2)
        #expect(try call("POST", join, #"{"name":"Cy"}"#, spec: "/api/v1/queues/{queue}/tickets").status == 422)
        let state = try call("GET", "/api/v1/queues/walk-in-haircut", spec: "/api/v1/queues/{queue}")
        #expect(state.json["tickets"]?.array?.compactMap { $0["name"]?.string } == ["Ann", "Ben"])
        let called = try call("POST", "/api/v1/queues/walk-in-haircut/call-next", #"{"resource":"sam-stylist"}"#,
                              spec: "/api/v1/queues/{queue}/call-next")
        #expect(called.json["status"]?.string == "called")
        #expect(called.json["resource"]?.string == "sam-stylist")
        let id = try #require(called.json["id"]?.string)
        #expect(try call("POST", "/api/v1/queue-tickets/\(id)/start", spec: "/api/v1/queue-tickets/{id}/start").json["status"]?.string == "serving")
        #expect(try call("POST", "/api/v1/queue-tickets/\(id)/complete", spec: "/api/v1/queue-tickets/{id}/complete").json["status"]?.string == "done")
        #expect(try call("POST", "/api/v1/queue-tickets/\(id)/no-show", spec: "/api/v1/queue-tickets/{id}/no-show").status == 409)
        let ben = try #require(second.json["id"]?.string)
        #expect(try call("POST", "/api/v1/queue-tickets/\(ben)/no-show", spec: "/api/v1/queue-tickets/{id}/no-show").json["status"]?.string == "no_show")
        let empty = try call("POST", "/api/v1/queues/walk-in-haircut/call-next", spec: "/api/v1/queues/{queue}/call-next")
        #expect(empty.status == 409)
        #expect(empty.json["error"]?["code"]?.string == "queue_empty")
    }

    @Test func anotherBusinessesKeyFindsNoQueueAndNoTicket() throws {
        let ticket = try call("POST", "/api/v1/queues/walk-in-haircut/tickets", #"{"name":"Ann","phone":"+1 212 555 0100"}"#,
                              spec: "/api/v1/queues/{queue}/tickets")
        let id = try #require(ticket.json["id"]?.string)
        #expect(try call("GET", "/api/v1/queues/walk-in-haircut", spec: "/api/v1/queues/{queue}", key: otherKey).status == 404)
        #expect(try call("POST", "/api/v1/queues/walk-in-haircut/tickets", "{}", spec: "/api/v1/queues/{queue}/tickets", key: otherKey).status == 404)
        #expect(try call("POST", "/api/v1/queue-tickets/\(id)/no-show", spec: "/api/v1/queue-tickets/{id}/no-show", key: otherKey).status == 404)
        #expect(try call("GET", "/api/v1/queues/walk-in-haircut", spec: "/api/v1/queues/{queue}").json["tickets"]?.array?.count == 1)
    }
}
