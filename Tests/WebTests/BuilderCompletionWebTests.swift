import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// Issue 20's last builder settings through the pages: "any host" by priority with up/down
/// buttons, a virtual resource's meeting link given only once booked, lengths chosen by the
/// customer, and what publishing a new version changes.
@Suite(.serialized)
struct BuilderCompletionWebTests {
    static let consultation = "/manage/demo/offers/consultation"

    func assigned(_ test: TestApp, checkout: String) throws -> [String] {
        let holdID = String(checkout.split(separator: "/").last ?? "")
        return try test.database.pool.read { db in
            try String.fetchAll(db, sql: """
                SELECT r.slug FROM resource_assignments a JOIN resources r ON r.id = a.resource_id
                JOIN booking_orders o ON o.id = a.order_id WHERE o.public_id = ? ORDER BY a.id
                """, arguments: [holdID])
        }
    }

    @Test func theOwnerPutsSamFirstAndAnyHostBookingsGoToSam() throws {
        let test = try TestApp.staff()
        let owner = try test.signedIn("owner@demo.test")
        let page = try owner.get("/manage/demo/assignment")
        #expect(page.status == .ok)
        #expect(page.text.contains(#"aria-label="Move Sam Stylist up""#))
        #expect(page.text.contains(#"value="least_recently_booked" checked"#))
        #expect(try owner.post("/manage/demo/assignment/move", [("resource", "sam-stylist"), ("move", "up")]).status == .seeOther)
        #expect(try owner.post("/manage/demo/assignment", [("strategy", "priority")]).status == .seeOther)
        let saved = try owner.get("/manage/demo/assignment?saved=1").text
        #expect(saved.contains(#"value="priority" checked"#))
        let sam = try #require(saved.range(of: "<strong>Sam Stylist</strong>")), dana = try #require(saved.range(of: "<strong>Dana Doctor</strong>"))
        #expect(sam.lowerBound < dana.lowerBound)
        #expect(try owner.post("/manage/demo/assignment", [("strategy", "random")]).status == .unprocessable)
        #expect(try owner.post("/manage/demo/assignment/move", [("resource", "nobody"), ("move", "up")]).status == .notFound)
        // Tuesday 15:00: both hosts are free; a guest choosing "any host" gets Sam.
        let guest = test.browser()
        try guest.get("/b/demo/consultation?date=2026-11-24")
        let held = try guest.post("/b/demo/consultation/hold", [("start", "2026-11-24T20:00:00Z")])
        #expect(held.status == .seeOther)
        #expect(try assigned(test, checkout: try #require(held.headers["Location"])) == ["sam-stylist"])
        // The front desk cannot change it.
        let desk = try test.signedIn("frontdesk@demo.test")
        #expect(try desk.get("/manage/demo/assignment").status == .notFound)
        #expect(try test.audit(action: "assignment.priority").count == 1)
    }

