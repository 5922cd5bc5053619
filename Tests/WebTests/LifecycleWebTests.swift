import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// Approvals and waitlists through the app (issue 17): the API endpoints, the staff approval queue,
/// the customer's waitlist pages.
@Suite(.serialized)
struct LifecycleWebTests {
    /// Monday 2026-11-23 15:00 New York (the staff fixture's day).
    static let visit = "2026-11-23T20:00:00Z"
    /// Monday 2026-11-23 12:00 New York: the yoga class (Priya Shah's 2 of 10 places booked).
    static let yoga = "2026-11-23T17:00:00Z"

    func key(_ test: TestApp, role: BookingCore.Role = .owner) throws -> String {
        try test.database.pool.write { db in
            let business = try #require(try Catalog.business(db, slug: "demo"))
            return try APIKeys.create(db, businessID: business.id, name: "t", role: role, now: TestApp.Staff.seededAt, actor: .system).key
        }
    }

    func call(_ test: TestApp, _ method: String, _ path: String, _ body: String = "", key: String) throws -> (status: Int, json: [String: Any]) {
        let request = try Request(method: method, target: path,
                                  headers: Headers([("Content-Type", "application/json"), ("Authorization", "Bearer \(key)")]),
                                  body: Array(body.utf8))
        let response = test.app.respond(to: request)
        return (response.status.code, (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:])
    }

    func customer(_ name: String) -> String {
        #"{"name":"\#(name)","email":"\#(name.lowercased().replacingOccurrences(of: " ", with: "."))@example.com"}"#
    }

    func outboxCount(_ test: TestApp, kind: String) throws -> Int {
        try test.database.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM outbox WHERE kind = ?", arguments: [kind]) ?? 0 }
    }

