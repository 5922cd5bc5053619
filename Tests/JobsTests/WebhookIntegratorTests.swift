import BookingCore
import Foundation
import GRDB
import HTTPServer
import Jobs
import Outbound
@testable import Store
import TestSupport
import Testing
import Web

/// The issue's "done when", over the API only: an integrator subscribes a webhook, books, receives
/// `booking.created` with a signature they can verify, sees the delivery and has it delivered again.
@Suite(.serialized) struct WebhookIntegratorTests {
    func call(_ harness: MailHarness, _ method: String, _ path: String, key: String, json: String? = nil,
              headers: [(String, String)] = []) throws -> (status: Int, json: [String: Any]) {
        let response = harness.app.respond(to: try Request(
            method: method, target: path,
            headers: Headers([("Authorization", "Bearer \(key)"), ("Content-Type", "application/json")] + headers),
            body: Array((json ?? "").utf8)))
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        return (response.status.code, object)
    }

    @Test func anIntegratorSubscribesBooksReceivesAVerifiableEventAndRedeliversIt() throws {
        let harness = try MailHarness(allowPrivateWebhooks: true)
        let receiver = HTTPReceiver()
        try receiver.start()
        defer { receiver.stop() }
        let key = try harness.database.createAPIKey(businessID: harness.business.id, name: "CRM", role: .owner, now: harness.now,
                                                    actor: .system).key

        let body = #"{"url":"\#(receiver.baseURL)/bizing","events":["booking.created"]}"#
        let created = try call(harness, "POST", "/api/v1/webhooks", key: key, json: body, headers: [("Idempotency-Key", "hook-1")])
        #expect(created.status == 201)
        let webhookID = try #require(created.json["id"] as? String)
        let secret = try #require(created.json["secret"] as? String)
        #expect(created.json["events"] as? [String] == ["booking.created"])
        // The same key and body: the first answer again, secret included; another body: 422.
        let replay = try call(harness, "POST", "/api/v1/webhooks", key: key, json: body, headers: [("Idempotency-Key", "hook-1")])
        #expect(replay.status == 201)
        #expect(replay.json["secret"] as? String == secret)
        #expect(try call(harness, "POST", "/api/v1/webhooks", key: key, json: body.replacingOccurrences(of: "bizing", with: "other"),
                         headers: [("Idempotency-Key", "hook-1")]).status == 422)
        let listed = try call(harness, "GET", "/api/v1/webhooks", key: key)
        #expect((listed.json["webhooks"] as? [[String: Any]])?.count == 1)
        #expect((listed.json["webhooks"] as? [[String: Any]])?.first?["secret"] == nil)

        let booking = try call(harness, "POST", "/api/v1/bookings", key: key, json: """
            {"offer":"consultation","start":"\(RFC3339.format(harness.newYork("2026-11-30", "10:00")))","resources":["sam-stylist"],
             "customer":{"name":"Ivy Integrator","email":"ivy@example.com"}}
            """)
        #expect(booking.status == 201)
        let bookingID = try #require(booking.json["id"] as? String)
        // The answer carries the customer's manage link, which opens the booking.
        let manage = try #require(booking.json["manage_url"] as? String)
        #expect(manage.hasPrefix("http://localhost/bookings/\(bookingID)?token="))
        #expect(try harness.get(String(manage.dropFirst("http://localhost".count))).status == .ok)

        let worker = try harness.worker(nil, webhooks: WebhookSender(client: HTTPClient(policy: DestinationPolicy(allowPrivate: true)),
                                                                    payload: WebhookPayload.write))
        #expect(try worker.deliverBatch() == 1)
        let request = try #require(receiver.waitForRequests(count: 1).first)
        #expect(request.header("Bizing-Event") == "booking.created")
        #expect(WebhookDeliveryTests.verifies(request.header("Bizing-Signature"), body: request.body, secret: secret))
        let event = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect(((event["data"] as? [String: Any])?["booking"] as? [String: Any])?["id"] as? String == bookingID)

        let deliveries = try call(harness, "GET", "/api/v1/webhooks/\(webhookID)/deliveries", key: key)
        let delivery = try #require((deliveries.json["deliveries"] as? [[String: Any]])?.first)
        #expect(delivery["status"] as? String == "delivered")
        #expect(delivery["event"] as? String == "booking.created")
        #expect(delivery["attempts"] as? Int == 1)
        #expect(delivery["last_status_code"] as? Int == 200)
        #expect(delivery["next_attempt_at"] is NSNull)
        let deliveryID = try #require(delivery["id"] as? String)
        #expect(deliveryID == request.header("Bizing-Delivery"))

        #expect(try call(harness, "POST", "/api/v1/webhooks/\(webhookID)/deliveries/\(deliveryID)/redeliver", key: key).status == 202)
        #expect(try call(harness, "POST", "/api/v1/webhooks/\(webhookID)/deliveries/dlv_nope/redeliver", key: key).status == 404)
        #expect(try worker.deliverBatch() == 1)
        let again = receiver.waitForRequests(count: 2)
        #expect(again.count == 2)
        #expect(again.last?.header("Bizing-Delivery") == deliveryID)
        #expect(again.last?.body == request.body)

        #expect(try call(harness, "DELETE", "/api/v1/webhooks/\(webhookID)", key: key).status == 204)
        #expect(try call(harness, "GET", "/api/v1/webhooks/\(webhookID)/deliveries", key: key).status == 404)
    }

    @Test func aLoopbackURLIs422WithoutTheFlagAndOtherBusinessesSeeNothing() throws {
        let harness = try MailHarness()
        let key = try harness.database.createAPIKey(businessID: harness.business.id, name: "CRM", role: .owner, now: harness.now,
                                                    actor: .system).key
        let refused = try call(harness, "POST", "/api/v1/webhooks", key: key, json: #"{"url":"http://127.0.0.1:9/x","events":["booking.created"]}"#)
        #expect(refused.status == 422)
        #expect((refused.json["error"] as? [String: Any])?["field"] as? String == "url")
        let unknown = try call(harness, "POST", "/api/v1/webhooks", key: key, json: #"{"url":"http://127.0.0.1:9/x","events":["booking.exploded"]}"#)
        #expect(unknown.status == 422)
        #expect(try harness.database.webhooks(businessID: harness.business.id).isEmpty)
        #expect(try call(harness, "DELETE", "/api/v1/webhooks/wh_nope", key: key).status == 404)
    }
}

/// What an API key creates records the key (issue 15); other bookings do not.
@Suite struct APIKeyRecordTests {
    @Test func aBookingMadeWithAKeyRecordsItAndAGuestBookingDoesNot() throws {
        let harness = try MailHarness()
        let key = try harness.database.createAPIKey(businessID: harness.business.id, name: "CRM", role: .owner, now: harness.now, actor: .system)
        let answer = try WebhookIntegratorTests().call(harness, "POST", "/api/v1/bookings", key: key.key, json: """
            {"offer":"consultation","start":"\(RFC3339.format(harness.newYork("2026-11-30", "10:00")))","resources":["sam-stylist"],
             "customer":{"name":"Ivy Integrator","email":"ivy@example.com"}}
            """)
        #expect(answer.status == 201)
        let guest = try harness.book(at: harness.newYork("2026-11-30", "11:00")).order
        let recorded = try harness.database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT public_id, api_key_id FROM booking_orders WHERE public_id IN (?, ?)",
                             arguments: [answer.json["id"] as? String, guest.publicID])
                .map { ($0["public_id"] as String, $0["api_key_id"] as Int64?) }
        }
        #expect(recorded.first { $0.0 == answer.json["id"] as? String }?.1 == key.id.rawValue)
        #expect(recorded.first { $0.0 == guest.publicID }?.1 == nil)
    }
}
