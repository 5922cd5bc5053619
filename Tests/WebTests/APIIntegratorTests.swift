import BookingCore
import Foundation
import GRDB
import HTTPServer
import Logging
@testable import Store
import Testing
import TestSupport
@testable import Web

/// Issue 8: the OpenAPI document against the router and real answers, every error code, paging
/// under concurrent inserts, the new endpoints, and a key of another business refused everywhere.
@Suite(.serialized)
final class APIIntegratorTests {
    let test: TestApp
    let api: DocumentedAPIClient
    let key: String
    let otherKey: String
    let clientKey: String
    let staffKey: String

    init() throws {
        let now: Int64 = 1_795_366_800   // Sunday 2026-11-22 12:00 New York
        test = try TestApp(now: Date(timeIntervalSince1970: TimeInterval(now)))
        let test = self.test
        (key, otherKey, clientKey, staffKey) = try test.database.pool.write { db in
            let (demo, other) = try test.seedDemoAndOther(db, now: now)
            _ = try Catalog.createResource(db, businessID: other.id, slug: "other-host", name: "Other Host", kind: .host, now: now)
            return (try APIKeys.create(db, businessID: demo.id, name: "owner", now: now, actor: .system).key,
                    try APIKeys.create(db, businessID: other.id, name: "other", now: now, actor: .system).key,
                    try APIKeys.create(db, businessID: demo.id, name: "client", role: .client, now: now, actor: .system).key,
                    try APIKeys.create(db, businessID: demo.id, name: "staff", role: .staff, now: now, actor: .system).key)
        }
        api = try DocumentedAPIClient(test)
    }

    deinit { api.stop() }

    var client: RawHTTPClient { api.client }

    typealias Answer = DocumentedAPIClient.Answer

    /// Calls the server and checks the answer against the document (`DocumentedAPIClient`); the
    /// owner's key unless `key` says otherwise (`.some(nil)`: none).
    @discardableResult
    func call(_ method: String, _ path: String, _ body: String = "", key: String?? = .none, headers: [(String, String)] = [],
              spec: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> Answer {
        let bearer: String? = switch key {
        case .none: self.key
        case .some(let given): given
        }
        return try api.call(method, path, body, bearer: bearer, headers: headers, spec: spec, sourceLocation: sourceLocation)
    }

    func bookingBody(_ start: String, offer: String = "consultation", resources: [String] = ["dana-doctor"], email: String = "zed@example.com") -> String {
        #"{"offer":"\#(offer)","start":"\#(start)","customer":{"name":"Zed Racer","email":"\#(email)"},"resources":[\#(resources.map { "\"\($0)\"" }.joined(separator: ","))]}"#
    }

    func book(_ start: String, resources: [String] = ["dana-doctor"]) throws -> String {
        let answer = try call("POST", "/api/v1/bookings", bookingBody(start, resources: resources))
        #expect(answer.status == 201, "\(start): \(answer.reply.text)")
        return answer.json["id"]?.string ?? ""
    }

    // MARK: The document

    @Test func theDocumentStatesTheRateLimitAndWhenLifecycleMovesOpen() throws {
        let document = try JSONValue.parse(APISpec.json)
        let operations = try #require(document["paths"])
        let noShow = operations["/api/v1/bookings/{id}/no-show"]?["post"]?["description"]?.string ?? ""
        #expect(noShow.contains("grace period") && noShow.contains("15 minutes"))
        #expect(operations["/api/v1/bookings/{id}/check-in"]?["post"]?["description"]?.string?.contains("60 minutes") == true)
        #expect(operations["/api/v1/bookings/{id}/complete"]?["post"]?["description"]?.string?.contains("start has passed") == true)
        let created = operations["/api/v1/bookings"]?["post"]?["responses"]?["201"]?["headers"]
        for name in ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"] {
            #expect(created?[name] != nil, "\(name)")
            #expect(document["components"]?["headers"]?[name] != nil)
        }
        #expect(document["components"]?["responses"]?["RateLimited"]?["headers"]?["Retry-After"] != nil)
        #expect(document["components"]?["responses"]?["RateLimited"]?["description"]?.string?.contains("100 requests a second") == true)
        // Found by schemathesis: optional request fields may be null (read as absent), and an empty status filter means any
        let reason = document["components"]?["schemas"]?["CancelRequest"]?["properties"]?["reason"]?["type"]
        #expect(reason == .array([.string("string"), .string("null")]))
        let status = operations["/api/v1/bookings"]?["get"]?["parameters"]?.array?.first { $0["name"]?.string == "status" }
        #expect(status?["schema"]?["pattern"]?.string?.hasSuffix(")?$") == true)
        #expect(try call("GET", "/api/v1/bookings?status=").status == 200)
        // And a real answer carries what the document says
        let answer = try call("GET", "/api/v1/resources")
        #expect(answer.reply.header("RateLimit-Remaining") != nil)
    }

