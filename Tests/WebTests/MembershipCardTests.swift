import BookingCore
import Foundation
import GRDB
import HTTPServer
import Outbound
@testable import Store
import TestSupport
import Synchronization
import Testing
@testable import Web

/// Memberships paid by card (issue 18), against a real Stripe double (localstripe) and a real
/// database: the first month paid on the page (granted once when the return page and the webhook
/// race), a declined first month granting nothing, renewals charged to the saved card once per
/// period, a declined renewal past due (emailed, retried, payable on the page) and suspended after
/// the last retry, and tenancy.
@Suite(.serialized)
struct MembershipCardTests {
    /// The Stripe harness with a "Yoga monthly" plan made in the builder: $45.00 a month, 4 yoga
    /// credits, 2 rolled over at most.
    static func harness() throws -> (PaymentsTests.Harness, String) {
        let harness = try PaymentsTests.Harness()
        let yoga = try #require(try harness.test.database.liveOffers(businessID: 1).first { $0.slug == "yoga-class" })
        try harness.owner.get("/manage/demo/memberships")
        let created = try harness.owner.post("/manage/demo/memberships", [
            ("name", "Yoga monthly"), ("price", "45.00"), ("credits", "4"), ("offers", yoga.id.description), ("rollover", "1"),
            ("rollover_cap", "2"), ("discount", "10"), ("max_pause_months", "2"), ("cancel", "end"),
        ])
        #expect(created.status == .seeOther, "creating answered \(created.status.code): \(created.text.prefix(400))")
        let plan = try #require(try harness.test.database.membershipPlans(businessID: 1).first { $0.name == "Yoga monthly" }.map { String($0.id) })
        return (harness, plan)
    }

    /// Casey subscribes: the card form's path and the membership's id.
    static func subscribe(_ casey: Browser, plan: String) throws -> (path: String, id: Int64) {
        #expect(try casey.get("/b/demo/memberships").status == .ok)
        let subscribed = try casey.post("/b/demo/memberships/\(plan)", [])
        let path = try #require(subscribed.headers["Location"], "subscribing answered \(subscribed.status.code): \(subscribed.text.prefix(400))")
        #expect(path.hasPrefix("/account/wallet/memberships/") && path.hasSuffix("/pay"))
        let id = try #require(Int64(path.split(separator: "/")[3]))
        return (path, id)
    }

