import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// Issue 20: "why can't I book this?" through the API (masked by the key's role), the staff "check a
/// time" page (masked by the member's role, linked to the rules) and the customer's empty day.
@Suite(.serialized)
struct ExplainTests {
    /// Monday 2026-11-23 14:00 New York in the staff fixture: Dana has time off "Dentist", Sam gives a treatment.
    static let mondayTwo = "2026-11-23T19:00:00Z"

    static func keys(_ test: TestApp) throws -> (owner: String, staff: String, client: String) {
        try test.database.pool.write { db in
            let demo = try #require(try Catalog.business(db, slug: "demo"))
            return (try APIKeys.create(db, businessID: demo.id, name: "owner", now: TestApp.Staff.seededAt, actor: .system).key,
                    try APIKeys.create(db, businessID: demo.id, name: "desk", role: .staff, now: TestApp.Staff.seededAt, actor: .system).key,
                    try APIKeys.create(db, businessID: demo.id, name: "app", role: .client, now: TestApp.Staff.seededAt, actor: .system).key)
        }
    }

    static func explain(_ test: TestApp, key: String, _ query: String, offer: String = "consultation") throws -> (status: Int, json: JSONValue) {
        let response = try test.get("/api/v1/offers/\(offer)/explain?\(query)", headers: [("Authorization", "Bearer \(key)")])
        let json = try JSONValue.parse(response.body)
        // Every answer matches the document.
        let checker = APISchemaChecker(document: try JSONValue.parse(APISpec.json))
        let schema = try #require(checker.responseSchema(method: "GET", path: "/api/v1/offers/{offer}/explain", status: response.status.code),
                                  "undocumented \(response.status.code)")
        #expect(checker.problems(json, schema).isEmpty, "\(checker.problems(json, schema))")
        return (response.status.code, json)
    }

    static func reasons(_ json: JSONValue) -> [(code: String, resource: String?, message: String, booking: String?)] {
        (json["reasons"]?.array ?? []).map {
            ($0["code"]?.string ?? "", $0["resource"]?.string, $0["message"]?.string ?? "", $0["booking"]?.string)
        }
    }

    // MARK: API

    @Test func theAPINamesEveryResourcesReasonAndTheOwnerLearnsWhichBooking() throws {
        let test = try TestApp.staff()
        let keys = try Self.keys(test)
        let answer = try Self.explain(test, key: keys.owner, "start=\(Self.mondayTwo)")
        #expect(answer.status == 200)
        #expect(answer.json["bookable"] == .bool(false))
        let reasons = Self.reasons(answer.json)
        let dana = reasons.filter { $0.resource == "dana-doctor" }
        #expect(dana.map(\.code) == ["blocked"])
        #expect(dana.first?.message == "Blocked by time off “Dentist” 14:00–15:00.")
        let sam = reasons.filter { $0.resource == "sam-stylist" }
        #expect(sam.map(\.code) == ["taken"])
        #expect(sam.first?.message == "Taken by the booking Treatment 14:00–15:00.")
        #expect(sam.first?.booking == (try test.bookingID(customer: "Omar Reyes")))
    }

    @Test func theFrontDeskKeyReadsTakenButNotByWhom() throws {
        let test = try TestApp.staff()
        let keys = try Self.keys(test)
        let reasons = Self.reasons(try Self.explain(test, key: keys.staff, "start=\(Self.mondayTwo)").json)
        let sam = try #require(reasons.first { $0.resource == "sam-stylist" })
        #expect(sam.code == "taken" && sam.message == "Taken." && sam.booking == nil)
        #expect(!reasons.contains { $0.message.contains("Treatment") })
        // A client's key (a customer-facing app) does not learn what the time off is for either.
        let client = Self.reasons(try Self.explain(test, key: keys.client, "start=\(Self.mondayTwo)").json)
        #expect(client.first { $0.resource == "dana-doctor" }?.message == "Blocked by time off 14:00–15:00.")
        #expect(client.first { $0.resource == "sam-stylist" }?.message == "Taken.")
    }

    @Test func theAPIExplainsOneResourceAFreeStartAClosedDayAndTheNotice() throws {
        let test = try TestApp.staff()
        let keys = try Self.keys(test)
        let sam = Self.reasons(try Self.explain(test, key: keys.owner, "start=\(Self.mondayTwo)&resource=sam-stylist").json)
        #expect(sam.map(\.resource) == ["sam-stylist"])
        let free = try Self.explain(test, key: keys.owner, "start=2026-11-23T15:30:00Z")   // 10:30, after Zelda's consultation
        #expect(free.json["bookable"] == .bool(true))
        let sunday = Self.reasons(try Self.explain(test, key: keys.owner, "start=2026-11-29T19:00:00Z").json)
        #expect(Set(sunday.map(\.code)) == ["closed"] && sunday.count == 2)
        #expect(sunday.first?.message == "Closed on Sundays.")
        let soon = Self.reasons(try Self.explain(test, key: keys.owner, "start=2026-11-23T14:30:00Z").json)   // 09:30, an hour's notice
        #expect(soon.map(\.code) == ["notice"] && soon.first?.resource == nil)
    }

    @Test func badQuestionsGetTheErrorShape() throws {
        let test = try TestApp.staff()
        let keys = try Self.keys(test)
        let missing = try Self.explain(test, key: keys.owner, "")
        #expect(missing.status == 422 && missing.json["error"]?["field"]?.string == "start")
        #expect(try Self.explain(test, key: keys.owner, "start=tomorrow").status == 422)
        #expect(try Self.explain(test, key: keys.owner, "start=\(Self.mondayTwo)", offer: "no-such-offer").status == 404)
        #expect(try Self.explain(test, key: keys.owner, "start=\(Self.mondayTwo)&resource=nobody").status == 422)
    }

    // MARK: The check-a-time page

    static let checkURL = "/staff/demo/check?offer=consultation&date=2026-11-23&time=14:00"

    @Test func theOwnerReadsEveryResourcesReasonsWithLinksToTheRules() throws {
        let test = try TestApp.staff()
        let page = try test.signedIn("owner@demo.test").get(Self.checkURL)
        #expect(page.status == .ok)
        let html = page.text
        #expect(html.contains("is not bookable."))
        #expect(html.contains("Blocked by time off “Dentist” 14:00–15:00"))
        #expect(html.contains("Taken by the booking Treatment 14:00–15:00"))
        #expect(html.contains(#"href="/manage/demo/resources/dana-doctor#block-"#))
        #expect(html.contains(#"href="/staff/demo/bookings/\#(try test.bookingID(customer: "Omar Reyes"))""#))
        // Free resources are listed as free; a resource of another kind is not a candidate.
        #expect(!html.contains("<strong>Room 1</strong>"))
    }

    @Test func theFrontDeskReadsTakenWithoutTheBookingOrTheRulesPages() throws {
        let test = try TestApp.staff()
        let page = try test.signedIn("frontdesk@demo.test").get(Self.checkURL)
        #expect(page.status == .ok)
        let html = page.text
        #expect(html.contains("Blocked by time off “Dentist” 14:00–15:00"))
        #expect(html.contains("<li>Taken</li>"))
        #expect(!html.contains("Treatment 14:00"))
        #expect(!html.contains("/staff/demo/bookings/"))
        #expect(!html.contains("/manage/demo/resources"))
    }

    @Test func aCustomerOrAStrangerCannotAskAndBadInputIsASentence() throws {
        let test = try TestApp.staff()
        #expect(try test.signedIn("customer@demo.test").get(Self.checkURL).status == .notFound)
        let owner = try test.signedIn("owner@demo.test")
        let bad = try owner.get("/staff/demo/check?offer=consultation&date=someday&time=25:99")
        #expect(bad.status == .unprocessable)
        #expect(bad.text.contains("Enter a date as YYYY-MM-DD") && bad.text.contains("Enter a time as HH:MM, for example 09:30."))
        let form = try owner.get("/staff/demo/check")
        #expect(form.status == .ok && form.text.contains(#"<select id="offer" name="offer">"#))
    }

    @Test func anEmptyCalendarCellAsksWhyAndTheOfferPageLinksTheTool() throws {
        let test = try TestApp.staff()
        let owner = try test.signedIn("owner@demo.test")
        let calendar = try owner.get(test.dayURL).text
        #expect(calendar.contains(#"href="/staff/demo/check?date=2026-11-23&amp;time=16:30&amp;resource=dana-doctor""#))
        let offer = try owner.get("/manage/demo/offers/consultation").text
        #expect(offer.contains(#"href="/staff/demo/check?offer=consultation""#))
    }

    // MARK: The customer's empty day

    @Test func aSundaySaysClosedOnSundaysAndLinksMonday() throws {
        let test = try TestApp.bookingPages()
        let page = try test.browser().get("/b/demo/consultation?date=2026-11-29")
        #expect(page.text.contains("Closed on Sundays."))
        #expect(page.text.contains(#"href="/b/demo/consultation?date=2026-11-30""#))
        #expect(!page.text.contains("There are no free times in this week."))
    }

    @Test func aDayTooFarAheadSaysFromWhenAndTodayAfterHoursNamesTheNotice() throws {
        let test = try TestApp.bookingPages()
        let far = try test.browser().get("/b/demo/consultation?date=2027-06-01")
        #expect(far.text.contains("Not yet bookable: from 3 December."))
        test.clock.set("2026-11-30T21:10:00Z")   // Monday 16:10: the last times are within the hour's notice
        let late = try test.browser().get("/b/demo/consultation?date=2026-11-30")
        #expect(late.text.contains("Bookings open 1 hour ahead."))
        #expect(late.text.contains(#"href="/b/demo/consultation?date=2026-12-01""#))
    }

    @Test func aFullyBookedDayAndAnEmptyWeekSayTheirCause() throws {
        let test = try TestApp.bookingPages()
        // Both hosts away from Monday 7 to Saturday 12 December.
        try test.database.pool.write { db in
            let demo = try #require(try Catalog.business(db, slug: "demo"))
            for slug in ["dana-doctor", "sam-stylist"] {
                let id = try #require(try Catalog.resourceID(db, businessID: demo.id, slug: slug))
                try Catalog.addBlockedTime(db, businessID: demo.id, resourceID: id,
                                           range: TimeRange(start: RFC3339.parse("2026-12-07T05:00:00Z")!, end: RFC3339.parse("2026-12-13T05:00:00Z")!),
                                           reason: "Away", now: TestApp.Pages.now)
            }
        }
        let page = try test.browser().get("/b/demo/consultation?date=2026-12-08")
        #expect(page.text.contains("Fully booked."))
        #expect(page.text.contains("There are no free times in this week."))
        #expect(page.text.contains(#"href="/b/demo/consultation?date=2026-12-14""#))
    }
}
