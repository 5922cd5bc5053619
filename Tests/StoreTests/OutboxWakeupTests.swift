import BookingCore
import Foundation
import Testing
@testable import Store

/// The outbox worker is woken for the kind of work a commit added: a booking's emails wake it for
/// mail only, so a worker without a mail transport does not claim webhooks (a write through the
/// group-commit writer) after every booking; a webhook delivery wakes it for webhooks.
struct OutboxWakeupTests {
    let base = BookingStoreTests()

    @Test func aBookingWithoutWebhooksWakesTheWorkerForMailOnly() throws {
        let (database, business) = try base.demo()
        _ = database.outboxWakeup.wait(seconds: 0)   // whatever the demo's seeding signalled
        _ = try database.write { db in
            try Bookings.book(db, business: business, request: base.request("consultation", base.newYork("2026-12-03", "10:00"),
                                                                             resources: ["dana-doctor"]),
                              now: BookingStoreTests.now, actor: .guest)
        }
        #expect(database.outboxWakeup.wait(seconds: 5) == .mail)
        // Nothing else is pending: the next wait runs out and answers a poll of everything.
        #expect(database.outboxWakeup.wait(seconds: 0.05) == .all)
    }

    @Test func aBookingThatAWebhookSubscribesToWakesTheWorkerForBoth() throws {
        let (database, business) = try base.demo()
        _ = try database.createWebhook(businessID: business.id, url: "https://hooks.example.com/in", events: [.bookingCreated],
                                       role: .owner, apiKeyID: nil, actor: .system, now: BookingStoreTests.now, answer: { _, _ in [] })
        _ = database.outboxWakeup.wait(seconds: 0)
        _ = try database.write { db in
            try Bookings.book(db, business: business, request: base.request("consultation", base.newYork("2026-12-03", "10:00"),
                                                                             resources: ["dana-doctor"]),
                              now: BookingStoreTests.now, actor: .guest)
        }
        #expect(database.outboxWakeup.wait(seconds: 5) == .all)
    }

    @Test func signalsAddUpUntilTheWorkerWakes() {
        let wakeup = OutboxWakeup()
        wakeup.signal(.mail)
        wakeup.signal(.webhooks)
        #expect(wakeup.wait(seconds: 1) == .all)
        wakeup.signal(.webhooks)
        #expect(wakeup.wait(seconds: 1) == .webhooks)
        wakeup.signal([])
        #expect(wakeup.wait(seconds: 0.05) == .all)   // no wake-up: the poll's answer
    }
}
