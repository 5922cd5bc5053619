import BookingCore
import Foundation
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// A promo code from the builder to the frozen price of a booking (issue 18).
struct PromoWebTests {
    @Test func aPromoCodeTakesTwentyPercentOffAConsultation() throws {
        let test = try TestApp.staff()
        let owner = try test.signedIn("owner@demo.test")
        let consultation = try #require(try test.database.liveOffers(businessID: 1).first { $0.slug == "consultation" })
        try owner.get("/manage/demo/promo-codes")
        let created = try owner.post("/manage/demo/promo-codes", [("code", "opening"), ("kind", "percent"), ("value", "20"),
                                                                  ("offers", consultation.id.description), ("total_limit", "100")])
        #expect(created.status == .seeOther, "creating answered \(created.status.code): \(created.text.prefix(400))")
        #expect(try owner.get("/manage/demo/promo-codes").text.contains("20% off, Consultation, used 0 of 100 times"))
        // A guest types a wrong code: told so, nothing booked
        let guest = test.browser()
        let checkout = try #require(try test.hold(guest).headers["Location"])
        try guest.get(checkout)
        let details = [("name", "Pat Promo"), ("email", "pat@example.com"), ("phone", "")]
        let wrong = try guest.post(checkout, details + [("promo_code", "OPENNING")])
        #expect(wrong.status == .unprocessable)
        #expect(wrong.text.contains("We do not know that promo code."))
        // The right one: the booking's price has the discount as a line
        let booked = try guest.post(checkout, details + [("promo_code", " opening ")])
        #expect(booked.status == .seeOther, "booking answered \(booked.status.code): \(booked.text.prefix(400))")
        let page = try guest.get(try #require(booked.headers["Location"]))
        #expect(page.text.contains("Promo code OPENING −20%"))
        #expect(page.text.contains("$32.00"))
        #expect(try owner.get("/manage/demo/promo-codes").text.contains("used 1 of 100 times"))
    }

    @Test func badPromoCodeInputAddsNothing() throws {
        let test = try TestApp.staff()
        let owner = try test.signedIn("owner@demo.test")
        try owner.get("/manage/demo/promo-codes")
        let refused = try owner.post("/manage/demo/promo-codes", [("code", "x"), ("kind", "percent"), ("value", "120"),
                                                                  ("valid_from", "2026-12-10"), ("valid_until", "2026-12-01")])
        #expect(refused.status == .unprocessable)
        #expect(refused.text.contains("Use 3 to 40 letters, digits or hyphens for the code."))
        #expect(refused.text.contains("Enter a whole number of percent from 1 to 100."))
        #expect(refused.text.contains("Make the last day the same as or after the first."))
        // Only the demo's WELCOME20
        #expect(try test.database.promoCodes(businessID: 1, now: 0).map(\.rule.code) == ["WELCOME20"])
    }
}
