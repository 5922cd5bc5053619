import BookingCore
import Foundation
import GRDB
import HTTPServer
import Outbound
@testable import Store
import TestSupport
import Testing
@testable import Web

/// A customer buys a package or a gift card online (issue 18), against a real Stripe double: by
/// card, granted once whether the webhook or the return page comes first (or the webhook twice);
/// a declined card grants nothing; without Stripe it is reserved to pay at the venue, where the
/// business's staff (and only theirs) record it paid or cancel it.
@Suite(.serialized)
struct PurchaseWebTests {
    func yoga5(_ test: TestApp) throws -> String {
        let package = try #require(try test.database.packages(businessID: 1).first { $0.name == "yoga-5" })
        return ProductRef.package(package.id).description
    }

    func lots(_ test: TestApp) throws -> [Int] {
        let casey = try #require(try test.database.user(email: "customer@demo.test"))
        return try test.database.wallet(userID: casey.id).map { $0.lot.balance }
    }

    func purchaseLedger(_ test: TestApp) throws -> [String] {
        try test.database.pool.read {
            try Row.fetchAll($0, sql: "SELECT kind, amount, method FROM purchase_payments ORDER BY id").map {
                "\($0["kind"] as String) \($0["amount"] as Int64) \($0["method"] as String)"
            }
        }
    }

    /// Casey buys yoga-5 from the products page: the purchase's page path (`…/pay` when by card).
    func buy(_ casey: Browser, product: String) throws -> String {
        let page = try casey.get("/b/demo/products")
        #expect(page.status == .ok)
        let bought = try casey.post("/b/demo/products/buy", [("product", product)])
        return try #require(bought.headers["Location"], "buying answered \(bought.status.code): \(bought.text.prefix(400))")
    }

    @Test func theProductsPageListsPackagesAndGiftCardsAndIsLinked() throws {
        let test = try TestApp.staff()
        let page = try test.browser().get("/b/demo/products")
        #expect(page.status == .ok)
        #expect(page.text.contains("yoga-5"))
        #expect(page.text.contains("5 credits for Lunchtime yoga, valid 90 days from purchase"))
        #expect(page.text.contains("Gift card $50"))
        #expect(page.text.contains("log in</a> (or sign up) first to buy"))
        #expect(try test.browser().get("/b/demo").text.contains("href=\"/b/demo/products\""))
        let casey = try test.signedIn("customer@demo.test")
        #expect(try casey.get("/account/wallet").text.contains("href=\"/b/demo/products\""))
        #expect(try casey.get("/b/demo/products").text.contains("Reserve yoga-5"))
        // A guest is shown no buy form, and a forged post buys nothing
        let guest = test.browser("198.51.100.60")
        #expect(!(try guest.get("/b/demo/products").text.contains("products/buy")))
        let anonymous = try guest.post("/b/demo/products/buy", [("product", try yoga5(test))])
        #expect(anonymous.status == .forbidden || anonymous.headers["Location"]?.hasPrefix("/login") == true)
        #expect(try test.database.pendingPurchases(businessID: 1).isEmpty)
    }

