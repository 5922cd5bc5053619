import BookingCore
import Foundation
import GRDB
import HTTPServer
import Jobs
import Logging
import Outbound
import Passwords
@testable import Store
import Testing
import TestSupport
@testable import Web

/// Issue 15, "done when": an integrator with only the API sets a business up (a resource with its
/// hours and time off, an offer as a draft then published, a webhook), books, and receives a
/// verifiable `booking.created`; the owner sees that delivery on the webhooks page and delivers it
/// again with the same `Bizing-Delivery`. Against a real server on loopback, every answer checked
/// against the OpenAPI document.
@Suite(.serialized)
final class APICatalogTests {
    let test: TestApp
    let api: DocumentedAPIClient
    let key: String
    let keyID: APIKeyID
    let otherKey: String
    let staffKey: String

    init() throws {
        let hash = try TestApp.fastPasswords.hash(DemoData.password)
        test = try TestApp(now: Date(timeIntervalSince1970: TimeInterval(TestApp.Staff.mondayNine)), allowPrivateWebhooks: true,
                           seed: { database in
            try database.pool.write { db in _ = try DemoData.seed(db, now: TestApp.Staff.seededAt, hashPassword: { hash }) }
        })
        let test = self.test
        (key, keyID, otherKey, staffKey) = try test.database.pool.write { db in
            let demo = try #require(try Catalog.business(db, slug: "demo"))
            let other = try Catalog.createBusiness(db, slug: "other", name: "Other", timeZone: "Europe/Berlin", currency: "EUR", now: 0)
            let owner = try APIKeys.create(db, businessID: demo.id, name: "integrator", now: 0, actor: .system)
            return (owner.key, owner.id, try APIKeys.create(db, businessID: other.id, name: "other", now: 0, actor: .system).key,
                    try APIKeys.create(db, businessID: demo.id, name: "desk", role: .staff, now: 0, actor: .system).key)
        }
        api = try DocumentedAPIClient(test)
    }

    deinit { api.stop() }

    typealias Answer = DocumentedAPIClient.Answer

    /// A request with `key` (the integrator's by default); the answer must be documented for the
    /// operation and match its schema.
    @discardableResult
    func call(_ method: String, _ path: String, _ body: String = "", key: String? = nil, headers: [(String, String)] = [],
              sourceLocation: SourceLocation = #_sourceLocation) throws -> Answer {
        try api.call(method, path, body, bearer: key ?? self.key, headers: headers, spec: nil, sourceLocation: sourceLocation)
    }

    func keyOf(_ table: String, where condition: String) throws -> [Int64?] {
        try test.database.pool.read { try Int64?.fetchAll($0, sql: "SELECT api_key_id FROM \(table) WHERE \(condition) ORDER BY id") }
    }

    static let weekdays = #"{"mon":{"opens":"09:00","closes":"17:00"},"tue":{"opens":"09:00","closes":"17:00"},"wed":{"opens":"09:00","closes":"17:00"},"thu":{"opens":"09:00","closes":"17:00"},"fri":{"opens":"09:00","closes":"17:00"}}"#

