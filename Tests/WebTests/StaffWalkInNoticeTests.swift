import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// Staff walk-ins inside the offer's minimum notice: waived for staff, still refused to customers
/// and the API; every other check (past, opening hours, capacity) still applies.
@Suite(.serialized)
struct StaffWalkInNoticeTests {
    /// Monday 2026-11-23 in New York; the harness's clock reads 09:00 unless told otherwise.
    static let nine = "2026-11-23T14:00:00Z", nineThirty = "2026-11-23T14:30:00Z", eight = "2026-11-23T13:00:00Z"
    static let mondaySeven: Int64 = 1_795_435_200   // Monday 2026-11-23 07:00 New York

    static func starts(in html: String) -> [String] {
        html.components(separatedBy: #"name="start" value=""#).dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    func walkIn(_ desk: Browser, start: String, name: String) throws -> Response {
        try desk.post("/staff/demo/walk-in", [("offer", "consultation"), ("start", start), ("name", name)])
    }

    func count(_ test: TestApp, name: String) throws -> Int {
        try test.database.pool.read {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM booking_orders WHERE customer_name = ?", arguments: [name]) ?? 0
        }
    }

    @Test func frontDeskBooksInsideTheNoticeUntilBothHostsAreTaken() throws {
        // Given: 09:00, consultation needs 60 minutes' notice and any one of two hosts.
        let test = try TestApp.staff()
        let desk = try test.signedIn("frontdesk@demo.test")
        // When: the walk-in form lists today's starts.
        let form = try desk.get("/staff/demo/walk-in?offer=consultation")
        // Then: starts inside the notice are offered to staff.
        #expect(Self.starts(in: form.text).prefix(2) == [Self.nine, Self.nineThirty])
        #expect(try walkIn(desk, start: Self.nineThirty, name: "Walt Early").status == .seeOther)
        #expect(try walkIn(desk, start: Self.nineThirty, name: "Wendy Early").status == .seeOther)
        let sources = try test.database.pool.read {
            try String.fetchAll($0, sql: "SELECT source FROM booking_orders WHERE customer_name IN ('Walt Early', 'Wendy Early')")
        }
        #expect(sources == ["walk_in", "walk_in"])
        // A third at the same time: both hosts are busy, so the conflict check still refuses it and nothing is written.
        let third = try walkIn(desk, start: Self.nineThirty, name: "Will Late")
        #expect(third.status == .conflict)
        #expect(try count(test, name: "Will Late") == 0)
        #expect(try test.audit(action: "booking.create").filter { $0.actor == "user:\(try test.userID("frontdesk@demo.test"))" }.count == 2)
    }

    @Test func pastStartsAndStartsOutsideOpeningHoursAreStillRefused() throws {
        // Given: 07:00, before the 09:00 opening; the notice would reach 08:00.
        let test = try TestApp.staff(now: Self.mondaySeven)
        let desk = try test.signedIn("frontdesk@demo.test")
        let starts = Self.starts(in: try desk.get("/staff/demo/walk-in?offer=consultation").text)
        #expect(starts.first == Self.nine)
        #expect(!starts.contains(Self.eight))
        // When/Then: 08:00 is outside opening hours, 06:30 is in the past: refused, nothing written.
        #expect(try walkIn(desk, start: Self.eight, name: "Otto Hours").status == .unprocessable)
        #expect(try walkIn(desk, start: "2026-11-23T11:30:00Z", name: "Otto Hours").status == .unprocessable)
        #expect(try count(test, name: "Otto Hours") == 0)
        // 09:00 is inside the notice and open: booked.
        #expect(try walkIn(desk, start: Self.nine, name: "Otto Hours").status == .seeOther)
        #expect(try count(test, name: "Otto Hours") == 1)
    }

    @Test func customersAndTheAPIAreStillRefusedInsideTheNotice() throws {
        let test = try TestApp.staff()
        // The public pages: the slot list starts after the notice, and a hold inside it is refused.
        let guest = try test.signedIn(nil)
        let slots = try guest.get("/b/demo/consultation?date=\(TestApp.Staff.demoDay)")
        #expect(slots.status == .ok)
        #expect(!slots.text.contains(Self.nineThirty))
        let hold = try guest.post("/b/demo/consultation/hold", [("start", Self.nineThirty)])
        #expect(hold.status == .unprocessable)
        // The API, even with an owner key.
        let key = try test.database.pool.write { db in
            try APIKeys.create(db, businessID: try #require(try Catalog.business(db, slug: "demo")).id, name: "t",
                               now: TestApp.Staff.mondayNine, actor: .system).key
        }
        let body = #"{"offer":"consultation","start":"\#(Self.nineThirty)","customer":{"name":"Api Early","email":"api@example.com"}}"#
        let answer = test.app.respond(to: try Request(method: "POST", target: "/api/v1/bookings",
                                                      headers: Headers([("Authorization", "Bearer \(key)"), ("Content-Type", "application/json")]),
                                                      body: Array(body.utf8)))
        #expect(answer.status == .unprocessable)
        #expect(answer.text.contains("invalid_start"))
        #expect(try test.database.pool.read {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM booking_orders WHERE status IN ('held', 'confirmed') AND starts_at = ?",
                             arguments: [RFC3339.parse(Self.nineThirty)!])
        } == 0)
    }
}