    @Test func aCardPurchaseIsGrantedOnceByTheReturnPageAndTheWebhookAfter() throws {
        let harness = try PaymentsTests.Harness()
        let test = harness.test
        let casey = try test.signedIn("customer@demo.test")
        #expect(try casey.get("/b/demo/products").text.contains("Buy yoga-5"))
        let payPath = try buy(casey, product: try yoga5(test))
        #expect(payPath.hasSuffix("/pay"))
        let page = try casey.get(payPath)
        #expect(page.status == .ok)
        #expect(page.text.contains("Pay $60.00 for yoga-5"))
        #expect(page.headers["Content-Security-Policy"]?.contains(harness.stripe.base) == true)
        let purchasePath = String(payPath.dropLast("/pay".count))
        let publicID = String(purchasePath.split(separator: "/").last!)
        let intent = try #require(try test.database.purchase(publicID: publicID)?.stripeIntent)
        // Back before paying: nothing granted
        let early = try casey.get(purchasePath + "/return")
        #expect(early.text.contains("has not gone through yet"))
        #expect(try lots(test).isEmpty)
        // Paid with the card form: the credits are in the wallet, one ledger row
        let paid = try casey.post(purchasePath + "/card", [("payment_method", try harness.card())])
        #expect(paid.status == .seeOther, "paying answered \(paid.status.code): \(paid.text.prefix(400))")
        #expect(paid.headers["Location"] == purchasePath)
        #expect(try casey.get(purchasePath).text.contains("yoga-5 is in your wallet"))
        #expect(try lots(test) == [5])
        // The return page again and the webhook (twice) after: nothing more
        #expect(try casey.get(purchasePath + "/return").headers["Location"] == purchasePath)
        let event: [String: Any] = ["id": "evt_buy", "type": "payment_intent.succeeded",
                                    "data": ["object": ["id": intent, "object": "payment_intent", "amount": 6000, "status": "succeeded"]]]
        #expect(try harness.webhook(event).status == .ok)
        #expect(try harness.webhook(event).status == .ok)
        #expect(try lots(test) == [5])
        #expect(try purchaseLedger(test) == ["charge 6000 stripe"])
        #expect(try test.database.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM ledger_entries") } == 0)
        let wallet = try casey.get("/account/wallet")
        #expect(wallet.text.contains("5 left, valid until"))
        #expect(wallet.text.contains("paid by card"))
        // Someone else cannot see or pay Casey's purchase
        let dana = try test.signedIn("dana@demo.test")
        #expect(try dana.get(purchasePath).status == .notFound)
    }

    @Test func theWebhookAloneGrantsAGiftCardWithACodeAndTheReturnPageShowsIt() throws {
        let harness = try PaymentsTests.Harness()
        let test = harness.test
        let casey = try test.signedIn("customer@demo.test")
        let product = try #require(try test.database.giftCardProducts(businessID: 1).first)
        let payPath = try buy(casey, product: ProductRef.giftCard(product.id).description)
        let purchasePath = String(payPath.dropLast("/pay".count))
        let intent = try #require(try test.database.purchase(publicID: String(purchasePath.split(separator: "/").last!))?.stripeIntent)
        _ = try harness.api.post("/v1/payment_intents/" + intent, [("payment_method", try harness.card())])
        _ = try harness.api.post("/v1/payment_intents/\(intent)/confirm")
        let event: [String: Any] = ["id": "evt_gift", "type": "payment_intent.succeeded",
                                    "data": ["object": ["id": intent, "object": "payment_intent", "amount": 5000, "status": "succeeded"]]]
        #expect(try harness.webhook(event).status == .ok)
        let casey2 = try #require(try test.database.user(email: "customer@demo.test"))
        let cards = try test.database.giftCards(userID: casey2.id)
        #expect(cards.count == 2)
        let code = try #require(cards.first { $0.code != "GIFT-DEMO-50" }?.code)
        #expect(try casey.get(purchasePath + "/return").headers["Location"] == purchasePath)
        #expect(try casey.get(purchasePath).text.contains(code))
        #expect(try test.database.giftCards(userID: casey2.id).count == 2)
        // The confirmation email carries the code (kind confirmation, about purchase)
        let mailed = try test.database.pool.read {
            try String.fetchAll($0, sql: "SELECT data FROM outbox WHERE kind = 'confirmation' AND order_id IS NULL")
        }
        #expect(mailed.count == 1)
        #expect(mailed.first?.contains(code) == true)
    }

    @Test func aDeclinedCardGrantsNothingAndThePageSaysSo() throws {
        let harness = try PaymentsTests.Harness()
        let test = harness.test
        let casey = try test.signedIn("customer@demo.test")
        let payPath = try buy(casey, product: try yoga5(test))
        let purchasePath = String(payPath.dropLast("/pay".count))
        try casey.get(payPath)
        let declined = try casey.post(purchasePath + "/card", [("payment_method", try harness.card("4000000000000341"))])
        #expect(declined.status.code == 402)
        #expect(declined.text.contains("did not go through"))
        #expect(try lots(test).isEmpty)
        #expect(try purchaseLedger(test).isEmpty)
        // A payment_failed webhook changes nothing more either
        let intent = try #require(try test.database.purchase(publicID: String(purchasePath.split(separator: "/").last!))?.stripeIntent)
        let failed: [String: Any] = ["id": "evt_declined", "type": "payment_intent.payment_failed",
                                     "data": ["object": ["id": intent, "object": "payment_intent", "amount": 6000,
                                                         "last_payment_error": ["message": "Your card was declined."]]]]
        #expect(try harness.webhook(failed).status == .ok)
        #expect(try lots(test).isEmpty)
        #expect(try casey.get(payPath).text.contains("The last attempt did not go through"))
    }

