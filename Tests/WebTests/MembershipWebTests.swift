import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// Memberships in the builder, subscribing, the wallet pages and the API (issue 18), through the app
/// on a real database; API answers checked against the OpenAPI document.
struct MembershipWebTests {
    /// The staff fixture with a "Yoga monthly" plan made in the builder: $45.00 a month, 4 yoga credits,
    /// 2 rolled over at most, 10 % off other offers, pause up to 2 months.
    static func withPlan() throws -> (TestApp, Browser) {
        let test = try TestApp.staff()
        let owner = try test.signedIn("owner@demo.test")
        let yoga = try #require(try test.database.liveOffers(businessID: 1).first { $0.slug == "yoga-class" })
        let page = try owner.get("/manage/demo/memberships")
        #expect(page.status == .ok)
        let created = try owner.post("/manage/demo/memberships", [
            ("name", "Yoga monthly"), ("price", "45.00"), ("credits", "4"), ("offers", yoga.id.description), ("rollover", "1"),
            ("rollover_cap", "2"), ("discount", "10"), ("max_pause_months", "2"), ("cancel", "end"),
        ])
        #expect(created.status == .seeOther, "creating answered \(created.status.code): \(created.text.prefix(400))")
        return (test, owner)
    }

    static func planID(_ test: TestApp) throws -> String {
        try #require(try test.database.membershipPlans(businessID: 1).first { $0.name == "Yoga monthly" }.map { String($0.id) })
    }

    @Test func theOwnerAddsAMembershipAndBadInputAddsNothing() throws {
        let (test, owner) = try Self.withPlan()
        let page = try owner.get("/manage/demo/memberships")
        #expect(page.text.contains("Yoga monthly"))
        #expect(page.text.contains("$45.00 a month, 4 credits a month (unused ones roll over, up to 2), 10 % off other offers"))
        #expect(try owner.get("/manage/demo/packages").text.contains("/manage/demo/memberships"))
        let refused = try owner.post("/manage/demo/memberships", [("name", "Broken"), ("price", "1"), ("credits", "0"), ("discount", "120"),
                                                                  ("max_pause_months", "0"), ("cancel", "notice"), ("notice_days", "")])
        #expect(refused.status == .unprocessable)
        #expect(refused.text.contains("Choose at least one offer the credits pay for."))
        #expect(try test.database.membershipPlans(businessID: 1).filter { $0.name != "yoga-monthly" }.count == 1)   // and the demo's
    }

    @Test func aCustomerSubscribesTheDeskRecordsTheFirstMonthAndTheCustomerPausesAndCancels() throws {
        let (test, _) = try Self.withPlan()
        let plan = try Self.planID(test)
        // The public page lists the plan; a signed-in customer subscribes
        let casey = try test.signedIn("customer@demo.test")
        let listing = try casey.get("/b/demo/memberships")
        #expect(listing.status == .ok)
        #expect(listing.text.contains("Subscribe to Yoga monthly"))
        let subscribed = try casey.post("/b/demo/memberships/\(plan)", [])
        #expect(subscribed.status == .seeOther, "subscribing answered \(subscribed.status.code): \(subscribed.text.prefix(400))")
        #expect(try casey.get("/account/wallet").text.contains("Waiting for the first month"))
        // The desk records the first month paid: active, with this month's credits
        let desk = try test.signedIn("frontdesk@demo.test")
        let staffPage = try desk.get("/staff/demo/wallet?email=customer%40demo.test")
        #expect(staffPage.text.contains("Record payment"))
        let caseyUser = try #require(try test.database.user(email: "customer@demo.test"))
        let member = try #require(try test.database.memberships(userID: caseyUser.id, now: test.nowSeconds).first)
        let paid = try desk.post("/staff/demo/wallet/memberships/\(member.id)/pay", [("payment", "cash")])
        #expect(paid.status == .seeOther, "paying answered \(paid.status.code): \(paid.text.prefix(400))")
        let wallet = try casey.get("/account/wallet")
        #expect(wallet.text.contains("Active since"))
        #expect(wallet.text.contains("4 credits left this month"))
        #expect(wallet.text.contains("Next month starts"))
        // As a member, the checkout of another offer shows the discount as a line of the price
        let checkout = try #require(try test.hold(casey).headers["Location"])
        #expect(try casey.get(checkout).text.contains("Member discount (Yoga monthly) −10%"))
        // The customer pauses, then cancels
        #expect(try casey.post("/account/wallet/memberships/\(member.id)/pause", [("months", "1")]).status == .seeOther)
        #expect(try casey.get("/account/wallet").text.contains("a pause is planned"))
        #expect(try casey.post("/account/wallet/memberships/\(member.id)/pause", [("months", "1")]).status == .conflict)
        #expect(try casey.post("/account/wallet/memberships/\(member.id)/cancel", []).status == .seeOther)
        #expect(try casey.get("/account/wallet").text.contains("Cancelled: ends at the end of"))
        // Another customer cannot touch it
        let other = try test.signedIn("frontdesk@demo.test")
        try other.get("/account/wallet")
        let touched = try other.post("/account/wallet/memberships/\(member.id)/resume", [])
        #expect(touched.status == .notFound, "\(touched.status.code)")
        #expect(try other.post("/account/wallet/memberships/\(member.id)/resume", []).status == .notFound)
    }

