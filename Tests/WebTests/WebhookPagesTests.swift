import BookingCore
import Foundation
import GRDB
import HTTPServer
import Passwords
@testable import Store
import Testing
@testable import Web

/// `/manage/{business}/webhooks`: owners add endpoints (secret shown once), see each delivery's request
/// and responses, and deliver one again; loopback URLs are refused without the server's flag.
struct WebhookPagesTests {
    static func demo(allowPrivate: Bool) throws -> TestApp {
        let hash = try TestApp.fastPasswords.hash(DemoData.password)
        return try TestApp(now: Date(timeIntervalSince1970: TimeInterval(TestApp.Staff.mondayNine)), allowPrivateWebhooks: allowPrivate,
                           seed: { database in
            try database.pool.write { db in _ = try DemoData.seed(db, now: TestApp.Staff.seededAt, hashPassword: { hash }) }
        })
    }

    @Test func aLoopbackURLIsRefusedWithASentenceAndOnlyOwnersAndAdminsSeeThePage() throws {
        let test = try Self.demo(allowPrivate: false)
        let owner = try test.signedIn("owner@demo.test")
        let page = try owner.get("/manage/demo/webhooks")
        #expect(page.status == .ok)
        #expect(page.text.contains("No webhooks yet."))
        let refused = try owner.post("/manage/demo/webhooks", [("url", "http://127.0.0.1:8080/hook"), ("events", "booking.created")])
        #expect(refused.status == .unprocessable)
        #expect(refused.text.contains("That URL is not allowed"))
        #expect(refused.text.contains("<a href=\"#url\">"))
        let noEvents = try owner.post("/manage/demo/webhooks", [("url", "http://127.0.0.1:8080/hook")])
        #expect(noEvents.text.contains("Choose at least one event."))
        #expect(try test.database.webhooks(businessID: try #require(try test.database.business(slug: "demo")).id).isEmpty)
        #expect(try test.signedIn("frontdesk@demo.test").get("/manage/demo/webhooks").status == .notFound)   // not theirs to see
        #expect(try owner.post("/manage/demo/webhooks", [("url", "https://example.com/"), ("events", "booking.created")],
                               csrf: .some(nil)).status == .forbidden)
    }

    @Test func anOwnerAddsAnEndpointSeesADeliveryRequestAndResponseAndRedeliversIt() throws {
        let test = try Self.demo(allowPrivate: true)
        let business = try #require(try test.database.business(slug: "demo"))
        let owner = try test.signedIn("owner@demo.test")
        try owner.get("/manage/demo/webhooks")
        let created = try owner.post("/manage/demo/webhooks", [("url", "http://127.0.0.1:9/hook"), ("events", "booking.created"),
                                                              ("events", "booking.cancelled")])
        #expect(created.status == .created)
        #expect(created.headers["Cache-Control"] == "no-store")
        let subscription = try #require(try test.database.webhooks(businessID: business.id).first)
        #expect(subscription.events == [.bookingCreated, .bookingCancelled])
        let secret = try #require(try test.database.pool.read {
            try String.fetchOne($0, sql: "SELECT secret FROM webhook_subscriptions")
        })
        #expect(created.text.contains(secret))
        #expect(!(try owner.get("/manage/demo/webhooks").text.contains(secret)))   // shown once

        // A booking, and one failed attempt as the worker records it.
        let start = ZoneClock(identifier: business.timeZone)!.instant(LocalDate("2026-11-30")!, WallTime("10:00")!)!
        _ = try test.database.book(business: business, request: BookingRequest(
            offerSlug: "consultation", start: start, customer: CustomerDetails(name: "Pat Payload", email: "pat@example.com"),
            resourceSlugs: ["sam-stylist"], source: "web"), now: test.nowSeconds, actor: .guest)
        let job = try #require(try test.database.claimDueWebhooks(now: test.nowSeconds, leaseSeconds: 60, limit: 10).first)
        let payload = WebhookPayload.write(job)
        try test.database.recordWebhookAttempts([WebhookAttemptReport(
            deliveryID: job.id, payload: payload,
            attempt: WebhookAttempt(number: 1, at: test.nowSeconds, url: job.url, signature: "t=1,v1=abc", statusCode: 500,
                                    responseBody: "upstream exploded", durationMilliseconds: 42, error: "HTTP 500"),
            retryAt: test.nowSeconds + 20, delivered: false)], now: test.nowSeconds)

        let log = try owner.get("/manage/demo/webhooks").text
        #expect(log.contains("Bizing-Delivery: \(job.publicID)"))
        #expect(log.contains("Pat Payload"))              // the request body
        #expect(log.contains("upstream exploded"))        // the response body
        #expect(log.contains("<strong>500</strong> in 42 ms"))
        #expect(log.contains("t=1,v1=abc"))

        let redeliver = try owner.post("/manage/demo/webhooks/\(subscription.publicID)/deliveries/\(job.publicID)/redeliver", [])
        #expect(redeliver.status == .seeOther)
        let row = try #require(try test.database.pool.read {
            try Row.fetchOne($0, sql: "SELECT status, next_attempt_at FROM webhook_deliveries")
        })
        #expect(row["status"] == "pending")
        #expect(row["next_attempt_at"] == test.nowSeconds)
        #expect(try test.audit(action: "webhook.redeliver").count == 1)

        #expect(try owner.post("/manage/demo/webhooks/\(subscription.publicID)/delete", []).status == .seeOther)
        #expect(try test.database.webhooks(businessID: business.id).isEmpty)
    }
}
