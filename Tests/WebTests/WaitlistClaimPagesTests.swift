import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// Issue 17, the rest of the waitlist on the pages: "first to confirm wins" chosen by the owner,
/// claimed from the entry page (the loser gets a polite "already taken"); a full appointment time
/// offers its waitlist; the offer editor sets a class's minimum to run.
@Suite(.serialized)
struct WaitlistClaimPagesTests {
    static let yoga = LifecycleWebTests.yoga

    func api(_ test: TestApp, _ path: String, _ body: String, key: String) throws -> Int {
        try LifecycleWebTests().call(test, "POST", path, body, key: key).status
    }

    func join(_ test: TestApp, _ name: String, address: String) throws -> (Browser, String) {
        let browser = test.browser(address)
        _ = try browser.get("/b/demo/yoga-class?date=2026-11-23")
        let joined = try browser.post("/b/demo/yoga-class/waitlist", [("start", Self.yoga), ("name", name),
                                                                      ("email", "\(name.lowercased())@example.com"), ("party_size", "1")])
        #expect(joined.status == .seeOther)
        return (browser, try #require(joined.headers["Location"]))
    }

    @Test func theOwnerChoosesFirstToConfirmAndTheSecondToClaimIsToldThePlaceIsTaken() throws {
        let test = try TestApp.staff()
        let owner = try test.signedIn("owner@demo.test")
        let rules = try owner.get("/manage/demo/booking-rules")
        #expect(rules.text.contains(#"value="first_to_confirm""#))
        let saved = try owner.post("/manage/demo/booking-rules", [
            ("no_show_grace_minutes", "15"), ("check_in_window_minutes", "60"), ("approval_auto_hours", ""),
            ("approval_auto_decision", "approve"), ("waitlist_offer_minutes", "30"), ("waitlist_mode", "first_to_confirm")])
        #expect(saved.status == .seeOther)
        #expect(try owner.get("/manage/demo/booking-rules").text.contains(#"value="first_to_confirm" checked"#))
        #expect(try owner.post("/manage/demo/booking-rules", [
            ("no_show_grace_minutes", "15"), ("check_in_window_minutes", "60"), ("approval_auto_hours", ""),
            ("approval_auto_decision", "approve"), ("waitlist_offer_minutes", "30"), ("waitlist_mode", "lottery")]).status == .unprocessable)
        // The class is full (Priya's 2, a party of 7 and Solo); Wendy and Xena wait
        let key = try LifecycleWebTests().key(test)
        let customer = LifecycleWebTests().customer
        #expect(try api(test, "/api/v1/bookings", #"{"offer":"yoga-class","start":"\#(Self.yoga)","party_size":7,"customer":\#(customer("Full Filler"))}"#,
                        key: key) == 201)
        #expect(try api(test, "/api/v1/bookings", #"{"offer":"yoga-class","start":"\#(Self.yoga)","customer":\#(customer("Solo Seat"))}"#,
                        key: key) == 201)
        let (wendy, wendyLink) = try join(test, "Wendy", address: "203.0.113.21")
        let (xena, xenaLink) = try join(test, "Xena", address: "203.0.113.22")
        // Solo cancels: both are told, and both pages offer the claim
        #expect(try api(test, "/api/v1/bookings/\(try test.bookingID(customer: "Solo Seat"))/cancel", "", key: key) == 200)
        let wendyPage = try wendy.get(wendyLink)
        #expect(wendyPage.text.contains("Claim the place") && wendyPage.text.contains("the first to claim it gets it"))
        #expect(try xena.get(xenaLink).text.contains("Claim the place"))
        func token(_ link: String) -> String { String(link.split(separator: "=")[1].prefix { $0 != "&" }) }
        let path = { (link: String) in String(link.prefix { $0 != "?" }) }
        // Xena is first: her claim is a hold, at its checkout
        let xenaClaim = try xena.post(path(xenaLink) + "/claim", [("token", token(xenaLink))])
        #expect(xenaClaim.status == .seeOther && (xenaClaim.headers["Location"] ?? "").hasPrefix("/b/demo/checkout/bk_"))
        // Wendy is second: politely told it is taken, still first in line
        let wendyClaim = try wendy.post(path(wendyLink) + "/claim", [("token", token(wendyLink))])
        #expect(wendyClaim.status == .seeOther)
        let taken = try wendy.get(try #require(wendyClaim.headers["Location"]))
        #expect(taken.status == .ok && taken.text.contains("Sorry, someone else claimed that place first."))
        #expect(taken.text.contains(#"class="waitlist-position">1<"#) && !taken.text.contains("Claim the place"))
        // Someone without the token cannot claim
        let stranger = test.browser("198.51.100.9")
        _ = try stranger.get("/b/demo/yoga-class?date=2026-11-23")
        #expect(try stranger.post(path(wendyLink) + "/claim", [("token", "nope")]).status == .notFound)
    }

    @Test func aFullAppointmentTimeOffersItsWaitlistOnTheSlotPage() throws {
        let test = try TestApp.bookingPages()
        let demo = try #require(try test.database.pool.read { try Catalog.business($0, slug: "demo") })
        for host in ["dana-doctor", "sam-stylist"] {
            _ = try test.database.book(business: demo, request: BookingRequest(
                offerSlug: "consultation", start: RFC3339.parse("2026-12-01T15:00:00Z")!,
                customer: CustomerDetails(name: "Taken", email: "t@example.com"), resourceSlugs: [host], source: "api"),
                now: TestApp.Pages.now, actor: .guest)
        }
        let browser = test.browser()
        let page = try browser.get("/b/demo/consultation?date=2026-12-01")
        #expect(page.text.contains("Join the waitlist for 10:00"))
        #expect(!page.text.contains("Join the waitlist for 11:00"))
        let joined = try browser.post("/b/demo/consultation/waitlist", [("start", "2026-12-01T15:00:00Z"), ("name", "Wendy Waits"),
                                                                        ("email", "wendy@example.com")])
        #expect(joined.status == .seeOther)
        #expect(try browser.get(try #require(joined.headers["Location"])).text.contains("You are on the waitlist."))
    }

    @Test func theOfferEditorSetsAClassMinimumToRunAndItsDecisionTime() throws {
        let test = try TestApp.staff()
        let owner = try test.signedIn("owner@demo.test")
        let path = "/manage/demo/offers/yoga-class"
        let page = try owner.get(path)
        #expect(page.text.contains(#"<label for="min_participants">"#))
        let saved = try owner.post(path + "/draft", try ManageBuilderTests.renderedForm(page.text, action: path + "/draft", changes: [
            "min_participants": "4", "decide_hours_before": "12"]))
        #expect(saved.status == .seeOther)
        try test.database.pool.read { db in
            let demo = try #require(try Catalog.business(db, slug: "demo"))
            let offer = try #require(try ManageCatalog.offer(db, businessID: demo.id, slug: "yoga-class"))
            let draft = try #require(try ManageCatalog.latestVersion(db, businessID: demo.id, offerID: offer.id, status: "draft"))
            #expect(draft.spec.minimumParticipants == 4 && draft.spec.decideHoursBefore == 12)
        }
        let refused = try owner.post(path + "/draft", try ManageBuilderTests.renderedForm(owner.get(path).text, action: path + "/draft",
                                                                                          changes: ["min_participants": "11"]))
        #expect(refused.status == .unprocessable && refused.text.contains(#"id="min_participants-error""#))
    }
}
