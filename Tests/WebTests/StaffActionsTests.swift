import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// Front-desk actions: each works for a role with its permission, is refused (404) without it, and is audited.
@Suite(.serialized)
struct StaffActionsTests {
    /// The check-in form the calendar shows next to `customer`'s booking.
    static func checkInAction(in html: String, id: String) -> String? {
        let action = "/staff/demo/bookings/\(id)/check-in"
        return html.contains("action=\"\(action)\"") ? action : nil
    }

    @Test func frontDeskChecksInFromTheCalendarAndItIsAudited() throws {
        let test = try TestApp.staff(now: TestApp.Staff.mondayNine + 3600 + 5 * 60)   // 10:05, just after Zelda's 10:00
        let desk = try test.signedIn("frontdesk@demo.test")
        let id = try test.bookingID(customer: "Zelda Quinn")
        let calendar = try desk.get(test.dayURL).text
        let action = try #require(Self.checkInAction(in: calendar, id: id))
        let response = try desk.post(action, [("next", test.dayURL)])
        #expect(response.status == .seeOther)
        #expect(response.headers["Location"] == test.dayURL + "&done=checked_in")
        #expect(try test.status(customer: "Zelda Quinn") == "checked_in")
        let entries = try test.audit(action: "booking.checked_in")
        #expect(entries.count == 1)
        #expect(entries.first?.actor == "user:\(try test.userID("frontdesk@demo.test"))")
        #expect(entries.first?.subject == "booking:\(id)")
        let after = try desk.get(response.headers["Location"]!).text
        #expect(after.contains("Checked in"))
        // Then complete it from the detail page.
        #expect(try desk.post("/staff/demo/bookings/\(id)/complete", []).status == .seeOther)
        #expect(try test.status(customer: "Zelda Quinn") == "completed")
    }

    @Test func checkInWithoutFormTokenIsRefused() throws {
        let test = try TestApp.staff()
        let desk = try test.signedIn("frontdesk@demo.test")
        let id = try test.bookingID(customer: "Zelda Quinn")
        #expect(try desk.post("/staff/demo/bookings/\(id)/check-in", [], csrf: .some(nil)).status == .forbidden)
        #expect(try test.status(customer: "Zelda Quinn") == "confirmed")
    }