    static func casey(_ test: TestApp) throws -> User { try #require(try test.database.user(email: "customer@demo.test")) }

    static func member(_ test: TestApp, at now: Instant? = nil) throws -> MembershipInfo {
        try #require(try test.database.memberships(userID: try casey(test).id, now: now ?? test.nowSeconds).first)
    }

    static func balances(_ test: TestApp) throws -> [Int] {
        try test.database.wallet(userID: try casey(test).id).map(\.lot.balance)
    }

    static func count(_ test: TestApp, _ sql: String) throws -> Int {
        try test.database.pool.read { try Int.fetchOne($0, sql: sql) ?? -1 }
    }

    static func money(_ test: TestApp, _ id: Int64) throws -> [String] {
        try test.database.membershipPayments(businessID: 1, membershipID: id).map { "\($0.period) \($0.kind) \($0.amount) \($0.method)" }
    }

    /// Subscribes Casey and pays the first month with a good card through the card form.
    static func activeMember(_ harness: PaymentsTests.Harness, plan: String) throws -> (Browser, Int64) {
        let casey = try harness.test.signedIn("customer@demo.test")
        let (path, id) = try subscribe(casey, plan: plan)
        try casey.get(path)
        let paid = try casey.post("/account/wallet/memberships/\(id)/card", [("payment_method", try harness.card())])
        #expect(paid.status == .seeOther, "paying answered \(paid.status.code): \(paid.text.prefix(400))")
        #expect(try member(harness.test).state == .active)
        return (casey, id)
    }

    /// The intents the Stripe double holds for a membership.
    static func stripeIntents(_ harness: PaymentsTests.Harness, membership id: Int64) throws -> Int {
        try harness.api.get("/v1/payment_intents", query: [("limit", "100")])[list: "data"]
            .filter { $0[object: "metadata"]?[string: "membership"] == String(id) }.count
    }

    /// Points the membership's saved card at another card of the double (a test's way to make the bank decline).
    static func saveCard(_ harness: PaymentsTests.Harness, _ id: Int64, _ number: String) throws {
        let card = try harness.card(number)
        try harness.test.database.pool.write {
            try $0.execute(sql: "UPDATE membership_subscriptions SET payment_method = ? WHERE id = ?", arguments: [card, id])
        }
    }

    static func mails(_ test: TestApp, event: String) throws -> [String] {
        try test.database.pool.read {
            try String.fetchAll($0, sql: "SELECT data FROM outbox WHERE kind = 'confirmation' AND order_id IS NULL")
        }.filter { OutboxData.decode($0)["event"] == event }
    }

    @Test func theFirstMonthIsGrantedOnceWhenTheReturnPageAndTheWebhookRace() throws {
        let (harness, plan) = try Self.harness()
        let test = harness.test
        let casey = try test.signedIn("customer@demo.test")
        let (path, id) = try Self.subscribe(casey, plan: plan)
        let page = try casey.get(path)
        #expect(page.status == .ok)
        #expect(page.text.contains("Pay $45.00 for Yoga monthly"))
        #expect(page.text.contains("Your card is kept with Stripe to pay the next months"))
        #expect(page.headers["Content-Security-Policy"]?.contains(harness.stripe.base) == true)
        #expect(try Self.member(test).state == .pending)
        #expect(try casey.get("/account/wallet").text.contains("Waiting for the first month&#39;s payment (by card)")
                    || (try casey.get("/account/wallet").text.contains("Waiting for the first month's payment (by card)")))
        // Back before paying: nothing granted
        #expect(try casey.get("/account/wallet/memberships/\(id)/return").text.contains("has not gone through yet"))
        #expect(try Self.balances(test).isEmpty)
        // Paid at Stripe; then two return pages and two webhook deliveries at once, on real threads
        let charge = try #require(try test.database.openMembershipCharge(businessID: 1, membershipID: id, userID: try Self.casey(test).id))
        let intent = try #require(charge.stripeIntent)
        let card = try harness.card()
        _ = try harness.api.post("/v1/payment_intents/" + intent, [("payment_method", card)])
        _ = try harness.api.post("/v1/payment_intents/\(intent)/confirm")
        let browsers = [casey, try test.signedIn("customer@demo.test")]
        let statuses = Mutex<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { racer in
            let status: Int
            if racer < 2 {
                status = (try? browsers[racer].get("/account/wallet/memberships/\(id)/return").status.code) ?? -1
            } else {
                let event: [String: Any] = ["id": "evt_member_\(racer)", "type": "payment_intent.succeeded",
                                            "data": ["object": ["id": intent, "object": "payment_intent", "amount": 4500,
                                                                "amount_received": 4500, "status": "succeeded", "payment_method": card]]]
                status = (try? harness.webhook(event).status.code) ?? -1
            }
            statuses.withLock { $0.append(status) }
        }
        #expect(statuses.withLock { $0.sorted() } == [200, 200, 303, 303])
        let member = try Self.member(test)
        #expect(member.state == .active)
        #expect(member.periods.map(\.state) == ["paid"])
        #expect(try Self.balances(test) == [4])
        #expect(try Self.money(test, id) == ["0 charge 4500 stripe"])
        #expect(try Self.count(test, "SELECT COUNT(*) FROM audit_log WHERE action = 'membership.activate'") == 1)
        #expect(try Self.count(test, "SELECT COUNT(*) FROM membership_charges WHERE status = 'succeeded'") == 1)
        // The card is kept for the renewals, with the Stripe customer it was paid as
        let saved = try test.database.pool.read {
            try Row.fetchOne($0, sql: "SELECT stripe_customer, payment_method FROM membership_subscriptions WHERE id = ?", arguments: [id])
        }
        #expect((saved?["payment_method"] as String?) == card)
        #expect((saved?["stripe_customer"] as String?)?.hasPrefix("cus_") == true)
        // Nothing is left to pay: the pay page goes back to the wallet, which shows the credits
        #expect(try casey.get(path).headers["Location"] == "/account/wallet")
        let wallet = try casey.get("/account/wallet")
        #expect(wallet.text.contains("4 credits left this month"))
        #expect(!wallet.text.contains("Pay by card"))
    }

