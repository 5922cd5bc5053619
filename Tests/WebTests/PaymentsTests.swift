import BookingCore
import Foundation
import GRDB
import HTTPServer
import Outbound
@testable import Store
import TestSupport
import Testing
@testable import Web

/// Payments against a real Stripe double (localstripe on loopback): connecting, paying a deposit,
/// failures, the webhook's signature and idempotency, refunds, the no-show fee and reconciliation.
@Suite(.serialized)
struct PaymentsTests {
    static let secretKey = "sk_test_bizing1234567890"
    static let webhookSecret = "whsec_bizingtest0987"
    /// Thursday 2026-11-26 10:00 New York: free in the demo data, three days after the staff fixture's now.
    static let start = "2026-11-26T15:00:00Z"
    static let startInstant: Int64 = 1_795_705_200

    /// The staff fixture (Monday 09:00 New York) talking to a fresh Stripe double, with Stripe connected by the owner.
    final class Harness: @unchecked Sendable {
        let stripe = StripeDouble()
        let test: TestApp
        let owner: Browser

        init(connect: Bool = true) throws {
            try stripe.start()
            test = try TestApp.staff(payments: PaymentSettings(stripeBase: stripe.base, box: .ephemeral(), optionalFields: false))
            owner = try test.signedIn("owner@demo.test")
            if connect {
                try owner.get("/manage/demo/payments")
                let saved = try owner.post("/manage/demo/payments", [("secret_key", PaymentsTests.secretKey), ("publishable_key", "pk_test_bizing"),
                                                                     ("webhook_secret", PaymentsTests.webhookSecret),
                                                                     ("reschedule_pricing", "keep_price")])
                #expect(saved.status == .seeOther, "connecting answered \(saved.status.code): \(saved.text.prefix(300))")
            }
        }

        deinit { stripe.stop() }

        var api: StripeClient { StripeClient(base: stripe.base, secretKey: PaymentsTests.secretKey) }

        /// A card token's card id at the double (what the stand-in Stripe.js gives the page).
        func card(_ number: String = "4242424242424242") throws -> String {
            let token = try api.post("/v1/tokens", [("card[number]", number), ("card[exp_month]", "12"), ("card[exp_year]", "2030"),
                                                    ("card[cvc]", "123")])
            return try #require(token[object: "card"]?.id)
        }

        /// A guest holds the treatment and gives their details: the pay page's path (with its token).
        func holdAndAskForPayment(_ guest: Browser, start: String = PaymentsTests.start) throws -> (hold: String, payPath: String) {
            let page = try guest.get("/b/demo/treatment?date=2026-11-26")
            #expect(page.status == .ok)
            let held = try guest.post("/b/demo/treatment/hold", [("start", start)])
            let checkout = try #require(held.headers["Location"], "the hold answered \(held.status.code): \(held.text.prefix(300))")
            let form = try guest.get(checkout)
            #expect(form.text.contains("A card is needed to book"))
            let details = try guest.post(checkout, [("name", "Paula Payer"), ("email", "paula@example.com"), ("phone", "")])
            let pay = try #require(details.headers["Location"], "the details answered \(details.status.code): \(details.text.prefix(400))")
            #expect(pay.contains("/pay?token="))
            let hold = String(checkout.split(separator: "/").last!)
            return (hold, pay)
        }

        /// Pays the hold through the card step; returns the response.
        func pay(_ guest: Browser, hold: String, payPath: String, card number: String = "4242424242424242") throws -> Response {
            let page = try guest.get(payPath)
            #expect(page.status == .ok)
            let token = String(payPath.split(separator: "=").last!)
            return try guest.post("/b/demo/checkout/\(hold)/card?token=\(token)", [("payment_method", try card(number))])
        }