    /// Kim Coach (Mon–Fri 09:00–17:00, away Tuesday 09:00–10:00 and closed on Thanksgiving) and a
    /// published 45-minute coaching session with Kim, all through the API.
    func setUpCoaching() throws {
        let resource = #"{"name":"Kim Coach","kind":"host","tags":["Coaching"],"hours":\#(Self.weekdays)}"#
        let created = try call("POST", "/api/v1/resources", resource, headers: [("Idempotency-Key", "kim-1")])
        #expect(created.status == 201)
        #expect(created.json["slug"]?.string == "kim-coach")
        #expect(created.json["tags"]?.strings == ["coaching"])
        #expect(created.json["hours"]?["tue"]?["opens"]?.string == "09:00")
        #expect(created.json["hours"]?["sat"] == nil)
        // The same key and body: the first answer again, and still one Kim.
        let replay = try call("POST", "/api/v1/resources", resource, headers: [("Idempotency-Key", "kim-1")])
        #expect(replay.status == 201)
        #expect(replay.reply.header("Idempotent-Replayed") == "true")
        #expect(replay.json == created.json)
        #expect(try call("GET", "/api/v1/resources").json["resources"]?.array?.filter { $0["name"]?.string == "Kim Coach" }.count == 1)

        let block = try call("POST", "/api/v1/resources/kim-coach/blocks",
                             #"{"start":"2026-11-24T14:00:00Z","end":"2026-11-24T15:00:00Z","reason":"Training"}"#)
        #expect(block.status == 201)
        #expect(block.json["start"]?.string == "2026-11-24T14:00:00Z")
        let closure = try call("POST", "/api/v1/resources/kim-coach/closures", #"{"date":"2026-11-26","note":"Thanksgiving"}"#)
        #expect(closure.status == 201)
        #expect(closure.json["kind"]?.string == "closed")

        let offer = try call("POST", "/api/v1/offers", """
            {"name":"Coaching session","duration_minutes":45,"slot_interval_minutes":15,"price":{"amount":6000},
             "resources":[{"resource":"kim-coach"}],"cancellation_tiers":[{"hours_before":24,"refund_percent":100}]}
            """)
        #expect(offer.status == 201)
        #expect(offer.json["slug"]?.string == "coaching-session")
        #expect(offer.json["draft_version"]?.int == 1)
        #expect(offer.json["published"] == .null)
        #expect(offer.json["draft"]?["price"]?["amount"]?.int == 6000)
        #expect(offer.json["draft"]?["price"]?["currency"]?.string == "USD")
        #expect(offer.json["draft"]?["resources"]?.array?.first?["resource"]?.string == "kim-coach")
        // A draft is not for sale.
        #expect(try call("GET", "/api/v1/offers/coaching-session/availability?from=2026-11-24&to=2026-11-24").status == 404)
        let published = try call("POST", "/api/v1/offers/coaching-session/publish")
        #expect(published.status == 200)
        #expect(published.json["published_version"]?.int == 1)
        #expect(published.json["draft"] == .null)
    }

    @Test func anIntegratorSetsUpBooksAndReceivesASignedEventThatTheOwnerSeesAndRedelivers() throws {
        let receiver = HTTPReceiver()
        try receiver.start()
        defer { receiver.stop() }
        try setUpCoaching()

        // Kim is away until 10:00 on Tuesday, and closed on Thursday.
        let tuesday = try call("GET", "/api/v1/offers/coaching-session/availability?from=2026-11-24&to=2026-11-24")
        #expect(tuesday.json["slots"]?.array?.first?["start"]?.string == "2026-11-24T15:00:00Z")
        #expect(tuesday.json["slots"]?.array?.first?["resources"]?.strings == ["kim-coach"])
        #expect(try call("GET", "/api/v1/offers/coaching-session/availability?from=2026-11-26&to=2026-11-26").json["slots"]?.array?.isEmpty == true)

        let hook = try call("POST", "/api/v1/webhooks", #"{"url":"\#(receiver.baseURL)/hooks","events":["booking.created"]}"#)
        #expect(hook.status == 201)
        let webhookID = try #require(hook.json["id"]?.string)
        let secret = try #require(hook.json["secret"]?.string)

        let booked = try call("POST", "/api/v1/bookings", """
            {"offer":"coaching-session","start":"2026-11-24T15:00:00Z","customer":{"name":"Ivy Integrator","email":"ivy@example.com"}}
            """, headers: [("Idempotency-Key", "book-1")])
        #expect(booked.status == 201)
        let bookingID = try #require(booked.json["id"]?.string)
        #expect(booked.json["price"]?["total"]?.int == 6000)

        let worker = try Self.worker(test)
        #expect(try worker.deliverBatch() == 1)
        let first = try #require(receiver.waitForRequests(count: 1).first)
        #expect(first.header("Bizing-Event") == "booking.created")
        #expect(WebhookSignature.verifies(first.header("Bizing-Signature"), body: first.body, secret: secret))
        #expect(!WebhookSignature.verifies(first.header("Bizing-Signature"), body: first.body, secret: secret + "x"))
        let event = try JSONValue.parse(first.body)
        #expect(event["type"]?.string == "booking.created")
        #expect(event["data"]?["booking"]?["id"]?.string == bookingID)
        #expect(event["data"]?["booking"]?["offer"]?.string == "coaching-session")
        #expect(event["data"]?["booking"]?["resources"]?.strings == ["kim-coach"])
        let deliveryID = try #require(first.header("Bizing-Delivery"))

        // The owner sees the delivery on the page and delivers it again.
        let owner = try test.signedIn("owner@demo.test")
        let log = try owner.get("/manage/demo/webhooks")
        #expect(log.status == .ok)
        #expect(log.text.contains("Bizing-Delivery: \(deliveryID)"))
        #expect(log.text.contains(bookingID))
        #expect(try owner.post("/manage/demo/webhooks/\(webhookID)/deliveries/\(deliveryID)/redeliver", []).status == .seeOther)
        #expect(try worker.deliverBatch() == 1)
        let again = receiver.waitForRequests(count: 2)
        #expect(again.count == 2)
        #expect(again.last?.header("Bizing-Delivery") == deliveryID)
        #expect(again.last?.body == first.body)
        #expect(WebhookSignature.verifies(again.last?.header("Bizing-Signature"), body: again.last?.body ?? [], secret: secret))
        let deliveries = try call("GET", "/api/v1/webhooks/\(webhookID)/deliveries")
        #expect(deliveries.json["deliveries"]?.array?.first?["attempts"]?.int == 2)

        // What the key made records the key.
        let id = keyID.rawValue
        #expect(try keyOf("resources", where: "slug = 'kim-coach'") == [id])
        #expect(try keyOf("offers", where: "slug = 'coaching-session'") == [id])
        #expect(try keyOf("offer_versions", where: "offer_id = (SELECT id FROM offers WHERE slug = 'coaching-session')") == [id])
        #expect(try keyOf("blocked_times", where: "reason = 'Training'") == [id])
        #expect(try keyOf("date_overlays", where: "note = 'Thanksgiving'") == [id])
        #expect(try keyOf("resources", where: "slug = 'dana-doctor'") == [nil])
        #expect(try test.audit(action: "offer.create").last?.actor == "api_key:\(id)")
    }

    @Test func catalogWritesAreCheckedAsTheBuilderChecksThemAndScopedToTheKeysBusiness() throws {
        try setUpCoaching()
        // The builder's checks, with the API's field names.
        #expect(try call("POST", "/api/v1/resources", #"{"name":"Robo","kind":"robot"}"#).field == "kind")
        #expect(try call("POST", "/api/v1/resources", #"{"name":"Lee","kind":"host","hours":{"mon":{"opens":"17:00","closes":"09:00"}}}"#)
            .field == "hours.mon.closes")
        #expect(try call("POST", "/api/v1/resources", #"{"name":"Lee","kind":"host","colour":"red"}"#).code == "unknown_field")
        #expect(try call("POST", "/api/v1/resources/kim-coach", #"{"capacity":3}"#).field == "capacity")
        let longer = try call("POST", "/api/v1/offers", #"{"name":"Odd","duration_minutes":45,"duration_max_minutes":30,"price":{"amount":100}}"#)
        #expect(longer.status == 422)
        #expect(longer.field == "duration_max_minutes")
        #expect(try call("POST", "/api/v1/offers", #"{"name":"Odd","duration_minutes":45,"price":{"amount":100},"resources":[{"resource":"nobody"}]}"#)
            .field == "resources")
        #expect(try call("POST", "/api/v1/offers", #"{"name":"Odd","duration_minutes":45,"price":{"amount":100},"deposit":{"kind":"percent"}}"#)
            .field == "deposit.percent")
        #expect(try call("POST", "/api/v1/offers/coaching-session/draft", #"{"seats":2,"min_participants":3}"#).field == "min_participants")
        #expect(try call("POST", "/api/v1/offers/coaching-session/publish").code == "no_draft")
        #expect(try call("POST", "/api/v1/resources/kim-coach/blocks", #"{"start":"2026-11-24T15:00:00Z","end":"2026-11-24T15:00:00Z"}"#)
            .field == "end")
        #expect(try call("POST", "/api/v1/resources/kim-coach/closures", #"{"date":"2026-11-27","kind":"special_hours","opens":"10:00"}"#)
            .field == "closes")
        // A closed day with hours, or with hours that are no time at all, is refused and nothing is added
        // (api-fuzz seed 322509270420672845636159642401435621990 was given 201 and a whole-day closure).
        let closedWithHours = try call("POST", "/api/v1/resources/kim-coach/closures", #"{"date":"2026-11-27","opens":"09:00"}"#)
        #expect(closedWithHours.status == 422)
        #expect(closedWithHours.field == "opens")
        #expect(try call("POST", "/api/v1/resources/kim-coach/closures", #"{"date":"2026-11-27","kind":"closed","closes":5236923623179107466672893180510208}"#)
            .field == "closes")
        #expect(try call("GET", "/api/v1/resources/kim-coach").json["closures"]?.array?.contains { $0["date"]?.string == "2026-11-27" } == false)