    @Test func aDeclinedFirstMonthGrantsNothingAndAnAbandonedOneDoesNotBlockSubscribingAgain() throws {
        let (harness, plan) = try Self.harness()
        let test = harness.test
        let casey = try test.signedIn("customer@demo.test")
        let (path, id) = try Self.subscribe(casey, plan: plan)
        try casey.get(path)
        let declined = try casey.post("/account/wallet/memberships/\(id)/card", [("payment_method", try harness.card("4000000000000341"))])
        #expect(declined.status.code == 402)
        #expect(declined.text.contains("did not go through"))
        #expect(try Self.balances(test).isEmpty)
        #expect(try Self.money(test, id).isEmpty)
        #expect(try Self.member(test).state == .pending)
        // The pay page says so; subscribing again continues the same membership
        #expect(try casey.get(path).text.contains("The last attempt did not go through"))
        #expect(try Self.subscribe(casey, plan: plan).id == id)
        // Abandoned: it ends, its intent is cancelled at Stripe, and a new subscription is possible
        let intent = try #require(try test.database.openMembershipCharge(businessID: 1, membershipID: id, userID: try Self.casey(test).id)?.stripeIntent)
        let abandoned = try casey.post("/account/wallet/memberships/\(id)/cancel", [])
        #expect(abandoned.status == .seeOther, "abandoning answered \(abandoned.status.code): \(abandoned.text.prefix(600))")
        #expect(try Self.member(test).state == .ended)
        #expect(try harness.api.get("/v1/payment_intents/" + intent)[string: "status"] == "canceled")
        #expect(try casey.get(path).headers["Location"] == "/account/wallet")
        let (again, second) = try Self.subscribe(casey, plan: plan)
        #expect(second != id)
        try casey.get(again)
        #expect(try casey.post("/account/wallet/memberships/\(second)/card", [("payment_method", try harness.card())]).status == .seeOther)
        #expect(try Self.balances(test) == [4])
        #expect(try Self.money(test, second) == ["0 charge 4500 stripe"])
        #expect(try Self.money(test, id).isEmpty)
    }

    @Test func aRenewalIsChargedToTheSavedCardOnceEvenWhenTheWorkerRunsTwice() throws {
        let (harness, plan) = try Self.harness()
        let test = harness.test
        let (_, id) = try Self.activeMember(harness, plan: plan)
        let renewal = try #require(try Self.member(test).nextRenewal) + 3600
        for _ in 0..<2 {
            try test.database.renewMemberships(now: renewal)
            test.app.payments.chargeMembershipRenewals(now: renewal)
        }
        let member = try Self.member(test, at: renewal)
        #expect(member.periods.map(\.state) == ["paid", "paid"])
        #expect(try Self.money(test, id) == ["0 charge 4500 stripe", "1 charge 4500 stripe"])
        #expect(try Self.stripeIntents(harness, membership: id) == 2)
        // The new month's 4 credits and the 2 rolled over, granted once
        #expect(try Self.balances(test) == [6, 0])
        #expect(try Self.count(test, "SELECT COUNT(*) FROM entitlement_movements WHERE kind = 'grant'") == 2)
        #expect(try Self.count(test, "SELECT COUNT(*) FROM membership_charges WHERE session = 'off'") == 1)
        #expect(try Self.mails(test, event: "paid").count == 1)
    }