    @Test func aVirtualRoomsMeetingLinkIsShownOnlyOnTheConfirmedBooking() throws {
        let test = try TestApp.staff()
        let owner = try test.signedIn("owner@demo.test")
        try owner.get("/manage/demo/resources")
        let created = try owner.post("/manage/demo/resources", [("name", "Video room"), ("kind", "virtual"), ("capacity", "1"), ("tags", "")])
        #expect(created.headers["Location"] == "/manage/demo/resources/video-room")
        let resourcePage = try owner.get("/manage/demo/resources/video-room").text
        #expect(resourcePage.contains(#"action="/manage/demo/resources/video-room/meeting-link""#))
        let bad = try owner.post("/manage/demo/resources/video-room/meeting-link", [("meeting_link", "http://meet.example.com/x")])
        #expect(bad.status == .unprocessable && bad.text.contains(#"id="meeting_link-error""#))
        let link = "https://meet.example.com/abc-defg-hij"
        #expect(try owner.post("/manage/demo/resources/video-room/meeting-link", [("meeting_link", link)]).status == .seeOther)
        #expect(try owner.get("/manage/demo/resources/video-room").text.contains(#"value="\#(link)""#))
        // Hosts have no meeting link form.
        #expect(!(try owner.get("/manage/demo/resources/dana-doctor").text.contains("meeting-link")))
        try test.database.pool.write { db in
            let business = try #require(try Catalog.business(db, slug: "demo"))
            let room = try #require(try Catalog.resourceID(db, businessID: business.id, slug: "video-room"))
            for day in Weekday.allCases {
                try Catalog.addWeeklyRule(db, businessID: business.id, resourceID: room,
                                          rule: WeeklyRule(weekday: day, opens: WallTime("09:00")!, closes: WallTime("17:00")!))
            }
            let offer = try Catalog.createOffer(db, businessID: business.id, slug: "online-consultation", name: "Online consultation",
                                                mode: .slot, now: test.nowSeconds)
            try Catalog.publishVersion(db, businessID: business.id, versionID: try Catalog.createDraftVersion(
                db, businessID: business.id, offerID: offer,
                spec: OfferVersionSpec(duration: .fixed(30), price: .fixed(Money(3000, "USD")),
                                       components: [OfferComponent(selector: .resource(room), role: "room")]), now: test.nowSeconds),
                now: test.nowSeconds)
        }
        let guest = test.browser()
        let slots = try guest.get("/b/demo/online-consultation?date=2026-11-24")
        #expect(slots.status == .ok && !slots.text.contains("meet.example.com"))
        #expect(!(try guest.get("/b/demo").text.contains("meet.example.com")))
        let held = try guest.post("/b/demo/online-consultation/hold", [("start", "2026-11-24T15:00:00Z")])
        let checkout = try #require(held.headers["Location"])
        #expect(!(try guest.get(checkout).text.contains("meet.example.com")))
        let confirmed = try guest.post(checkout, [("name", "Ann Lee"), ("email", "ann@example.com"), ("phone", "")])
        let bookingPage = try guest.get(try #require(confirmed.headers["Location"])).text
        #expect(bookingPage.contains(#"<a href="\#(link)" rel="noopener noreferrer">"#))
        let reference = try test.bookingID(customer: "Ann Lee")
        let desk = try test.signedIn("frontdesk@demo.test")
        #expect(try desk.get("/staff/demo/bookings/\(reference)").text.contains(link))
    }

    @Test func theCustomerChoosesTheLengthAndTimesFollowIt() throws {
        let test = try TestApp.staff()
        let owner = try test.signedIn("owner@demo.test")
        let fields = try ManageBuilderTests.renderedForm(try owner.get(Self.consultation).text, action: Self.consultation + "/draft",
                                                         changes: ["duration_min": "30", "duration_max": "90", "duration_step": "30"])
        #expect(try owner.post(Self.consultation + "/draft", fields).status == .seeOther)
        try owner.get(Self.consultation)
        #expect(try owner.post(Self.consultation + "/publish", []).status == .seeOther)
        let guest = test.browser()
        let page = try guest.get("/b/demo/consultation?date=2026-11-24&resource=dana-doctor").text
        #expect(page.contains(#"<select id="duration" name="duration">"#))
        #expect(page.contains(#"<option value="90">1 hour 30 min</option>"#))
        // Dana treats Ana Souza at 11:00: 10:00 fits 30 minutes, not 90.
        #expect(page.contains(#"value="2026-11-24T15:00:00Z""#))
        let long = try guest.get("/b/demo/consultation?date=2026-11-24&resource=dana-doctor&duration=90").text
        #expect(!long.contains(#"value="2026-11-24T15:00:00Z""#) && long.contains(#"value="2026-11-24T14:00:00Z""#))
        #expect(long.contains(#"<option value="90" selected>"#) && long.contains("for 1 hour 30 min"))
        #expect(long.contains(#"<input type="hidden" name="duration" value="90">"#))
        // The day links keep the length.
        #expect(long.contains("duration=90"))
        let held = try guest.post("/b/demo/consultation/hold", [("start", "2026-11-24T14:00:00Z"), ("resource", "dana-doctor"), ("duration", "90")])
        let holdID = String(try #require(held.headers["Location"]).split(separator: "/").last ?? "")
        let length = try test.database.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT (ends_at - starts_at) / 60 FROM booking_orders WHERE public_id = ?", arguments: [holdID])
        }
        #expect(length == 90)
        #expect(try guest.get("/b/demo/consultation?date=2026-11-24&duration=45").status == .badRequest)
        let refused = try guest.post("/b/demo/consultation/hold", [("start", "2026-11-24T16:00:00Z"), ("duration", "45")])
        #expect(refused.status == .unprocessable && refused.text.contains("That length is not offered"))
    }

    @Test func theOfferPageShowsWhatPublishingTheDraftChanges() throws {
        let test = try TestApp.staff()
        let owner = try test.signedIn("owner@demo.test")
        let before = try owner.get(Self.consultation).text
        #expect(!before.contains("changes-heading"))
        var hours: [String: String] = ["price_amount": "55.00"]
        for day in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] {
            hours["offer_opens_\(day)"] = day == "tue" ? "09:00" : ""
            hours["offer_closes_\(day)"] = day == "tue" ? "12:00" : ""
        }
        let fields = try ManageBuilderTests.renderedForm(before, action: Self.consultation + "/draft", changes: hours)
        let saved = try owner.post(Self.consultation + "/draft", fields)
        #expect(saved.status == .seeOther, "\(saved.text.components(separatedBy: "error-summary").dropFirst().joined().prefix(400))")
        let page = try owner.get(Self.consultation).text
        #expect(page.contains("What publishing draft v2 changes for customers"))
        #expect(page.contains("Times customers lose in the next 14 days:"))
        #expect(page.contains("Tuesday 24 November 2026: 12:00"))   // the afternoon of Tuesday goes
        #expect(page.contains("Price: $40.00 now, $55.00 once published."))
        #expect(page.contains("3 upcoming bookings keep the price and policy they were sold under:"))
        #expect(page.contains("(sold under v1)"))
        // The changes come before the publish button.
        let changes = try #require(page.range(of: "changes-heading")), publish = try #require(page.range(of: "Publish draft v2"))
        #expect(changes.lowerBound < publish.lowerBound)
    }
}
