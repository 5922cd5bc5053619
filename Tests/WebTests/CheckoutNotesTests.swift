import BookingCore
import Foundation
import GRDB
import HTTPServer
import Testing
@testable import Store
@testable import Web

/// The web checkout's optional note to the business, the API's `notes`.
@Suite struct CheckoutNotesTests {
    static func notes(_ test: TestApp) throws -> [String] {
        try test.database.pool.read { try String.fetchAll($0, sql: "SELECT notes FROM booking_orders ORDER BY id") }
    }

    @Test func aNoteTypedAtCheckoutIsKeptWithTheBooking() throws {
        let test = try TestApp.bookingPages()
        let browser = test.browser()
        let checkout = try #require(try test.hold(browser).headers["Location"])
        let page = try browser.get(checkout).text
        #expect(page.contains(#"<label for="notes">Anything the business should know?"#))
        let booked = try browser.post(checkout, [("name", "Zed Racer"), ("email", "zed@example.com"),
                                                 ("notes", "  Wheelchair access, please.\n")])
        #expect(booked.status == .seeOther)
        #expect(try Self.notes(test).last == "Wheelchair access, please.")
    }

    @Test func aNoteOverTwoThousandCharactersIsRefusedByFieldAndKeptInTheForm() throws {
        let test = try TestApp.bookingPages()
        let browser = test.browser()
        let checkout = try #require(try test.hold(browser).headers["Location"])
        try browser.get(checkout)
        let long = String(repeating: "é", count: 2001)
        let refused = try browser.post(checkout, [("name", "Zed Racer"), ("email", "zed@example.com"), ("notes", long)])
        #expect(refused.status == .unprocessable)
        #expect(refused.text.contains("Keep your note to 2,000 characters or fewer."))
        #expect(refused.text.contains(##"<a href="#notes">"##))
        let hold = String(checkout.split(separator: "/").last!)
        #expect(try test.status(of: hold) == "held")
        let kept = try test.database.pool.read {
            try String.fetchOne($0, sql: "SELECT notes FROM booking_orders WHERE public_id = ?", arguments: [hold])
        }
        #expect(kept == "")
    }
}