    @Test func aDeclinedRenewalIsPastDueEmailedAndPaidOnThePageGrantsOnce() throws {
        let (harness, plan) = try Self.harness()
        let test = harness.test
        let (_, id) = try Self.activeMember(harness, plan: plan)
        try Self.saveCard(harness, id, "4000000000000341")
        let renewal = try #require(try Self.member(test).nextRenewal) + 3600
        test.advance(seconds: TimeInterval(renewal - test.nowSeconds))
        let casey = try test.signedIn("customer@demo.test")   // a month later: signed in again
        try test.database.renewMemberships(now: renewal)
        test.app.payments.chargeMembershipRenewals(now: renewal)
        test.app.payments.chargeMembershipRenewals(now: renewal + 60)   // the retry is not due yet
        // Past due: the month is unpaid, its credits withheld (only the 2 rolled over), the member emailed
        var member = try Self.member(test, at: renewal)
        #expect(member.periods.map(\.state) == ["due", "paid"])
        #expect(member.lastPaymentError.contains("declined"))
        #expect(member.nextChargeAt == renewal + Memberships.retryDelays[0])
        #expect(try Self.balances(test) == [2, 0])
        #expect(try Self.count(test, "SELECT COUNT(*) FROM entitlement_movements WHERE kind = 'grant'") == 1)
        #expect(try Self.count(test, "SELECT COUNT(*) FROM membership_charges WHERE status = 'failed'") == 1)
        let mailed = try Self.mails(test, event: "payment_failed")
        #expect(mailed.count == 1)
        #expect(mailed.first?.contains("Pay it by card from your wallet") == true)
        let wallet = try casey.get("/account/wallet")
        #expect(wallet.text.contains("1 month unpaid: $45.00"))
        #expect(wallet.text.contains("The card payment failed"))
        #expect(wallet.text.contains("This month&#39;s credits are held until it is paid") || wallet.text.contains("This month's credits are held until it is paid"))
        // Staff see it on the customer's wallet, and could record it at the desk
        let desk = try test.signedIn("frontdesk@demo.test")
        let staffPage = try desk.get("/staff/demo/wallet?email=customer%40demo.test")
        #expect(staffPage.text.contains("The card payment failed"))
        #expect(staffPage.text.contains("Record payment"))
        // The member pays the month on the page with a new card: granted once, the new card kept
        let opened = try casey.post("/account/wallet/memberships/\(id)/pay", [])
        #expect(opened.headers["Location"] == "/account/wallet/memberships/\(id)/pay")
        #expect(try casey.get("/account/wallet/memberships/\(id)/pay").text.contains("for the month due"))
        let newCard = try harness.card("5555555555554444")
        #expect(try casey.post("/account/wallet/memberships/\(id)/card", [("payment_method", newCard)]).status == .seeOther)
        member = try Self.member(test, at: renewal)
        #expect(member.periods.map(\.state) == ["paid", "paid"])
        #expect(try Self.balances(test) == [6, 0])
        #expect(try Self.money(test, id) == ["0 charge 4500 stripe", "1 charge 4500 stripe"])
        #expect(try test.database.pool.read { try String.fetchOne($0, sql: "SELECT payment_method FROM membership_subscriptions") } == newCard)
        // The planned retry is dropped: the worker a day later charges nothing more
        test.app.payments.chargeMembershipRenewals(now: renewal + Memberships.retryDelays[0] + 60)
        #expect(try Self.money(test, id).count == 2)
        #expect(try Self.count(test, "SELECT COUNT(*) FROM entitlement_movements WHERE kind = 'grant'") == 2)
        // At Stripe: the first month, the declined renewal, the month paid on the page; no retry
        #expect(try Self.stripeIntents(harness, membership: id) == 3)
    }

