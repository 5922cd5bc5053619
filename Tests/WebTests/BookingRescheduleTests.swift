import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Synchronization
import Testing
@testable import Web

/// Rescheduling from the confirmation page: `GET|POST /bookings/:id/reschedule`.
@Suite struct BookingRescheduleTests {
    /// Monday 2026-11-30 10:00 New York.
    static let mondayTen = "2026-11-30T15:00:00Z"

    /// (booking path without query, token) of a booking made by `test.book`.
    static func split(_ bookingURL: String) -> (path: String, id: String, token: String) {
        let path = String(bookingURL.prefix { $0 != "?" })
        return (path, String(path.split(separator: "/").last!), String(bookingURL.split(separator: "=").last!))
    }

    static func start(_ test: TestApp, _ id: String) throws -> Int64? {
        try test.database.pool.read { try Int64.fetchOne($0, sql: "SELECT starts_at FROM booking_orders WHERE public_id = ?", arguments: [id]) }
    }

    /// Publishes a new version of the demo consultation with `change` applied.
    static func republishConsultation(_ test: TestApp, _ change: (inout OfferVersionSpec) -> Void) throws {
        try test.database.pool.write { db in
            let business = try #require(try Catalog.business(db, slug: "demo"))
            let offer = try #require(try Catalog.offer(db, businessID: business.id, slug: "consultation"))
            var spec = offer.spec
            change(&spec)
            let version = try Catalog.createDraftVersion(db, businessID: business.id, offerID: offer.id, spec: spec, now: TestApp.Pages.now)
            try Catalog.publishVersion(db, businessID: business.id, versionID: version, now: TestApp.Pages.now)
        }
    }

