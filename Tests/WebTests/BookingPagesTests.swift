import BookingCore
import Foundation
import GRDB
import HTTPServer
import Logging
@testable import Store
import Testing
@testable import Web


@Suite struct BookingPagesTests {
    @Test func businessPageListsLiveOffersWithDurationAndPrice() throws {
        let test = try TestApp.bookingPages()
        let page = try test.browser().get("/b/demo")
        #expect(page.status == .ok)
        #expect(page.text.contains("<h1 id=\"business-heading\">Demo Wellness</h1>"))
        #expect(page.text.contains("12 Main Street, Brooklyn, NY"))
        #expect(page.text.contains("href=\"/b/demo/consultation\""))
        #expect(page.text.contains("$40.00"))
        #expect(page.text.contains("$15.00 per person"))
        #expect(page.text.contains("30 min"))
        #expect(try test.browser().get("/b/nope").status == .notFound)
    }

    @Test func offerPageListsNineAsTheFirstMondaySlotInNewYorkTime() throws {
        let test = try TestApp.bookingPages()
        let page = try test.browser().get("/b/demo/consultation?date=2026-11-30")
        #expect(page.status == .ok)
        let html = page.text
        #expect(html.contains("Times are in America/New_York"))
        #expect(html.contains("Monday 30 November 2026"))
        let firstStart = html.range(of: #"name="start" value=""#).map { String(html[$0.upperBound...].prefix(20)) }
        #expect(firstStart == TestApp.Pages.mondayNine)
        let firstButton = html.range(of: "</button>\n        </form>").map { String(html[..<$0.lowerBound].suffix(5)) }
        #expect(firstButton == "09:00")
        #expect(html.contains(#"aria-current="date"><span class="wd">Mon</span> <span class="dd">30 Nov</span>"#))
        #expect(html.contains("<h3 id=\"group-morning\">Morning</h3>"))
        #expect(html.contains("<h3 id=\"group-afternoon\">Afternoon</h3>"))
        #expect(html.contains(#"<option value="dana-doctor">Dana Doctor</option>"#))
        #expect(html.contains(#"name="_csrf" value=""#))
        #expect(!html.contains(#"name="_csrf" value="""#))
    }

    @Test func aDayWithoutSlotsPointsToTheNextDayWithSome() throws {
        let test = try TestApp.bookingPages()
        let page = try test.browser().get("/b/demo/consultation?date=2026-11-29")   // a Sunday: closed
        #expect(page.status == .ok)
        #expect(page.text.contains("Closed on Sundays."))
        #expect(page.text.contains("href=\"/b/demo/consultation?date=2026-11-30\">See the next day with free times: Monday 30 November 2026"))
    }

    @Test func aBadDateIsA400WithASentence() throws {
        let test = try TestApp.bookingPages()
        let page = try test.browser().get("/b/demo/consultation?date=2026-13-45")
        #expect(page.status == .badRequest)
        #expect(page.text.contains("Dates look like 2026-12-01"))
    }

    @Test func classesShowPlacesLeftAndAPartySizeInput() throws {
        let test = try TestApp.bookingPages()
        let html = try test.browser().get("/b/demo/yoga-class?date=2026-11-30").text
        #expect(html.contains("10 places left"))
        #expect(html.contains(#"name="party_size" type="number" inputmode="numeric" min="1" max="10""#))
        #expect(html.contains(#"<label for="party-0">People</label>"#))
    }

    @Test func guestHoldsChecksOutAndSeesTheBookingOnlyWithItsToken() throws {
        let test = try TestApp.bookingPages()
        let browser = test.browser()
        let held = try test.hold(browser)
        #expect(held.status == .seeOther)
        let checkout = try #require(held.headers["Location"])
        #expect(checkout.hasPrefix("/b/demo/checkout/bk_"))
        let page = try browser.get(checkout)
        #expect(page.status == .ok)
        #expect(page.text.contains("Consultation at Demo Wellness"))
        #expect(page.text.contains("Monday 30 November 2026, 09:00–09:30"))
        #expect(page.text.contains("Dana Doctor"))
        #expect(page.text.contains("12 Main Street, Brooklyn, NY"))
        #expect(page.text.contains("$40.00"))
        #expect(page.text.contains("Free cancellation until 24 hours before the start; 50 % refund after that; no refund after the start."))
        #expect(page.text.contains("We hold this time for you until <time datetime=\"2026-11-22T17:10:00Z\">12:10</time>"))
        #expect(page.text.contains(#"autocomplete="email""#))

        let confirmed = try browser.post(checkout, [("name", "Zed Racer"), ("email", "zed@example.com"), ("phone", "")])
        #expect(confirmed.status == .seeOther)
        let bookingURL = try #require(confirmed.headers["Location"])
        #expect(bookingURL.hasPrefix("/bookings/bk_"))
        #expect(bookingURL.contains("?token="))
        let booking = try test.browser("198.51.100.1").get(bookingURL)
        #expect(booking.status == .ok)
        #expect(booking.text.contains("<strong>Confirmed</strong>"))
        #expect(booking.text.contains("Zed Racer"))
        #expect(booking.text.contains("Monday 30 November 2026, 09:00–09:30"))
        #expect(booking.text.contains(".ics?token="))

        let path = String(bookingURL.prefix { $0 != "?" })
        #expect(try test.browser("198.51.100.2").get(path).status == .notFound)
        #expect(try test.browser("198.51.100.3").get(path + "?token=wrong").status == .notFound)
        // Dana's 09:00 is gone from her slot list.
        let slots = try browser.get("/b/demo/consultation?date=2026-11-30&resource=dana-doctor").text
        #expect(!slots.contains(TestApp.Pages.mondayNine))
        #expect(slots.contains("2026-11-30T14:30:00Z"))
    }

    @Test func aTakenSlotReturnsToTheSlotPageWithASentenceAndFreshSlots() throws {
        let test = try TestApp.bookingPages()
        #expect(try test.hold(test.browser("192.0.2.1")).status == .seeOther)
        let second = try test.hold(test.browser("192.0.2.2"))
        #expect(second.status == .conflict)
        #expect(second.text.contains("Sorry, that time was just taken"))
        #expect(second.text.contains("<h1 id=\"offer-heading\">Consultation</h1>"))
        #expect(!second.text.contains(#"value="\#(TestApp.Pages.mondayNine)""#))
        #expect(second.text.contains(#"value="2026-11-30T14:30:00Z""#))
    }

    @Test func checkoutErrorsAreShownNextToFieldsAndNothingChanges() throws {
        let test = try TestApp.bookingPages()
        let browser = test.browser()
        let checkout = try #require(try test.hold(browser).headers["Location"])
        try browser.get(checkout)
        let answer = try browser.post(checkout, [("name", "  "), ("email", "not-an-email"), ("phone", "call me")])
        #expect(answer.status == .unprocessable)
        #expect(answer.text.contains("There is a problem"))
        #expect(answer.text.contains(##"<li><a href="#name">Enter your name.</a></li>"##))
        #expect(answer.text.contains(#"<p class="field-error" id="email-error">Enter an email address like name@example.com.</p>"#))
        #expect(answer.text.contains(#"id="phone-error""#))
        #expect(answer.text.contains(#"value="not-an-email""#))
        let id = String(checkout.split(separator: "/").last!)
        #expect(try test.status(of: id) == "held")
    }

    @Test func cancellingShowsTheRefundAndFreesTheSlot() throws {
        let test = try TestApp.bookingPages()
        let browser = test.browser()
        let bookingURL = try test.book(browser)
        // Paid at the desk (the ledger has it), so the cancellation refunds by the tiers.
        try test.database.pool.write { db in
            try db.execute(sql: """
                INSERT INTO ledger_entries (business_id, order_id, kind, amount, currency, method, at)
                SELECT business_id, id, 'charge', 4000, 'USD', 'cash', 0 FROM booking_orders WHERE public_id = ?
                """, arguments: [String(bookingURL.prefix { $0 != "?" }.split(separator: "/").last!)])
        }
        let page = try browser.get(bookingURL)
        #expect(page.text.contains("If you cancel now you get $40.00 back (100 % of the $40.00 paid)."))
        let token = String(bookingURL.split(separator: "=").last!)
        let path = String(bookingURL.prefix { $0 != "?" })
        // A wrong token cancels nothing (the same browser, so its form token is valid).
        let refused = try browser.post(path + "/cancel", [("token", "nope")])
        #expect(refused.status == .notFound, "\(refused.status)")
        #expect(try test.status(of: String(path.split(separator: "/").last!)) == "confirmed")

        let cancelled = try browser.post(path + "/cancel", [("token", token)])
        #expect(cancelled.status == .seeOther)
        #expect(cancelled.headers["Location"] == bookingURL)
        let after = try browser.get(bookingURL)
        #expect(after.text.contains("<strong>Cancelled</strong>"))
        #expect(after.text.contains("You were refunded $40.00."))
        #expect(!after.text.contains("Cancel this booking"))
        let slots = try browser.get("/b/demo/consultation?date=2026-11-30&resource=dana-doctor").text
        #expect(slots.contains(#"value="\#(TestApp.Pages.mondayNine)""#))
    }

    @Test func theCalendarFileIsAVEventInUTCWithCRLF() throws {
        let test = try TestApp.bookingPages()
        let browser = test.browser()
        let bookingURL = try test.book(browser)
        let path = String(bookingURL.prefix { $0 != "?" })
        let query = String(bookingURL.drop { $0 != "?" })
        let ics = try browser.get(path + ".ics" + query)
        #expect(ics.status == .ok)
        #expect(ics.headers["Content-Type"]?.hasPrefix("text/calendar") == true)
        let text = ics.text
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        #expect(text.contains("\r\nBEGIN:VEVENT\r\n"))
        #expect(text.contains("\r\nDTSTART:20261130T140000Z\r\n"))
        #expect(text.contains("\r\nDTEND:20261130T143000Z\r\n"))
        #expect(text.contains("\r\nDTSTAMP:20261122T170000Z\r\n"))
        #expect(text.contains("\r\nSUMMARY:Consultation — Demo Wellness\r\n"))
        #expect(text.contains("\r\nLOCATION:Main street\\, 12 Main Street\\, Brooklyn\\, NY\r\n"))
        #expect(text.contains("\r\nUID:bk_"))
        #expect(text.hasSuffix("END:VEVENT\r\nEND:VCALENDAR\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(try test.browser("192.0.2.5").get(path + ".ics").status == .notFound)
        // A move raises the event's SEQUENCE, so a calendar that imported it replaces it.
        let first = try #require(text.components(separatedBy: "\r\n").first { $0.hasPrefix("SEQUENCE:") })
        let publicID = String(path.dropFirst("/bookings/".count))
        let business = try #require(try test.database.pool.read { try Catalog.business($0, slug: "demo") })
        _ = try test.database.write { db in
            try Bookings.reschedule(db, business: business, publicID: publicID, start: RFC3339.parse("2026-11-30T16:00:00Z")!,
                                    now: TestApp.Pages.now, actor: .system)
        }
        let moved = try browser.get(path + ".ics" + query).text
        let second = try #require(moved.components(separatedBy: "\r\n").first { $0.hasPrefix("SEQUENCE:") })
        #expect(Int(second.dropFirst("SEQUENCE:".count))! > Int(first.dropFirst("SEQUENCE:".count))!)
        #expect(moved.contains("\r\nDTSTART:20261130T160000Z\r\n"))
    }

    @Test func anExpiredHoldExplainsItselfAndLinksBackToTheOffer() throws {
        let test = try TestApp.bookingPages()
        let browser = test.browser()
        let checkout = try #require(try test.hold(browser).headers["Location"])
        try browser.get(checkout)
        test.clock.advance(11 * 60)
        let page = try browser.get(checkout)
        #expect(page.status == .conflict)
        #expect(page.text.contains("Your hold has expired"))
        #expect(page.text.contains(#"href="/b/demo/consultation?date=2026-11-30""#))
        let post = try browser.post(checkout, [("name", "Zed Racer"), ("email", "zed@example.com")])
        #expect(post.status == .conflict)
        #expect(post.text.contains("Your hold has expired"))
        #expect(try test.browser().get("/b/demo/checkout/bk_unknown").status == .notFound)
    }

    @Test func aSignedInCustomerIsPrefilledAndSeesTheBookingInTheirAccount() throws {
        let test = try TestApp.bookingPages()
        let anonymous = try test.browser("192.0.2.30").get("/account/bookings")
        #expect(anonymous.status == .seeOther)
        #expect(anonymous.headers["Location"] == "/login?next=%2Faccount%2Fbookings")

        let browser = test.browser()
        #expect(try browser.signUp(name: "Ada Lovelace", email: "ada@example.com", password: "correct horse battery").status == .seeOther)
        let checkout = try #require(try test.hold(browser).headers["Location"])
        let form = try browser.get(checkout).text
        #expect(form.contains(#"value="Ada Lovelace""#))
        #expect(form.contains(#"value="ada@example.com""#))
        let confirmed = try browser.post(checkout, [("name", "Ada Lovelace"), ("email", "ada@example.com"), ("phone", "")])
        let bookingURL = try #require(confirmed.headers["Location"])
        let path = String(bookingURL.prefix { $0 != "?" })
        #expect(try browser.get(path).status == .ok)   // the owner needs no token
        let account = try browser.get("/account/bookings")
        #expect(account.status == .ok)
        #expect(account.text.contains("href=\"\(path)\">Consultation at Demo Wellness</a>"))
        #expect(account.text.contains("Monday 30 November 2026, 09:00–09:30"))
    }

    @Test func plainWordsForCancellationTiers() {
        #expect(BookingFormat.cancellationPolicy([.init(minHoursBefore: 24, refundPercent: 100), .init(minHoursBefore: 0, refundPercent: 50)])
                == "Free cancellation until 24 hours before the start; 50 % refund after that; no refund after the start.")
        #expect(BookingFormat.cancellationPolicy([.init(minHoursBefore: 48, refundPercent: 100)])
                == "Free cancellation until 2 days before the start; no refund after that.")
        #expect(BookingFormat.cancellationPolicy([]) == "No refund if you cancel.")
        #expect(BookingFormat.money(4000, "USD") == "$40.00")
        #expect(BookingFormat.money(500, "JPY") == "¥500")
        #expect(BookingFormat.money(1250, "CHF") == "CHF 12.50")
    }
}