        func intentID(hold: String) throws -> String {
            try #require(try test.database.pool.read {
                try String.fetchOne($0, sql: """
                    SELECT p.stripe_id FROM payment_intents p JOIN booking_orders b ON b.id = p.order_id
                    WHERE b.public_id = ? AND p.purpose = 'booking'
                    """, arguments: [hold])
            })
        }

        func ledger(hold: String) throws -> [(kind: String, amount: Int64, stripeID: String?)] {
            try test.database.pool.read {
                try Row.fetchAll($0, sql: """
                    SELECT l.kind, l.amount, l.stripe_id FROM ledger_entries l JOIN booking_orders b ON b.id = l.order_id
                    WHERE b.public_id = ? ORDER BY l.id
                    """, arguments: [hold]).map { ($0["kind"], $0["amount"], $0["stripe_id"]) }
            }
        }

        /// Posts a Stripe event signed with `secret` at `timestamp` (default: the app's now).
        func webhook(_ event: [String: Any], secret: String = PaymentsTests.webhookSecret, timestamp: Int64? = nil,
                     signature: String? = nil) throws -> Response {
            let body = Array(try JSONSerialization.data(withJSONObject: event))
            let t = timestamp ?? test.nowSeconds
            let v1 = signature ?? StripeSignature.sign(payload: body, secret: secret, timestamp: t)
            return test.app.respond(to: try Request(method: "POST", target: "/stripe/webhook/demo",
                                                    headers: Headers([("Content-Type", "application/json"), ("Stripe-Signature", "t=\(t),v1=\(v1)")]),
                                                    body: body))
        }
    }

    @Test func connectingChecksTheKeyStoresItSealedShowsItMaskedAndAudits() throws {
        let harness = try Harness(connect: false)
        let owner = harness.owner
        try owner.get("/manage/demo/payments")
        let bad = try owner.post("/manage/demo/payments", [("secret_key", "pk_live_nope"), ("publishable_key", "pk_test_x1234567"),
                                                           ("webhook_secret", "whsec_x"), ("reschedule_pricing", "keep_price")])
        #expect(bad.status == .unprocessable)
        #expect(bad.text.contains("That is not a Stripe secret key"))
        #expect(try harness.test.database.paymentAccount(businessID: 1) == nil)

        let saved = try owner.post("/manage/demo/payments", [("secret_key", Self.secretKey), ("publishable_key", "pk_test_bizing"),
                                                             ("webhook_secret", Self.webhookSecret), ("reschedule_pricing", "charge_difference")])
        #expect(saved.status == .seeOther)
        let page = try owner.get("/manage/demo/payments?saved=1")
        #expect(page.text.contains("sk_test_…7890"))
        #expect(!page.text.contains(Self.secretKey))
        #expect(!page.text.contains(Self.webhookSecret))
        let stored = try harness.test.database.pool.read {
            try Row.fetchOne($0, sql: "SELECT secret_key_sealed, webhook_secret_sealed, reschedule_policy FROM payment_accounts")
        }
        let sealed: Data = try #require(stored)["secret_key_sealed"]
        #expect(!String(decoding: sealed, as: UTF8.self).contains("bizing1234567890"))
        #expect(try harness.test.app.payments.settings.box.open(sealed) == Self.secretKey)
        #expect(try #require(stored)["reschedule_policy"] as String == "charge_difference")
        let audited = try harness.test.database.pool.read {
            try String.fetchOne($0, sql: "SELECT details FROM audit_log WHERE action = 'payments.connect'")
        }
        #expect(try #require(audited).contains("sk_test_…7890"))
        #expect(!(try #require(audited).contains(Self.secretKey)))
    }

    @Test func aPaidDepositConfirmsTheBookingOnceWithALedgerRow() throws {
        let harness = try Harness()
        let guest = harness.test.browser("198.51.100.20")
        let (hold, payPath) = try harness.holdAndAskForPayment(guest)
        let page = try guest.get(payPath)
        #expect(page.text.contains("A card is needed to book"))
        #expect(page.text.contains("$18.00"))
        #expect(page.text.contains(harness.stripe.base + "/js.stripe.com/v3/"))
        #expect(page.headers["Content-Security-Policy"]?.contains(harness.stripe.base) == true)
        #expect(try harness.test.status(of: hold) == "held")
        // Confirming without paying is refused.
        let paid = try harness.pay(guest, hold: hold, payPath: payPath)
        #expect(paid.status == .seeOther, "paying answered \(paid.status.code): \(paid.text.prefix(400))")
        #expect(paid.headers["Location"]?.hasPrefix("/bookings/\(hold)?token=") == true)
        #expect(try harness.test.status(of: hold) == "confirmed")
        let intent = try harness.intentID(hold: hold)
        #expect(try harness.ledger(hold: hold).map { "\($0.kind) \($0.amount) \($0.stripeID ?? "")" } == ["deposit 1800 \(intent)"])
        #expect(try harness.api.get("/v1/payment_intents/" + intent)[string: "status"] == "succeeded")
        // The webhook of the same payment arrives later: nothing more happens.
        let late = try harness.webhook(["id": "evt_late", "type": "payment_intent.succeeded",
                                        "data": ["object": ["id": intent, "object": "payment_intent", "amount": 1800, "status": "succeeded"]]])
        #expect(late.status == .ok)
        #expect(try harness.ledger(hold: hold).count == 1)
        let booking = try guest.get(try #require(paid.headers["Location"]))
        #expect(booking.status == .ok)
    }

    @Test func aFailedPaymentKeepsTheHoldThenItExpiresCancelsTheIntentAndFreesTheTime() throws {
        let harness = try Harness()
        let guest = harness.test.browser("198.51.100.21")
        let (hold, payPath) = try harness.holdAndAskForPayment(guest)
        let declined = try harness.pay(guest, hold: hold, payPath: payPath, card: "4000000000000341")
        #expect(declined.status.code == 402)
        #expect(declined.text.contains("did not go through"))
        #expect(try harness.test.status(of: hold) == "held")
        #expect(try harness.ledger(hold: hold).isEmpty)
        harness.test.advance(seconds: 11 * 60)
        _ = try harness.test.database.expireHolds(now: harness.test.nowSeconds)
        harness.test.app.payments.cancelExpiredIntents(now: harness.test.nowSeconds)
        #expect(try harness.test.status(of: hold) == "expired")
        let intent = try harness.intentID(hold: hold)
        #expect(try harness.api.get("/v1/payment_intents/" + intent)[string: "status"] == "canceled")
        // The time is free again.
        let other = harness.test.browser("198.51.100.22")
        try other.get("/b/demo/treatment?date=2026-11-26")
        let again = try other.post("/b/demo/treatment/hold", [("start", Self.start)])
        #expect(again.status == .seeOther)
    }

    @Test func aWebhookWithAWrongOrStaleSignatureIs400AndChangesNothing() throws {
        let harness = try Harness()
        let guest = harness.test.browser("198.51.100.23")
        let (hold, _) = try harness.holdAndAskForPayment(guest)
        let intent = try harness.intentID(hold: hold)
        let event: [String: Any] = ["id": "evt_sig", "type": "payment_intent.succeeded",
                                    "data": ["object": ["id": intent, "object": "payment_intent", "amount": 1800, "status": "succeeded"]]]
        let wrong = try harness.webhook(event, secret: "whsec_someone_else")
        #expect(wrong.status == .badRequest)
        let stale = try harness.webhook(event, timestamp: harness.test.nowSeconds - 301)
        #expect(stale.status == .badRequest)
        let garbled = try harness.webhook(event, signature: "00")
        #expect(garbled.status == .badRequest)
        #expect(try harness.test.status(of: hold) == "held")
        #expect(try harness.ledger(hold: hold).isEmpty)
        #expect(try harness.test.database.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM stripe_events") } == 0)
        // Within the tolerance, correctly signed: the hold becomes the booking.
        let fresh = try harness.webhook(event, timestamp: harness.test.nowSeconds - 200)
        #expect(fresh.status == .ok)
        #expect(try harness.test.status(of: hold) == "confirmed")
    }

    @Test func theSameEventTwiceMakesOneLedgerRow() throws {
        let harness = try Harness()
        let guest = harness.test.browser("198.51.100.24")
        let (hold, _) = try harness.holdAndAskForPayment(guest)
        let intent = try harness.intentID(hold: hold)
        let event: [String: Any] = ["id": "evt_twice", "type": "payment_intent.succeeded",
                                    "data": ["object": ["id": intent, "object": "payment_intent", "amount": 1800, "status": "succeeded"]]]
        #expect(try harness.webhook(event).status == .ok)
        #expect(try harness.webhook(event).status == .ok)
        #expect(try harness.ledger(hold: hold).count == 1)
        #expect(try harness.test.status(of: hold) == "confirmed")
        // A refund seen in Stripe (charge.refunded) is recorded once as well.
        let refunded: [String: Any] = ["id": "evt_refund", "type": "charge.refunded",
                                       "data": ["object": ["id": "ch_x", "object": "charge", "payment_intent": intent, "currency": "usd",
                                                           "refunds": ["data": [["id": "re_dash", "amount": 500, "currency": "usd"]]]]]]
        #expect(try harness.webhook(refunded).status == .ok)
        #expect(try harness.webhook(refunded).status == .ok)
        #expect(try harness.ledger(hold: hold).map(\.amount) == [1800, -500])
        let dispute: [String: Any] = ["id": "evt_dispute", "type": "charge.dispute.created",
                                      "data": ["object": ["id": "dp_1", "object": "dispute", "payment_intent": intent, "amount": 1300,
                                                          "currency": "usd"]]]
        #expect(try harness.webhook(dispute).status == .ok)
        #expect(try harness.webhook(dispute).status == .ok)
        #expect(try harness.ledger(hold: hold).map(\.kind) == ["deposit", "refund", "dispute"])
    }

    /// Pays the treatment deposit; the booking's id and its guest token.
    private func paidBooking(_ harness: Harness, guest: Browser) throws -> (id: String, token: String) {
        let (hold, payPath) = try harness.holdAndAskForPayment(guest)
        let paid = try harness.pay(guest, hold: hold, payPath: payPath)
        let location = try #require(paid.headers["Location"])
        return (hold, String(location.split(separator: "=").last!))
    }

    @Test func aLateCancellationRefundsHalfThroughStripe() throws {
        let harness = try Harness()
        let guest = harness.test.browser("198.51.100.25")
        let (id, token) = try paidBooking(harness, guest: guest)
        harness.test.advance(seconds: TimeInterval(Self.startInstant - harness.test.nowSeconds - 3 * 3600))   // 3 h before
        try guest.get("/bookings/\(id)?token=\(token)")
        let cancelled = try guest.post("/bookings/\(id)/cancel", [("token", token)])
        #expect(cancelled.status == .seeOther)
        #expect(try harness.test.status(of: id) == "cancelled")
        let intent = try harness.intentID(hold: id)
        let refunds = try harness.api.get("/v1/refunds", query: [("payment_intent", intent)])[list: "data"]
        #expect(refunds.map { $0[int: "amount"] } == [900])
        #expect(try harness.ledger(hold: id).map(\.amount) == [1800, -900])
        #expect(try harness.ledger(hold: id).last?.stripeID == refunds.first?.id)
        #expect(try harness.test.app.payments.reconcile(businessSlug: "demo").isEmpty)
    }

    @Test func aCancellationByTheBusinessRefundsInFull() throws {
        let harness = try Harness()
        let guest = harness.test.browser("198.51.100.26")
        let (id, _) = try paidBooking(harness, guest: guest)
        harness.test.advance(seconds: TimeInterval(Self.startInstant - harness.test.nowSeconds - 3 * 3600))   // late: tiers would give 50 %
        let owner = harness.owner
        try owner.get("/staff/demo/bookings/\(id)")
        let cancelled = try owner.post("/staff/demo/bookings/\(id)/cancel", [("reason", "The practitioner is ill")])
        #expect(cancelled.status == .seeOther, "staff cancel answered \(cancelled.status.code): \(cancelled.text.prefix(300))")
        let intent = try harness.intentID(hold: id)
        let refunds = try harness.api.get("/v1/refunds", query: [("payment_intent", intent)])[list: "data"]
        #expect(refunds.map { $0[int: "amount"] } == [1800])
        #expect(try harness.ledger(hold: id).map(\.amount) == [1800, -1800])
        let order = try #require(try harness.test.database.order(businessID: 1, publicID: id))
        #expect(order.paymentStatus == .refunded)
    }

    /// A cancellation no page asks Stripe about (a decline, a class called off by the worker) leaves
    /// its refund owed in the same transaction; the sweep makes it, once, and reconcile sees it until then.
    @Test func aRefundOwedByAWorkerCancellationIsMadeByTheSweepExactlyOnce() throws {
        let harness = try Harness()
        let guest = harness.test.browser("198.51.100.29")
        let (id, _) = try paidBooking(harness, guest: guest)
        let business = try #require(try harness.test.database.business(slug: "demo"))
        let now = harness.test.nowSeconds
        let cancellation = try harness.test.database.cancelBooking(business: business, publicID: id, reason: "below_minimum", now: now,
                                                                   actor: .system, byBusiness: true)
        let due = try #require(cancellation.stripeRefund)
        #expect(due.amount == 1800)
        let owed = try harness.test.database.pool.read {
            try String.fetchOne($0, sql: "SELECT status FROM payment_intents WHERE stripe_id = ?", arguments: [due.reference])
        }
        #expect(owed == "open")
        #expect(try harness.test.app.payments.reconcile(businessSlug: "demo").contains { $0.contains("is owed") })
        harness.test.app.payments.makeOwedRefunds(now: now + 1)   // too fresh: the cancelling caller may still be asking
        let intent = try harness.intentID(hold: id)
        #expect(try harness.api.get("/v1/refunds", query: [("payment_intent", intent)])[list: "data"].isEmpty)
        harness.test.app.payments.makeOwedRefunds(now: now + 60)
        harness.test.app.payments.makeOwedRefunds(now: now + 120)   // made: nothing more to do
        let refunds = try harness.api.get("/v1/refunds", query: [("payment_intent", intent)])[list: "data"]
        #expect(refunds.map { $0[int: "amount"] } == [1800])
        #expect(try harness.ledger(hold: id).map(\.amount) == [1800, -1800])
        #expect(try harness.test.app.payments.reconcile(businessSlug: "demo").isEmpty)
    }

    @Test func aNoShowChargesTheFeeToTheSavedCard() throws {
        let harness = try Harness()
        let guest = harness.test.browser("198.51.100.27")
        let (id, _) = try paidBooking(harness, guest: guest)
        harness.test.advance(seconds: TimeInterval(Self.startInstant - harness.test.nowSeconds + 20 * 60))   // 20 min after the start
        let desk = try harness.test.signedIn("frontdesk@demo.test")
        try desk.get("/staff/demo/bookings/\(id)")
        let marked = try desk.post("/staff/demo/bookings/\(id)/no-show", [])
        #expect(marked.status == .seeOther, "no-show answered \(marked.status.code): \(marked.text.prefix(300))")
        #expect(try harness.test.status(of: id) == "no_show")
        // 50 % of 90.00, less the 18.00 deposit paid.
        let rows = try harness.ledger(hold: id)
        #expect(rows.map { "\($0.kind) \($0.amount)" } == ["deposit 1800", "fee 2700"])
        let fee = try #require(rows.last?.stripeID)
        let remote = try harness.api.get("/v1/payment_intents/" + fee)
        #expect(remote[string: "status"] == "succeeded")
        #expect(remote[int: "amount"] == 2700)
        #expect(try harness.test.app.payments.reconcile(businessSlug: "demo").isEmpty)
    }

    @Test func reconcileFindsADifferencePlantedInTheLedger() throws {
        let harness = try Harness()
        let guest = harness.test.browser("198.51.100.28")
        let (id, _) = try paidBooking(harness, guest: guest)
        #expect(try harness.test.app.payments.reconcile(businessSlug: "demo").isEmpty)
        try harness.test.database.pool.write { db in
            try db.execute(sql: """
                INSERT INTO ledger_entries (business_id, order_id, kind, amount, currency, method, at, note, stripe_id)
                SELECT business_id, id, 'refund', -300, 'USD', 'stripe', 0, 'planted', 're_planted' FROM booking_orders WHERE public_id = ?
                """, arguments: [id])
        }
        let differences = try harness.test.app.payments.reconcile(businessSlug: "demo")
        #expect(differences.count == 1)
        #expect(differences.contains { $0.contains("re_planted") })
        // A refund that Stripe did not make is owed until it is: reported too.
        let order = try #require(try harness.test.database.order(businessID: 1, publicID: id))
        let business = try #require(try harness.test.database.pool.read { try Catalog.business($0, slug: "demo") })
        try harness.test.database.recordChargeFailure(business: business, orderID: order.id, reference: "bizing-refund-x", purpose: .refund,
                                                      amount: 900, currency: "USD", message: "Refund of $9.00 not made: down",
                                                      now: harness.test.nowSeconds)
        let owed = try harness.test.app.payments.reconcile(businessSlug: "demo")
        #expect(owed.count == 2)
        #expect(owed.contains { $0.contains("bizing-refund-x: a refund of 900 (USD) is owed") })
    }

    @Test func anAPIBookingOfAPaidOfferWaitsForItsPaymentThenConfirms() throws {
        let harness = try Harness()
        let key = try harness.test.database.pool.write { db in
            try APIKeys.create(db, businessID: 1, name: "payments", now: harness.test.nowSeconds, actor: .system).key
        }
        func call(_ method: String, _ path: String, _ body: String = "") throws -> (status: Int, json: [String: Any]) {
            let response = harness.test.app.respond(to: try Request(method: method, target: path,
                                                                    headers: Headers([("Content-Type", "application/json"), ("Authorization", "Bearer \(key)")]),
                                                                    body: Array(body.utf8)))
            return (response.status.code, (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:])
        }
        let booked = try call("POST", "/api/v1/bookings",
                              #"{"offer":"treatment","start":"\#(Self.start)","customer":{"name":"Ivy Integrator","email":"ivy@example.com"}}"#)
        #expect(booked.status == 201)
        #expect(booked.json["status"] as? String == "held")
        let payment = try #require(booked.json["payment"] as? [String: Any])
        #expect(payment["status"] as? String == "requires_payment")
        #expect(payment["amount_due_now"] as? Int == 1800)
        let secret = try #require(payment["client_secret"] as? String)
        let id = try #require(booked.json["id"] as? String)
        // Not paid yet: confirming is refused and changes nothing.
        let early = try call("POST", "/api/v1/holds/\(id)/confirm")
        #expect(early.status == 409)
        #expect((early.json["error"] as? [String: Any])?["code"] as? String == "payment_required")
        // The integrator's page pays with Stripe.js (here: straight at the double).
        let intent = String(secret.prefix { $0 != "_" }) + "_" + String(secret.dropFirst(3).prefix { $0 != "_" })
        #expect(intent == (try harness.intentID(hold: id)))
        _ = try harness.api.post("/v1/payment_intents/" + intent, [("payment_method", try harness.card())])
        _ = try harness.api.post("/v1/payment_intents/\(intent)/confirm")
        let confirmed = try call("POST", "/api/v1/holds/\(id)/confirm")
        #expect(confirmed.status == 201)
        #expect(confirmed.json["status"] as? String == "confirmed")
        let paid = try #require(confirmed.json["payment"] as? [String: Any])
        #expect(paid["status"] as? String == "paid")
        #expect(paid["amount_paid"] as? Int == 1800)
        #expect(paid["client_secret"] == nil)
    }

    @Test func aDeclinedNoShowFeeIsShownToStaffAndEmailedToTheOwner() throws {
        let harness = try Harness()
        let guest = harness.test.browser("198.51.100.29")
        let (id, _) = try paidBooking(harness, guest: guest)
        // The saved card stops working before the no-show.
        try harness.test.database.pool.write { db in
            try db.execute(sql: "UPDATE payment_intents SET payment_method = 'pm_card_chargeCustomerFail'")
        }
        harness.test.advance(seconds: TimeInterval(Self.startInstant - harness.test.nowSeconds + 20 * 60))
        let desk = try harness.test.signedIn("frontdesk@demo.test")
        try desk.get("/staff/demo/bookings/\(id)")
        let marked = try desk.post("/staff/demo/bookings/\(id)/no-show", [])
        #expect(marked.status == .seeOther)
        #expect(try harness.test.status(of: id) == "no_show")
        #expect(try harness.ledger(hold: id).map(\.kind) == ["deposit"])
        #expect(try desk.get("/staff/demo/bookings/\(id)").text.contains("No-show fee of $27.00 declined"))
        let page = try harness.owner.get("/manage/demo/payments")
        #expect(page.text.contains("Payments that failed"))
        #expect(page.text.contains("No-show fee of $27.00 declined"))
        let mail = try harness.test.database.pool.read {
            try Row.fetchOne($0, sql: "SELECT recipient_email, data FROM outbox WHERE kind = 'staff_alert' AND data LIKE '%payment_failed%'")
        }
        #expect(try #require(mail)["recipient_email"] as String == "owner@demo.test")
    }

    @Test func theRedirectBackConfirmsWhenStripeSaysSucceededAndAfterTheWebhookJustShowsTheBooking() throws {
        let harness = try Harness()
        let guest = harness.test.browser("198.51.100.30")
        let (hold, payPath) = try harness.holdAndAskForPayment(guest)
        let token = String(payPath.split(separator: "=").last!)
        let intent = try harness.intentID(hold: hold)
        let returnPath = "/b/demo/checkout/\(hold)/return?token=\(token)&payment_intent=\(intent)&redirect_status=succeeded"
        // Back before paying (a forged redirect): nothing is booked.
        let early = try guest.get(returnPath)
        #expect(early.status == .ok)
        #expect(early.text.contains("has not gone through yet"))
        #expect(try harness.test.status(of: hold) == "held")
        // Stripe.js confirmed the payment, then sent the customer back.
        _ = try harness.api.post("/v1/payment_intents/" + intent, [("payment_method", try harness.card())])
        _ = try harness.api.post("/v1/payment_intents/\(intent)/confirm")
        let back = try guest.get(returnPath)
        #expect(back.status == .seeOther)
        #expect(back.headers["Location"] == "/bookings/\(hold)?token=\(token)")
        #expect(try harness.test.status(of: hold) == "confirmed")
        // The webhook arrives after: one ledger row; the page again just shows the booking.
        let event: [String: Any] = ["id": "evt_after", "type": "payment_intent.succeeded",
                                    "data": ["object": ["id": intent, "object": "payment_intent", "amount": 1800, "status": "succeeded"]]]
        #expect(try harness.webhook(event).status == .ok)
        #expect(try harness.ledger(hold: hold).count == 1)
        let again = try guest.get(returnPath)
        #expect(again.headers["Location"] == "/bookings/\(hold)?token=\(token)")
        #expect(try guest.get("/bookings/\(hold)?token=\(token)").status == .ok)
        // The confirmation email carries the same guest link.
        let mailed = try harness.test.database.pool.read {
            try String.fetchOne($0, sql: "SELECT data FROM outbox WHERE kind = 'confirmation' AND order_id = (SELECT id FROM booking_orders WHERE public_id = ?)",
                                arguments: [hold])
        }
        #expect(try #require(mailed).contains(token))
    }

    @Test func aRescheduleChargesOrRefundsTheDifferenceWhenTheOwnerSaysSo() throws {
        let harness = try Harness()
        try harness.owner.get("/manage/demo/payments")
        #expect(try harness.owner.post("/manage/demo/payments", [("publishable_key", "pk_test_bizing"),
                                                                 ("reschedule_pricing", "charge_difference")]).status == .seeOther)
        // Massage: 100.00 paid in full at booking, Fridays cost half as much again.
        try harness.test.database.pool.write { db in
            let offer = try Catalog.createOffer(db, businessID: 1, slug: "massage", name: "Massage", mode: .slot, now: 0)
            let spec = OfferVersionSpec(duration: .fixed(60), minimumNoticeMinutes: 60, maximumAdvanceDays: 180,
                                        price: .fixed(Money(10000, "USD")),
                                        pricingRules: [.weekday([.friday], multiplierBasisPoints: 15000)], deposit: .percent(100),
                                        components: [OfferComponent(selector: .anyOf(kind: .host, tag: nil), role: "host")])
            try Catalog.publishVersion(db, businessID: 1, versionID: try Catalog.createDraftVersion(db, businessID: 1, offerID: offer, spec: spec, now: 0), now: 0)
        }
        let guest = harness.test.browser("198.51.100.31")
        try guest.get("/b/demo/massage?date=2026-11-26")
        let held = try guest.post("/b/demo/massage/hold", [("start", Self.start)])
        let checkout = try #require(held.headers["Location"])
        try guest.get(checkout)
        let pay = try #require(try guest.post(checkout, [("name", "Rita Mover"), ("email", "rita@example.com")]).headers["Location"])
        let id = String(checkout.split(separator: "/").last!)
        let token = String(pay.split(separator: "=").last!)
        let paid = try harness.pay(guest, hold: id, payPath: pay)
        #expect(paid.status == .seeOther)
        #expect(try harness.ledger(hold: id).map(\.amount) == [10000])
        // To Friday: 50.00 more, charged to the saved card.
        try guest.get("/bookings/\(id)/reschedule?token=\(token)&date=2026-11-27")
        let friday = try guest.post("/bookings/\(id)/reschedule", [("token", token), ("start", "2026-11-27T15:00:00Z")])
        #expect(friday.status == .seeOther, "reschedule answered \(friday.status.code): \(friday.text.prefix(300))")
        #expect(try harness.ledger(hold: id).map { "\($0.kind) \($0.amount)" } == ["charge 10000", "charge 5000"])
        // The frozen price is the new time's; the customer sees what the ledger holds; the old price is in the audit.
        let moved = try #require(try harness.test.database.order(businessID: 1, publicID: id))
        #expect(moved.price.total == 15000)
        #expect(moved.price.lines.map(\.label) == ["Price", "Weekday"])
        #expect(moved.paid == 15000)
        #expect(try guest.get("/bookings/\(id)?token=\(token)").text.contains("$150.00"))
        let audited = try harness.test.database.pool.read {
            try String.fetchAll($0, sql: "SELECT details FROM audit_log WHERE action = 'booking.reprice' ORDER BY seq")
        }
        #expect(audited.count == 1)
        #expect(audited.first?.contains("previous_breakdown") == true)
        #expect(audited.first?.contains("10000") == true)
        // Back to Thursday: the 50.00 is refunded.
        try guest.get("/bookings/\(id)/reschedule?token=\(token)&date=2026-11-26")
        let thursday = try guest.post("/bookings/\(id)/reschedule", [("token", token), ("start", Self.start)])
        #expect(thursday.status == .seeOther)
        #expect(try harness.ledger(hold: id).map { "\($0.kind) \($0.amount)" } == ["charge 10000", "charge 5000", "refund -5000"])
        let back = try #require(try harness.test.database.order(businessID: 1, publicID: id))
        #expect(back.price.total == 10000)
        #expect(back.paid == 10000)
        #expect(try harness.test.app.payments.reconcile(businessSlug: "demo").isEmpty)
    }

    @Test func moneyThatArrivesAfterTheHoldExpiredIsRefundedInFullAndBooksNothing() throws {
        let harness = try Harness()
        let guest = harness.test.browser("198.51.100.32")
        let (hold, _) = try harness.holdAndAskForPayment(guest)
        let intent = try harness.intentID(hold: hold)
        harness.test.advance(seconds: 11 * 60)   // the hold ran out; the sweep has not run yet
        _ = try harness.api.post("/v1/payment_intents/" + intent, [("payment_method", try harness.card())])
        _ = try harness.api.post("/v1/payment_intents/\(intent)/confirm")
        let event: [String: Any] = ["id": "evt_late_money", "type": "payment_intent.succeeded",
                                    "data": ["object": ["id": intent, "object": "payment_intent", "amount": 1800, "status": "succeeded"]]]
        #expect(try harness.webhook(event).status == .ok)
        #expect(try harness.test.status(of: hold) == "held")   // never confirmed; the sweep marks it expired
        #expect(try harness.ledger(hold: hold).map(\.amount) == [1800, -1800])
        let refunds = try harness.api.get("/v1/refunds", query: [("payment_intent", intent)])[list: "data"]
        #expect(refunds.map { $0[int: "amount"] } == [1800])
        #expect(try harness.test.app.payments.reconcile(businessSlug: "demo").isEmpty)
    }

    @Test func aRefundStripeDoesNotMakeIsOwedShownToStaffAndReported() throws {
        let harness = try Harness()
        let guest = harness.test.browser("198.51.100.33")
        let (id, token) = try paidBooking(harness, guest: guest)
        try guest.get("/bookings/\(id)?token=\(token)")
        harness.stripe.stop()   // Stripe is unreachable when the customer cancels
        let cancelled = try guest.post("/bookings/\(id)/cancel", [("token", token)])
        #expect(cancelled.status == .seeOther)
        #expect(try harness.test.status(of: id) == "cancelled")
        #expect(try harness.ledger(hold: id).map(\.amount) == [1800])
        let page = try harness.owner.get("/manage/demo/payments")
        #expect(page.text.contains("Refund of $18.00 not made"))
        let owner = try harness.test.database.pool.read {
            try String.fetchOne($0, sql: "SELECT recipient_email FROM outbox WHERE kind = 'staff_alert' AND data LIKE '%Refund of%'")
        }
        #expect(owner == "owner@demo.test")
        #expect(throws: (any Error).self) { try harness.test.app.payments.reconcile(businessSlug: "demo") }   // Stripe still down
    }
}
