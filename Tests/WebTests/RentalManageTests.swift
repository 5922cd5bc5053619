import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// The rest of issue 21's rentals on the web: several items in one rental, moving a rental by its
/// dates (customer and front desk), and the owner's rental terms form.
@Suite(.serialized)
struct RentalManageTests {
    /// Rents Friday 2026-11-27 to Sunday 2026-11-29 as a guest; returns the booking page with its token.
    static func rent(_ test: TestApp, quantity: Int = 1, name: String = "Kay Paddler") throws -> String {
        let guest = test.browser()
        _ = try guest.get("/b/demo/kayak-rental")
        let held = try guest.post("/b/demo/kayak-rental/hold", [("pick_up", "2026-11-27"), ("return", "2026-11-29"), ("quantity", String(quantity))])
        #expect(held.status == .seeOther)
        let checkout = try #require(held.headers["Location"])
        _ = try guest.get(checkout)
        let confirmed = try guest.post(checkout, [("name", name), ("email", "kay@example.com"), ("phone", "")])
        #expect(confirmed.status == .seeOther)
        return try #require(confirmed.headers["Location"])
    }

    static func order(_ test: TestApp, _ id: String) throws -> OrderView {
        let business = try #require(try test.database.business(slug: "demo"))
        return try #require(try test.database.order(businessID: business.id, publicID: id))
    }

    @Test func threeKayaksAreRentedFromTheFormAndPricedThreeTimes() throws {
        let test = try RentalPagesTests.app()
        let page = try test.browser().get("/b/demo/kayak-rental").text
        #expect(page.contains("<label for=\"quantity\">How many</label>"))
        #expect(page.contains("max=\"12\""))
        _ = try Self.rent(test, quantity: 3)
        let id = try test.bookingID(customer: "Kay Paddler")
        let order = try Self.order(test, id)
        #expect(order.partySize == 3)
        #expect(order.price.total == 3 * 13_500)
        // Ten more do not fit that weekend: the form says so next to the quantity, and nothing is held
        let guest = test.browser()
        _ = try guest.get("/b/demo/kayak-rental")
        let refused = try guest.post("/b/demo/kayak-rental/hold", [("pick_up", "2026-11-27"), ("return", "2026-11-29"), ("quantity", "10")])
        #expect(refused.status == .conflict)
        #expect(refused.text.contains("href=\"#quantity\""))
        #expect(refused.text.contains("10 are not free for all of those dates"))
        let nonsense = try guest.post("/b/demo/kayak-rental/hold", [("pick_up", "2026-11-27"), ("return", "2026-11-29"), ("quantity", "0")])
        #expect(nonsense.status == .unprocessable)
        #expect(nonsense.text.contains("Enter how many, a whole number from 1 to 100."))
        let held = try test.database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM booking_orders WHERE offer_id = (SELECT id FROM offers WHERE slug = 'kayak-rental')") }
        #expect(held == 1)
    }

    @Test func aCustomerMovesTheirRentalToOtherDatesAndTheNewLengthIsPriced() throws {
        let test = try RentalPagesTests.app()
        let booking = BookingRescheduleTests.split(try Self.rent(test, quantity: 2))
        let browser = test.browser()
        let page = try browser.get(booking.path + "/reschedule?token=" + booking.token).text
        #expect(page.contains("<label for=\"pick_up\">Pick-up date</label>"))
        #expect(page.contains("value=\"2026-11-27\"") && page.contains("value=\"2026-11-29\""))
        #expect(!page.contains("class=\"slots\""))
        // Backwards dates: the page says why and nothing moves
        let backwards = try browser.post(booking.path + "/reschedule", [("pick_up", "2026-12-06"), ("return", "2026-12-04"), ("token", booking.token)])
        #expect(backwards.status == .unprocessable)
        #expect(backwards.text.contains("The return date must be after the pick-up date."))
        // Friday 4 to Monday 7 December: four days for two kayaks
        let moved = try browser.post(booking.path + "/reschedule", [("pick_up", "2026-12-04"), ("return", "2026-12-07"), ("token", booking.token)])
        #expect(moved.status == .seeOther)
        #expect(moved.headers["Location"] == booking.path + "?token=\(booking.token)&done=moved")
        let order = try Self.order(test, booking.id)
        #expect(order.start == RFC3339.parse("2026-12-04T14:00:00Z"))
        #expect(order.end == RFC3339.parse("2026-12-07T22:00:00Z"))
        #expect(order.price.total == 2 * 4 * 4_500)
        #expect(try test.audit(action: "booking.reprice").count == 1)
    }