    @Test func approveAndDeclineOverTheAPIAnswerTheBookingAndRefuseIllegalMovesWith409() throws {
        let test = try TestApp.staff()
        let key = try key(test)
        let body = #"{"offer":"new-patient-visit","start":"\#(Self.visit)","customer":\#(customer("Pat Patient")),"answers":{"reason":"A check-up"}}"#
        let created = try call(test, "POST", "/api/v1/bookings", body, key: key)
        #expect(created.status == 201 && created.json["status"] as? String == "pending")
        let id = try #require(created.json["id"] as? String)
        let approved = try call(test, "POST", "/api/v1/bookings/\(id)/approve", key: key)
        #expect(approved.status == 200)
        #expect(approved.json["status"] as? String == "confirmed" && approved.json["id"] as? String == id)
        let again = try call(test, "POST", "/api/v1/bookings/\(id)/decline", #"{"reason":"too late"}"#, key: key)
        #expect(again.status == 409)
        #expect((again.json["error"] as? [String: Any])?["code"] as? String == "illegal_transition")
        #expect(try outboxCount(test, kind: "approved") == 1)
        // A second request, declined with a reason
        let other = try call(test, "POST", "/api/v1/bookings", body.replacingOccurrences(of: "T20:00", with: "T21:00"), key: key)
        let otherID = try #require(other.json["id"] as? String)
        let declined = try call(test, "POST", "/api/v1/bookings/\(otherID)/decline", #"{"reason":"Not taking new patients"}"#, key: key)
        #expect(declined.status == 200 && declined.json["status"] as? String == "cancelled")
        #expect(try outboxCount(test, kind: "declined") == 1)
        #expect(try call(test, "POST", "/api/v1/bookings/\(otherID)/decline", #"{"reson":"x"}"#, key: key).status == 422)
        #expect(try call(test, "POST", "/api/v1/bookings/bk_nothing_here_at_all/approve", key: key).status == 404)
        // A front-desk key may not decide
        #expect(try call(test, "POST", "/api/v1/bookings/\(id)/approve", key: try self.key(test, role: .staff)).status == 403)
    }

    @Test func theOwnerApprovesAndDeclinesFromTheStaffQueueAndTheFrontDeskCannot() throws {
        let test = try TestApp.staff()
        let key = try key(test)
        var ids: [String] = []
        for (hour, name) in [("20", "Pat Patient"), ("21", "Quinn Later")] {
            let body = #"{"offer":"new-patient-visit","start":"2026-11-23T\#(hour):00:00Z","customer":\#(customer(name)),"answers":{"reason":"A check-up"}}"#
            ids.append(try #require(try call(test, "POST", "/api/v1/bookings", body, key: key).json["id"] as? String))
        }
        let desk = try test.signedIn("frontdesk@demo.test")
        #expect(try desk.get("/staff/demo/approvals").status == .notFound)
        let owner = try test.signedIn("owner@demo.test")
        let queue = try owner.get("/staff/demo/approvals")
        #expect(queue.status == .ok)
        #expect(queue.text.contains("Pat Patient") && queue.text.contains("Quinn Later"))
        #expect(queue.text.contains(#"action="/staff/demo/bookings/\#(ids[0])/approve""#))
        #expect(try owner.post("/staff/demo/bookings/\(ids[0])/approve", [], csrf: .some(nil)).status == .forbidden)
        let approved = try owner.post("/staff/demo/bookings/\(ids[0])/approve", [])
        #expect(approved.status == .seeOther)
        #expect(try owner.get(try #require(approved.headers["Location"])).text.contains("Booking approved"))
        #expect(try test.status(of: ids[0]) == "confirmed")
        // Declining needs a reason for the customer; without one nothing changes
        #expect(try owner.post("/staff/demo/bookings/\(ids[1])/decline", [("reason", " ")]).status == .unprocessable)
        #expect(try test.status(of: ids[1]) == "pending")
        #expect(try owner.post("/staff/demo/bookings/\(ids[1])/decline", [("reason", "Fully booked")]).status == .seeOther)
        #expect(try test.status(of: ids[1]) == "cancelled")
        #expect(try owner.get("/staff/demo/approvals").text.contains("Nothing is waiting for approval."))
        #expect(try test.audit(action: "booking.decline").first?.actor == "user:\(try test.userID("owner@demo.test"))")
    }

    @Test func theWaitlistAPIJoinsAFullClassListsTheLineAndHandsTheHoldToTheFirstWhenASeatFrees() throws {
        let test = try TestApp.staff()
        let key = try key(test)
        func join(_ name: String) throws -> (status: Int, json: [String: Any]) {
            try call(test, "POST", "/api/v1/waitlist", #"{"offer":"yoga-class","start":"\#(Self.yoga)","customer":\#(customer(name))}"#, key: key)
        }
        let early = try join("Ann Early")
        #expect(early.status == 409)
        #expect((early.json["error"] as? [String: Any])?["code"] as? String == "slot_available")
        let filler = try call(test, "POST", "/api/v1/bookings",
                              #"{"offer":"yoga-class","start":"\#(Self.yoga)","party_size":8,"customer":\#(customer("Full Filler"))}"#, key: key)
        #expect(filler.status == 201)
        let ann = try join("Ann Early"), bo = try join("Bo Second")
        #expect(ann.status == 201 && ann.json["position"] as? Int == 1 && ann.json["status"] as? String == "waiting")
        #expect(bo.json["position"] as? Int == 2)
        let cancel = try call(test, "POST", "/api/v1/bookings/\(try test.bookingID(customer: "Priya Shah"))/cancel", key: key)
        #expect(cancel.status == 200)
        let list = try call(test, "GET", "/api/v1/waitlist?offer=yoga-class&start=\(Self.yoga)", key: key)
        let entries = try #require(list.json["entries"] as? [[String: Any]])
        #expect(entries.map { $0["status"] as? String } == ["offered", "offered"])
        let hold = try #require(entries[0]["hold_id"] as? String)
        let claimed = try call(test, "POST", "/api/v1/holds/\(hold)/confirm", key: key)
        #expect(claimed.status == 201 && claimed.json["status"] as? String == "confirmed")
        let after = try #require(try call(test, "GET", "/api/v1/waitlist?offer=yoga-class&start=\(Self.yoga)", key: key).json["entries"]
            as? [[String: Any]])
        #expect(after.map { $0["status"] as? String } == ["offered", "claimed"])
        #expect(try call(test, "GET", "/api/v1/waitlist?offer=yoga-class", key: key).status == 422)
        #expect(try outboxCount(test, kind: "waitlist_offer") == 2)
    }

    @Test func aCustomerJoinsFromTheSlotPageSeesTheirPlaceAndLeaves() throws {
        let test = try TestApp.staff()
        let key = try key(test)
        _ = try call(test, "POST", "/api/v1/bookings",
                     #"{"offer":"yoga-class","start":"\#(Self.yoga)","party_size":8,"customer":\#(customer("Full Filler"))}"#, key: key)
        let browser = test.browser()
        let page = try browser.get("/b/demo/yoga-class?date=2026-11-23")
        #expect(page.text.contains("Join the waitlist for 12:00"))
        #expect(page.text.contains(#"action="/b/demo/yoga-class/waitlist""#))
        let joined = try browser.post("/b/demo/yoga-class/waitlist", [("start", Self.yoga), ("name", "Wendy Waits"),
                                                                      ("email", "wendy@example.com"), ("party_size", "1")])
        #expect(joined.status == .seeOther)
        let link = try #require(joined.headers["Location"])
        let entry = try browser.get(link)
        #expect(entry.status == .ok)
        #expect(entry.text.contains("You are on the waitlist.") && entry.text.contains(#"class="waitlist-position">1<"#))
        // Someone else's browser without the token sees nothing
        let path = String(link.prefix { $0 != "?" })
        #expect(try test.browser("198.51.100.9").get(path).status == .notFound)
        // A seat frees: the entry page offers the claim link to the hold's checkout
        _ = try call(test, "POST", "/api/v1/bookings/\(try test.bookingID(customer: "Priya Shah"))/cancel", key: key)
        let offered = try browser.get(link)
        #expect(offered.text.contains("Claim your place"))
        #expect(offered.text.contains("/b/demo/checkout/bk_"))
        // Leaving lets the held seat go
        let left = try browser.post(path + "/leave", [("token", String(link.split(separator: "=")[1].prefix { $0 != "&" }))])
        #expect(left.status == .seeOther)
        #expect(try browser.get(try #require(left.headers["Location"])).text.contains("You left the waitlist."))
        #expect(try call(test, "GET", "/api/v1/waitlist?offer=yoga-class&start=\(Self.yoga)", key: key).json["entries"]
            .flatMap { ($0 as? [[String: Any]])?.first?["status"] as? String } == "left")
    }
}

/// The weekly series page: the dates are shown (skipped ones too) before anything is booked.
@Suite(.serialized)
struct SeriesPagesTests {
    @Test func aCustomerSeesTheDatesAndTheSkippedOneBeforeBookingTenWeeksInOneGo() throws {
        let test = try TestApp.bookingPages()
        // Someone already has Tuesday 2026-12-15 10:00 with Dana… and with Sam, so that date is taken
        for host in ["dana-doctor", "sam-stylist"] {
            _ = try test.database.book(business: try #require(try test.database.pool.read { try Catalog.business($0, slug: "demo") }),
                                       request: BookingRequest(offerSlug: "consultation", start: RFC3339.parse("2026-12-15T15:00:00Z")!,
                                                               customer: CustomerDetails(name: "Taken", email: "t@example.com"),
                                                               resourceSlugs: [host], source: "api"),
                                       now: TestApp.Pages.now, actor: .guest)
        }
        let browser = test.browser()
        let slots = try browser.get("/b/demo/consultation?date=2026-12-01")
        #expect(slots.text.contains(#"href="/b/demo/consultation/series?date=2026-12-01""#))
        let form = try browser.get("/b/demo/consultation/series?date=2026-12-01")
        #expect(form.status == .ok && form.text.contains(#"<option value="2026-12-01T15:00:00Z">10:00</option>"#))
        let fields = [("start", "2026-12-01T15:00:00Z"), ("interval", "1"), ("count", "10"), ("until", ""), ("name", "Tess Tutee"),
                      ("email", "tess@example.com"), ("phone", "")]
        let preview = try browser.post("/b/demo/consultation/series", fields)
        #expect(preview.status == .ok)
        #expect(preview.text.contains("These 9 dates will be booked"))
        #expect(preview.text.contains("Tuesday 15 December 2026 at 10:00 — already booked"))
        let tutee = "SELECT COUNT(*) FROM booking_orders WHERE customer_name = 'Tess Tutee'"
        #expect(try test.database.pool.read { try Int.fetchOne($0, sql: tutee) } == 0)
        let booked = try browser.post("/b/demo/consultation/series", fields + [("confirm", "1")])
        #expect(booked.status == .created && booked.text.contains("Your series is booked"))
        #expect(try test.database.pool.read { try Int.fetchOne($0, sql: tutee) } == 9)
    }
}
