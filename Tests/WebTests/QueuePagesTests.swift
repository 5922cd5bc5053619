import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// The walk-in queue from the customer's phone and from the barber's screen.
@Suite(.serialized)
struct QueuePagesTests {
    static func app() throws -> TestApp {
        let test = try TestApp.staff(now: TestApp.Staff.mondayNine + 3600)  // Monday 10:00 New York: open
        try test.database.pool.write { db in
            _ = try DemoData.seedQueue(db, businessID: try #require(try Catalog.business(db, slug: "demo")).id, now: TestApp.Staff.seededAt)
        }
        return test
    }

    /// Joins from the public page; returns the ticket page's path.
    static func join(_ test: TestApp, name: String, service: String = "haircut") throws -> String {
        let phone = test.browser()
        let page = try phone.get("/q/demo/walk-in-haircut")
        #expect(page.status == .ok)
        let joined = try phone.post("/q/demo/walk-in-haircut", [("name", name), ("phone", "+1 212 555 0100"), ("email", ""),
                                                                ("party_size", "1"), ("service", service)])
        #expect(joined.status == .seeOther)
        return try #require(joined.headers["Location"])
    }

    @Test func aCustomerJoinsAndSeesTheirPlaceAndWaitOnAPageThatRefreshesItself() throws {
        let test = try Self.app()
        let form = try test.browser().get("/q/demo/walk-in-haircut").text
        #expect(form.contains("<label for=\"name\">Your name</label>"))
        _ = try Self.join(test, name: "First")
        _ = try Self.join(test, name: "Second")
        let mine = try Self.join(test, name: "Third")
        #expect(mine.hasPrefix("/q/demo/tickets/qt_"))
        let ticket = try test.browser().get(mine)
        #expect(ticket.status == .ok)
        #expect(ticket.text.contains("<meta http-equiv=\"refresh\" content=\"30\">"))
        // Two 15-minute haircuts ahead with one barber: about 25–35 minutes.
        #expect(ticket.text.contains("You are 3rd in line</span>, <span class=\"wait\">about 25–35 min</span>"))
    }

    @Test func theBarberCallsStartsAndCompletesAndANoShowMovesTheLineUp() throws {
        let test = try Self.app()
        let first = try Self.join(test, name: "Ann")
        let second = try Self.join(test, name: "Ben")
        let third = try Self.join(test, name: "Cy")
        let desk = try test.signedIn("frontdesk@demo.test")
        let live = try desk.get("/staff/demo/queues/walk-in-haircut")
        #expect(live.status == .ok)
        #expect(live.text.contains("Ann"))
        #expect(try desk.post("/staff/demo/queues/walk-in-haircut/call-next", [("resource", "sam-stylist")]).status == .seeOther)
        let annPage = try test.browser().get(first).text
        #expect(annPage.contains("It is your turn: please go to Sam Stylist now."))
        let ann = String(first.split(separator: "/").last!)
        #expect(try desk.post("/staff/demo/queues/walk-in-haircut/tickets/\(ann)/start", []).status == .seeOther)
        test.advance(seconds: 600)
        #expect(try desk.post("/staff/demo/queues/walk-in-haircut/tickets/\(ann)/complete", []).status == .seeOther)
        #expect(try test.browser().get(first).text.contains("All done"))
        // Ben does not come when called: Cy becomes first.
        _ = try desk.get("/staff/demo/queues/walk-in-haircut")
        #expect(try desk.post("/staff/demo/queues/walk-in-haircut/call-next", [("resource", "sam-stylist")]).status == .seeOther)
        let ben = String(second.split(separator: "/").last!)
        #expect(try desk.post("/staff/demo/queues/walk-in-haircut/tickets/\(ben)/no-show", []).status == .seeOther)
        #expect(try test.browser().get(third).text.contains("You are next."))
        #expect(try test.audit(action: "queue.no_show").count == 1)
        // A finished ticket cannot start again.
        #expect(try desk.post("/staff/demo/queues/walk-in-haircut/tickets/\(ann)/start", []).status == .conflict)
        // The owner sees what was promised against what happened: Ann (0–5 min, called at once) and Ben (called after 10 min).
        let report = try test.signedIn("owner@demo.test").get("/manage/demo/queues/walk-in-haircut")
        #expect(report.status == .ok)
        #expect(report.text.contains("<td>Week of Monday 23 November 2026</td><td>2</td>"))
        #expect(try desk.get("/manage/demo/queues/walk-in-haircut").status == .notFound)
    }

    @Test func aJoinWithoutAWayToReachThemIsRefusedWithTheFormAgain() throws {
        let test = try Self.app()
        let phone = test.browser()
        _ = try phone.get("/q/demo/walk-in-haircut")
        let refused = try phone.post("/q/demo/walk-in-haircut", [("name", "Zed"), ("phone", ""), ("email", ""), ("party_size", "1")])
        #expect(refused.status == .unprocessable)
        #expect(refused.text.contains("There is a problem"))
        #expect(refused.text.contains("value=\"Zed\""))
        #expect(try test.database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM queue_tickets") } == 0)
    }

    @Test func theQueueIsClosedOnSunday() throws {
        let test = try Self.app()
        let phone = test.browser()
        _ = try phone.get("/q/demo/walk-in-haircut")  // open: the form and its token
        test.clock.set("2026-11-29T16:00:00Z")  // Sunday 11:00 New York
        let page = try test.browser().get("/q/demo/walk-in-haircut")
        #expect(page.text.contains("The queue is closed right now."))
        let refused = try phone.post("/q/demo/walk-in-haircut", [("name", "Zed"), ("phone", "+1 212 555 0100"), ("party_size", "1")])
        #expect(refused.status == .conflict)
    }

    @Test func customersCannotReachTheLiveQueue() throws {
        let test = try Self.app()
        let customer = try test.signedIn("customer@demo.test")
        #expect(try customer.get("/staff/demo/queues/walk-in-haircut").status == .notFound)
    }
}
