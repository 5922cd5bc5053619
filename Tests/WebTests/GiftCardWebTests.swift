import BookingCore
import Foundation
import GRDB
import HTTPServer
import Outbound
@testable import Store
import TestSupport
import Testing
@testable import Web

/// Gift cards through the app (issue 18): amounts in the builder, a card sold at the front desk,
/// wallets, a card paying part of a booking at checkout with the rest at the venue or by card
/// (split tender), and a payment asked for before a code was added following the new amount.
@Suite(.serialized)
struct GiftCardWebTests {
    @Test func theOwnerAddsAnAmountTheDeskSellsACardAndWalletsShowIt() throws {
        let test = try TestApp.staff()
        let owner = try test.signedIn("owner@demo.test")
        try owner.get("/manage/demo/gift-cards")
        let created = try owner.post("/manage/demo/gift-cards", [("name", "Birthday card"), ("amount", "25.00")])
        #expect(created.status == .seeOther, "adding answered \(created.status.code): \(created.text.prefix(300))")
        #expect(try owner.get("/manage/demo/gift-cards").text.contains("Birthday card</strong>: $25.00"))
        let refused = try owner.post("/manage/demo/gift-cards", [("name", "Nothing"), ("amount", "0")])
        #expect(refused.status == .unprocessable)
        #expect(refused.text.contains("Enter an amount above zero."))
        let product = try #require(try test.database.giftCardProducts(businessID: 1).first { $0.name == "Birthday card" })
        // The front desk sells one to Casey, paid at the venue: the card's page shows its code
        let desk = try test.signedIn("frontdesk@demo.test")
        try desk.get("/staff/demo/wallet")
        let sold = try desk.post("/staff/demo/wallet/gift-cards", [("gift_card", String(product.id)), ("holder", "customer@demo.test"),
                                                                   ("gift_card_payment", "at_venue")])
        #expect(sold.status == .seeOther, "selling answered \(sold.status.code): \(sold.text.prefix(300))")
        let card = try desk.get(try #require(sold.headers["Location"]))
        #expect(card.text.contains("Gift card GC-"))
        #expect(card.text.contains("$25.00 left"))
        // An email without an account is refused with a sentence, nothing sold
        let nobody = try desk.post("/staff/demo/wallet/gift-cards", [("gift_card", String(product.id)), ("holder", "nobody@example.com"),
                                                                     ("gift_card_payment", "cash")])
        #expect(nobody.status == .unprocessable)
        #expect(nobody.text.contains("No customer has an account with that email."))
        // Casey sees both cards with their codes; staff see balances with the code masked
        let casey = try test.signedIn("customer@demo.test")
        let wallet = try casey.get("/account/wallet")
        #expect(wallet.text.contains("Gift card GIFT-DEMO-50"))
        #expect(wallet.text.contains("$50.00 left"))
        #expect(wallet.text.contains("$25.00 left"))
        let staffView = try desk.get("/staff/demo/wallet?email=customer%40demo.test")
        #expect(staffView.text.contains("Gift card …O-50"))
        #expect(!staffView.text.contains("GIFT-DEMO-50"))
        // A client may not sell cards
        #expect(try casey.post("/staff/demo/wallet/gift-cards", [("gift_card", String(product.id)), ("gift_card_payment", "cash")]).status != .seeOther)
    }

    @Test func aGiftCardPaysPartOfATreatmentAndTheRestIsPaidAtTheVenue() throws {
        let test = try TestApp.staff()
        let casey = try test.signedIn("customer@demo.test")
        let checkout = try #require(try test.hold(casey, offer: "treatment", resource: nil).headers["Location"])
        let form = try casey.get(checkout)
        #expect(form.text.contains("Promo code or gift card"))
        let confirmed = try casey.post(checkout, [("name", "Casey Customer"), ("email", "customer@demo.test"), ("phone", ""),
                                                  ("promo_code", "gift-demo-50")])
        #expect(confirmed.status == .seeOther, "checkout answered \(confirmed.status.code): \(confirmed.text.prefix(400))")
        let booking = try casey.get(try #require(confirmed.headers["Location"]))
        #expect(booking.text.contains("Gift card …O-50"))
        #expect(booking.text.contains("$40.00"))
        #expect(try casey.get("/account/wallet").text.contains("$0.00 left"))
        // The empty card is refused at the next checkout with a sentence
        let next = try #require(try test.hold(casey, start: "2026-11-30T16:00:00Z", offer: "treatment", resource: nil).headers["Location"])
        try casey.get(next)
        let refused = try casey.post(next, [("name", "Casey Customer"), ("email", "customer@demo.test"), ("phone", ""),
                                            ("promo_code", "GIFT-DEMO-50")])
        #expect(refused.status == .unprocessable)
        #expect(refused.text.contains("That gift card has nothing left on it."))
    }

    @Test func theAPIRedeemsAGiftCardAndShowsItOnTheCustomersWallet() throws {
        let test = try TestApp.staff()
        let key = try WalletAPITests().ownerKey(test)
        let body = #"{"offer":"consultation","start":"2026-12-01T16:00:00Z","customer":{"name":"Casey Customer","email":"customer@demo.test"},"redeem":{"code":"GIFT-DEMO-50"}}"#
        let booked = try WalletAPITests().call(test, "POST", "/api/v1/bookings", body, key: key)
        #expect(booked.status == 201, "\(booked.json)")
        #expect(booked.json["price"]?["total"]?.int == 0)
        #expect(booked.json["price"]?["lines"]?.array?.last?["amount"]?.int == -4000)
        let casey = try WalletAPITests().caseyID(test)
        let wallet = try WalletAPITests().call(test, "GET", "/api/v1/customers/\(casey)/wallet", key: key)
        try WalletAPITests().conforms(wallet.json, "GET", "/api/v1/customers/{id}/wallet", 200)
        #expect(wallet.json["gift_cards"]?.array?.first?["balance"]?.int == 1000)
        #expect(wallet.json["gift_cards"]?.array?.first?["code"]?.string == "GIFT-DEMO-50")
        // Booked again at another time: the last $10.00, then nothing left
        let second = try WalletAPITests().call(test, "POST", "/api/v1/bookings", body.replacingOccurrences(of: "16:00", with: "17:00"), key: key)
        #expect(second.json["price"]?["total"]?.int == 3000)
        let empty = try WalletAPITests().call(test, "POST", "/api/v1/bookings", body.replacingOccurrences(of: "16:00", with: "18:00"), key: key)
        #expect(empty.status == 409)
        #expect(empty.json["error"]?["code"]?.string == "gift_card_empty")
        #expect(empty.json["error"]?["field"]?.string == "redeem.code")
        // A gift card amount made through the API is listed among the products
        let made = try WalletAPITests().call(test, "POST", "/api/v1/products", #"{"kind":"gift_card","name":"Hundred","amount_off":10000}"#, key: key)
        #expect(made.status == 201, "\(made.json)")
        try WalletAPITests().conforms(made.json, "POST", "/api/v1/products", 201)
        let listed = try WalletAPITests().call(test, "GET", "/api/v1/products", key: key)
        try WalletAPITests().conforms(listed.json, "GET", "/api/v1/products", 200)
        #expect(listed.json["products"]?.array?.filter { $0["kind"]?.string == "gift_card" }.count == 2)
    }

    // MARK: With Stripe (split tender, and the amount due following a code added late)

    @Test func aPaymentAskedForBeforeAPromoCodeFollowsTheDiscountedPrice() throws {
        let harness = try PaymentsTests.Harness()
        let test = harness.test
        _ = try test.database.createPromoCode(businessID: 1, PromoRule(code: "BIG-80", discount: .amount(8000)), actor: "user:1", now: test.nowSeconds)
        let guest = test.browser("198.51.100.40")
        // Given a guest who reached the card step: an intent for the 20 % deposit of $90.00
        let (hold, _) = try harness.holdAndAskForPayment(guest)
        let first = try harness.intentID(hold: hold)
        #expect(try harness.api.get("/v1/payment_intents/" + first)[int: "amount"] == 1800)
        // When they go back and add a promo code for $80.00 off (a $10.00 price: below the deposit asked for)
        let checkout = "/b/demo/checkout/\(hold)"
        try guest.get(checkout)
        let again = try guest.post(checkout, [("name", "Paula Payer"), ("email", "paula@example.com"), ("phone", ""), ("promo_code", "big-80")])
        let pay = try #require(again.headers["Location"], "the code answered \(again.status.code): \(again.text.prefix(400))")
        // Then the payment asks for what is due of the new price, and the old intent can no longer be paid
        let intents = try test.database.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT p.stripe_id, p.amount, p.status FROM payment_intents p JOIN booking_orders b ON b.id = p.order_id
                WHERE b.public_id = ? AND p.purpose = 'booking' ORDER BY p.id
                """, arguments: [hold]).map { "\($0["amount"] as Int64) \($0["status"] as String)" }
        }
        #expect(intents == ["1800 canceled", "1000 open"])
        #expect(try harness.api.get("/v1/payment_intents/" + first)[string: "status"] == "canceled")
        #expect(try guest.get(pay).text.contains("$10.00"))
        let paid = try harness.pay(guest, hold: hold, payPath: pay)
        #expect(paid.status == .seeOther, "paying answered \(paid.status.code): \(paid.text.prefix(400))")
        #expect(try harness.ledger(hold: hold).map { "\($0.kind) \($0.amount)" } == ["charge 1000"])
    }

    @Test func aGiftCardPaysPartAndTheCardPaysTheDepositOfTheRestThenACancellationRefundsTheGiftCardFirst() throws {
        let harness = try PaymentsTests.Harness()
        let test = harness.test
        let casey = try test.signedIn("customer@demo.test")
        let page = try casey.get("/b/demo/treatment?date=2026-11-26")
        #expect(page.status == .ok)
        let held = try casey.post("/b/demo/treatment/hold", [("start", PaymentsTests.start)])
        let checkout = try #require(held.headers["Location"])
        try casey.get(checkout)
        let details = try casey.post(checkout, [("name", "Casey Customer"), ("email", "customer@demo.test"), ("phone", ""),
                                                ("promo_code", "GIFT-DEMO-50")])
        let pay = try #require(details.headers["Location"], "checkout answered \(details.status.code): \(details.text.prefix(400))")
        let hold = String(checkout.split(separator: "/").last!)
        // $90.00 less the card's $50.00 leaves $40.00; its 20 % deposit stays $18.00 (never above what is left)
        let order = try #require(try test.database.order(businessID: 1, publicID: hold))
        #expect(order.price.total == 4000)
        #expect(order.price.lines.contains { $0.label == "Gift card …O-50" && $0.amount == -5000 })
        #expect(try guest(pay, casey).contains("$18.00"))
        let paid = try harness.pay(casey, hold: hold, payPath: pay)
        #expect(paid.status == .seeOther, "paying answered \(paid.status.code): \(paid.text.prefix(400))")
        #expect(try test.status(of: hold) == "confirmed")
        // Cancelled days ahead (100 %): the gift card gets its $50.00 back first, the card its $18.00
        let demo = try #require(try test.database.business(slug: "demo"))
        let cancellation = try test.database.cancelBooking(business: demo, publicID: hold,
                                                           reason: "", now: test.nowSeconds, actor: .guest)
        #expect(cancellation.refund.amount == 1800)
        let holder = try #require(try test.database.user(email: "customer@demo.test"))
        let card = try #require(try test.database.giftCards(userID: holder.id).first)
        #expect(card.balance == 5000)
    }

    private func guest(_ path: String, _ browser: Browser) throws -> String { try browser.get(path).text }
}
