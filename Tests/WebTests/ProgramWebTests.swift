import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// Programs with attendance through the app (issue 17): the API reads a program and enrols in a
/// whole course; staff mark attendance per session (role-checked) and book make-ups; customers see
/// the runs, enrol, and find their sessions on their booking page. Also the waitlist's claim window
/// in the API and the staff series page's location scope.
@Suite(.serialized)
struct ProgramWebTests {
    static let tuesdays = ["2026-12-01T17:00:00Z", "2026-12-08T17:00:00Z", "2026-12-15T17:00:00Z"]
    static let wednesdays = ["2026-12-02T17:00:00Z", "2026-12-09T17:00:00Z", "2026-12-16T17:00:00Z"]

    func demo(_ test: TestApp) throws -> Business {
        try #require(try test.database.pool.read { try Catalog.business($0, slug: "demo") })
    }

    /// Yoga as a program (make-ups allowed) with a Tuesday and a Wednesday run; their ids.
    func program(_ test: TestApp) throws -> (tuesday: String, wednesday: String) {
        let business = try demo(test)
        let now = TestApp.Staff.seededAt
        try test.database.setUpProgram(business: business, slug: "yoga-class", makeupsAllowed: true, now: now, actor: .system)
        func run(_ name: String, _ starts: [String]) throws -> String {
            try test.database.addProgramRun(business: business, slug: "yoga-class",
                                            request: ProgramRunRequest(name: name, starts: starts.compactMap(RFC3339.parse)), now: now, actor: .system)
        }
        return (try run("Tuesdays", Self.tuesdays), try run("Wednesdays", Self.wednesdays))
    }

    /// Ann Potter enrolled in the Tuesday run of the program.
    func enrolAnn(_ test: TestApp) throws -> OrderView {
        let (tuesday, _) = try program(test)
        return try test.database.enrol(business: try demo(test), runPublicID: tuesday, request: BookingRequest(
            offerSlug: "yoga-class", start: 0, customer: CustomerDetails(name: "Ann Potter", email: "ann@example.com"), source: "api"),
            now: TestApp.Staff.mondayNine, actor: .system).order
    }