    @Test func theFrontDeskMovesARentalByItsDates() throws {
        let test = try RentalPagesTests.app()
        let booking = BookingRescheduleTests.split(try Self.rent(test))
        let desk = try test.signedIn("frontdesk@demo.test")
        let url = "/staff/demo/bookings/\(booking.id)"
        let page = try desk.get(url).text
        #expect(page.contains("action=\"\(url)/dates\""))
        #expect(page.contains("<label for=\"rental-pick-up\">Pick-up date</label>"))
        #expect(try desk.post(url + "/dates", [("pick_up", "2026-11-28"), ("return", "2026-11-29")]).status == .seeOther)
        let order = try Self.order(test, booking.id)
        #expect(order.start == RFC3339.parse("2026-11-28T14:00:00Z"))
        #expect(order.price.total == 2 * 4_500)
        // A customer cannot use the staff form
        let customer = try test.signedIn("customer@demo.test")
        _ = try customer.get("/account/bookings")
        #expect(try customer.post(url + "/dates", [("pick_up", "2026-12-01"), ("return", "2026-12-02")]).status == .notFound)
        #expect(try Self.order(test, booking.id).start == RFC3339.parse("2026-11-28T14:00:00Z"))
    }

    @Test func theOwnerSetsRentalTermsWithValidationAndCustomersSeeThem() throws {
        let test = try RentalPagesTests.app()
        let owner = try test.signedIn("owner@demo.test")
        let offer = try owner.get("/manage/demo/offers/kayak-rental").text
        #expect(offer.contains("href=\"/manage/demo/offers/kayak-rental/rental\""))
        let form = try owner.get("/manage/demo/offers/kayak-rental/rental").text
        #expect(form.contains("<label for=\"rate\">Price per day or night (USD)</label>"))
        #expect(form.contains("value=\"45.00\""))
        var fields = [("pick_up_time", "10:00"), ("return_time", "16:00"), ("unit", "day"), ("rate", "50.00"), ("weekly_discount", "15"),
                      ("min_units", "2"), ("max_units", "1"), ("turnover", "90"), ("deposit_kind", "percent"), ("deposit_percent", "30"),
                      ("deposit_amount", "")]
        // Longest shorter than shortest: refused with the summary and the field's message, nothing published
        let refused = try owner.post("/manage/demo/offers/kayak-rental/rental", fields)
        #expect(refused.status == .unprocessable)
        #expect(refused.text.contains("There is a problem") && refused.text.contains("href=\"#max_units\""))
        #expect(refused.text.contains("Enter a longest rental of at least the shortest (2)."))
        #expect(try test.audit(action: "offer.rental_terms").isEmpty)
        // Without the form token: refused
        #expect(try owner.post("/manage/demo/offers/kayak-rental/rental", fields, csrf: .some(nil)).status == .forbidden)
        fields[6] = ("max_units", "10")
        let saved = try owner.post("/manage/demo/offers/kayak-rental/rental", fields)
        #expect(saved.status == .seeOther)
        #expect(try test.audit(action: "offer.rental_terms").count == 1)
        let page = try test.browser().get("/b/demo/kayak-rental").text
        #expect(page.contains("$50.00 per day") && page.contains("Pick up from 10:00, return by 16:00") && page.contains("2–10 days"))
        #expect(page.contains("15% off a week or longer"))
        let business = try #require(try test.database.business(slug: "demo"))
        let spec = try #require(try test.database.pool.read { try Catalog.offer($0, businessID: business.id, slug: "kayak-rental") }).spec
        #expect(spec.bufferAfterMinutes == 90 && spec.deposit == .percent(30))
        // Staff without the builder's permission do not reach it
        let desk = try test.signedIn("frontdesk@demo.test")
        #expect(try desk.get("/manage/demo/offers/kayak-rental/rental").status == .notFound)
    }
}

/// Owners create and edit walk-in queues from the manage pages.
@Suite(.serialized)
struct QueueSetupPagesTests {
    static let fields: [(String, String)] = [
        ("name", "Walk-in nails"), ("slug", ""), ("description", "Come by"),
        ("opens_mon", "09:00"), ("closes_mon", "17:00"), ("opens_tue", "10:00"), ("closes_tue", "18:00"),
        ("service_rows", "2"), ("service_slug_0", ""), ("service_name_0", "Manicure"), ("service_minutes_0", "25"),
        ("service_slug_1", ""), ("service_name_1", ""), ("service_minutes_1", ""),
        ("servers", "sam-stylist"), ("min_party_size", "1"), ("max_party_size", "2"), ("status", "live"),
    ]

