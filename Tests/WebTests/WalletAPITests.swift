import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// `redeem` on API bookings and holds, products, and a customer record's wallet (issue 18), through
/// the app on a real database, each answer checked against the OpenAPI document.
struct WalletAPITests {
    /// Tuesday 2026-12-01 11:00 New York: a free consultation start in the staff fixture.
    static let start = "2026-12-01T16:00:00Z"

    func call(_ test: TestApp, _ method: String, _ path: String, _ body: String = "", key: String) throws -> (status: Int, json: JSONValue) {
        let request = try Request(method: method, target: path,
                                  headers: Headers([("Content-Type", "application/json"), ("Authorization", "Bearer \(key)")]),
                                  body: Array(body.utf8))
        let response = test.app.respond(to: request)
        return (response.status.code, (try? JSONValue.parse(response.body)) ?? .null)
    }

    func ownerKey(_ test: TestApp) throws -> String {
        try test.database.pool.write { db in
            try APIKeys.create(db, businessID: 1, name: "integrator", role: .owner, now: test.nowSeconds, actor: .system).key
        }
    }

    func booking(email: String = "customer@demo.test", start: String = Self.start, redeem: String) -> String {
        #"{"offer":"consultation","start":"\#(start)","customer":{"name":"Casey Customer","email":"\#(email)"},"redeem":\#(redeem)}"#
    }

    func conforms(_ json: JSONValue, _ method: String, _ path: String, _ status: Int) throws {
        let checker = APISchemaChecker(document: try JSONValue.parse(APISpec.json))
        let schema = try #require(checker.responseSchema(method: method, path: path, status: status))
        #expect(checker.problems(json, schema).isEmpty, "\(checker.problems(json, schema))")
    }

    func bookings(_ test: TestApp) throws -> Int {
        try test.database.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM booking_orders WHERE status <> 'expired'") ?? 0 }
    }

    func caseyID(_ test: TestApp) throws -> CustomerID {
        let list = try #require(try test.database.customers(businessID: 1, role: .owner, text: "customer@demo.test"))
        return try #require(list.customers.first?.id)
    }

