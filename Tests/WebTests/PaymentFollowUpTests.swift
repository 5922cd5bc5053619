import BookingCore
import Foundation
import GRDB
import HTTPServer
import Outbound
@testable import Store
import TestSupport
import Testing
@testable import Web

/// Payments after the money moved, against localstripe (issue 16): disputes reach the owner and the
/// booking's staff page, refunds owed are retried from it, a card saved without a payment (no
/// deposit, a no-show fee) pays the fee, and a replayed API booking of a paid offer makes one intent.
@Suite(.serialized)
struct PaymentFollowUpTests {
    typealias Harness = PaymentsTests.Harness

    /// Pays the treatment deposit (18.00 of 90.00); the booking's id and its guest token.
    private func paidBooking(_ harness: Harness, guest: Browser) throws -> (id: String, token: String) {
        let (hold, payPath) = try harness.holdAndAskForPayment(guest)
        let paid = try harness.pay(guest, hold: hold, payPath: payPath)
        let location = try #require(paid.headers["Location"], "paying answered \(paid.status.code): \(paid.text.prefix(300))")
        return (hold, String(location.split(separator: "=").last!))
    }

    private func count(_ harness: Harness, _ sql: String, _ arguments: StatementArguments = []) throws -> Int {
        try harness.test.database.pool.read { try Int.fetchOne($0, sql: sql, arguments: arguments) ?? 0 }
    }

    @Test func aDisputeIsRecordedOnceEmailsTheOwnerAndShowsOnTheBookingsStaffPage() throws {
        let harness = try Harness()
        let guest = harness.test.browser("198.51.100.40")
        let (id, _) = try paidBooking(harness, guest: guest)
        let intent = try harness.intentID(hold: id)
        let dispute: [String: Any] = ["id": "evt_dispute_1", "type": "charge.dispute.created",
                                      "data": ["object": ["id": "dp_follow1", "object": "dispute", "payment_intent": intent, "amount": 1800,
                                                          "currency": "usd", "reason": "fraudulent"]]]
        #expect(try harness.webhook(dispute).status == .ok)
        #expect(try harness.webhook(dispute).status == .ok)   // Stripe delivers at least once
        var again = dispute
        again["id"] = "evt_dispute_2"   // another event about the same dispute
        #expect(try harness.webhook(again).status == .ok)
        #expect(try harness.ledger(hold: id).map { "\($0.kind) \($0.amount)" } == ["deposit 1800", "dispute -1800"])
        let mail = try harness.test.database.pool.read {
            try Row.fetchAll($0, sql: "SELECT recipient_email, data FROM outbox WHERE kind = 'staff_alert' AND data LIKE '%\"dispute\"%'")
        }
        #expect(mail.map { $0["recipient_email"] as String } == ["owner@demo.test"])
        #expect((mail.first?["data"] as String?)?.contains("$18.00") == true)
        #expect(try count(harness, "SELECT COUNT(*) FROM audit_log WHERE action = 'payment.disputed'") == 1)
        let page = try harness.owner.get("/staff/demo/bookings/\(id)")
        #expect(page.status == .ok)
        #expect(page.text.contains("Disputed: $18.00"))
        #expect(page.text.contains("dp_follow1"))
        #expect(try harness.test.database.order(businessID: 1, publicID: id)?.paymentStatus == .refunded)
    }

    @Test func staffWithThePaymentsPermissionRetryARefundStripeDidNotMakeOnce() throws {
        let harness = try Harness()
        let guest = harness.test.browser("198.51.100.41")
        let (id, _) = try paidBooking(harness, guest: guest)
        let business = try #require(try harness.test.database.business(slug: "demo"))
        // The business cancels; Stripe refused the refund when it was asked (what `refundFailed` records).
        let cancellation = try harness.test.database.cancelBooking(business: business, publicID: id, reason: "ill", now: harness.test.nowSeconds,
                                                                   actor: .system, byBusiness: true)
        let due = try #require(cancellation.stripeRefund)
        try harness.test.database.markIntent(businessID: business.id, stripeID: due.reference, status: .failed,
                                             error: "Stripe refused the refund: try later", now: harness.test.nowSeconds)
        let page = try harness.owner.get("/staff/demo/bookings/\(id)")
        #expect(page.text.contains("Refund owed: $18.00"))
        #expect(page.text.contains("try later"))
        #expect(page.text.contains("Retry the refund"))
        // The front desk sees the booking but may not send money back.
        let desk = try harness.test.signedIn("frontdesk@demo.test")
        #expect(!(try desk.get("/staff/demo/bookings/\(id)").text.contains("Retry the refund")))
        #expect(try desk.post("/staff/demo/bookings/\(id)/refunds/retry", [("reference", due.reference)]).status == .notFound)
        // Without the form token: refused, nothing asked of Stripe.
        #expect(try harness.owner.post("/staff/demo/bookings/\(id)/refunds/retry", [("reference", due.reference)], csrf: .some(nil)).status == .forbidden)
        #expect(try harness.api.get("/v1/refunds", query: [("payment_intent", due.paymentIntent)])[list: "data"].isEmpty)

        try harness.owner.get("/staff/demo/bookings/\(id)")
        let retried = try harness.owner.post("/staff/demo/bookings/\(id)/refunds/retry", [("reference", due.reference)])
        #expect(retried.status == .seeOther, "retry answered \(retried.status.code): \(retried.text.prefix(300))")
        #expect(retried.headers["Location"]?.hasSuffix("done=refunded") == true)
        // Pressed twice (a second tab): not owed any more, nothing more is refunded.
        let twice = try harness.owner.post("/staff/demo/bookings/\(id)/refunds/retry", [("reference", due.reference)])
        #expect(twice.headers["Location"]?.hasSuffix("done=refund_not_owed") == true)
        let refunds = try harness.api.get("/v1/refunds", query: [("payment_intent", due.paymentIntent)])[list: "data"]
        #expect(refunds.map { $0[int: "amount"] } == [1800])
        #expect(try harness.ledger(hold: id).map(\.amount) == [1800, -1800])
        #expect(try count(harness, "SELECT COUNT(*) FROM audit_log WHERE action = 'payment.refund_retry'") == 1)
        #expect(!(try harness.owner.get("/staff/demo/bookings/\(id)").text.contains("Refund owed")))
        #expect(try harness.test.app.payments.reconcile(businessSlug: "demo").isEmpty)
    }