    @Test func theDocumentListsExactlyTheRoutesOfTheRouter() throws {
        let routed = Set(test.app.routes.filter { $0.pattern.hasPrefix("/api/v1") }.map { route in
            route.method + " " + route.pattern.split(separator: "/", omittingEmptySubsequences: false)
                .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
        })
        let document = try JSONValue.parse(try client.request("GET", "/api/v1/openapi.json").body)
        var documented = Set<String>()
        for (path, item) in document["paths"]?.object ?? [:] {
            for method in (item.object ?? [:]).keys { documented.insert(method.uppercased() + " " + path) }
        }
        #expect(routed == documented, "only routed: \(routed.subtracting(documented)); only documented: \(documented.subtracting(routed))")
        #expect(document["openapi"]?.string == "3.1.0")
        // Every $ref resolves; every operation has an id and documents its errors with the Error shape.
        func refs(_ value: JSONValue) -> [String] {
            switch value {
            case .object(let object): (object["$ref"]?.string.map { [$0] } ?? []) + object.values.flatMap(refs)
            case .array(let array): array.flatMap(refs)
            default: []
            }
        }
        let all = refs(document)
        #expect(all.count > 20)
        for ref in Set(all) {
            let parts = ref.split(separator: "/")
            #expect(parts.count == 4 && document["components"]?[String(parts[2])]?[String(parts[3])] != nil, "unresolved \(ref)")
        }
        let ids = APISpec.operations.map(\.id)
        #expect(Set(ids).count == ids.count)
        // Path parameters named in the path are declared, and the other way round.
        for operation in APISpec.operations {
            let named = Set(operation.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) })
            #expect(named == Set(operation.parameters.filter { $0.location == "path" }.map(\.name)), "\(operation.path)")
        }
    }

    @Test func theReferencePageIsRenderedFromTheDocument() throws {
        let page = try test.get("/api")
        #expect(page.status == .ok)
        for operation in APISpec.operations {
            #expect(page.text.contains("<code>\(operation.method) \(operation.path)</code>"), "\(operation.path)")
        }
        #expect(page.text.contains("id=\"schema-Booking\""))
        #expect(page.text.contains("<h1"))
    }

    // MARK: Every endpoint, real answers against the schemas

    @Test func everyEndpointAnswersInItsDocumentedShape() throws {
        #expect(try call("GET", "/api/v1/openapi.json", key: .some(nil)).status == 200)
        #expect(try call("GET", "/api/v1/offers").status == 200)
        #expect(try call("GET", "/api/v1/resources").json["resources"]?.array?.isEmpty == false)
        let versions = try call("GET", "/api/v1/offers/consultation/versions")
        #expect(versions.status == 200)
        #expect(versions.json["versions"]?.array?.first?["status"]?.string == "published")
        let slots = try call("GET", "/api/v1/offers/yoga-class/availability?from=2026-11-30&to=2026-12-02")
        #expect(slots.json["slots"]?.array?.isEmpty == false)

        let hold = try call("POST", "/api/v1/holds", bookingBody("2026-12-01T16:00:00Z"))
        #expect(hold.status == 201)
        #expect(hold.json["expires_at"]?.string != nil)
        let holdID = try #require(hold.json["id"]?.string)
        #expect(try call("POST", "/api/v1/holds/\(holdID)/confirm").status == 201)
        #expect(try call("GET", "/api/v1/bookings/\(holdID)").json["status"]?.string == "confirmed")

        let id = try book("2026-12-01T15:00:00Z")
        let moved = try call("POST", "/api/v1/bookings/\(id)/reschedule", #"{"start":"2026-12-01T17:00:00Z"}"#)
        #expect(moved.status == 200, "\(moved.reply.text)")
        #expect(moved.json["start"]?.string == "2026-12-01T17:00:00Z")
        #expect(moved.json["resources"]?.strings == ["dana-doctor"])
        let absent = try book("2026-12-02T15:00:00Z")
        let cancelled = try call("POST", "/api/v1/bookings/\(holdID)/cancel", #"{"reason":"x"}"#)
        #expect(cancelled.json["status"]?.string == "cancelled")
        // Check-in, complete and no-show wait for the appointment (issue 22: lifecycle moves respect time).
        test.clock.set("2026-12-01T17:05:00Z")
        #expect(try call("POST", "/api/v1/bookings/\(id)/check-in").json["status"]?.string == "checked_in")
        #expect(try call("POST", "/api/v1/bookings/\(id)/complete").json["status"]?.string == "completed")
        // A completed booking cannot be checked in again, moved or cancelled: 409.
        #expect(try call("POST", "/api/v1/bookings/\(id)/check-in").code == "illegal_transition")
        #expect(try call("POST", "/api/v1/bookings/\(id)/reschedule", #"{"start":"2026-12-01T18:00:00Z"}"#).code == "illegal_transition")
        #expect(try call("POST", "/api/v1/bookings/\(id)/cancel").status == 409)

        test.clock.set("2026-12-02T15:20:00Z")
        let noShow = try call("POST", "/api/v1/bookings/\(absent)/no-show")
        #expect(noShow.json["status"]?.string == "no_show")

        let list = try call("GET", "/api/v1/bookings?from=2026-11-01&to=2026-12-31&status=confirmed,completed,no_show,cancelled&limit=2")
        #expect(list.json["bookings"]?.array?.count == 2)
        #expect(list.json["next_cursor"]?.string != nil)
        let filtered = try call("GET", "/api/v1/bookings?from=2026-12-01&to=2026-12-31&status=completed&offer=consultation&resource=dana-doctor")
        #expect(filtered.json["bookings"]?.array?.map { $0["id"]?.string } == [id])
        #expect(filtered.json["next_cursor"] == .null)
        let audit = try test.database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_log WHERE action = 'booking.reschedule'") }
        #expect(audit == 1)
    }

    // MARK: Error codes

    @Test func eachErrorCodeInTheErrorShape() throws {
        // 400
        #expect(try call("POST", "/api/v1/bookings", "{nope").code == "bad_json")
        #expect(try call("POST", "/api/v1/bookings/x/reschedule", "[1]").code == "bad_json")
        // 401
        let anonymous = try call("GET", "/api/v1/bookings", key: .some(nil))
        #expect(anonymous.status == 401 && anonymous.code == "unauthorized")
        #expect(anonymous.reply.header("WWW-Authenticate") != nil)
        #expect(try call("GET", "/api/v1/resources", key: "bz_revoked").status == 401)
        // 403: a client key may book but not list or manage; a staff key may check in but not complete.
        let forbidden = try call("GET", "/api/v1/bookings", key: clientKey)
        #expect(forbidden.status == 403 && forbidden.code == "forbidden")
        #expect(try call("GET", "/api/v1/offers/consultation/versions", key: staffKey).status == 403)
        let id = try book("2026-12-03T15:00:00Z")
        #expect(try call("POST", "/api/v1/bookings/\(id)/complete", key: staffKey).status == 403)
        test.clock.set("2026-12-03T14:30:00Z")
        #expect(try call("POST", "/api/v1/bookings/\(id)/check-in", key: staffKey).status == 200)
        test.clock.set("2026-11-22T17:00:00Z")
        #expect(try call("GET", "/api/v1/bookings/\(id)", key: clientKey).status == 403)
        // 404
        #expect(try call("GET", "/api/v1/bookings/bk_nothing").code == "not_found")
        #expect(try call("GET", "/api/v1/offers/nothing/versions").status == 404)
        #expect(try call("GET", "/api/v1/bookings?offer=nothing").status == 404)
        // 409
        let taken = try call("POST", "/api/v1/bookings", bookingBody("2026-12-03T15:00:00Z"))
        #expect(taken.status == 409 && taken.code == "slot_unavailable" && taken.field == "start")
        // 422
        let unknown = try call("POST", "/api/v1/bookings", #"{"offer":"consultation","start":"2026-12-03T16:00:00Z","customer":{"name":"A","email":"a@example.com","age":3},"colour":"red"}"#)
        #expect(unknown.code == "unknown_field" && unknown.field == "colour")
        #expect(try call("POST", "/api/v1/bookings/\(id)/reschedule", #"{"start":"2026-12-03T16:00:00Z","when":1}"#).field == "when")
        let wrongType = try call("POST", "/api/v1/bookings", #"{"offer":"consultation","start":"2026-12-03T16:00:00Z","customer":{"name":"A","email":"a@example.com"},"resources":"dana-doctor"}"#)
        #expect(wrongType.status == 422 && wrongType.code == "validation_failed" && wrongType.field == "resources")
        #expect(try call("POST", "/api/v1/bookings/\(id)/reschedule", #"{"start":5}"#).field == "start")
        let invalidStart = try call("POST", "/api/v1/bookings", bookingBody("2026-12-03T15:10:00Z"))
        #expect(invalidStart.code == "invalid_start")
        let second = try book("2026-12-04T15:00:00Z")
        #expect(try call("POST", "/api/v1/bookings/\(second)/reschedule", #"{"start":"2026-12-04T15:10:00Z"}"#).code == "invalid_start")
        #expect(try call("GET", "/api/v1/bookings?limit=500").field == "limit")
        #expect(try call("GET", "/api/v1/bookings?cursor=garbage!").field == "cursor")
        #expect(try call("GET", "/api/v1/bookings?status=lost").field == "status")
        // 413 (server-wide limit, JSON under /api/)
        let huge = try call("POST", "/api/v1/bookings", #"{"notes":""# + String(repeating: "x", count: 1_100_000) + #""}"#)
        #expect(huge.status == 413)
    }

    @Test func aNoShowBeforeTheStartIsRefusedAndTheTimeStaysSold() throws {
        // Given a booking 17 days ahead (the issue's case)
        let id = try book("2026-12-09T15:00:00Z")
        // When it is marked as a no-show, completed or checked in now: 409 with a sentence
        let refused = try call("POST", "/api/v1/bookings/\(id)/no-show")
        #expect(refused.status == 409)
        #expect(refused.code == "illegal_transition")
        #expect(refused.json["error"]?["message"]?.string?.contains("15 minutes after its start") == true)
        #expect(try call("POST", "/api/v1/bookings/\(id)/check-in").code == "illegal_transition")
        // Then nothing changed: the booking holds its time, which cannot be sold again
        #expect(try call("GET", "/api/v1/bookings/\(id)").json["status"]?.string == "confirmed")
        #expect(try call("POST", "/api/v1/bookings", bookingBody("2026-12-09T15:00:00Z")).code == "slot_unavailable")
        // And at 15:15 on the day the no-show is accepted
        test.clock.set("2026-12-09T15:15:00Z")
        #expect(try call("POST", "/api/v1/bookings/\(id)/no-show").json["status"]?.string == "no_show")
    }

    @Test func lengthsCountCodePointsAsTheDocumentAndTheDatabaseDo() throws {
        // Found by schemathesis: 250 emoji with a skin-tone modifier are 250 characters to Swift but
        // 500+ code points to JSON Schema and SQLite; a reason like it was a 500 from the database.
        let id = try book("2026-12-07T15:00:00Z")
        let reason = String(repeating: "\u{1F44B}\u{1F3FB}", count: 251)
        let refused = try call("POST", "/api/v1/bookings/\(id)/cancel", #"{"reason":"\#(reason)"}"#)
        #expect(refused.status == 422)
        #expect(refused.field == "reason")
        let name = String(repeating: "e\u{301}", count: 61)   // 61 characters, 122 code points
        let body = #"{"offer":"consultation","start":"2026-12-08T15:00:00Z","customer":{"name":"\#(name)","email":"zed@example.com"}}"#
        #expect(try call("POST", "/api/v1/bookings", body).status == 422)
        #expect(try call("POST", "/api/v1/bookings/\(id)/cancel", #"{"reason":"\#(String(repeating: "\u{1F44B}\u{1F3FB}", count: 250))"}"#).status == 200)
    }

    @Test func aKeyOverItsRateGets429WithRetryAfter() throws {
        // Given a key whose own limit (set on its page) is 1 a second with a burst of 5
        let fresh = try test.database.pool.write { db in
            let business = try Catalog.business(db, slug: "demo")!
            let created = try APIKeys.create(db, businessID: business.id, name: "busy", now: 1_795_366_800, actor: .system)
            try APIKeys.setRateLimit(db, businessID: business.id, keyID: created.id, rate: (1, 5), now: 1_795_366_800, actor: .system)
            return created.key
        }
        var answers: [Answer] = []
        for _ in 0..<8 {
            let answer = try call("GET", "/api/v1/resources", key: fresh)
            answers.append(answer)
            if answer.status == 429 { break }
        }
        // Then every answer says where the key stands, and the sixth is refused with Retry-After
        #expect(answers.first?.reply.header("RateLimit-Limit") == "5")
        #expect(answers.first?.reply.header("RateLimit-Remaining") == "4")
        #expect(Int(answers.first?.reply.header("RateLimit-Reset") ?? "") ?? 0 >= 1)
        let answer = try #require(answers.last)
        #expect(answers.count <= 7)
        #expect(answer.status == 429)
        #expect(answer.code == "rate_limited")
        #expect(Int(answer.reply.header("Retry-After") ?? "") ?? 0 >= 1)
        #expect(answer.reply.header("RateLimit-Remaining") == "0")
        // Other keys are not affected, and have the default (100 a second, burst 100).
        let other = try call("GET", "/api/v1/resources")
        #expect(other.status == 200)
        #expect(other.reply.header("RateLimit-Limit") == "100")
    }

    @Test func aStaffKeySeesTheCustomerAsFrontDeskStaffWouldAndAnOwnerKeySeesAll() throws {
        let id = try book("2026-12-02T19:00:00Z")
        let owner = try call("GET", "/api/v1/bookings/\(id)")
        #expect(owner.json["customer"]?["name"]?.string == "Zed Racer")
        #expect(owner.json["customer"]?["email"]?.string == "zed@example.com")
        let staff = try call("GET", "/api/v1/bookings/\(id)", key: staffKey)
        #expect(staff.status == 200)
        #expect(staff.json["customer"]?["name"]?.string != "Zed Racer")
        #expect(staff.json["customer"]?["name"]?.string?.hasPrefix("Z") == true)
        #expect(staff.json["customer"]?["email"] == .null)
        let listed = try call("GET", "/api/v1/bookings?from=2026-12-02&to=2026-12-02", key: staffKey)
        #expect(!listed.reply.text.contains("zed@example.com") && !listed.reply.text.contains("Zed Racer"))
        test.clock.set("2026-12-02T18:30:00Z")
        let checkedIn = try call("POST", "/api/v1/bookings/\(id)/check-in", key: staffKey)
        #expect(checkedIn.status == 200)
        #expect(!checkedIn.reply.text.contains("zed@example.com"))
    }

    // MARK: Paging

    @Test func pagesStayStableWhileBookingsAreInsertedBetweenThem() async throws {
        var starts: [String] = []
        for day in ["2026-12-01", "2026-12-02", "2026-12-03"] {
            for hour in [15, 17, 19] { starts.append("\(day)T\(hour):00:00Z") }
        }
        for start in starts { _ = try book(start) }
        let range = "from=2026-12-01&to=2026-12-03"
        var seen: [String] = []
        var seenStarts: [String] = []
        var cursor: String?
        var inserted = 0
        let extra = ["2026-12-01T14:00:00Z", "2026-12-03T20:00:00Z", "2026-12-01T14:30:00Z", "2026-12-03T21:00:00Z", "2026-12-02T14:00:00Z"]
        // Concurrently with the paging, other bookings keep arriving (earlier and later than the cursor).
        let client = self.client
        let headers = [("Content-Type", "application/json"), ("Authorization", "Bearer \(key)")]
        let bodies = (0..<6).map { bookingBody("2026-12-0\(1 + $0 % 3)T\(15 + $0 / 3 * 2):30:00Z", resources: ["sam-stylist"]) }
        let background = Task.detached {
            for body in bodies { _ = try? client.request("POST", "/api/v1/bookings", headers: headers, body: Array(body.utf8)) }
        }
        repeat {
            let page = try call("GET", "/api/v1/bookings?\(range)&limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
            #expect(page.status == 200)
            for booking in page.json["bookings"]?.array ?? [] {
                seen.append(booking["id"]?.string ?? "")
                seenStarts.append(booking["start"]?.string ?? "")
            }
            cursor = page.json["next_cursor"]?.string
            if inserted < extra.count { _ = try book(extra[inserted], resources: ["dana-doctor"]); inserted += 1 }
        } while cursor != nil
        _ = await background.value
        #expect(Set(seen).count == seen.count, "duplicates: \(seen)")
        #expect(seenStarts == seenStarts.sorted(), "out of order: \(seenStarts)")
        // Every booking that existed before paging began is there exactly once.
        let all = try call("GET", "/api/v1/bookings?\(range)&limit=200")
        let sql = "SELECT public_id FROM booking_orders WHERE source = 'api' AND starts_at IN (\(starts.map { "\(RFC3339.parse($0)!)" }.joined(separator: ",")))"
        let before = try await test.database.pool.read { db in try String.fetchAll(db, sql: sql) }
        #expect(before.count == starts.count)
        #expect(Set(before).isSubset(of: Set(seen)))
        #expect((all.json["bookings"]?.array?.count ?? 0) >= seen.count)
    }

    // MARK: Isolation

    @Test func aKeyOfAnotherBusinessReachesNothingThroughAnyEndpoint() throws {
        let id = try book("2026-12-04T15:00:00Z")
        let hold = try call("POST", "/api/v1/holds", bookingBody("2026-12-04T17:00:00Z"))
        let holdID = try #require(hold.json["id"]?.string)
        let before = try call("GET", "/api/v1/bookings/\(id)").json
        var covered = Set<String>()
        for operation in APISpec.operations where operation.authenticated {
            var path = operation.path.replacingOccurrences(of: "{offer}", with: "consultation")
                .replacingOccurrences(of: "{resource}", with: "dana-doctor")
                .replacingOccurrences(of: "{membership}", with: "1")
                .replacingOccurrences(of: "{id}", with: operation.path.contains("holds") ? holdID : id)
            // The waitlist of a start names an offer in its query: another business's is not found.
            if operation.id == "listWaitlist" { path += "?offer=consultation&start=2026-12-04T15:00:00Z" }
            // A wallet is asked for by email: another business's key sees none of demo's credits.
            if operation.id == "getWallet" { path += "?email=zed%40example.com" }
            var body = ""
            let customer = #""customer":{"name":"Zed Racer","email":"zed@example.com"}"#
            if operation.body != nil {
                body = switch operation.body!.schema {
                case "BookingRequest": bookingBody("2026-12-04T16:00:00Z")
                case "RescheduleRequest": #"{"start":"2026-12-04T18:00:00Z"}"#
                case "SeriesMoveRequest": #"{"from":"2026-12-04T15:00:00Z","start":"2026-12-04T18:00:00Z"}"#
                case "WaitlistRequest": #"{"offer":"consultation","start":"2026-12-04T15:00:00Z",\#(customer)}"#
                case "SeriesRequest": #"{"offer":"consultation","start":"2026-12-04T16:00:00Z",\#(customer),"repeat":{"frequency":"weekly","count":2}}"#
                case "EnrolmentRequest": #"{"run":"pr_0123456789abcdef0123",\#(customer)}"#
                case "MakeupRequest": #"{"missed":"2026-12-04T15:00:00Z","session":"2026-12-05T15:00:00Z"}"#
                case "ProductRequest": #"{"kind":"package","name":"P","credits":1,"valid_days":1,"price":0,"offers":["consultation"]}"#
                case "GrantRequest": #"{"product":1}"#
                case "MembershipSignUpRequest": #"{"plan":1,"payment":"cash"}"#
                case "MembershipPauseRequest": #"{"months":1}"#
                // Catalog writes without a path make something of the key's own business.
                case "ResourceRequest": #"{"name":"Other Room","kind":"venue"}"#
                case "OfferRequest": #"{"name":"Other Offer","duration_minutes":30,"price":{"amount":100}}"#
                default: "{}"
                }
            }
            let answer = try call(operation.method, path, body, key: otherKey, spec: operation.path)
            let namesAnOffer = ["BookingRequest", "WaitlistRequest", "SeriesRequest", "ProductRequest"].contains(operation.body?.schema ?? "")
            if operation.path.contains("{") || namesAnOffer || operation.id == "listWaitlist" {
                #expect(answer.status == 404, "\(operation.method) \(path): \(answer.reply.text)")
            } else if ["ResourceRequest", "OfferRequest"].contains(operation.body?.schema ?? "") {
                #expect(answer.status == 201, "\(operation.method) \(path): \(answer.reply.text)")
                for secret in ["consultation", "dana-doctor", "demo"] { #expect(!answer.reply.text.contains(secret), "\(path) leaks \(secret)") }
            } else if operation.body?.schema == "WebhookRequest" {
                #expect(answer.status == 422, "\(operation.method) \(path)")   // an empty subscription: refused, naming nothing of demo
                #expect(!answer.reply.text.contains("demo"))
            } else {
                #expect(answer.status == 200, "\(operation.method) \(path)")
                let text = answer.reply.text
                for secret in ["consultation", "dana-doctor", id, "Zed Racer", "demo"] { #expect(!text.contains(secret), "\(path) leaks \(secret)") }
            }
            covered.insert(operation.method + " " + operation.path)
        }
        let withKeys = Set(APISpec.operations.filter(\.authenticated).map { $0.method + " " + $0.path })
        #expect(covered == withKeys)
        // Nothing changed for the owning business.
        #expect(try call("GET", "/api/v1/bookings/\(id)").json == before)
        #expect(try call("GET", "/api/v1/bookings/\(holdID)").json["status"]?.string == "held")
        let otherOrders = try test.database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM booking_orders b JOIN businesses s ON s.id = b.business_id WHERE s.slug = 'other'") }
        #expect(otherOrders == 0)
    }
}