        // Changes: details, hours, a draft on top of the published version, then published.
        let changed = try call("POST", "/api/v1/resources/kim-coach", #"{"name":"Kim Coach-Lee","max_bookings_per_day":4}"#)
        #expect(changed.json["name"]?.string == "Kim Coach-Lee")
        #expect(changed.json["slug"]?.string == "kim-coach")
        #expect(changed.json["max_bookings_per_day"]?.int == 4)
        let hours = try call("POST", "/api/v1/resources/kim-coach/hours", #"{"hours":{"sat":{"opens":"10:00","closes":"14:00"}}}"#)
        #expect(hours.json["hours"]?.object?.keys.sorted() == ["sat"])
        let draft = try call("POST", "/api/v1/offers/coaching-session/draft", #"{"buffer_after_minutes":15,"approval_required":true}"#)
        #expect(draft.status == 200)
        #expect(draft.json["draft_version"]?.int == 2)
        #expect(draft.json["draft"]?["buffer_after_minutes"]?.int == 15)
        #expect(draft.json["draft"]?["approval_required"] == .bool(true))
        #expect(draft.json["draft"]?["duration_minutes"]?.int == 45)              // kept
        #expect(draft.json["published"]?["buffer_after_minutes"]?.int == 0)       // a published version never changes
        #expect(try call("POST", "/api/v1/offers/coaching-session/publish").json["published_version"]?.int == 2)
        #expect(try call("POST", "/api/v1/offers/coaching-session/status", #"{"status":"paused"}"#).json["status"]?.string == "paused")

        // An empty draft of a page-made offer is that offer again: the builder's settings round-trip.
        let treatment = try call("POST", "/api/v1/offers/treatment/draft", "{}")
        #expect(treatment.status == 200)
        #expect(treatment.json["draft"] == treatment.json["published"])

        // Closures and blocks come off by id, once.
        let closure = try #require(try call("GET", "/api/v1/resources/kim-coach").json["closures"]?.array?.first?["id"]?.int)
        #expect(try call("DELETE", "/api/v1/resources/kim-coach/closures/\(closure)").status == 204)
        #expect(try call("DELETE", "/api/v1/resources/kim-coach/closures/\(closure)").status == 404)

        // Another business's key finds nothing; a staff key may not build.
        #expect(try call("GET", "/api/v1/resources/kim-coach", key: otherKey).status == 404)
        #expect(try call("POST", "/api/v1/resources/kim-coach/blocks", #"{"start":"2026-11-24T15:00:00Z","end":"2026-11-24T16:00:00Z"}"#,
                         key: otherKey).status == 404)
        #expect(try call("POST", "/api/v1/offers/coaching-session/draft", #"{"seats":2}"#, key: otherKey).status == 404)
        #expect(try call("POST", "/api/v1/offers/coaching-session/publish", key: otherKey).status == 404)
        let block = try #require(try call("GET", "/api/v1/resources/kim-coach").json["blocks"]?.array?.first?["id"]?.int)
        #expect(try call("DELETE", "/api/v1/resources/kim-coach/blocks/\(block)", key: otherKey).status == 404)
        #expect(try call("POST", "/api/v1/resources", #"{"name":"Desk Made","kind":"venue"}"#, key: staffKey).status == 403)
        #expect(try call("POST", "/api/v1/offers", #"{"name":"Desk Made","duration_minutes":30,"price":{"amount":0}}"#, key: staffKey).status == 403)
    }

    static func worker(_ test: TestApp) throws -> OutboxWorker {
        var logger = Logger(label: "outbox-test")
        logger.logLevel = .critical
        return try OutboxWorker(database: test.database, transport: nil,
                                settings: MailSettings(from: MailAddress("bookings@bizing.test", name: "Demo Wellness"), baseURL: "http://localhost"),
                                templatesDirectory: TestApp.root + "/Templates/email",
                                webhooks: WebhookSender(client: HTTPClient(policy: DestinationPolicy(allowPrivate: true)), payload: WebhookPayload.write),
                                logger: logger, clock: { test.nowSeconds })
    }
}