    func call(_ test: TestApp, _ method: String, _ path: String, _ body: String = "", key: String) throws -> (status: Int, json: JSONValue) {
        let request = try Request(method: method, target: path,
                                  headers: Headers([("Content-Type", "application/json"), ("Authorization", "Bearer \(key)")]),
                                  body: Array(body.utf8))
        let response = test.app.respond(to: request)
        return (response.status.code, (try? JSONValue.parse(response.body)) ?? .null)
    }

    func conforms(_ json: JSONValue, _ method: String, _ path: String, _ status: Int) throws {
        let checker = APISchemaChecker(document: try JSONValue.parse(APISpec.json))
        let schema = try #require(checker.responseSchema(method: method, path: path, status: status))
        #expect(checker.problems(json, schema).isEmpty, "\(checker.problems(json, schema))")
    }

    @Test func theAPICreatesAndListsMembershipsAndTheWalletAndBookingsShowThem() throws {
        let test = try TestApp.staff()
        let key = try test.database.pool.write { db in
            try APIKeys.create(db, businessID: 1, name: "integrator", role: .owner, now: test.nowSeconds, actor: .system).key
        }
        // A membership is a product
        let made = try call(test, "POST", "/api/v1/products",
                            #"{"kind":"membership","name":"Yoga monthly","price":4500,"credits":4,"offers":["yoga-class"],"rollover":true,"rollover_cap":2,"discount_percent":10,"max_pause_months":2,"cancel_notice_days":14}"#,
                            key: key)
        #expect(made.status == 201, "\(made.json)")
        try conforms(made.json, "POST", "/api/v1/products", 201)
        #expect(made.json["kind"]?.string == "membership")
        #expect(made.json["cancel_notice_days"]?.int == 14)
        let refused = try call(test, "POST", "/api/v1/products",
                               #"{"kind":"membership","name":"X","price":1,"credits":1,"offers":["yoga-class"],"rollover_cap":2}"#, key: key)
        #expect(refused.status == 422)
        #expect(refused.json["error"]?["field"]?.string == "rollover_cap")
        let listed = try call(test, "GET", "/api/v1/products", key: key)
        try conforms(listed.json, "GET", "/api/v1/products", 200)
        #expect(listed.json["products"]?.array?.contains { $0["kind"]?.string == "membership" } == true)
        // Casey becomes a member at the desk: the wallet lists the membership and its credits
        let plan = try #require(made.json["id"]?.int)
        try test.database.signUpMember(businessID: 1, planID: Int64(plan), customerEmail: "customer@demo.test", payment: .cash,
                                       actor: "user:2", now: test.nowSeconds)
        // A booking of another offer carries the member discount as a price line
        let booked = try call(test, "POST", "/api/v1/bookings",
                              #"{"offer":"consultation","start":"2026-12-01T16:00:00Z","customer":{"name":"Casey Customer","email":"customer@demo.test"}}"#,
                              key: key)
        #expect(booked.status == 201, "\(booked.json)")
        try conforms(booked.json, "POST", "/api/v1/bookings", 201)
        let lines = booked.json["price"]?["lines"]?.array ?? []
        #expect(lines.contains { $0["label"]?.string?.hasPrefix("Member discount (Yoga monthly)") == true })
        let customers = try #require(try test.database.customers(businessID: 1, role: .owner, text: "customer@demo.test"))
        let casey = try #require(customers.customers.first?.id)
        let wallet = try call(test, "GET", "/api/v1/customers/\(casey)/wallet", key: key)
        #expect(wallet.status == 200, "\(wallet.json)")
        try conforms(wallet.json, "GET", "/api/v1/customers/{id}/wallet", 200)
        #expect(wallet.json["memberships"]?.array?.first?["status"]?.string == "active")
        #expect(wallet.json["credits"]?.array?.first?["remaining"]?.int == 4)
    }

    @Test func theAPISignsUpPausesResumesAndCancelsOnlyTheMembershipsOfTheCustomerItNames() throws {
        let (test, _) = try Self.withPlan()
        let plan = try Self.planID(test)
        let key = try test.database.pool.write { db in
            try APIKeys.create(db, businessID: 1, name: "integrator", role: .owner, now: test.nowSeconds, actor: .system).key
        }
        // Casey and Dana become customer records by booking
        for (email, start) in [("customer@demo.test", "2026-12-01T16:00:00Z"), ("dana@demo.test", "2026-12-01T17:00:00Z")] {
            let booked = try call(test, "POST", "/api/v1/bookings",
                                  #"{"offer":"consultation","start":"\#(start)","customer":{"name":"Someone","email":"\#(email)"}}"#, key: key)
            #expect(booked.status == 201, "\(booked.json)")
        }
        let casey = try #require(try test.database.customers(businessID: 1, role: .owner, text: "customer@demo.test")?.customers.first?.id)
        let dana = try #require(try test.database.customers(businessID: 1, role: .owner, text: "dana@demo.test")?.customers.first?.id)
        // Bad sign-ups change nothing
        #expect(try call(test, "POST", "/api/v1/customers/\(casey)/memberships", #"{"plan":\#(plan),"payment":"card"}"#, key: key).status == 422)
        #expect(try call(test, "POST", "/api/v1/customers/\(casey)/memberships", #"{"payment":"cash"}"#, key: key).status == 422)
        #expect(try call(test, "POST", "/api/v1/customers/\(casey)/memberships", #"{"plan":99999}"#, key: key).status == 404)
        #expect(try call(test, "POST", "/api/v1/customers/99999/memberships", #"{"plan":\#(plan)}"#, key: key).status == 404)
        #expect(try call(test, "POST", "/api/v1/customers/\(casey)/memberships", #"{"plan":\#(plan),"extra":1}"#, key: key).status == 422)
        #expect(try test.database.memberships(userID: try #require(try test.database.user(email: "customer@demo.test")).id, now: test.nowSeconds).isEmpty)
        // Signed up, paid in cash: active, with the month's credits
        let signed = try call(test, "POST", "/api/v1/customers/\(casey)/memberships", #"{"plan":\#(plan),"payment":"cash"}"#, key: key)
        #expect(signed.status == 201, "\(signed.json)")
        try conforms(signed.json, "POST", "/api/v1/customers/{id}/memberships", 201)
        let membership = try #require(signed.json["memberships"]?.array?.first)
        #expect(membership["status"]?.string == "active")
        #expect(signed.json["credits"]?.array?.first?["remaining"]?.int == 4)
        let id = try #require(membership["id"]?.int)
        let again = try call(test, "POST", "/api/v1/customers/\(casey)/memberships", #"{"plan":\#(plan)}"#, key: key)
        #expect(again.status == 409)
        #expect(again.json["error"]?["code"]?.string == "already_member")
        // Dana's record cannot reach Casey's membership
        #expect(try call(test, "POST", "/api/v1/customers/\(dana)/memberships/\(id)/cancel", key: key).status == 404)
        #expect(try call(test, "POST", "/api/v1/customers/\(casey)/memberships/99999/cancel", key: key).status == 404)
        // Pause: within the plan's 2 months; then resume; then cancel (runs to the month's end)
        let tooLong = try call(test, "POST", "/api/v1/customers/\(casey)/memberships/\(id)/pause", #"{"months":3}"#, key: key)
        #expect(tooLong.status == 409)
        #expect(tooLong.json["error"]?["code"]?.string == "membership_refused")
        #expect(try call(test, "POST", "/api/v1/customers/\(casey)/memberships/\(id)/pause", "{}", key: key).status == 422)
        let paused = try call(test, "POST", "/api/v1/customers/\(casey)/memberships/\(id)/pause", #"{"months":1}"#, key: key)
        #expect(paused.status == 200, "\(paused.json)")
        try conforms(paused.json, "POST", "/api/v1/customers/{id}/memberships/{membership}/pause", 200)
        let resumed = try call(test, "POST", "/api/v1/customers/\(casey)/memberships/\(id)/resume", key: key)
        #expect(resumed.status == 200, "\(resumed.json)")
        #expect(try call(test, "POST", "/api/v1/customers/\(casey)/memberships/\(id)/resume", key: key).status == 409)
        let cancelled = try call(test, "POST", "/api/v1/customers/\(casey)/memberships/\(id)/cancel", "{}", key: key)
        #expect(cancelled.status == 200, "\(cancelled.json)")
        try conforms(cancelled.json, "POST", "/api/v1/customers/{id}/memberships/{membership}/cancel", 200)
        #expect(cancelled.json["memberships"]?.array?.first?["status"]?.string == "ending")
        #expect(cancelled.json["memberships"]?.array?.first?["ends_at"]?.string != nil)
        #expect(try call(test, "POST", "/api/v1/customers/\(casey)/memberships/\(id)/cancel", key: key).status == 409)
        let actions = try test.database.pool.read {
            try String.fetchAll($0, sql: "SELECT action FROM audit_log WHERE subject = ? ORDER BY rowid", arguments: ["membership:\(id)"])
        }
        #expect(actions.suffix(3) == ["membership.pause", "membership.resume", "membership.cancel"])
    }

    @Test func theOwnerChangesAPlansPriceAndArchivesItOnlyTheirOwn() throws {
        let (test, owner) = try Self.withPlan()
        let plan = try Self.planID(test)
        let page = try owner.get("/manage/demo/memberships")
        #expect(page.text.contains("/manage/demo/memberships/\(plan)/change"))
        #expect(page.text.contains("value=\"45.00\""))
        // Bad input: the sentence, nothing changed
        let bad = try owner.post("/manage/demo/memberships/\(plan)/change", [("price", "free"), ("credits", "0")])
        #expect(bad.status == .unprocessable)
        #expect(try test.database.membershipPlans(businessID: 1).first { String($0.id) == plan }?.pricePerMonth == 4500)
        // Changed: the page says the new figures
        let changed = try owner.post("/manage/demo/memberships/\(plan)/change", [("price", "50.00"), ("credits", "5")])
        #expect(changed.status == .seeOther, "changing answered \(changed.status.code): \(changed.text.prefix(300))")
        #expect(try owner.get("/manage/demo/memberships").text.contains("$50.00 a month, 5 credits a month"))
        // The front desk may not change plans; another business's owner gets 404
        let desk = try test.signedIn("frontdesk@demo.test")
        try desk.get("/staff/demo/wallet")
        #expect(try desk.post("/manage/demo/memberships/\(plan)/archive", []).status != .seeOther)
        let (stranger, slug) = try PurchaseWebTests.otherBusinessOwner(test)
        try stranger.get("/manage/\(slug)/memberships")
        #expect(try stranger.post("/manage/\(slug)/memberships/\(plan)/archive", []).status == .notFound)
        #expect(try stranger.post("/manage/\(slug)/memberships/\(plan)/change", [("price", "1.00"), ("credits", "1")]).status == .notFound)
        #expect(try test.database.membershipPlans(businessID: 1).contains { String($0.id) == plan })
        // Archived: gone from the public page, no new subscriber
        #expect(try owner.post("/manage/demo/memberships/\(plan)/archive", []).status == .seeOther)
        let casey = try test.signedIn("customer@demo.test")
        #expect(!(try casey.get("/b/demo/memberships").text.contains("Subscribe to Yoga monthly")))
        #expect(try casey.post("/b/demo/memberships/\(plan)", []).status == .notFound)
    }
}