    @Test func withoutStripeItIsReservedAndTheBusinessStaffRecordItPaid() throws {
        let harness = try PaymentsTests.Harness(connect: false)
        let test = harness.test
        let casey = try test.signedIn("customer@demo.test")
        let purchasePath = try buy(casey, product: try yoga5(test))
        #expect(!purchasePath.hasSuffix("/pay"))
        #expect(try casey.get(purchasePath).text.contains("yoga-5 is reserved: pay at the venue"))
        #expect(try casey.get("/account/wallet").text.contains("Pending: pay $60.00 at the venue"))
        #expect(try lots(test).isEmpty)
        let purchase = try #require(try test.database.pendingPurchases(businessID: 1).first)
        // The front desk sees it; a client may not record it
        let desk = try test.signedIn("frontdesk@demo.test")
        let staffPage = try desk.get("/staff/demo/wallet")
        #expect(staffPage.text.contains("yoga-5 for Casey Customer"))
        #expect(try casey.post("/staff/demo/wallet/purchases/\(purchase.id)/paid", [("payment", "at_venue")]).status != .seeOther)
        // Bad input: a sentence, nothing changed
        try desk.get("/staff/demo/wallet")
        let bad = try desk.post("/staff/demo/wallet/purchases/\(purchase.id)/paid", [("payment", "card")])
        #expect(bad.status == .unprocessable)
        #expect(bad.text.contains("Choose how the customer paid"))
        let unknown = try desk.post("/staff/demo/wallet/purchases/99999/paid", [("payment", "cash")])
        #expect(unknown.status == .notFound)
        #expect(unknown.text.contains("There is no such purchase"))
        #expect(try desk.post("/staff/demo/wallet/purchases/\(purchase.id)/paid", [("payment", "cash")], csrf: .some(nil)).status == .forbidden)
        #expect(try lots(test).isEmpty)
        // Recorded paid at the venue: granted, once
        let paid = try desk.post("/staff/demo/wallet/purchases/\(purchase.id)/paid", [("payment", "at_venue")])
        #expect(paid.status == .seeOther, "recording answered \(paid.status.code): \(paid.text.prefix(300))")
        #expect(try lots(test) == [5])
        let again = try desk.post("/staff/demo/wallet/purchases/\(purchase.id)/paid", [("payment", "at_venue")])
        #expect(again.status == .conflict)
        #expect(again.text.contains("already paid"))
        #expect(try lots(test) == [5])
        #expect(try purchaseLedger(test) == ["charge 6000 at_venue"])
        #expect(!(try casey.get("/account/wallet").text.contains("Pending: pay")))
    }

