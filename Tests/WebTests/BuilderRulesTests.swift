import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// Issue 20, builder completeness: rules the engine knows, now set through the pages, change what
/// customers can book as the engine's tests say.
@Suite(.serialized)
struct BuilderRulesTests {
    static let dana = "/manage/demo/resources/dana-doctor"
    static let mondayPage = "/b/demo/consultation?date=2026-11-23&resource=dana-doctor"

    /// Saves Dana's details form as rendered, with `changes`.
    static func saveDana(_ owner: Browser, _ changes: [String: String]) throws -> Response {
        let page = try owner.get(dana)
        let fields = try ManageBuilderTests.renderedForm(page.text, action: dana + "/details", changes: changes)
        return try owner.post(dana + "/details", fields)
    }

    static func bookDana(_ test: TestApp, _ start: String) throws {
        try test.database.pool.write { db in
            let demo = try #require(try Catalog.business(db, slug: "demo"))
            _ = try Bookings.book(db, business: demo, request: BookingRequest(
                offerSlug: "consultation", start: RFC3339.parse(start)!, customer: CustomerDetails(name: "Ann Lee", email: "ann@example.test"),
                resourceSlugs: ["dana-doctor"], source: "web"), now: test.nowSeconds, actor: .guest)
        }
    }

    @Test func aHostLimitedToTwoBookingsADayShowsNoMoreTimesAfterTheSecond() throws {
        let test = try TestApp.staff()
        let owner = try test.signedIn("owner@demo.test")
        #expect(try Self.saveDana(owner, ["max_per_day": "2"]).status == .seeOther)
        #expect(try owner.get(Self.dana).text.contains(#"name="max_per_day" type="number" min="1" max="1000" inputmode="numeric" value="2""#))
        // Zelda's 10:00 is the first; the page still offers times.
        let guest = test.browser()
        #expect(try guest.get(Self.mondayPage).text.contains("aria-label=\"Book 11:00 on "))
        try Self.bookDana(test, "2026-11-23T16:00:00Z")   // 11:00: the second
        let full = try guest.get(Self.mondayPage).text
        #expect(!full.contains("aria-label=\"Book "))
        #expect(full.contains("Fully booked."))
        // The check-a-time page names the limit, linked to Dana's details.
        let check = try owner.get("/staff/demo/check?offer=consultation&date=2026-11-23&time=15:00&resource=dana-doctor").text
        #expect(check.contains("Daily limit reached (2 of 2 bookings)"))
        #expect(check.contains(#"href="/manage/demo/resources/dana-doctor#details-heading""#))
        // Emptying the field lifts the limit.
        #expect(try Self.saveDana(owner, ["max_per_day": ""]).status == .seeOther)
        #expect(try guest.get(Self.mondayPage).text.contains("aria-label=\"Book 15:00 on "))
    }

    @Test func restBetweenBookingsKeepsTheHourAroundABookingFree() throws {
        let test = try TestApp.staff()
        let owner = try test.signedIn("owner@demo.test")
        let guest = test.browser()
        #expect(try guest.get(Self.mondayPage).text.contains(#"value="2026-11-23T16:00:00Z""#))   // 11:00
        #expect(try Self.saveDana(owner, ["min_rest": "60"]).status == .seeOther)
        // Zelda 10:00–10:30: with an hour's rest Dana is free again from 11:30.
        let page = try guest.get(Self.mondayPage).text
        #expect(!page.contains(#"value="2026-11-23T16:00:00Z""#))
        #expect(page.contains(#"value="2026-11-23T16:30:00Z""#))
        let bad = try Self.saveDana(owner, ["min_rest": "lots", "max_per_day": "0"])
        #expect(bad.status == .unprocessable)
        #expect(bad.text.contains(#"id="min_rest-error""#) && bad.text.contains(#"id="max_per_day-error""#))
    }

    @Test func theOfferFormSetsTheNoShowFeeReschedulingAndDurationsBeyondAWeek() throws {
        let test = try TestApp.staff()
        let owner = try test.signedIn("owner@demo.test")
        let path = "/manage/demo/offers/consultation"
        let page = try owner.get(path)
        #expect(page.text.contains(#"<option value="kind:company">Any company</option>"#))
        let fields = try ManageBuilderTests.renderedForm(page.text, action: path + "/draft", changes: [
            "no_show_fee": "25", "reschedule": "not_allowed", "reschedule_cutoff": "12",
            "duration_min": "30", "duration_max": "20160", "duration_step": "30",
        ])
        let saved = try owner.post(path + "/draft", fields)
        #expect(saved.status == .seeOther, "\(saved.text.components(separatedBy: "error-summary").dropFirst().joined().prefix(400))")
        try test.database.pool.read { db in
            let demo = try #require(try Catalog.business(db, slug: "demo"))
            let offer = try #require(try ManageCatalog.offer(db, businessID: demo.id, slug: "consultation"))
            let draft = try #require(try ManageCatalog.latestVersion(db, businessID: demo.id, offerID: offer.id, status: "draft"))
            #expect(draft.spec.noShowFeePercent == 25)
            #expect(!draft.spec.rescheduleAllowed && draft.spec.rescheduleCutoffHours == 12)
            #expect(draft.spec.duration.maxMinutes == 20160)
        }
        let refused = try owner.post(path + "/draft", try ManageBuilderTests.renderedForm(owner.get(path).text, action: path + "/draft",
                                                                                          changes: ["no_show_fee": "101"]))
        #expect(refused.status == .unprocessable && refused.text.contains(#"id="no_show_fee-error""#))
    }