    @Test func aBookingPaidWithACreditCostsNothingAndSpendsOneCredit() throws {
        // Given Casey bought a 5-class pass for consultations
        let (test, _) = try WalletWebTests.withPackage()
        try WalletWebTests.sellToCasey(test)
        let key = try ownerKey(test)
        // When the integrator books with a credit
        let booked = try call(test, "POST", "/api/v1/bookings", booking(redeem: #"{"credit":true}"#), key: key)
        // Then the price is 0 with the package as a line, and one credit is gone
        #expect(booked.status == 201, "\(booked.json)")
        try conforms(booked.json, "POST", "/api/v1/bookings", 201)
        #expect(booked.json["status"]?.string == "confirmed")
        #expect(booked.json["price"]?["total"]?.int == 0)
        let lines = booked.json["price"]?["lines"]?.array ?? []
        #expect(lines.contains { $0["label"]?.string?.contains("5-class pass") == true })
        #expect(lines.reduce(0) { $0 + ($1["amount"]?.int ?? 0) } == 0)
        let wallet = try call(test, "GET", "/api/v1/customers/\(try caseyID(test))/wallet", key: key)
        #expect(wallet.status == 200)
        try conforms(wallet.json, "GET", "/api/v1/customers/{id}/wallet", 200)
        #expect(wallet.json["credits"]?.array?.first?["remaining"]?.int == 4)
        #expect(wallet.json["credits"]?.array?.first?["product"]?.string == "5-class pass")
    }

    @Test func aRefusedRedemptionNamesItsFieldAndBooksNothing() throws {
        let (test, _) = try WalletWebTests.withPackage()
        let key = try ownerKey(test)
        let before = try bookings(test)
        // No credit at all
        let none = try call(test, "POST", "/api/v1/bookings", booking(redeem: #"{"credit":true}"#), key: key)
        #expect(none.status == 409)
        #expect(none.json["error"]?["code"]?.string == "credit_unavailable")
        #expect(none.json["error"]?["field"]?.string == "redeem.credit")
        // An expired credit: sold 40 days ago, valid 30
        try test.database.sellPackage(businessID: 1, packageID: try #require(PackageID(try WalletWebTests.packageID(test))),
                                      customerEmail: "customer@demo.test", payment: .cash, actor: "user:2", now: test.nowSeconds - 40 * 86_400)
        let expired = try call(test, "POST", "/api/v1/holds", booking(redeem: #"{"credit":true}"#), key: key)
        #expect(expired.status == 409)
        #expect(expired.json["error"]?["code"]?.string == "credit_expired")
        #expect(expired.json["error"]?["field"]?.string == "redeem.credit")
        #expect(expired.json["error"]?["message"]?.string?.contains("expired") == true)
        // An unknown code
        let unknown = try call(test, "POST", "/api/v1/bookings", booking(redeem: #"{"code":"NOPE-123"}"#), key: key)
        #expect(unknown.status == 422)
        #expect(unknown.json["error"]?["code"]?.string == "unknown_code")
        #expect(unknown.json["error"]?["field"]?.string == "redeem.code")
        // Both at once, or a wrong type
        let both = try call(test, "POST", "/api/v1/bookings", booking(redeem: #"{"credit":true,"code":"X"}"#), key: key)
        #expect(both.status == 422)
        #expect(both.json["error"]?["field"]?.string == "redeem")
        let wrong = try call(test, "POST", "/api/v1/bookings", booking(redeem: #"{"credit":"yes"}"#), key: key)
        #expect(wrong.status == 422)
        #expect(wrong.json["error"]?["field"]?.string == "redeem.credit")
        // With an Idempotency-Key the refusal has the same shape
        let request = try Request(method: "POST", target: "/api/v1/bookings",
                                  headers: Headers([("Content-Type", "application/json"), ("Authorization", "Bearer \(key)"),
                                                    ("Idempotency-Key", "redeem-1")]),
                                  body: Array(booking(redeem: #"{"code":"NOPE-123"}"#).utf8))
        let keyed = test.app.respond(to: request)
        #expect(keyed.status.code == 422)
        #expect(try JSONValue.parse(keyed.body)["error"]?["field"]?.string == "redeem.code")
        #expect(try bookings(test) == before)
    }

    @Test func aPromoCodeMadeThroughTheAPIIsAPriceLineUntilItsUsesRunOut() throws {
        let test = try TestApp.staff()
        let key = try ownerKey(test)
        // Given a code for 20 % off consultations, usable once
        let made = try call(test, "POST", "/api/v1/products",
                            #"{"kind":"promo_code","code":"once20","percent_off":20,"offers":["consultation"],"total_limit":1}"#, key: key)
        #expect(made.status == 201, "\(made.json)")
        try conforms(made.json, "POST", "/api/v1/products", 201)
        #expect(made.json["code"]?.string == "ONCE20")
        // The same code again is a conflict
        let again = try call(test, "POST", "/api/v1/products", #"{"kind":"promo_code","code":"ONCE20","amount_off":500}"#, key: key)
        #expect(again.status == 409)
        #expect(again.json["error"]?["code"]?.string == "code_taken")
        // When a hold uses it, the discount is a line of the price
        let held = try call(test, "POST", "/api/v1/holds", booking(email: "ann@example.com", redeem: #"{"code":"once20"}"#), key: key)
        #expect(held.status == 201, "\(held.json)")
        let lines = held.json["price"]?["lines"]?.array ?? []
        let discount = try #require(lines.first { $0["label"]?.string?.contains("ONCE20") == true })
        #expect((discount["amount"]?.int ?? 0) < 0)
        #expect(lines.reduce(0) { $0 + ($1["amount"]?.int ?? 0) } == held.json["price"]?["total"]?.int)
        // Then a second customer finds its uses gone
        let late = try call(test, "POST", "/api/v1/bookings",
                            booking(email: "bo@example.com", start: "2026-12-01T17:00:00Z", redeem: #"{"code":"ONCE20"}"#), key: key)
        #expect(late.status == 422)
        #expect(late.json["error"]?["code"]?.string == "code_used_up")
        #expect(late.json["error"]?["field"]?.string == "redeem.code")
        let listed = try call(test, "GET", "/api/v1/products", key: key)
        try conforms(listed.json, "GET", "/api/v1/products", 200)
        #expect(listed.json["products"]?.array?.first { $0["code"]?.string == "ONCE20" }?["uses"]?.int == 1)
    }

    @Test func aHoldThatLapsesGivesItsCreditBack() throws {
        let (test, _) = try WalletWebTests.withPackage()
        try WalletWebTests.sellToCasey(test)
        let key = try ownerKey(test)
        let held = try call(test, "POST", "/api/v1/holds", booking(redeem: #"{"credit":true}"#), key: key)
        #expect(held.status == 201, "\(held.json)")
        #expect(held.json["price"]?["total"]?.int == 0)
        let path = "/api/v1/customers/\(try caseyID(test))/wallet"
        #expect(try call(test, "GET", path, key: key).json["credits"]?.array?.first?["remaining"]?.int == 4)
        // When the hold runs out unconfirmed, the credit comes back
        test.advance(seconds: 3 * 3600)
        #expect(try test.database.expireHolds(now: test.nowSeconds) >= 1)
        #expect(try call(test, "GET", path, key: key).json["credits"]?.array?.first?["remaining"]?.int == 5)
    }

    @Test func aHoldPaidWithACreditConfirmsWithoutPayment() throws {
        let (test, _) = try WalletWebTests.withPackage()
        try WalletWebTests.sellToCasey(test)
        let key = try ownerKey(test)
        let held = try call(test, "POST", "/api/v1/holds", booking(redeem: #"{"credit":true}"#), key: key)
        let id = try #require(held.json["id"]?.string)
        let confirmed = try call(test, "POST", "/api/v1/holds/\(id)/confirm", key: key)
        #expect(confirmed.status == 201, "\(confirmed.json)")
        #expect(confirmed.json["price"]?["total"]?.int == 0)
        // Cancelled more than 24 h ahead: the credit is back (tiers: 100 %)
        let cancelled = try call(test, "POST", "/api/v1/bookings/\(id)/cancel", key: key)
        #expect(cancelled.status == 200)
        #expect(try call(test, "GET", "/api/v1/customers/\(try caseyID(test))/wallet", key: key).json["credits"]?.array?.first?["remaining"]?.int == 5)
    }

    @Test func aPackageMadeAndGrantedThroughTheAPIReachesTheCustomersWallet() throws {
        let test = try TestApp.staff()
        let key = try ownerKey(test)
        let made = try call(test, "POST", "/api/v1/products",
                            #"{"kind":"package","name":"Ten consults","credits":10,"valid_days":60,"price":30000,"offers":["consultation"]}"#, key: key)
        #expect(made.status == 201, "\(made.json)")
        try conforms(made.json, "POST", "/api/v1/products", 201)
        let product = try #require(made.json["id"]?.int)
        // A package field on a promo code, an unknown offer
        #expect(try call(test, "POST", "/api/v1/products", #"{"kind":"promo_code","code":"ABC","percent_off":5,"credits":3}"#, key: key).status == 422)
        #expect(try call(test, "POST", "/api/v1/products",
                         #"{"kind":"package","name":"X","credits":1,"valid_days":1,"price":0,"offers":["nope"]}"#, key: key).status == 404)
        // Casey becomes a customer record by booking, then is granted the package
        #expect(try call(test, "POST", "/api/v1/bookings", booking(redeem: "{}"), key: key).status == 201)
        let casey = try caseyID(test)
        let granted = try call(test, "POST", "/api/v1/customers/\(casey)/wallet/grants", #"{"product":\#(product)}"#, key: key)
        #expect(granted.status == 201, "\(granted.json)")
        try conforms(granted.json, "POST", "/api/v1/customers/{id}/wallet/grants", 201)
        #expect(granted.json["credits"]?.array?.first?["remaining"]?.int == 10)
        #expect(try call(test, "POST", "/api/v1/customers/\(casey)/wallet/grants", #"{"product":999}"#, key: key).status == 404)
        #expect(try call(test, "POST", "/api/v1/customers/99999/wallet/grants", #"{"product":\#(product)}"#, key: key).status == 404)
        #expect(try call(test, "GET", "/api/v1/customers/99999/wallet", key: key).status == 404)
        // Someone without an account cannot hold credits
        #expect(try call(test, "POST", "/api/v1/bookings",
                         booking(email: "zed@example.com", start: "2026-12-01T17:00:00Z", redeem: "{}"), key: key).status == 201)
        let zed = try #require(try test.database.customers(businessID: 1, role: .owner, text: "zed@example.com")?.customers.first?.id)
        let refused = try call(test, "POST", "/api/v1/customers/\(zed)/wallet/grants", #"{"product":\#(product)}"#, key: key)
        #expect(refused.status == 409)
        #expect(refused.json["error"]?["code"]?.string == "no_account")
    }

    @Test func theCustomersPageShowsTheirWalletAndLinksToItOnlyForWhoMaySeeTheirAddress() throws {
        // Given Casey bought a 5-class pass at the desk, holds the demo gift card, and is a customer record
        let (test, owner) = try WalletWebTests.withPackage()
        try WalletWebTests.sellToCasey(test)
        #expect(try call(test, "POST", "/api/v1/bookings", booking(redeem: "{}"), key: try ownerKey(test)).status == 201)
        let url = "/manage/demo/customers/\(try caseyID(test))"
        // The owner sees what the wallet holds and a link to it
        let page = try owner.get(url)
        #expect(page.status == .ok)
        #expect(page.text.contains("<h2 id=\"wallet-heading\">Wallet</h2>"))
        #expect(page.text.contains("5-class pass: 5 left, valid until"))
        #expect(page.text.contains("$50.00 left"))
        #expect(!page.text.contains("GIFT-DEMO-50"))
        #expect(page.text.contains("href=\"/staff/demo/wallet?email=customer%40demo.test\""))
        // The front desk sees the lines but not the address-bearing link
        let desk = try test.signedIn("frontdesk@demo.test")
        let masked = try desk.get(url)
        #expect(masked.status == .ok)
        #expect(masked.text.contains("5-class pass: 5 left"))
        #expect(!masked.text.contains("customer%40demo.test") && !masked.text.contains("customer@demo.test"))
    }
}