    @Test func anotherBusinessesStaffCannotRecordOrCancelIt() throws {
        let test = try TestApp.staff()
        let casey = try test.signedIn("customer@demo.test")
        _ = try buy(casey, product: try yoga5(test))
        let purchase = try #require(try test.database.pendingPurchases(businessID: 1).first)
        // Someone who owns another business
        let (stranger, slug) = try Self.otherBusinessOwner(test)
        try stranger.get("/staff/\(slug)/wallet")
        let paid = try stranger.post("/staff/\(slug)/wallet/purchases/\(purchase.id)/paid", [("payment", "cash")])
        #expect(paid.status == .notFound)
        let cancelled = try stranger.post("/staff/\(slug)/wallet/purchases/\(purchase.id)/cancel", [])
        #expect(cancelled.status == .notFound)
        #expect(try stranger.post("/staff/demo/wallet/purchases/\(purchase.id)/paid", [("payment", "cash")]).status == .notFound)
        #expect(try test.database.pendingPurchases(businessID: 1).count == 1)
        // The demo's desk cancels it: nothing granted, gone from the lists
        let desk = try test.signedIn("frontdesk@demo.test")
        try desk.get("/staff/demo/wallet")
        #expect(try desk.post("/staff/demo/wallet/purchases/\(purchase.id)/cancel", []).status == .seeOther)
        #expect(try test.database.pendingPurchases(businessID: 1).isEmpty)
        #expect(try lots(test).isEmpty)
        #expect(try casey.get(PurchasePages.purchasePath(try #require(try test.database.purchase(publicID: purchase.publicID))))
                    .text.contains("yoga-5 was cancelled"))
    }

    /// Someone who signs up and sets up a business of their own ("Other Place"): their browser and its slug.
    static func otherBusinessOwner(_ test: TestApp) throws -> (Browser, String) {
        let stranger = test.browser("198.51.100.61")
        try stranger.signUp(name: "Other Owner", email: "other.owner@example.com", password: "correct horse battery staple")
        try stranger.get("/setup")
        let setUp = try stranger.post("/setup", [("business_name", "Other Place"), ("timezone", "UTC"), ("service_name", "Chat"),
                                                 ("duration_minutes", "30"), ("price", "10.00"), ("days", "mon"), ("opens", "09:00"),
                                                 ("closes", "17:00")])
        return (stranger, String(try #require(setUp.headers["Location"]).split(separator: "/")[1]))
    }

    @Test func aBadProductIsASentenceAndNothingIsReserved() throws {
        let test = try TestApp.staff()
        let casey = try test.signedIn("customer@demo.test")
        try casey.get("/b/demo/products")
        for bad in ["package-99999", "gift_card-99999", "offer-1", "", String(repeating: "9", count: 400)] {
            let refused = try casey.post("/b/demo/products/buy", [("product", bad)])
            #expect(refused.status == .unprocessable, "\(bad) answered \(refused.status.code)")
            #expect(refused.text.contains("Choose one of the packages or gift cards listed."))
        }
        #expect(try casey.post("/b/demo/products/buy", [("product", try yoga5(test))], csrf: .some(nil)).status == .forbidden)
        #expect(try test.database.pendingPurchases(businessID: 1).isEmpty)
        #expect(try casey.get("/b/nowhere/products").status == .notFound)
        #expect(try casey.get("/b/demo/purchases/unknown-purchase-id").status == .notFound)
    }

    /// Casey starts buying yoga-5 by card: the harness, Casey, the purchase's path and its intent.
    func cardPurchaseStarted() throws -> (PaymentsTests.Harness, Browser, String, String) {
        let harness = try PaymentsTests.Harness()
        let casey = try harness.test.signedIn("customer@demo.test")
        let payPath = try buy(casey, product: try yoga5(harness.test))
        let purchasePath = String(payPath.dropLast("/pay".count))
        return (harness, casey, purchasePath, try #require(try purchase(harness.test, path: purchasePath).stripeIntent))
    }

    func purchase(_ test: TestApp, path: String) throws -> PurchaseInfo {
        try #require(try test.database.purchase(publicID: String(path.split(separator: "/").last!)))
    }

    @Test func theBuyerCancelsAnUnpaidCardPurchaseAndStripeCanNoLongerTakeIt() throws {
        let harness = try PaymentsTests.Harness()
        let test = harness.test
        let casey = try test.signedIn("customer@demo.test")
        let payPath = try buy(casey, product: try yoga5(test))
        let purchasePath = String(payPath.dropLast("/pay".count))
        let shown = try casey.get(purchasePath)
        #expect(shown.text.contains("Cancel this purchase"))
        #expect(shown.text.contains("action=\"\(purchasePath)/cancel\""))
        let intent = try #require(try purchase(test, path: purchasePath).stripeIntent)
        // Someone else cannot cancel it, and a forged post changes nothing
        let dana = try test.signedIn("dana@demo.test")
        try dana.get("/account/wallet")
        #expect(try dana.post(purchasePath + "/cancel", []).status == .notFound)
        #expect(try casey.post(purchasePath + "/cancel", [], csrf: .some(nil)).status == .forbidden)
        #expect(try purchase(test, path: purchasePath).status == .pending)
        // Cancelled by Casey: the intent is cancelled at Stripe, so it cannot take the money later
        let cancelled = try casey.post(purchasePath + "/cancel", [])
        #expect(cancelled.status == .seeOther, "cancelling answered \(cancelled.status.code): \(cancelled.text.prefix(300))")
        #expect(cancelled.headers["Location"] == purchasePath)
        #expect(try purchase(test, path: purchasePath).status == .cancelled)
        #expect(try harness.api.get("/v1/payment_intents/" + intent)[string: "status"] == "canceled")
        let page = try casey.get(purchasePath)
        #expect(page.text.contains("yoga-5 was cancelled"))
        #expect(page.text.contains("nothing was charged"))
        #expect(!page.text.contains("Cancel this purchase"))
        #expect(try casey.get(payPath).headers["Location"] == purchasePath)
        // Again: a sentence, nothing changes
        let again = try casey.post(purchasePath + "/cancel", [])
        #expect(again.status == .conflict)
        #expect(again.text.contains("cancelled: nothing changed"))
        #expect(try lots(test).isEmpty)
        #expect(try purchaseLedger(test).isEmpty)
        let audited = try test.database.pool.read {
            try String.fetchAll($0, sql: "SELECT details FROM audit_log WHERE action = 'purchase.cancel'")
        }
        #expect(audited.count == 1 && audited[0].contains("buyer"))
    }

    @Test func theSweeperAbandonsACardPurchaseLeftUnpaidForADay() throws {
        let (harness, _, purchasePath, intent) = try cardPurchaseStarted()
        let test = harness.test
        test.app.payments.abandonUnpaidPurchases(now: test.nowSeconds + 23 * 3600)
        #expect(try purchase(test, path: purchasePath).status == .pending)
        #expect(try harness.api.get("/v1/payment_intents/" + intent)[string: "status"] != "canceled")
        test.app.payments.abandonUnpaidPurchases(now: test.nowSeconds + 25 * 3600)
        #expect(try purchase(test, path: purchasePath).status == .cancelled)
        #expect(try harness.api.get("/v1/payment_intents/" + intent)[string: "status"] == "canceled")
        #expect(try test.database.unpaidCardPurchases(startedBefore: test.nowSeconds + 48 * 3600).isEmpty)
        #expect(try lots(test).isEmpty)
    }

    @Test func abandoningAPurchasePaidMeanwhileGrantsItInstead() throws {
        let (harness, _, purchasePath, intent) = try cardPurchaseStarted()
        let test = harness.test
        // Paid at Stripe, but neither the return page nor the webhook reached us
        _ = try harness.api.post("/v1/payment_intents/" + intent, [("payment_method", try harness.card())])
        _ = try harness.api.post("/v1/payment_intents/\(intent)/confirm")
        test.app.payments.abandonUnpaidPurchases(now: test.nowSeconds + 25 * 3600)
        #expect(try purchase(test, path: purchasePath).status == .paid)
        #expect(try lots(test) == [5])
        #expect(try purchaseLedger(test) == ["charge 6000 stripe"])
        #expect(try harness.api.get("/v1/payment_intents/" + intent)[string: "status"] == "succeeded")
    }

    @Test func theBuyerCancelsAVenueReservationAndTheDeskNoLongerSeesIt() throws {
        let harness = try PaymentsTests.Harness(connect: false)
        let test = harness.test
        let casey = try test.signedIn("customer@demo.test")
        let purchasePath = try buy(casey, product: try yoga5(test))
        #expect(try casey.get(purchasePath).text.contains("Cancel this purchase"))
        #expect(try casey.post(purchasePath + "/cancel", []).status == .seeOther)
        #expect(try test.database.pendingPurchases(businessID: 1).isEmpty)
        #expect(!(try casey.get("/account/wallet").text.contains("Pending: pay")))
        let desk = try test.signedIn("frontdesk@demo.test")
        #expect(!(try desk.get("/staff/demo/wallet").text.contains("yoga-5 for Casey Customer")))
        let purchase = try purchase(test, path: purchasePath)
        #expect(try desk.post("/staff/demo/wallet/purchases/\(purchase.id)/paid", [("payment", "cash")]).status == .conflict)
        #expect(try lots(test).isEmpty)
    }
}