    @Test func providerChecksInOwnBookingsOnlyAndCannotCancel() throws {
        let test = try TestApp.staff()
        let dana = try test.signedIn("dana@demo.test")
        _ = try dana.get(test.dayURL)
        let sams = try test.bookingID(customer: "Omar Reyes")
        #expect(try dana.post("/staff/demo/bookings/\(sams)/check-in", []).status == .notFound)
        #expect(try test.status(customer: "Omar Reyes") == "confirmed")
        let own = try test.bookingID(customer: "Zelda Quinn")
        #expect(try dana.post("/staff/demo/bookings/\(own)/cancel", [("reason", "no")]).status == .notFound)
        #expect(try test.status(customer: "Zelda Quinn") == "confirmed")
        #expect(try dana.post("/staff/demo/bookings/\(own)/check-in", []).status == .seeOther)
        #expect(try test.status(customer: "Zelda Quinn") == "checked_in")
        #expect(try dana.get("/staff/demo/walk-in").status == .notFound)
        #expect(try dana.post("/staff/demo/block", [("resource", "dana-doctor"), ("date", TestApp.Staff.demoDay),
                                                    ("from", "15:00"), ("to", "16:00")]).status == .notFound)
    }

    @Test func frontDeskCannotCancelOrEditThePolicyButTheOwnerCan() throws {
        let test = try TestApp.staff()
        let desk = try test.signedIn("frontdesk@demo.test")
        _ = try desk.get(test.dayURL)
        let id = try test.bookingID(customer: "Omar Reyes")
        #expect(try desk.post("/staff/demo/bookings/\(id)/cancel", [("reason", "asked")]).status == .notFound)
        #expect(try test.status(customer: "Omar Reyes") == "confirmed")
        #expect(try desk.get("/manage/demo/privacy").status == .notFound)
        #expect(try desk.post("/manage/demo/privacy", [("staff.email", "full")]).status == .notFound)

        let owner = try test.signedIn("owner@demo.test")
        _ = try owner.get("/staff/demo/bookings/\(id)")
        #expect(try owner.post("/staff/demo/bookings/\(id)/cancel", [("reason", "")]).status == .unprocessable)
        let cancelled = try owner.post("/staff/demo/bookings/\(id)/cancel", [("reason", "Customer phoned")])
        #expect(cancelled.status == .seeOther)
        #expect(try test.status(customer: "Omar Reyes") == "cancelled")
        #expect(try test.audit(action: "booking.cancel").first?.actor == "user:\(try test.userID("owner@demo.test"))")
    }

    @Test func ownerEditsThePolicyAndTheFrontDeskSeesTheChange() throws {
        let test = try TestApp.staff()
        let owner = try test.signedIn("owner@demo.test")
        let form = try owner.get("/manage/demo/privacy")
        #expect(form.status == .ok)
        #expect(form.text.contains("staff.phone"))
        let saved = try owner.post("/manage/demo/privacy", [("staff.phone", "masked"), ("staff.name", "full")])
        #expect(saved.status == .seeOther)
        #expect(try test.audit(action: "policy.field_visibility").count == 1)
        #expect(try owner.post("/manage/demo/privacy", [("staff.phone", "everything")]).status == .unprocessable)
        let desk = try test.signedIn("frontdesk@demo.test")
        let detail = try desk.get("/staff/demo/bookings/\(try test.bookingID(customer: "Zelda Quinn"))").text
        #expect(detail.contains("•••• 0142"))
        #expect(detail.contains("Zelda Quinn"))
        #expect(!detail.contains("zelda.quinn@example.com"))
        #expect(!detail.contains("555 0142"))
    }

    @Test func noShowAppliesThePolicyAndIsAudited() throws {
        let test = try TestApp.staff(now: TestApp.Staff.mondayNine + 3600 + 20 * 60)   // 10:20: Zelda's 10:00 plus the 15-minute grace
        let desk = try test.signedIn("frontdesk@demo.test")
        let id = try test.bookingID(customer: "Zelda Quinn")
        _ = try desk.get("/staff/demo/bookings/\(id)")
        let response = try desk.post("/staff/demo/bookings/\(id)/no-show", [])
        #expect(response.status == .seeOther)
        #expect(try test.status(customer: "Zelda Quinn") == "no_show")
        #expect(try test.audit(action: "booking.no_show").count == 1)
        // A second no-show is an illegal move.
        #expect(try desk.post("/staff/demo/bookings/\(id)/no-show", []).status == .conflict)
    }

    @Test func noShowCompleteAndCheckInWaitForTheirTime() throws {
        // Given Zelda's booking at 10:00 and the clock at 09:00 (the issue: a no-show 17 days ahead
        // freed the slot, which was then sold again)
        let test = try TestApp.staff()
        let desk = try test.signedIn("frontdesk@demo.test")
        let id = try test.bookingID(customer: "Zelda Quinn")
        _ = try desk.get("/staff/demo/bookings/\(id)")
        // When the front desk marks a no-show before the start: refused with a sentence, nothing changed
        let refused = try desk.post("/staff/demo/bookings/\(id)/no-show", [])
        #expect(refused.status == .conflict)
        #expect(refused.text.contains("only from 15 minutes after its start"))
        #expect(try test.status(customer: "Zelda Quinn") == "confirmed")
        #expect(try test.audit(action: "booking.no_show").isEmpty)
        // Check-in opens an hour before (09:00 is exactly then); completing waits for the start
        #expect(try desk.post("/staff/demo/bookings/\(id)/check-in", []).status == .seeOther)
        #expect(try desk.post("/staff/demo/bookings/\(id)/complete", []).status == .conflict)
        #expect(try test.status(customer: "Zelda Quinn") == "checked_in")
    }

    @Test func theBusinessSetsTheGracePeriodAndTheCheckInWindow() throws {
        let test = try TestApp.staff(now: TestApp.Staff.mondayNine + 3600 + 5 * 60)   // 10:05
        let business = try #require(try test.database.pool.read { try Catalog.business($0, slug: "demo") })
        #expect(try test.database.lifecycleTiming(businessID: business.id) == .standard)
        let desk = try test.signedIn("frontdesk@demo.test")
        let id = try test.bookingID(customer: "Zelda Quinn")
        _ = try desk.get("/staff/demo/bookings/\(id)")
        #expect(try desk.post("/staff/demo/bookings/\(id)/no-show", []).status == .conflict)
        // The front desk may not change the rules; the owner sets them on the booking-rules page
        #expect(try desk.get("/manage/demo/booking-rules").status == .notFound)
        #expect(try desk.post("/manage/demo/booking-rules", [("no_show_grace_minutes", "0"), ("check_in_window_minutes", "0")]).status == .notFound)
        let owner = try test.signedIn("owner@demo.test")
        let form = try owner.get("/manage/demo/booking-rules")
        #expect(form.status == .ok)
        #expect(form.text.contains(#"<label for="no_show_grace_minutes">"#) && form.text.contains(#"value="15""#))
        let bad = try owner.post("/manage/demo/booking-rules", [("no_show_grace_minutes", "1441"), ("check_in_window_minutes", "soon")])
        #expect(bad.status == .unprocessable)
        #expect(bad.text.contains(##"href="#no_show_grace_minutes""##) && bad.text.contains(##"href="#check_in_window_minutes""##))
        #expect(try test.database.lifecycleTiming(businessID: business.id) == .standard)
        #expect(try owner.post("/manage/demo/booking-rules", [("no_show_grace_minutes", "5"), ("check_in_window_minutes", "30")],
                               csrf: .some(nil)).status == .forbidden)
        // When the business shortens the grace period to 5 minutes, 10:05 is late enough
        let saved = try owner.post("/manage/demo/booking-rules", [("no_show_grace_minutes", "5"), ("check_in_window_minutes", "30")])
        #expect(saved.status == .seeOther)
        #expect(try owner.get(try #require(saved.headers["Location"])).text.contains("Saved."))
        #expect(try test.database.lifecycleTiming(businessID: business.id) == LifecycleTiming(noShowGraceMinutes: 5, checkInWindowMinutes: 30))
        #expect(try test.audit(action: "policy.lifecycle_timing").first?.actor == "user:\(try test.userID("owner@demo.test"))")
        _ = try desk.get("/staff/demo/bookings/\(id)")
        #expect(try desk.post("/staff/demo/bookings/\(id)/no-show", []).status == .seeOther)
        #expect(try test.status(customer: "Zelda Quinn") == "no_show")
        #expect(throws: BookingFailure.self) {
            try test.database.setLifecycleTiming(LifecycleTiming(noShowGraceMinutes: -1, checkInWindowMinutes: 30), businessID: business.id)
        }
    }

    @Test func walkInBooksOneOfTodaysFreeTimes() throws {
        let test = try TestApp.staff()
        let desk = try test.signedIn("frontdesk@demo.test")
        let form = try desk.get("/staff/demo/walk-in?offer=consultation")
        #expect(form.status == .ok)
        let marker = #"name="start" value=""#
        let range = try #require(form.text.range(of: marker))
        let start = String(form.text[range.upperBound...].prefix { $0 != "\"" })
        #expect(start.hasPrefix("2026-11-23T"))
        let bad = try desk.post("/staff/demo/walk-in", [("offer", "consultation"), ("start", start), ("name", "")])
        #expect(bad.status == .unprocessable)
        let booked = try desk.post("/staff/demo/walk-in", [("offer", "consultation"), ("start", start), ("name", "Walter Inn"),
                                                           ("phone", "+1 212 555 0100")])
        #expect(booked.status == .seeOther)
        let row = try #require(try test.database.pool.read {
            try Row.fetchOne($0, sql: "SELECT source, status FROM booking_orders WHERE customer_name = 'Walter Inn'")
        })
        #expect(["walk_in", "staff"].contains(row["source"] as String))
        #expect(row["status"] as String == "confirmed")
        #expect(try test.audit(action: "booking.create").last?.actor == "user:\(try test.userID("frontdesk@demo.test"))")
        let calendar = try desk.get(booked.headers["Location"]!).text
        #expect(calendar.contains("Walter I."))
        #expect(calendar.contains("Walk-in booked."))
        #expect(!calendar.contains("no-email.invalid"))
    }

    @Test func blockTimeShowsOnTheCalendarAndIsAudited() throws {
        let test = try TestApp.staff()
        let desk = try test.signedIn("frontdesk@demo.test")
        _ = try desk.get(test.dayURL)
        let response = try desk.post("/staff/demo/block", [("resource", "dana-doctor"), ("date", TestApp.Staff.demoDay), ("from", "15:00"),
                                                           ("to", "16:00"), ("reason", "Training"), ("next", test.dayURL)])
        #expect(response.status == .seeOther)
        let html = try desk.get(response.headers["Location"]!).text
        #expect(html.contains("Blocked: Training"))
        #expect(try test.audit(action: "calendar.block").first?.subject == "resource:dana-doctor")
        #expect(try desk.post("/staff/demo/block", [("resource", "dana-doctor"), ("date", TestApp.Staff.demoDay), ("from", "16:00"),
                                                    ("to", "15:00")]).status == .unprocessable)
    }

    @Test func rescheduleMovesToAFreeStartAndIsAudited() throws {
        let test = try TestApp.staff()
        let owner = try test.signedIn("owner@demo.test")
        let id = try test.bookingID(customer: "Zelda Quinn")
        let detail = try owner.get("/staff/demo/bookings/\(id)").text
        #expect(detail.contains("2026-11-23T16:00:00Z"))   // 11:00 New York is free
        let moved = try owner.post("/staff/demo/bookings/\(id)/reschedule", [("start", "2026-11-23T16:00:00Z")])
        #expect(moved.status == .seeOther)
        let start = try test.database.pool.read {
            try Int64.fetchOne($0, sql: "SELECT starts_at FROM booking_orders WHERE public_id = ?", arguments: [id])
        }
        #expect(start == RFC3339.parse("2026-11-23T16:00:00Z"))
        #expect(try test.audit(action: "booking.reschedule").count == 1)
        // 09:00 New York is now: too soon to move to.
        let taken = try owner.post("/staff/demo/bookings/\(id)/reschedule", [("start", "2026-11-23T14:00:00Z")])
        #expect(taken.status == .unprocessable || taken.status == .conflict)
    }
}