    @Test func aCompanyCanBeAdded() throws {
        let test = try TestApp.staff()
        let owner = try test.signedIn("owner@demo.test")
        #expect(try owner.get("/manage/demo/resources").text.contains(#"<option value="company">"#))
        let created = try owner.post("/manage/demo/resources", [("name", "Acme Cleaning"), ("kind", "company"), ("capacity", "3"), ("tags", "")])
        #expect(created.status == .seeOther)
        #expect(try test.database.resourceList(businessID: test.database.business(slug: "demo")!.id).contains { $0.kind == .company })
    }
}

extension BuilderRulesTests {
    @Test func perOfferHoursLimitTheTimesCustomersSeeAndTheCheckPageSaysSo() throws {
        let test = try TestApp.staff()
        let owner = try test.signedIn("owner@demo.test")
        let path = "/manage/demo/offers/consultation"
        var changes: [String: String] = [:]
        for day in ["mon", "tue", "wed", "thu", "fri"] { changes["offer_opens_\(day)"] = "09:00"; changes["offer_closes_\(day)"] = "12:00" }
        let fields = try ManageBuilderTests.renderedForm(owner.get(path).text, action: path + "/draft", changes: changes)
        #expect(try owner.post(path + "/draft", fields).status == .seeOther)
        #expect(try owner.post(path + "/publish", []).status == .seeOther)
        #expect(try owner.get(path).text.contains(#"name="offer_opens_mon" type="time" value="09:00""#))
        let tuesday = try test.browser().get("/b/demo/consultation?date=2026-11-24").text
        #expect(tuesday.contains("aria-label=\"Book 11:30 on "))
        #expect(!tuesday.contains("aria-label=\"Book 12:00 on "))
        let saturday = try test.browser().get("/b/demo/consultation?date=2026-11-28").text
        #expect(saturday.contains("Closed on Saturdays."))
        let check = try owner.get("/staff/demo/check?offer=consultation&date=2026-11-24&time=15:00").text
        #expect(check.contains("Outside this service&#39;s hours (09:00–12:00)") || check.contains("Outside this service's hours (09:00–12:00)"))
    }
}

extension BuilderRulesTests {
    @Test func aBusinessClosureClosesEveryResourceWithItsPublicNote() throws {
        let test = try TestApp.staff()
        let owner = try test.signedIn("owner@demo.test")
        try owner.get("/manage/demo/closures")
        #expect(try owner.post("/manage/demo/closures", [("date", "2026-11-26"), ("note", "Thanksgiving")]).status == .seeOther)
        let again = try owner.post("/manage/demo/closures", [("date", "2026-11-26"), ("note", "")])
        #expect(again.status == .unprocessable && again.text.contains("already closed"))
        let list = try owner.get("/manage/demo/closures").text
        #expect(list.contains("Thursday 26 November 2026: Thanksgiving"))
        // Customers read the note and the next day with times; both hosts and the rooms are closed.
        let day = try test.browser().get("/b/demo/treatment?date=2026-11-26").text
        #expect(day.contains("Closed: Thanksgiving."))
        #expect(day.contains(#"href="/b/demo/treatment?date=2026-11-27""#))
        let check = try owner.get("/staff/demo/check?offer=consultation&date=2026-11-26&time=10:00").text
        #expect(check.contains("The business is closed: Thanksgiving"))
        #expect(check.contains(#"href="/manage/demo/closures""#))
        // Reopening brings the times back; a stranger's remove is a 404.
        #expect(try owner.post("/manage/demo/closures/99999/remove", []).status == .notFound)
        let id = try #require(try test.database.closures(businessID: test.database.business(slug: "demo")!.id).first?.id)
        #expect(try owner.post("/manage/demo/closures/\(id)/remove", []).status == .seeOther)
        #expect(try test.browser().get("/b/demo/treatment?date=2026-11-26").text.contains("aria-label=\"Book 10:00 on "))
        #expect(try test.signedIn("frontdesk@demo.test").get("/manage/demo/closures").status == .notFound)
    }
}