    @Test func aRetriedRefundThatStripeRefusesAgainStaysOwedWithTheReason() throws {
        let harness = try Harness()
        let guest = harness.test.browser("198.51.100.42")
        let (id, _) = try paidBooking(harness, guest: guest)
        // A refund owed against a payment Stripe does not know: it refuses it.
        try harness.test.database.pool.write { db in
            try db.execute(sql: """
                INSERT INTO payment_intents (business_id, order_id, stripe_id, client_secret, purpose, amount, currency, status, last_error, created_at, updated_at)
                SELECT business_id, id, 'bizing-refund-pi_unknown-500-100', '', 'refund', 500, 'USD', 'failed', 'down', 0, 0
                FROM booking_orders WHERE public_id = ?
                """, arguments: [id])
        }
        try harness.owner.get("/staff/demo/bookings/\(id)")
        let retried = try harness.owner.post("/staff/demo/bookings/\(id)/refunds/retry", [("reference", "bizing-refund-pi_unknown-500-100")])
        #expect(retried.headers["Location"]?.hasSuffix("done=refund_failed") == true)
        let page = try harness.owner.get(try #require(retried.headers["Location"]))
        #expect(page.text.contains("Stripe did not make the refund"))
        #expect(page.text.contains("Stripe refused the refund"))
        #expect(try harness.ledger(hold: id).map(\.amount) == [1800])
        // Another booking's refund, or a made-up one, is not this booking's to retry.
        let other = try harness.owner.post("/staff/demo/bookings/\(id)/refunds/retry", [("reference", "bizing-refund-pi_x-1-1")])
        #expect(other.headers["Location"]?.hasSuffix("done=refund_not_owed") == true)
    }

    @Test func aNoShowFeeWithNothingDueAtBookingIsChargedToTheCardASetupIntentSaved() throws {
        let harness = try Harness()
        let guest = harness.test.browser("198.51.100.43")
        // The consultation: 40.00 at the venue, nothing online, a 50 % no-show fee.
        try guest.get("/b/demo/consultation?date=2026-11-26")
        let held = try guest.post("/b/demo/consultation/hold", [("start", PaymentsTests.start)])
        let checkout = try #require(held.headers["Location"], "the hold answered \(held.status.code): \(held.text.prefix(300))")
        let form = try guest.get(checkout)
        #expect(form.text.contains("nothing is taken now"))
        let details = try guest.post(checkout, [("name", "Nora Noshow"), ("email", "nora@example.com"), ("phone", "")])
        let cardPath = try #require(details.headers["Location"], "the details answered \(details.status.code): \(details.text.prefix(300))")
        #expect(cardPath.contains("/save-card?token="))
        let id = String(checkout.split(separator: "/").last!)
        let page = try guest.get(cardPath)
        #expect(page.status == .ok)
        #expect(page.text.contains("nothing is taken now"))
        #expect(page.text.contains("$20.00"))
        #expect(page.text.contains("data-mode=\"setup\""))
        #expect(try harness.test.status(of: id) == "held")
        // A declined card books nothing.
        let declined = try guest.post(cardPath, [("payment_method", try harness.card("4000000000000002"))])
        #expect(declined.status.code == 402)
        #expect(try harness.test.status(of: id) == "held")
        let saved = try guest.post(cardPath, [("payment_method", try harness.card())])
        #expect(saved.status == .seeOther, "saving the card answered \(saved.status.code): \(saved.text.prefix(300))")
        #expect(saved.headers["Location"]?.hasPrefix("/bookings/\(id)?token=") == true)
        #expect(try harness.test.status(of: id) == "confirmed")
        #expect(try harness.ledger(hold: id).isEmpty)   // nothing was charged
        let setup = try #require(try harness.test.database.pool.read {
            try Row.fetchOne($0, sql: "SELECT stripe_id, status, payment_method FROM card_setups")
        })
        #expect(setup["status"] as String == "succeeded")
        #expect(try harness.api.get("/v1/setup_intents/" + (setup["stripe_id"] as String))[string: "status"] == "succeeded")

