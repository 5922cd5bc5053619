import BookingCore
import Foundation
import GRDB
import HTTPServer
import Logging
import Passwords
@testable import Store
import Testing
@testable import Web


/// What each demo role sees of the demo day, and what never reaches its page source.
@Suite(.serialized)
struct StaffCalendarTests {
    /// Every customer detail of the demo bookings that staff must never receive.
    static let secrets = ["zelda.quinn@example.com", "Quinn", "555 0142", "• 0142", "Prefers morning",
                          "omar.reyes@example.com", "Reyes", "555 0199", "Shah", "priya.shah@example.com"]

    @Test func frontDeskSeesEveryBookingsTimeAndServiceButNoCustomerDetails() throws {
        let test = try TestApp.staff()
        let page = try test.signedIn("frontdesk@demo.test").get(test.dayURL)
        #expect(page.status == .ok)
        let html = page.text
        for expected in ["10:00–10:30", "Consultation", "14:00–15:00", "Treatment", "12:00–13:00", "Lunchtime yoga",
                         "Zelda Q.", "Omar R.", "Priya S.", "Confirmed", "Dana Doctor", "Sam Stylist", "Room 1", "Studio", "Today"] {
            #expect(html.contains(expected), "missing \(expected)")
        }
        for secret in Self.secrets { #expect(!html.contains(secret), "leaked \(secret)") }
    }

    @Test func frontDeskBookingDetailIsMaskedToo() throws {
        let test = try TestApp.staff()
        let id = try test.bookingID(customer: "Zelda Quinn")
        let page = try test.signedIn("frontdesk@demo.test").get("/staff/demo/bookings/\(id)")
        #expect(page.status == .ok)
        #expect(page.text.contains("Zelda Q."))
        #expect(page.text.contains("Check in"))
        #expect(!page.text.contains("Cancel this booking"))
        for secret in Self.secrets { #expect(!page.text.contains(secret), "leaked \(secret)") }
    }

    @Test func providerSeesOwnCustomersInFullAndOnlyBusyForOthers() throws {
        let test = try TestApp.staff()
        let dana = try test.signedIn("dana@demo.test")
        let html = try dana.get(test.dayURL).text
        #expect(html.contains("Zelda Quinn"))
        #expect(html.contains("Consultation"))
        #expect(html.contains("Busy"))
        for secret in ["Omar", "Reyes", "omar.reyes", "555 0199", "Priya", "Shah"] { #expect(!html.contains(secret), "leaked \(secret)") }
        let own = try dana.get("/staff/demo/bookings/\(try test.bookingID(customer: "Zelda Quinn"))")
        #expect(own.status == .ok)
        for expected in ["Zelda Quinn", "zelda.quinn@example.com", "+1 212 555 0142", "Prefers morning reminders."] {
            #expect(own.text.contains(expected), "missing \(expected)")
        }
        // Sam's booking has no detail page for Dana.
        let others = try dana.get("/staff/demo/bookings/\(try test.bookingID(customer: "Omar Reyes"))")
        #expect(others.status == .notFound)
        #expect(!others.text.contains("Omar"))
    }

    @Test func ownerSeesEverything() throws {
        let test = try TestApp.staff()
        let owner = try test.signedIn("owner@demo.test")
        let html = try owner.get(test.dayURL).text
        for expected in ["Zelda Quinn", "Omar Reyes", "Priya Shah", "Consultation", "Treatment"] {
            #expect(html.contains(expected), "missing \(expected)")
        }
        let detail = try owner.get("/staff/demo/bookings/\(try test.bookingID(customer: "Omar Reyes"))").text
        for expected in ["omar.reyes@example.com", "+1 718 555 0199", "Prefers morning reminders.", "<dt>Paid</dt><dd>$0.00</dd>", "Cancel this booking"] {   // pay at the venue: nothing paid online
            #expect(detail.contains(expected), "missing \(expected)")
        }
    }

    @Test func clientGetsNotFoundAndAnonymousIsSentToLogIn() throws {
        let test = try TestApp.staff()
        let client = try test.signedIn("customer@demo.test")
        #expect(try client.get(test.dayURL).status == .notFound)
        #expect(try client.get("/staff/demo/bookings/\(try test.bookingID(customer: "Zelda Quinn"))").status == .notFound)
        #expect(try client.get("/staff/demo/walk-in").status == .notFound)
        let anonymous = try test.signedIn(nil).get(test.dayURL)
        #expect(anonymous.status == .seeOther)
        #expect(anonymous.headers["Location"]?.hasPrefix("/login?next=") == true)
    }

    @Test func weekViewShowsTheWeekMasked() throws {
        let test = try TestApp.staff()
        let page = try test.signedIn("frontdesk@demo.test").get("/staff/demo/calendar?date=\(TestApp.Staff.demoDay)&view=week")
        #expect(page.status == .ok)
        let html = page.text
        for expected in ["Week of Monday 23 November 2026", "Tuesday 24 November 2026", "Zelda Q.", "Liam C.", "Ana S.", "Noah K.",
                         "Sunday 29 November 2026", "Closed"] {
            #expect(html.contains(expected), "missing \(expected)")
        }
        for secret in Self.secrets + ["Chen", "Souza", "noah.kim@"] { #expect(!html.contains(secret), "leaked \(secret)") }
    }

    @Test func sensitiveOfferShowsOnlyAppointmentToFrontDesk() throws {
        let test = try TestApp.staff()
        try test.database.pool.write { try $0.execute(sql: "UPDATE offers SET sensitive = 1 WHERE slug = 'consultation'") }
        let desk = try test.signedIn("frontdesk@demo.test").get(test.dayURL).text
        #expect(desk.contains("Appointment"))
        #expect(!desk.contains("Consultation"))
        let owner = try test.signedIn("owner@demo.test").get(test.dayURL).text
        #expect(owner.contains("Consultation"))
    }

    @Test func buffersNavigationFilterAndClosuresAreShown() throws {
        let test = try TestApp.staff()
        let desk = try test.signedIn("frontdesk@demo.test")
        let html = try desk.get(test.dayURL).text
        #expect(html.contains("15:00–15:10"))       // the treatment's 10-minute buffer
        #expect(html.contains("Buffer"))
        #expect(html.contains("date=2026-11-22&amp;view=day"))   // previous day
        #expect(html.contains("date=2026-11-24&amp;view=day"))   // next day
        let venues = try desk.get("/staff/demo/calendar?date=\(TestApp.Staff.demoDay)&kind=venue").text
        #expect(venues.contains("Room 1"))
        #expect(!venues.contains(">Dana Doctor <"))
        let sunday = try desk.get("/staff/demo/calendar?date=2026-11-22").text
        #expect(sunday.contains("Closed"))
        #expect(try desk.get("/staff/demo/calendar?date=tomorrow").status == .badRequest)
    }

    @Test func otherBusinessesCalendarIsNotFound() throws {
        let test = try TestApp.staff()
        try test.database.pool.write { db in
            _ = try Catalog.createBusiness(db, slug: "other", name: "Other", timeZone: "UTC", currency: "USD", now: 0)
        }
        #expect(try test.signedIn("owner@demo.test").get("/staff/other/calendar").status == .notFound)
    }
}
