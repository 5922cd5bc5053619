import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// Packages in the builder, a sale at the front desk, paying with a credit at checkout and the
/// customer's wallet page (issue 18), through the app on a real database.
struct WalletWebTests {
    /// The staff fixture with a "5-class pass" for consultations (valid 30 days, $100.00).
    static func withPackage() throws -> (TestApp, Browser) {
        let test = try TestApp.staff()
        let owner = try test.signedIn("owner@demo.test")
        let consultation = try #require(try test.database.liveOffers(businessID: 1).first { $0.slug == "consultation" })
        try owner.get("/manage/demo/packages")
        let created = try owner.post("/manage/demo/packages", [("name", "5-class pass"), ("credits", "5"), ("valid_days", "30"),
                                                               ("price", "100.00"), ("offers", consultation.id.description)])
        #expect(created.status == .seeOther, "creating answered \(created.status.code): \(created.text.prefix(400))")
        return (test, owner)
    }

    static func packageID(_ test: TestApp) throws -> String {
        try #require(try test.database.packages(businessID: 1).first?.id.description)
    }

    /// The front desk records a sale of the pass to Casey, paid at the venue.
    static func sellToCasey(_ test: TestApp) throws {
        let desk = try test.signedIn("frontdesk@demo.test")
        try desk.get("/staff/demo/wallet")
        let sold = try desk.post("/staff/demo/wallet/sell", [("email", "Customer@Demo.test"), ("package", try packageID(test)),
                                                             ("payment", "at_venue")])
        #expect(sold.status == .seeOther, "selling answered \(sold.status.code): \(sold.text.prefix(400))")
    }

    @Test func theOwnerAddsAPackageAndBadInputAddsNothing() throws {
        let (test, owner) = try Self.withPackage()
        let page = try owner.get("/manage/demo/packages")
        #expect(page.text.contains("5-class pass"))
        #expect(page.text.contains("5 credits, valid 30 days, $100.00, for the buyer only"))
        let refused = try owner.post("/manage/demo/packages", [("name", "Broken"), ("credits", "0"), ("valid_days", "30"), ("price", "1")])
        #expect(refused.status == .unprocessable)
        #expect(refused.text.contains("Enter a whole number of credits from 1 to 1000."))
        #expect(refused.text.contains("Choose at least one offer the credits pay for."))
        // The demo's yoga-5 and the one added: nothing more
        #expect(try test.database.packages(businessID: 1).map(\.name).sorted() == ["5-class pass", "yoga-5"])
    }

    @Test func theFrontDeskRecordsASaleAndSeesTheCustomersWallet() throws {
        let (test, _) = try Self.withPackage()
        try Self.sellToCasey(test)
        let desk = try test.signedIn("frontdesk@demo.test")
        let wallet = try desk.get("/staff/demo/wallet?email=customer%40demo.test")
        #expect(wallet.status == .ok)
        #expect(wallet.text.contains("Casey Customer"))
        #expect(wallet.text.contains("5 left, valid until Wednesday 23 December 2026"))
        #expect(wallet.text.contains("$100.00, paid at the venue"))
        // An unknown customer: the sale is refused with a sentence, nothing granted
        let refused = try desk.post("/staff/demo/wallet/sell", [("email", "nobody@example.com"), ("package", try Self.packageID(test)),
                                                                ("payment", "at_venue")])
        #expect(refused.status == .unprocessable)
        #expect(refused.text.contains("No customer has an account with that email."))
        // A client of the business may not open the staff wallet
        let client = try test.signedIn("customer@demo.test")
        #expect(try client.get("/staff/demo/wallet?email=customer%40demo.test").status != .ok)
    }