    @Test func aRetryThatSucceedsGrantsTheCreditsOnceAndTheLastFailedRetrySuspends() throws {
        let (harness, plan) = try Self.harness()
        let test = harness.test
        let (_, id) = try Self.activeMember(harness, plan: plan)
        try Self.saveCard(harness, id, "4000000000000341")
        let first = try #require(try Self.member(test).nextRenewal) + 3600
        try test.database.renewMemberships(now: first)
        test.app.payments.chargeMembershipRenewals(now: first)
        // The card is fixed before the first retry: it succeeds, once
        try Self.saveCard(harness, id, "4242424242424242")
        let retry = first + Memberships.retryDelays[0] + 60
        test.app.payments.chargeMembershipRenewals(now: retry)
        test.app.payments.chargeMembershipRenewals(now: retry)
        #expect(try Self.member(test, at: retry).periods.map(\.state) == ["paid", "paid"])
        #expect(try Self.count(test, "SELECT COUNT(*) FROM entitlement_movements WHERE kind = 'grant'") == 2)
        #expect(try Self.money(test, id) == ["0 charge 4500 stripe", "1 charge 4500 stripe"])
        // The next month is declined on every attempt: suspended after the last retry, audited and emailed
        try Self.saveCard(harness, id, "4000000000000341")
        let second = try #require(try Self.member(test, at: retry).nextRenewal) + 3600
        try test.database.renewMemberships(now: second)
        test.app.payments.chargeMembershipRenewals(now: second)
        test.app.payments.chargeMembershipRenewals(now: second + Memberships.retryDelays[0] + 60)
        #expect(try Self.member(test, at: second + Memberships.retryDelays[0] + 60).state == .active)
        let last = second + Memberships.retryDelays[1] + 60
        test.app.payments.chargeMembershipRenewals(now: last)
        let member = try Self.member(test, at: last)
        #expect(member.state == .suspended)
        #expect(member.periods.map(\.state) == ["due", "paid", "paid"])
        #expect(try Self.count(test, "SELECT COUNT(*) FROM membership_charges WHERE session = 'off' AND status = 'failed'") == 4)
        #expect(try Self.count(test, "SELECT COUNT(*) FROM audit_log WHERE action = 'membership.suspend'") == 1)
        #expect(try Self.mails(test, event: "suspended").count == 1)
        #expect(try Self.mails(test, event: "payment_failed").count == 3)
        // Nothing more is charged or started for a suspended membership; its withheld credits stay withheld
        test.app.payments.chargeMembershipRenewals(now: last + 10 * 86_400)
        #expect(try test.database.renewMemberships(now: last + 40 * 86_400) == 0)
        #expect(try Self.count(test, "SELECT COUNT(*) FROM entitlement_movements WHERE kind = 'grant'") == 2)
        #expect(try Self.count(test, "SELECT COUNT(*) FROM membership_charges WHERE session = 'off'") == 5)
    }

    /// Casey's first month is taken in cash at the desk while the card page is open, then paid by
    /// card too; Stripe tells twice and the return page asks. The membership and the card's intent.
    static func paidTwice(_ harness: PaymentsTests.Harness, plan: String) throws -> (id: Int64, intent: String) {
        let test = harness.test
        let casey = try test.signedIn("customer@demo.test")
        let (path, id) = try subscribe(casey, plan: plan)
        try casey.get(path)
        let charge = try #require(try test.database.openMembershipCharge(businessID: 1, membershipID: id, userID: try Self.casey(test).id))
        let intent = try #require(charge.stripeIntent)
        try test.database.recordMembershipPayment(businessID: 1, membershipID: id, payment: .cash, actor: "user:2", now: test.nowSeconds)
        #expect(try member(test).state == .active)
        let card = try harness.card()
        _ = try harness.api.post("/v1/payment_intents/" + intent, [("payment_method", card)])
        _ = try harness.api.post("/v1/payment_intents/\(intent)/confirm")
        for delivery in 0..<2 {
            let event: [String: Any] = ["id": "evt_desk_\(delivery)", "type": "payment_intent.succeeded",
                                        "data": ["object": ["id": intent, "object": "payment_intent", "amount": 4500,
                                                            "amount_received": 4500, "status": "succeeded", "payment_method": card]]]
            #expect(try harness.webhook(event).status == .ok)
        }
        try casey.get("/account/wallet/memberships/\(id)/return")
        return (id, intent)
    }

    @Test func moneyForAMonthPaidAtTheDeskMeanwhileIsRefundedOnceByTheWorker() throws {
        let (harness, plan) = try Self.harness()
        let test = harness.test
        let (id, intent) = try Self.paidTwice(harness, plan: plan)
        // The card money is recorded once, nothing more granted, the card not kept, and a refund is owed
        #expect(try Self.money(test, id) == ["0 charge 4500 cash", "0 charge 4500 stripe"])
        #expect(try Self.balances(test) == [4])
        #expect(try Self.count(test, "SELECT COUNT(*) FROM membership_subscriptions WHERE payment_method IS NOT NULL") == 0)
        #expect(try Self.count(test, "SELECT COUNT(*) FROM membership_refunds WHERE status = 'open'") == 1)
        #expect(try Self.count(test, "SELECT COUNT(*) FROM audit_log WHERE action = 'membership.paid_unexpected'") == 1)
        // The worker refunds it at Stripe once, however often it runs
        for _ in 0..<2 { test.app.payments.makeOwedMembershipRefunds(now: test.nowSeconds) }
        let refunds = try harness.api.get("/v1/refunds", query: [("payment_intent", intent)])[list: "data"]
        #expect(refunds.count == 1)
        #expect(refunds.first?[int: "amount"] == 4500)
        #expect(try Self.money(test, id) == ["0 charge 4500 cash", "0 charge 4500 stripe", "0 refund -4500 stripe"])
        #expect(try Self.count(test, "SELECT COUNT(*) FROM membership_refunds WHERE status = 'succeeded'") == 1)
        #expect(try Self.count(test, "SELECT COUNT(*) FROM audit_log WHERE action = 'membership.refund'") == 1)
        let mailed = try Self.mails(test, event: "refunded")
        #expect(mailed.count == 1)
        #expect(mailed.first?.contains("$45.00") == true)
        #expect(try Self.balances(test) == [4])
        // The member and the front desk see it on the wallet
        let words = "$45.00 taken by card after the month was settled has been refunded."
        #expect(try test.signedIn("customer@demo.test").get("/account/wallet").text.contains(words))
        #expect(try test.signedIn("frontdesk@demo.test").get("/staff/demo/wallet?email=customer%40demo.test").text.contains(words))
    }