    func sessionID(_ test: TestApp, _ start: String) throws -> Int64 {
        try #require(try test.database.pool.read {
            try Int64.fetchOne($0, sql: "SELECT id FROM program_sessions WHERE starts_at = ?", arguments: [RFC3339.parse(start)])
        })
    }

    func api(_ test: TestApp, _ method: String, _ path: String, _ body: String = "", role: BookingCore.Role = .owner) throws
        -> (status: Int, json: [String: Any]) {
        let key = try test.database.pool.write { db in
            try APIKeys.create(db, businessID: try #require(try Catalog.business(db, slug: "demo")).id, name: "t", role: role,
                               now: TestApp.Staff.seededAt, actor: .system).key
        }
        let request = try Request(method: method, target: path,
                                  headers: Headers([("Content-Type", "application/json"), ("Authorization", "Bearer \(key)")]),
                                  body: Array(body.utf8))
        let response = test.app.respond(to: request)
        return (response.status.code, (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:])
    }

    @Test func theAPIReadsAProgramAndEnrolsInAWholeCourse() throws {
        let test = try TestApp.staff()
        let (tuesday, _) = try program(test)
        let read = try api(test, "GET", "/api/v1/programs/yoga-class")
        #expect(read.status == 200 && read.json["seats"] as? Int == 10 && read.json["makeups_allowed"] as? Bool == true)
        let runs = try #require(read.json["runs"] as? [[String: Any]])
        #expect(runs.map { $0["id"] as? String } == [tuesday, try #require(runs.last?["id"] as? String)])
        #expect((runs.first?["sessions"] as? [[String: Any]])?.map { $0["start"] as? String } == Self.tuesdays)
        let enrolled = try api(test, "POST", "/api/v1/programs/yoga-class/enrollments",
                               #"{"run":"\#(tuesday)","customer":{"name":"Ann Potter","email":"ann@example.com"}}"#)
        #expect(enrolled.status == 201)
        #expect((enrolled.json["booking"] as? [String: Any])?["status"] as? String == "confirmed")
        #expect((enrolled.json["booking"] as? [String: Any])?["manage_url"] as? String != nil)
        #expect((enrolled.json["sessions"] as? [[String: Any]])?.map { $0["start"] as? String } == Self.tuesdays)
        #expect(try api(test, "GET", "/api/v1/programs/yoga-class").json["runs"].flatMap { ($0 as? [[String: Any]])?.first?["seats_left"] as? Int } == 9)
        // One session alone is refused; an unknown run is 404; a class that is not a program is 404
        let single = try api(test, "POST", "/api/v1/bookings",
                             #"{"offer":"yoga-class","start":"2026-12-03T17:00:00Z","customer":{"name":"Drop In","email":"d@example.com"}}"#)
        #expect(single.status == 409 && (single.json["error"] as? [String: Any])?["code"] as? String == "sold_as_program")
        #expect(try api(test, "POST", "/api/v1/programs/yoga-class/enrollments",
                        #"{"run":"pr_nothing","customer":{"name":"Ann Potter","email":"ann@example.com"}}"#).status == 404)
        #expect(try api(test, "GET", "/api/v1/programs/pilates-class").status == 404)
    }

    @Test func staffMarkAttendancePerSessionAndBookAMakeUpButProvidersAndClientsCannot() throws {
        let test = try TestApp.staff()
        let order = try enrolAnn(test)
        test.clock.set("2026-12-01T17:20:00Z")
        let session = try sessionID(test, Self.tuesdays[0])
        let path = "/staff/demo/program-sessions/\(session)"
        // The front desk sees the roster and marks Ann absent
        let desk = try test.signedIn("frontdesk@demo.test")
        let roster = try desk.get(path)
        // (the front desk sees the name as the business's field policy masks it; the booking is linked)
        #expect(roster.status == .ok && roster.text.contains(order.publicID) && roster.text.contains("Not marked"))
        let marked = try desk.post(path + "/attendance", [("booking", order.publicID), ("status", "absent")])
        #expect(marked.status == .seeOther)
        let after = try desk.get(path)
        #expect(after.text.contains("Absent") && after.text.contains("Book the make-up"))
        // A provider and a client can neither see nor mark it
        for email in ["dana@demo.test", "customer@demo.test"] {
            let other = try test.signedIn(email)
            _ = try other.get("/account")
            #expect(try other.get(path).status == .notFound, "\(email)")
            #expect(try other.post(path + "/attendance", [("booking", order.publicID), ("status", "attended")]).status == .notFound, "\(email)")
        }
        let marks = try test.database.pool.read { try String.fetchAll($0, sql: "SELECT status FROM program_attendance") }
        #expect(marks == ["absent"])
        // The make-up in Wednesday's second session
        let madeUp = try desk.post(path + "/makeup", [("booking", order.publicID), ("missed", Self.tuesdays[0]), ("session", Self.wednesdays[1])])
        #expect(madeUp.status == .seeOther)
        let wednesday = try desk.get("/staff/demo/program-sessions/\(try sessionID(test, Self.wednesdays[1]))")
        #expect(wednesday.text.contains("Make-up") && wednesday.text.contains("Course") == false)
        // A second make-up for the same session is refused with a sentence
        let again = try desk.post(path + "/makeup", [("booking", order.publicID), ("missed", Self.tuesdays[0]), ("session", Self.wednesdays[2])])
        #expect(again.status == .conflict && again.text.contains("already has a make-up"))
    }

    @Test func aCustomerEnrolsFromTheProgramPageAndSeesTheirSessions() throws {
        let test = try TestApp.staff()
        _ = try program(test)
        let browser = test.browser()
        // The class's slot page leads to the program page
        let slots = try browser.get("/b/demo/yoga-class")
        #expect(slots.status == .seeOther && slots.headers["Location"] == "/b/demo/programs/yoga-class")
        let page = try browser.get("/b/demo/programs/yoga-class")
        #expect(page.status == .ok && page.text.contains("Tuesdays (10 places left)") && page.text.contains("Wednesdays"))
        let run = try #require(page.text.range(of: #"name="run" value=""#).map { page.text[$0.upperBound...].prefix { $0 != "\"" } })
        let enrolled = try browser.post("/b/demo/programs/yoga-class/enrol", [("run", String(run)), ("name", "Zed Racer"),
                                                                              ("email", "zed@example.com"), ("phone", "")])
        #expect(enrolled.status == .seeOther)
        let booking = try browser.get(try #require(enrolled.headers["Location"]))
        #expect(booking.status == .ok && booking.text.contains("Your sessions: Tuesdays"))
        #expect(booking.text.components(separatedBy: "<li>").count - 1 >= 3)
    }

    @Test func aCoursesThirdSessionShowsOnTheStaffDayViewOfItsDateLinkedToItsRoster() throws {
        let test = try TestApp.staff()
        let order = try enrolAnn(test)
        let third = try sessionID(test, Self.tuesdays[2]), first = try sessionID(test, Self.tuesdays[0])
        let owner = try test.signedIn("owner@demo.test")
        // The third session's own day: the course is there, linked to that session's roster, with no check-in of the whole course
        let day = try owner.get("/staff/demo/calendar?date=2026-12-15&view=day")
        #expect(day.status == .ok && day.text.contains("/staff/demo/program-sessions/\(third)"))
        #expect(!day.text.contains("/bookings/\(order.publicID)/check-in"))
        #expect(!day.text.contains("/staff/demo/program-sessions/\(first)"))
        // The week holding it, and the first session's day shows the first session only
        let week = try owner.get("/staff/demo/calendar?date=2026-12-15&view=week")
        #expect(week.text.contains("/staff/demo/program-sessions/\(third)"))
        let opening = try owner.get("/staff/demo/calendar?date=2026-12-01&view=day")
        #expect(opening.text.contains("/staff/demo/program-sessions/\(first)") && !opening.text.contains("/staff/demo/program-sessions/\(third)"))
        // A provider (no roster permission) still sees the session on its day, linked to the booking
        let dana = try test.signedIn("dana@demo.test").get("/staff/demo/calendar?date=2026-12-15&view=day")
        #expect(dana.status == .ok && !dana.text.contains("/program-sessions/"))
    }

    @Test func aCourseThatTakesPaymentOnlineIsNotEnrolledUnpaid() throws {
        let test = try TestApp.staff()
        let (tuesday, _) = try program(test)
        let business = try demo(test)
        // A 50 % deposit on the class, and Stripe connected
        try test.database.pool.write { db in
            let offer = try #require(try Catalog.offer(db, businessID: business.id, slug: "yoga-class"))
            var spec = offer.spec
            spec.deposit = .percent(50)
            try Catalog.publishVersion(db, businessID: business.id, versionID: try Catalog.createDraftVersion(
                db, businessID: business.id, offerID: offer.id, spec: spec, now: TestApp.Staff.seededAt), now: TestApp.Staff.seededAt)
        }
        let box = try SecretBox(keyBytes: Array(repeating: 0xAB, count: 32))
        try test.database.connectPayments(PaymentAccount(businessID: business.id, secretKeySealed: try box.seal("sk_test_prog0001"),
                                                         webhookSecretSealed: try box.seal("whsec_prog"), publishableKey: "pk_test_prog0001",
                                                         secretKeyHint: "sk_test_…0001", webhookSecretHint: "whsec_…prog",
                                                         reschedulePricing: .keepPrice, connectedAt: 0), actor: "system", now: 0)
        let api = try api(test, "POST", "/api/v1/programs/yoga-class/enrollments",
                          #"{"run":"\#(tuesday)","customer":{"name":"Ann Potter","email":"ann@example.com"}}"#)
        #expect(api.status == 409 && (api.json["error"] as? [String: Any])?["code"] as? String == "program_payment_unsupported")
        let browser = test.browser()
        _ = try browser.get("/b/demo/programs/yoga-class")   // the form's token
        let page = try browser.post("/b/demo/programs/yoga-class/enrol", [("run", tuesday), ("name", "Zed Racer"),
                                                                                 ("email", "zed@example.com"), ("phone", "")])
        #expect(page.status == .conflict && page.text.contains("courses cannot be paid for online yet"), "\(page.status)")
        let courses = try test.database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM program_orders") }
        #expect(courses == 0)
    }

    @Test func theDemoHasACourseOnSaleWithFourSaturdaySessions() throws {
        let test = try TestApp.staff()
        let page = try test.browser().get("/b/demo/programs/beginners-yoga-course")
        #expect(page.status == .ok && page.text.contains("Saturday mornings (6 places left)"))
        let program = try api(test, "GET", "/api/v1/programs/beginners-yoga-course")
        let sessions = (program.json["runs"] as? [[String: Any]])?.first?["sessions"] as? [[String: Any]]
        #expect(sessions?.count == 4)
    }

    @Test func theWaitlistAPIShowsTheClaimWindowOfAnOfferedEntry() throws {
        let test = try TestApp.staff()
        let business = try demo(test)
        let yoga = try #require(RFC3339.parse("2026-11-23T17:00:00Z"))
        try test.database.setLifecyclePolicies(approval: .manual, waitlist: WaitlistPolicy(offerMinutes: 30, mode: .firstToConfirm),
                                               businessID: business.id, now: TestApp.Staff.mondayNine, actor: .system)
        let filler = try test.database.book(business: business, request: BookingRequest(
            offerSlug: "yoga-class", start: yoga, customer: CustomerDetails(name: "Full Filler", email: "f@example.com"), partySize: 8,
            source: "api"), now: TestApp.Staff.mondayNine, actor: .system).order
        _ = try test.database.joinWaitlist(business: business, request: BookingRequest(
            offerSlug: "yoga-class", start: yoga, customer: CustomerDetails(name: "Ann Early", email: "ann@example.com"), source: "api"),
            now: TestApp.Staff.mondayNine, actor: .system)
        _ = try test.database.cancelBooking(business: business, publicID: filler.publicID, reason: "", now: TestApp.Staff.mondayNine,
                                            actor: .system)
        let line = try api(test, "GET", "/api/v1/waitlist?offer=yoga-class&start=2026-11-23T17:00:00Z")
        let entry = try #require((line.json["entries"] as? [[String: Any]])?.first)
        #expect(entry["status"] as? String == "offered")
        #expect(entry["claim_expires_at"] as? String == RFC3339.format(TestApp.Staff.mondayNine + 30 * 60))
    }

    @Test func aLocationScopedManagerGetsNotFoundForASeriesOutsideTheirLocation() throws {
        let test = try TestApp.staff()
        let business = try demo(test)
        let series = try test.database.bookSeries(business: business, request: SeriesRequest(
            booking: BookingRequest(offerSlug: "consultation", start: RFC3339.parse("2026-12-01T15:00:00Z")!,
                                    customer: CustomerDetails(name: "Tess Tutee", email: "tess@example.com"), resourceSlugs: ["dana-doctor"],
                                    source: "api"),
            rule: SeriesRule(end: .count(3)), skipConflicts: false), now: TestApp.Staff.mondayNine, actor: .system)
        // Dana works at Main street; the front desk becomes a manager of another location
        let elsewhere = try test.database.pool.write { db -> Int64 in
            try db.execute(sql: "UPDATE resources SET location_id = (SELECT id FROM locations WHERE name = 'Main street') WHERE slug = 'dana-doctor'")
            try db.execute(sql: "INSERT INTO locations (business_id, name, created_at) VALUES (?, 'Elsewhere', 0)", arguments: [business.id])
            let id = db.lastInsertedRowID
            try db.execute(sql: """
                UPDATE memberships SET role = 'manager', location_id = ? WHERE user_id = (SELECT id FROM users WHERE email = 'frontdesk@demo.test')
                """, arguments: [id])
            return id
        }
        let manager = try test.signedIn("frontdesk@demo.test")
        _ = try manager.get("/account")   // a page with a form: the session's form token
        let path = "/staff/demo/series/\(series.id)"
        #expect(try manager.get(path).status == .notFound)
        #expect(try manager.post(path + "/cancel", [("from", "2026-12-08T15:00:00Z"), ("scope", "one")]).status == .notFound)
        #expect(try test.database.seriesBookings(business: business, publicID: series.id).allSatisfy { $0.status == .confirmed })
        // Scoped to Main street instead, the same manager reaches it
        try test.database.pool.write { db in
            try db.execute(sql: """
                UPDATE memberships SET location_id = (SELECT id FROM locations WHERE name = 'Main street')
                WHERE user_id = (SELECT id FROM users WHERE email = 'frontdesk@demo.test')
                """)
        }
        _ = elsewhere
        #expect(try manager.get(path).status == .ok)
    }
}