    @Test func aCustomerBooksWithACreditAndSeesWhatIsLeft() throws {
        let (test, _) = try Self.withPackage()
        try Self.sellToCasey(test)
        let casey = try test.signedIn("customer@demo.test")
        let checkout = try #require(try test.hold(casey).headers["Location"])
        let form = try casey.get(checkout)
        #expect(form.text.contains("Use 1 credit from 5-class pass (5 left, valid until Wednesday 23 December 2026)"))
        let confirmed = try casey.post(checkout, [("name", "Casey Customer"), ("email", "customer@demo.test"), ("phone", ""),
                                                  ("pay_with", "credit")])
        #expect(confirmed.status == .seeOther, "paying with a credit answered \(confirmed.status.code): \(confirmed.text.prefix(400))")
        let booking = try casey.get(try #require(confirmed.headers["Location"]))
        #expect(booking.text.contains("Paid with 1 credit (5-class pass)"))
        let wallet = try casey.get("/account/wallet")
        #expect(wallet.status == .ok)
        #expect(wallet.text.contains("4 left, valid until Wednesday 23 December 2026"))
        #expect(wallet.text.contains("Used for a booking"))
    }

    @Test func theCheckoutSaysWhyAnExpiredCreditCannotBeUsed() throws {
        let (test, _) = try Self.withPackage()
        // Sold 40 days ago: the 30 days are over
        try test.database.sellPackage(businessID: 1, packageID: try #require(PackageID(try Self.packageID(test))),
                                      customerEmail: "customer@demo.test", payment: .cash, actor: "user:2",
                                      now: test.nowSeconds - 40 * 86_400)
        let casey = try test.signedIn("customer@demo.test")
        let checkout = try #require(try test.hold(casey).headers["Location"])
        let form = try casey.get(checkout)
        #expect(form.text.contains("Your credits for this service expired at the end of"))
        #expect(!form.text.contains("Use 1 credit"))
        // Once the sweeper closed the lapsed lot (its balance now 0), the page still says they expired, not that they were used
        #expect(try test.database.expireEntitlements(now: test.nowSeconds) == 1)
        let swept = try casey.get(checkout)
        #expect(swept.text.contains("Your credits for this service expired at the end of"))
        #expect(!swept.text.contains("You have used all your credits"))
        // Asking for it anyway is refused with the same sentence and books nothing
        let refused = try casey.post(checkout, [("name", "Casey Customer"), ("email", "customer@demo.test"), ("phone", ""),
                                                ("pay_with", "credit")])
        #expect(refused.status == .unprocessable)
        #expect(refused.text.contains("Your credits for this service expired at the end of"))
        let holdID = String(checkout.split(separator: "/").last!)
        #expect(try test.status(of: holdID) == "held")
    }

    @Test func theAPIListsPackagesInTheDocumentedShape() throws {
        let (test, _) = try Self.withPackage()
        let key = try test.database.pool.write { db in
            try APIKeys.create(db, businessID: 1, name: "client", role: .client, now: test.nowSeconds, actor: .system).key
        }
        let answer = try test.get("/api/v1/packages", headers: [("Authorization", "Bearer \(key)")])
        #expect(answer.status == .ok)
        let json = try JSONValue.parse(answer.body)
        let checker = APISchemaChecker(document: try JSONValue.parse(APISpec.json))
        let schema = try #require(checker.responseSchema(method: "GET", path: "/api/v1/packages", status: 200))
        #expect(checker.problems(json, schema).isEmpty, "\(checker.problems(json, schema))")
        let package = try #require(json["packages"]?.array?.first)
        #expect(package["name"]?.string == "5-class pass")
        #expect(package["credits"]?.int == 5)
        #expect(package["price"]?["amount"]?.int == 10_000)
        #expect(package["offers"]?.strings == ["consultation"])
        #expect(try test.get("/api/v1/packages").status == .unauthorized)
    }

    @Test func theAPIShowsACustomersCreditsToStaffKeysOnly() throws {
        let (test, _) = try Self.withPackage()
        try Self.sellToCasey(test)
        let (staffKey, clientKey) = try test.database.pool.write { db in
            (try APIKeys.create(db, businessID: 1, name: "desk", role: .staff, now: test.nowSeconds, actor: .system).key,
             try APIKeys.create(db, businessID: 1, name: "client", role: .client, now: test.nowSeconds, actor: .system).key)
        }
        let answer = try test.get("/api/v1/wallet?email=customer%40demo.test", headers: [("Authorization", "Bearer \(staffKey)")])
        #expect(answer.status == .ok)
        let json = try JSONValue.parse(answer.body)
        let checker = APISchemaChecker(document: try JSONValue.parse(APISpec.json))
        let schema = try #require(checker.responseSchema(method: "GET", path: "/api/v1/wallet", status: 200))
        #expect(checker.problems(json, schema).isEmpty, "\(checker.problems(json, schema))")
        let lot = try #require(json["lots"]?.array?.first)
        #expect(lot["balance"]?.int == 5)
        #expect(lot["usable"]?.int == 5)
        #expect(lot["movements"]?.array?.first?["kind"]?.string == "grant")
        // Someone without an account: no lots, the same shape
        let nobody = try JSONValue.parse(try test.get("/api/v1/wallet?email=nobody%40example.com",
                                                      headers: [("Authorization", "Bearer \(staffKey)")]).body)
        #expect(nobody["lots"]?.array?.isEmpty == true)
        #expect(try test.get("/api/v1/wallet?email=customer%40demo.test", headers: [("Authorization", "Bearer \(clientKey)")]).status == .forbidden)
        #expect(try test.get("/api/v1/wallet?email=not-an-email", headers: [("Authorization", "Bearer \(staffKey)")]).status == .unprocessable)
    }
}