    @Test func aMembershipRefundStripeRefusedIsKeptFailedAuditedAndNotAskedAgain() throws {
        let (harness, plan) = try Self.harness()
        let test = harness.test
        let (id, intent) = try Self.paidTwice(harness, plan: plan)
        // Owed: both wallets say it is on its way
        let desk = try test.signedIn("frontdesk@demo.test")
        #expect(try desk.get("/staff/demo/wallet?email=customer%40demo.test").text.contains("$45.00 taken by card after the month was settled is being refunded."))
        // Stripe refused it (what the worker records on a refusal; localstripe itself refuses no refund)
        let due = try #require(try test.database.membershipRefundsOwed().first)
        #expect(due.stripeIntent == intent && due.amount == 4500 && due.membershipID == id)
        try test.database.membershipRefundFailed(due, message: "Stripe refused the refund: the charge is disputed", now: test.nowSeconds)
        try test.database.membershipRefundFailed(due, message: "again", now: test.nowSeconds)
        for _ in 0..<2 { test.app.payments.makeOwedMembershipRefunds(now: test.nowSeconds) }
        #expect(try harness.api.get("/v1/refunds", query: [("payment_intent", intent)])[list: "data"].isEmpty)
        #expect(try test.database.membershipRefundsOwed().isEmpty)
        #expect(try Self.count(test, "SELECT COUNT(*) FROM membership_refunds WHERE status = 'failed' AND last_error LIKE '%disputed'") == 1)
        #expect(try Self.count(test, "SELECT COUNT(*) FROM audit_log WHERE action = 'membership.refund_failed'") == 1)
        #expect(try Self.money(test, id) == ["0 charge 4500 cash", "0 charge 4500 stripe"])
        #expect(try desk.get("/staff/demo/wallet?email=customer%40demo.test").text
                    .contains("could not be refunded automatically (Stripe refused the refund: the charge is disputed)"))
        // A refund recorded late for it changes nothing: it is not owed any more
        #expect(try test.database.recordMembershipRefund(due, refundID: "re_late", now: test.nowSeconds) == false)
        #expect(try Self.mails(test, event: "refunded").isEmpty)
    }

    @Test func anotherBusinessOrCustomerGetsNotFound() throws {
        let (harness, plan) = try Self.harness()
        let test = harness.test
        let (_, id) = try Self.activeMember(harness, plan: plan)
        // Another customer: the pay page, paying and the card step are 404
        let dana = try test.signedIn("dana@demo.test")
        try dana.get("/account/wallet")
        #expect(try dana.get("/account/wallet/memberships/\(id)/pay").status == .notFound)
        #expect(try dana.post("/account/wallet/memberships/\(id)/pay", []).status == .notFound)
        #expect(try dana.post("/account/wallet/memberships/\(id)/card", [("payment_method", try harness.card())]).status == .notFound)
        // Someone who owns another business cannot record its month at their desk
        let (stranger, slug) = try PurchaseWebTests.otherBusinessOwner(test)
        try stranger.get("/staff/\(slug)/wallet")
        #expect(try stranger.post("/staff/\(slug)/wallet/memberships/\(id)/pay", [("payment", "cash")]).status == .notFound)
        #expect(try Self.money(test, id) == ["0 charge 4500 stripe"])
    }
}