        harness.test.advance(seconds: TimeInterval(PaymentsTests.startInstant - harness.test.nowSeconds + 20 * 60))
        let desk = try harness.test.signedIn("frontdesk@demo.test")
        try desk.get("/staff/demo/bookings/\(id)")
        #expect(try desk.post("/staff/demo/bookings/\(id)/no-show", []).status == .seeOther)
        let rows = try harness.ledger(hold: id)
        #expect(rows.map { "\($0.kind) \($0.amount)" } == ["fee 2000"])
        let fee = try harness.api.get("/v1/payment_intents/" + (try #require(rows.first?.stripeID)))
        #expect(fee[string: "status"] == "succeeded")
        #expect(fee[string: "customer"] != nil)
        #expect(try harness.test.app.payments.reconcile(businessSlug: "demo").isEmpty)
    }

    @Test func setupIntentSucceededFromTheWebhookConfirmsTheHoldOnce() throws {
        let harness = try Harness()
        let guest = harness.test.browser("198.51.100.44")
        try guest.get("/b/demo/consultation?date=2026-11-26")
        let checkout = try #require(try guest.post("/b/demo/consultation/hold", [("start", PaymentsTests.start)]).headers["Location"])
        try guest.get(checkout)
        let cardPath = try #require(try guest.post(checkout, [("name", "Wes Hook"), ("email", "wes@example.com")]).headers["Location"])
        let id = String(checkout.split(separator: "/").last!)
        let token = String(cardPath.split(separator: "=").last!)
        let seti: String = try #require(try harness.test.database.pool.read { try String.fetchOne($0, sql: "SELECT stripe_id FROM card_setups") })
        // Stripe.js confirmed the SetupIntent; the customer closed the tab before the redirect.
        let card = try harness.card()
        _ = try harness.api.post("/v1/setup_intents/\(seti)/confirm", [("payment_method", card)])
        let event: [String: Any] = ["id": "evt_seti", "type": "setup_intent.succeeded",
                                    "data": ["object": ["id": seti, "object": "setup_intent", "status": "succeeded", "payment_method": card]]]
        #expect(try harness.webhook(event).status == .ok)
        #expect(try harness.webhook(event).status == .ok)
        #expect(try harness.test.status(of: id) == "confirmed")
        #expect(try count(harness, "SELECT COUNT(*) FROM audit_log WHERE action = 'booking.confirm' AND subject = ?", ["booking:\(id)"]) == 1)
        let mailed = try harness.test.database.pool.read {
            try String.fetchAll($0, sql: "SELECT data FROM outbox WHERE kind = 'confirmation' AND order_id = (SELECT id FROM booking_orders WHERE public_id = ?)",
                                arguments: [id])
        }
        #expect(mailed.count == 1)
        #expect(mailed.first?.contains(token) == true)
        // The redirect back, late: just the booking.
        let back = try guest.get(checkout + "/save-card/return?token=\(token)")
        #expect(back.headers["Location"] == "/bookings/\(id)?token=\(token)")
    }

    @Test func aReplayedAPIBookingOfAPaidOfferAnswersTheSameHoldAndMakesOneIntent() throws {
        let harness = try Harness()
        let key = try harness.test.database.pool.write { db in
            try APIKeys.create(db, businessID: 1, name: "replay", now: harness.test.nowSeconds, actor: .system).key
        }
        func book(_ idempotency: String, name: String = "Ivy Integrator") throws -> Response {
            harness.test.app.respond(to: try Request(
                method: "POST", target: "/api/v1/bookings",
                headers: Headers([("Content-Type", "application/json"), ("Authorization", "Bearer \(key)"), ("Idempotency-Key", idempotency)]),
                body: Array(#"{"offer":"treatment","start":"\#(PaymentsTests.start)","customer":{"name":"\#(name)","email":"ivy@example.com"}}"#.utf8)))
        }
        let first = try book("paid-1")
        #expect(first.status == .created, "booking answered \(first.status.code): \(first.text.prefix(300))")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(first.body)) as? [String: Any])
        let payment = try #require(json["payment"] as? [String: Any])
        #expect(payment["status"] as? String == "requires_payment")
        #expect(payment["client_secret"] is String)
        let again = try book("paid-1")
        #expect(again.status == .created)
        #expect(again.headers["Idempotent-Replayed"] == "true")
        #expect(again.body == first.body)
        #expect(try count(harness, "SELECT COUNT(*) FROM payment_intents") == 1)
        #expect(try count(harness, "SELECT COUNT(*) FROM booking_orders WHERE customer_email = 'ivy@example.com'") == 1)
        #expect(try harness.api.get("/v1/payment_intents")[list: "data"].count == 1)
        // The same key with another body: 422, nothing made.
        let other = try book("paid-1", name: "Someone Else")
        #expect(other.status.code == 422)
        #expect(other.text.contains("idempotency_mismatch"))
        #expect(try count(harness, "SELECT COUNT(*) FROM payment_intents") == 1)
    }
}
