import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// Checkout for a household member, and the browser-zone and hold-countdown hooks of the booking pages.
@Suite struct BookingHouseholdTests {
    /// Signs a new user up and adds one household member; returns the member's id.
    static func userWithMember(_ test: TestApp, _ browser: Browser, email: String, member: String) throws -> HouseholdMemberID {
        #expect(try browser.signUp(name: "Parent \(member)", email: email, password: "correct horse battery").status == .seeOther)
        try browser.get("/account")
        let added = try browser.post("/account/household", [("name", member), ("relationship", "child"), ("birth_date", "")])
        #expect(added.status == .seeOther)
        return try #require(try test.database.pool.read {
            try HouseholdMemberID.fetchOne($0, sql: "SELECT id FROM household_members WHERE name = ?", arguments: [member])
        })
    }

    static func memberOfOrder(_ test: TestApp, _ id: String) throws -> HouseholdMemberID? {
        try test.database.pool.read {
            try HouseholdMemberID.fetchOne($0, sql: "SELECT household_member_id FROM booking_orders WHERE public_id = ?", arguments: [id])
        }
    }

    @Test func booksForAHouseholdMemberAndShowsTheirName() throws {
        // Given a signed-in parent with a child in their household
        let test = try TestApp.bookingPages()
        let browser = test.browser()
        let mia = try Self.userWithMember(test, browser, email: "parent@example.com", member: "Mia Parent")
        let checkout = try #require(try test.hold(browser).headers["Location"])

        // The checkout asks who the booking is for, themself by default
        let form = try browser.get(checkout).text
        #expect(form.contains("<legend>Who is this booking for?</legend>"))
        #expect(form.contains(#"<input id="household_member" name="household_member" type="radio" value="" checked>"#))
        #expect(form.contains(#"value="\#(mia)"> <label for="household_member-\#(mia)">Mia Parent (child)</label>"#))

        // When they book for Mia
        let confirmed = try browser.post(checkout, [("name", "Parent Mia"), ("email", "parent@example.com"), ("household_member", String(mia))])
        #expect(confirmed.status == .seeOther)
        let bookingURL = try #require(confirmed.headers["Location"])
        let path = String(bookingURL.prefix { $0 != "?" })

        // Then the booking records and shows Mia, on the confirmation and in the account
        #expect(try Self.memberOfOrder(test, String(path.split(separator: "/").last!)) == mia)
        #expect(try browser.get(bookingURL).text.contains("Booked for <strong>Mia Parent</strong> by Parent Mia"))
        let account = try browser.get("/account/bookings").text
        #expect(account.contains(#"Consultation at Demo Wellness</a> <span class="for">for Mia Parent</span>"#))
    }

    @Test func aMemberNamedOnABookingStaysInTheHousehold() throws {
        // Given a booking for Mia
        let test = try TestApp.bookingPages()
        let browser = test.browser()
        let mia = try Self.userWithMember(test, browser, email: "keep@example.com", member: "Mia Keep")
        let checkout = try #require(try test.hold(browser).headers["Location"])
        try browser.get(checkout)
        #expect(try browser.post(checkout, [("name", "Parent"), ("email", "keep@example.com"), ("household_member", String(mia))]).status == .seeOther)
        // When the parent tries to remove Mia, it is refused with a sentence and Mia stays
        try browser.get("/account")
        let refused = try browser.post("/account/household/\(mia)/remove", [])
        #expect(refused.status == .conflict)
        #expect(refused.text.contains("This person is named on bookings you made"))
        #expect(try test.database.household(userID: try #require(try test.database.pool.read {
            try UserID.fetchOne($0, sql: "SELECT user_id FROM household_members WHERE id = ?", arguments: [mia])
        })).map(\.id) == [mia])
    }

    @Test func refusesHouseholdMemberOfAnotherUser() throws {
        // Given another user's household member
        let test = try TestApp.bookingPages()
        let theirs = try Self.userWithMember(test, test.browser("192.0.2.80"), email: "other@example.com", member: "Otto Other")
        let browser = test.browser("192.0.2.81")
        _ = try Self.userWithMember(test, browser, email: "me@example.com", member: "Mine Me")
        let checkout = try #require(try test.hold(browser).headers["Location"])
        try browser.get(checkout)
        let id = String(checkout.split(separator: "/").last!)

        // When the signed-in user posts that member's id (or nonsense)
        for value in [String(theirs), "abc", "-1"] {
            let answer = try browser.post(checkout, [("name", "Me"), ("email", "me@example.com"), ("household_member", value)])
            // Then it is refused with a sentence next to the choice, and nothing is booked
            #expect(answer.status == .unprocessable, "\(value)")
            #expect(answer.text.contains(#"<p class="field-error" id="household_member-error">Choose yourself or one of the household members listed.</p>"#))
            #expect(!answer.text.contains("Otto Other"))
        }
        // A member without a relationship is listed by name alone.
        try browser.get("/account")
        #expect(try browser.post("/account/household", [("name", "Nora Norel"), ("relationship", ""), ("birth_date", "")]).status == .seeOther)
        let form = try browser.get(checkout).text
        #expect(form.contains(#"">Nora Norel</label>"#))
        #expect(!form.contains("Nora Norel ()"))
        #expect(try test.status(of: id) == "held")
        #expect(try Self.memberOfOrder(test, id) == nil)
    }

    @Test func aGuestCannotBookForAHouseholdMember() throws {
        let test = try TestApp.bookingPages()
        let member = try Self.userWithMember(test, test.browser("192.0.2.90"), email: "someone@example.com", member: "Kid Someone")
        let guest = test.browser("192.0.2.91")
        let checkout = try #require(try test.hold(guest).headers["Location"])
        let form = try guest.get(checkout).text
        #expect(!form.contains("Who is this booking for?"))
        let answer = try guest.post(checkout, [("name", "Guest"), ("email", "guest@example.com"), ("household_member", String(member))])
        #expect(answer.status == .unprocessable)
        #expect(answer.text.contains("Log in to book for a member of your household, or book for yourself."))
        #expect(try test.status(of: String(checkout.split(separator: "/").last!)) == "held")
    }

    @Test func theStoreRefusesAMemberWhoIsNotTheBookingUsers() throws {
        // Defence in depth below the page: Bookings.confirm checks the member belongs to the user.
        let test = try TestApp.bookingPages()
        let other = try Self.userWithMember(test, test.browser("192.0.2.95"), email: "x@example.com", member: "Xavier Kid")
        let browser = test.browser("192.0.2.96")
        let holdID = String(try #require(try test.hold(browser).headers["Location"]).split(separator: "/").last!)
        #expect(throws: BookingFailure.invalid(field: "household_member", message: "choose yourself or one of your own household members")) {
            try test.database.pool.write { db in
                let business = try #require(try Catalog.business(db, slug: "demo"))
                _ = try Bookings.confirm(db, business: business, holdID: holdID,
                                         customer: CustomerDetails(name: "Y", email: "y@example.com", userID: nil, householdMemberID: other),
                                         now: TestApp.Pages.now, actor: .guest)
            }
        }
        #expect(try test.status(of: holdID) == "held")
    }

    @Test func pagesCarryTheZoneNoteAndTheHoldCountdownForBookingJS() throws {
        let test = try TestApp.bookingPages()
        let browser = test.browser()
        let slots = try browser.get("/b/demo/consultation?date=2026-11-30").text
        #expect(slots.contains(#"<span class="zone-note" data-zone="America/New_York" data-start="2026-11-30T14:00:00Z" hidden></span>"#))
        #expect(slots.contains(#"<script src="/public/booking.js" defer></script>"#))
        let checkout = try browser.get(try #require(try test.hold(browser).headers["Location"])).text
        #expect(checkout.contains(#"data-expires="2026-11-22T17:10:00Z""#))
        #expect(checkout.contains(#"<span class="hold-left">10 minutes</span> left"#))
        #expect(checkout.contains(#"<p class="hold-expired" hidden>Your hold has run out"#))
        #expect(BookingFormat.timeLeft(59) == "less than a minute")
        #expect(BookingFormat.timeLeft(61) == "1 minute")
        let script = try browser.get("/public/booking.js")
        #expect(script.status == .ok)
        #expect(script.text.contains("hold-countdown"))
    }
}