    @Test func reschedulesKeepingIdAndFreeingOldSlot() throws {
        // Given a guest's booking at 09:00 with Dana
        let test = try TestApp.bookingPages()
        let browser = test.browser()
        let booking = Self.split(try test.book(browser))
        let confirmation = try browser.get(booking.path + "?token=" + booking.token).text
        #expect(confirmation.contains("href=\"\(booking.path)/reschedule?token=\(booking.token)\""))

        // When they open the reschedule page for that day
        let page = try browser.get(booking.path + "/reschedule?token=\(booking.token)&date=2026-11-30")
        #expect(page.status == .ok)
        #expect(page.text.contains("<h1 id=\"reschedule-heading\">Change the time</h1>"))
        #expect(page.text.contains(#"value="\#(Self.mondayTen)""#))
        #expect(!page.text.contains(#"value="\#(TestApp.Pages.mondayNine)""#), "the booking's own time is not offered")
        #expect(page.text.contains(#"<input type="hidden" name="token" value="\#(booking.token)">"#))

        // and pick 10:00
        let moved = try browser.post(booking.path + "/reschedule", [("start", Self.mondayTen), ("token", booking.token)])

        // Then the booking keeps its id, starts at 10:00, and 09:00 is free again
        #expect(moved.status == .seeOther)
        #expect(moved.headers["Location"] == booking.path + "?token=\(booking.token)&done=moved")
        #expect(try Self.start(test, booking.id) == RFC3339.parse(Self.mondayTen))
        let after = try browser.get(moved.headers["Location"]!).text
        #expect(after.contains("Your booking was moved to the new time"))
        #expect(after.contains("Monday 30 November 2026, 10:00–10:30"))
        let slots = try browser.get("/b/demo/consultation?date=2026-11-30&resource=dana-doctor").text
        #expect(slots.contains(#"value="\#(TestApp.Pages.mondayNine)""#))
        #expect(!slots.contains(#"value="\#(Self.mondayTen)""#))
        let (events, audits, hosts) = try test.database.pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM booking_events e JOIN booking_orders b ON b.id = e.order_id WHERE b.public_id = ? AND e.reason LIKE 'rescheduled from 2026-11-30T14:00:00Z to 2026-11-30T15:00:00Z'", arguments: [booking.id]),
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log WHERE action = 'booking.reschedule' AND subject = ? AND actor = 'guest'", arguments: ["booking:" + booking.id]),
             try String.fetchAll(db, sql: "SELECT r.slug FROM resource_assignments a JOIN resources r ON r.id = a.resource_id JOIN booking_orders b ON b.id = a.order_id WHERE b.public_id = ?", arguments: [booking.id]))
        }
        #expect(events == 1)
        #expect(audits == 1)
        #expect(hosts == ["dana-doctor"])
    }

    @Test func refusesATakenTimeWithASentenceAndChangesNothing() throws {
        // Given a booking at 09:00 and both hosts booked at 10:00
        let test = try TestApp.bookingPages()
        let booking = Self.split(try test.book(test.browser()))
        for (address, host) in [("192.0.2.41", "dana-doctor"), ("192.0.2.42", "sam-stylist")] {
            let other = test.browser(address)
            let held = try test.hold(other, start: Self.mondayTen, resource: host)
            #expect(held.status == .seeOther)
        }
        // When the first customer asks for 10:00
        let browser = test.browser("192.0.2.43")
        try browser.get(booking.path + "/reschedule?token=\(booking.token)")
        let refused = try browser.post(booking.path + "/reschedule", [("start", Self.mondayTen), ("token", booking.token)])
        // Then they are told it was taken, shown fresh times, and the booking stays at 09:00
        #expect(refused.status == .conflict)
        #expect(refused.text.contains(BookingPages.takenSentence))
        #expect(refused.text.contains(#"value="2026-11-30T15:30:00Z""#))
        #expect(try Self.start(test, booking.id) == RFC3339.parse(TestApp.Pages.mondayNine))
    }

    @Test func twoCustomersMovingToTheLastFreeHostAtOnceNeverDoubleBookIt() throws {
        // Given A at 09:00 with Dana, B at 09:30 with Sam, and Sam taken at 10:00: only Dana is free at 10:00
        let test = try TestApp.bookingPages()
        let first = test.browser("192.0.2.101"), second = test.browser("192.0.2.102")
        let a = Self.split(try test.book(first))
        let heldB = try #require(try test.hold(second, start: "2026-11-30T14:30:00Z", resource: "sam-stylist").headers["Location"])
        try second.get(heldB)
        let b = Self.split(try #require(try second.post(heldB, [("name", "Bea Second"), ("email", "bea@example.com")]).headers["Location"]))
        #expect(try test.hold(test.browser("192.0.2.103"), start: Self.mondayTen, resource: "sam-stylist").status == .seeOther)
        try first.get(a.path + "/reschedule?token=\(a.token)")
        try second.get(b.path + "/reschedule?token=\(b.token)")

        // When both ask for 10:00 at the same moment
        let requests = [(first, a), (second, b)]
        let statuses = Mutex<[HTTPStatus]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let (browser, booking) = requests[index]
            let status = (try? browser.post(booking.path + "/reschedule", [("start", Self.mondayTen), ("token", booking.token)]).status)
                ?? .internalServerError
            statuses.withLock { $0.append(status) }
        }

        // Then exactly one moved there, the other was told it was taken, and Dana holds 10:00 once
        #expect(statuses.withLock { $0.sorted { $0.code < $1.code } } == [.seeOther, .conflict])
        let moved = try [a.id, b.id].filter { try Self.start(test, $0) == RFC3339.parse(Self.mondayTen) }
        #expect(moved.count == 1)
        let danaAtTen = try test.database.pool.read { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM resource_assignments a JOIN resources r ON r.id = a.resource_id
                WHERE r.slug = 'dana-doctor' AND a.blocks = 1 AND a.starts_at = ?
                """, arguments: [RFC3339.parse(Self.mondayTen)])
        }
        #expect(danaAtTen == 1)
    }

    @Test func refusesAnUnreadableOrUnbookableStart() throws {
        let test = try TestApp.bookingPages()
        let browser = test.browser()
        let booking = Self.split(try test.book(browser))
        try browser.get(booking.path + "/reschedule?token=\(booking.token)")
        for (start, status, sentence) in [("not-a-time", HTTPStatus.unprocessable, "That time could not be read."),
                                          ("2026-11-30T15:07:00Z", .unprocessable, "That time cannot be booked."),
                                          ("2026-11-29T15:00:00Z", .unprocessable, "That time cannot be booked."),
                                          (TestApp.Pages.mondayNine, .unprocessable, "That is already the time of this booking")] {
            let answer = try browser.post(booking.path + "/reschedule", [("start", start), ("token", booking.token)])
            #expect(answer.status == status, "\(start)")
            #expect(answer.text.contains(sentence), "\(start)")
        }
        #expect(try Self.start(test, booking.id) == RFC3339.parse(TestApp.Pages.mondayNine))
        #expect(try browser.get(booking.path + "/reschedule?token=\(booking.token)&date=30-11-2026").status == .badRequest)
    }

    @Test func withoutTheTokenOrAsAnotherUserTheBookingIsNotShownOrMoved() throws {
        let test = try TestApp.bookingPages()
        let booking = Self.split(try test.book(test.browser()))
        let stranger = test.browser("192.0.2.50")
        try stranger.get("/b/demo/consultation?date=2026-11-30")   // a form page: the stranger has a valid form token
        #expect(try stranger.get(booking.path + "/reschedule").status == .notFound)
        let wrong = try stranger.get(booking.path + "/reschedule?token=nope")
        #expect(wrong.status == .notFound)
        #expect(!wrong.text.contains("Consultation at Demo Wellness"))
        #expect(try stranger.post(booking.path + "/reschedule", [("start", Self.mondayTen), ("token", "nope")]).status == .notFound)
        #expect(try stranger.post(booking.path + "/reschedule", [("start", Self.mondayTen)]).status == .notFound)
        let signedIn = test.browser("192.0.2.51")
        #expect(try signedIn.signUp(name: "Eve Other", email: "eve@example.com", password: "correct horse battery").status == .seeOther)
        #expect(try signedIn.get(booking.path + "/reschedule").status == .notFound)
        #expect(try signedIn.post(booking.path + "/reschedule", [("start", Self.mondayTen)]).status == .notFound)
        #expect(try test.browser("192.0.2.52").get("/bookings/bk_unknown_booking_id/reschedule?token=x").status == .notFound)
        // Without the form token the post is refused before anything else.
        let noCSRF = try stranger.post(booking.path + "/reschedule", [("start", Self.mondayTen), ("token", booking.token)], csrf: .some(nil))
        #expect(noCSRF.status == .forbidden)
        #expect(try Self.start(test, booking.id) == RFC3339.parse(TestApp.Pages.mondayNine))
    }

    @Test func theSignedInOwnerReschedulesWithoutAToken() throws {
        let test = try TestApp.bookingPages()
        let browser = test.browser()
        #expect(try browser.signUp(name: "Ada Lovelace", email: "ada@example.com", password: "correct horse battery").status == .seeOther)
        let checkout = try #require(try test.hold(browser).headers["Location"])
        try browser.get(checkout)
        let confirmed = try browser.post(checkout, [("name", "Ada Lovelace"), ("email", "ada@example.com")])
        let path = String(try #require(confirmed.headers["Location"]).prefix { $0 != "?" })
        let page = try browser.get(path + "/reschedule?date=2026-11-30")
        #expect(page.status == .ok)
        #expect(!page.text.contains(#"name="token""#))
        let moved = try browser.post(path + "/reschedule", [("start", Self.mondayTen)])
        #expect(moved.status == .seeOther)
        #expect(moved.headers["Location"] == path + "?done=moved")
        let id = String(path.split(separator: "/").last!)
        #expect(try Self.start(test, id) == RFC3339.parse(Self.mondayTen))
        let actor = try test.database.pool.read {
            try String.fetchOne($0, sql: "SELECT actor FROM audit_log WHERE action = 'booking.reschedule' AND subject = ?", arguments: ["booking:" + id])
        }
        #expect(actor?.hasPrefix("user:") == true)
    }

    @Test func refusesToMoveACancelledOrStartedBooking() throws {
        let test = try TestApp.bookingPages()
        let browser = test.browser()
        let booking = Self.split(try test.book(browser))
        #expect(try browser.post(booking.path + "/cancel", [("token", booking.token)]).status == .seeOther)
        let page = try browser.get(booking.path + "/reschedule?token=\(booking.token)")
        #expect(page.status == .ok)
        #expect(page.text.contains("This booking was cancelled, so it cannot be moved."))
        #expect(!page.text.contains(#"name="start""#))
        let refused = try browser.post(booking.path + "/reschedule", [("start", Self.mondayTen), ("token", booking.token)])
        #expect(refused.status == .conflict)
        #expect(refused.text.contains("This booking was cancelled, so it cannot be moved."))
        #expect(try Self.start(test, booking.id) == RFC3339.parse(TestApp.Pages.mondayNine))
        #expect(try test.status(of: booking.id) == "cancelled")

        let tooLate = test.browser("192.0.2.60")
        let second = Self.split(try test.book(tooLate))
        test.clock.advance(8 * 86_400 + 3 * 3600)   // Monday 30 November 10:00 New York: it has started
        let late = try tooLate.get(second.path + "?token=\(second.token)")
        #expect(late.text.contains("This booking has already started or is over, so it cannot be moved."))
        #expect(!late.text.contains("/reschedule"))
        try tooLate.get(second.path + "/reschedule?token=\(second.token)")
        try tooLate.get("/b/demo/consultation?date=2026-12-01")   // the week-old session has lapsed: a fresh form token
        let answer = try tooLate.post(second.path + "/reschedule", [("start", "2026-12-01T15:00:00Z"), ("token", second.token)])
        #expect(answer.status == .conflict)
        #expect(try Self.start(test, second.id) == RFC3339.parse(TestApp.Pages.mondayNine))
    }

    @Test func refusesInsideTheOffersRescheduleCutoffOrWhenItForbidsMoving() throws {
        // Given a consultation version that may be moved only until 10 days before
        let test = try TestApp.bookingPages()
        try Self.republishConsultation(test) { $0.rescheduleCutoffHours = 240 }
        let browser = test.browser()
        let booking = Self.split(try test.book(browser))
        let page = try browser.get(booking.path + "/reschedule?token=\(booking.token)")
        #expect(page.text.contains("Bookings can be moved online until 240 hours before they start, and that time has passed."))
        let refused = try browser.post(booking.path + "/reschedule", [("start", Self.mondayTen), ("token", booking.token)])
        #expect(refused.status == .conflict)
        #expect(try Self.start(test, booking.id) == RFC3339.parse(TestApp.Pages.mondayNine))

        // And a version that cannot be moved at all
        try Self.republishConsultation(test) { $0.rescheduleAllowed = false; $0.rescheduleCutoffHours = 0 }
        let other = Self.split(try test.book(test.browser("192.0.2.70"), start: "2026-11-30T16:00:00Z"))
        let confirmation = try test.browser("192.0.2.70").get(other.path + "?token=\(other.token)").text
        #expect(confirmation.contains("This service cannot be rescheduled online."))
    }

    @Test func aClassBookingIsNotMovedOnline() throws {
        let test = try TestApp.bookingPages()
        let browser = test.browser()
        let held = try test.hold(browser, start: "2026-11-30T17:00:00Z", offer: "yoga-class", resource: nil, extra: [("party_size", "1")])
        let checkout = try #require(held.headers["Location"])
        try browser.get(checkout)
        let booking = Self.split(try #require(try browser.post(checkout, [("name", "Zed Racer"), ("email", "zed@example.com")]).headers["Location"]))
        let page = try browser.get(booking.path + "/reschedule?token=\(booking.token)")
        #expect(page.text.contains("Class bookings cannot be moved"))
        #expect(try browser.post(booking.path + "/reschedule", [("start", "2026-12-01T17:00:00Z"), ("token", booking.token)]).status == .conflict)
    }
}