    @Test func theOwnerCreatesAQueueAndEditsItsServicesServersAndLimits() throws {
        let test = try TestApp.staff()
        let owner = try test.signedIn("owner@demo.test")
        let nav = try owner.get("/manage/demo/queue-setup")
        #expect(nav.status == .ok && nav.text.contains("href=\"/manage/demo/queue-setup\">Queues</a>"))
        _ = try owner.get("/manage/demo/queue-setup/new")
        let created = try owner.post("/manage/demo/queue-setup/new", Self.fields)
        #expect(created.status == .seeOther)
        let business = try #require(try test.database.business(slug: "demo"))
        let queue = try #require(try test.database.queue(business: business, slug: "walk-in-nails"))
        #expect(queue.services.map(\.name) == ["Manicure"] && queue.services.map(\.priorMinutes) == [25])
        #expect(queue.servers.map(\.slug) == ["sam-stylist"])
        #expect(queue.hours.count == 2 && queue.maxPartySize == 2)
        #expect(try test.audit(action: "queue.create").count == 1)
        let list = try owner.get("/manage/demo/queue-setup").text
        #expect(list.contains("href=\"/manage/demo/queue-setup/walk-in-nails\">Walk-in nails</a>"))
        // Edit: rename the service, add one, serve with Dana too, allow parties up to 4
        let form = try owner.get("/manage/demo/queue-setup/walk-in-nails").text
        #expect(form.contains("value=\"Manicure\"") && form.contains("name=\"service_slug_0\" value=\"manicure\""))
        var edit = Self.fields
        edit.removeAll { ["service_name_0", "service_slug_0", "service_name_1", "service_minutes_1", "max_party_size"].contains($0.0) }
        edit += [("service_slug_0", "manicure"), ("service_name_0", "Classic manicure"), ("service_name_1", "Pedicure"), ("service_minutes_1", "40"),
                 ("servers", "dana-doctor"), ("max_party_size", "4")]
        #expect(try owner.post("/manage/demo/queue-setup/walk-in-nails", edit).status == .seeOther)
        let edited = try #require(try test.database.queue(business: business, slug: "walk-in-nails"))
        #expect(edited.services.map(\.name) == ["Classic manicure", "Pedicure"])
        #expect(edited.services.first?.id == queue.services.first?.id)
        #expect(Set(edited.servers.map(\.slug)) == ["sam-stylist", "dana-doctor"])
        #expect(edited.maxPartySize == 4)
        // A party of 5 cannot join it
        #expect(throws: QueueFailure.invalid(field: "party_size", message: "this queue takes parties of 1 to 4")) {
            _ = try test.database.joinQueue(business: business, queueSlug: "walk-in-nails",
                                            join: QueueJoin(name: "Big", email: "big@example.com", partySize: 5, source: "web"),
                                            now: RFC3339.parse("2026-11-23T15:00:00Z")!)
        }
    }

    @Test func aQueueFormWithMistakesSaysWhereAndCreatesNothing() throws {
        let test = try TestApp.staff()
        let owner = try test.signedIn("owner@demo.test")
        _ = try owner.get("/manage/demo/queue-setup/new")
        var fields = Self.fields.filter { !["servers", "service_minutes_0", "max_party_size", "closes_mon"].contains($0.0) }
        fields += [("service_minutes_0", "0"), ("max_party_size", "30"), ("closes_mon", "08:00")]
        let refused = try owner.post("/manage/demo/queue-setup/new", fields)
        #expect(refused.status == .unprocessable)
        for anchor in ["#servers", "#service_minutes_0", "#max_party_size", "#closes_mon"] {
            #expect(refused.text.contains("href=\"\(anchor)\""), "no summary link to \(anchor)")
        }
        #expect(refused.text.contains("Choose who serves this queue."))
        #expect(refused.text.contains("value=\"Walk-in nails\""))
        #expect(try test.audit(action: "queue.create").isEmpty)
        // Without the form token, and for a role without the builder: refused
        #expect(try owner.post("/manage/demo/queue-setup/new", Self.fields, csrf: .some(nil)).status == .forbidden)
        let desk = try test.signedIn("frontdesk@demo.test")
        #expect(try desk.get("/manage/demo/queue-setup").status == .notFound)
        #expect(try test.audit(action: "queue.create").isEmpty)
    }
}
