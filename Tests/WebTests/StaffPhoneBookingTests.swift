import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// Phone bookings (`/staff/{business}/book`): any day, the customer's times with the notice waived,
/// an existing customer or a new one, the confirmation emailed only when asked; errors in the
/// GOV.UK pattern; the role and the form token checked.
@Suite(.serialized)
struct StaffPhoneBookingTests {
    let test: TestApp

    init() throws { test = try TestApp.staff() }

    static let nextMonday = "2026-11-30"

    func customerID(_ email: String) throws -> Int64 {
        try #require(try test.database.pool.read {
            try Int64.fetchOne($0, sql: "SELECT customer_id FROM customer_emails WHERE email = ?", arguments: [email])
        })
    }

    /// The outbox kinds written for the booking of `customer` starting at `start`.
    func mail(customer email: String, start: String) throws -> [String] {
        try test.database.pool.read {
            try String.fetchAll($0, sql: """
                SELECT o.kind FROM outbox o JOIN booking_orders b ON b.id = o.order_id
                WHERE b.customer_email = ? AND b.starts_at = ? AND o.recipient_email = b.customer_email ORDER BY o.id
                """, arguments: [email, Int64(ISO8601DateFormatter().date(from: start)!.timeIntervalSince1970)])
        }
    }

    @Test func theFrontDeskBooksNextWeekForAnExistingCustomerFromTheirPage() throws {
        let desk = try test.signedIn("frontdesk@demo.test")
        let zelda = try customerID("zelda.quinn@example.com")
        // The customer's page links to the form for them.
        let record = try desk.get("/manage/demo/customers/\(zelda)").text
        #expect(record.contains("href=\"/staff/demo/book?customer=\(zelda)\""))
        let form = try desk.get("/staff/demo/book?customer=\(zelda)&offer=consultation&date=\(Self.nextMonday)")
        #expect(form.status == .ok)
        #expect(form.text.contains("Booking for <strong>Zelda"))
        #expect(form.text.contains("<input type=\"hidden\" name=\"customer\" value=\"\(zelda)\">"))
        #expect(!form.text.contains("id=\"name\""))
        let starts = StaffWalkInNoticeTests.starts(in: form.text)
        let start = try #require(starts.first { $0.hasPrefix("2026-11-30T16:00:00Z") })   // 11:00 New York
        let booked = try desk.post("/staff/demo/book", [("offer", "consultation"), ("date", Self.nextMonday), ("customer", String(zelda)),
                                                        ("start", start), ("send", "yes")])
        #expect(booked.status == .seeOther)
        #expect(booked.headers["Location"] == "/staff/demo/calendar?date=2026-11-30&view=day&done=booked")
        let row = try #require(try test.database.pool.read {
            try Row.fetchOne($0, sql: "SELECT public_id, customer_name, customer_phone, source, status FROM booking_orders WHERE customer_email = ? AND starts_at = ?",
                             arguments: ["zelda.quinn@example.com", 1_796_054_400])
        })
        #expect(row["customer_name"] as String == "Zelda Quinn" && row["customer_phone"] as String == "+1 212 555 0142")
        #expect(row["source"] as String == "staff" && row["status"] as String == "confirmed")
        #expect(try mail(customer: "zelda.quinn@example.com", start: "2026-11-30T16:00:00Z").contains("confirmation"))
        // The customer's page lists it.
        #expect(try desk.get("/manage/demo/customers/\(zelda)").text.contains(row["public_id"] as String))
        #expect(try test.audit(action: "booking.create").contains { $0.actor == "user:\(try test.userID("frontdesk@demo.test"))" })
    }

    @Test func aNewCustomerWithoutTheBoxTickedGetsNoConfirmation() throws {
        let desk = try test.signedIn("frontdesk@demo.test")
        let form = try desk.get("/staff/demo/book?offer=consultation&date=\(Self.nextMonday)")
        #expect(form.text.contains("id=\"name\"") && form.text.contains("id=\"send\" type=\"checkbox\" name=\"send\" value=\"yes\" checked"))
        let start = try #require(StaffWalkInNoticeTests.starts(in: form.text).first)
        let booked = try desk.post("/staff/demo/book", [("offer", "consultation"), ("date", Self.nextMonday), ("start", start),
                                                        ("name", "Quiet Caller"), ("email", "quiet@example.com"), ("phone", "+1 212 555 0190")])
        #expect(booked.status == .seeOther)
        #expect(try test.status(customer: "Quiet Caller") == "confirmed")
        let kinds = try mail(customer: "quiet@example.com", start: String(start.prefix(20)))
        #expect(!kinds.contains("confirmation"))
        // Its status events (from which webhooks are written) are recorded all the same.
        let events = try test.database.pool.read {
            try String.fetchAll($0, sql: """
                SELECT e.to_status FROM booking_events e JOIN booking_orders b ON b.id = e.order_id WHERE b.customer_name = 'Quiet Caller'
                ORDER BY e.id
                """)
        }
        #expect(events == ["held", "confirmed"])
    }

    @Test func aCustomerWithOnlyAPhoneIsBookedAndNeverWrittenTo() throws {
        let desk = try test.signedIn("frontdesk@demo.test")
        let start = try #require(StaffWalkInNoticeTests.starts(in: try desk.get("/staff/demo/book?offer=consultation&date=\(Self.nextMonday)").text).first)
        let booked = try desk.post("/staff/demo/book", [("offer", "consultation"), ("date", Self.nextMonday), ("start", start),
                                                        ("name", "Phone Only"), ("phone", "+1 212 555 0191")])
        #expect(booked.status == .seeOther)
        #expect(try test.status(customer: "Phone Only") == "confirmed")
        // No confirmation and no reminder is queued for the placeholder address.
        let queued = try test.database.pool.read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM outbox WHERE recipient_email LIKE '%.invalid'") ?? 0
        }
        #expect(queued == 0)
    }

    @Test func todayInsideTheNoticeStaffSeeTheNextHalfHour() throws {
        // 09:00 Monday; the consultation needs an hour's notice from customers.
        let desk = try test.signedIn("frontdesk@demo.test")
        let starts = StaffWalkInNoticeTests.starts(in: try desk.get("/staff/demo/book?offer=consultation&date=2026-11-23").text)
        #expect(starts.contains { $0.hasPrefix("2026-11-23T14:30:00Z") })
        let public_ = try test.signedIn(nil).get("/b/demo/consultation?date=2026-11-23").text
        #expect(!public_.contains("2026-11-23T14:30:00Z"))
    }

    @Test func missingChoicesAreListedAndMarkedOnTheirFields() throws {
        let desk = try test.signedIn("frontdesk@demo.test")
        _ = try desk.get("/staff/demo/book?offer=consultation&date=\(Self.nextMonday)")
        let response = try desk.post("/staff/demo/book", [("offer", "consultation"), ("date", Self.nextMonday), ("send", "yes"),
                                                          ("phone", "+1 212 555 0100")])
        #expect(response.status == .unprocessable)
        let html = response.text
        #expect(html.contains("There is a problem"))
        #expect(html.contains("href=\"#start\"") && html.contains("href=\"#name\"") && html.contains("href=\"#send\""))
        #expect(html.contains("id=\"name\" name=\"name\" value=\"\" maxlength=\"120\" autocomplete=\"off\" aria-invalid=\"true\""))
        // A date in the past is refused with a sentence, not a trace.
        let past = try desk.get("/staff/demo/book?offer=consultation&date=2026-11-01")
        #expect(past.status == .unprocessable && past.text.contains("href=\"#date\""))
    }

    @Test func onlyStaffWithBookingRightsAndTheFormTokenBook() throws {
        #expect(try test.signedIn("customer@demo.test").get("/staff/demo/book").status == .notFound)
        #expect(try test.signedIn("dana@demo.test").get("/staff/demo/book").status == .notFound)
        let anonymous = try test.signedIn(nil).get("/staff/demo/book")
        #expect(anonymous.status == .seeOther)
        let desk = try test.signedIn("frontdesk@demo.test")
        _ = try desk.get("/staff/demo/book?offer=consultation&date=\(Self.nextMonday)")
        let forged = try desk.post("/staff/demo/book", [("offer", "consultation"), ("start", "2026-11-30T16:00:00Z"), ("name", "Forged"),
                                                        ("email", "forged@example.com")], csrf: .some(nil))
        #expect(forged.status == .forbidden)
        #expect(try test.status(customer: "Forged") == nil)
    }
}
