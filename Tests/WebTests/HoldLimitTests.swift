import BookingCore
import Foundation
import GRDB
import HTTPServer
import Synchronization
import Testing
@testable import Store
@testable import Web

/// A visitor may keep only a few live holds at a business (`HoldLimits`), and the public forms'
/// hidden field catches scripts that fill in everything.
@Suite struct HoldLimitTests {
    /// The starts the slot page offers with Dana on Monday 30 November, in order.
    static func starts(_ test: TestApp, _ browser: Browser) throws -> [String] {
        let page = try browser.get("/b/demo/consultation?date=2026-11-30&resource=dana-doctor").text
        let pattern = #/name="start" value="([^"]+)"/#
        var seen: [String] = []
        for match in page.matches(of: pattern) where !seen.contains(String(match.1)) { seen.append(String(match.1)) }
        return seen
    }

    static func held(_ test: TestApp) throws -> Int {
        try test.database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM booking_orders WHERE status = 'held'") ?? 0 }
    }

    @Test func aVisitorKeepsAtMostSixLiveHoldsAndTheSeventhIsRefusedWithASentence() throws {
        let test = try TestApp.bookingPages()
        let script = test.browser("198.51.100.20")
        let starts = try Self.starts(test, script)
        try #require(starts.count >= 8)
        for start in starts.prefix(HoldLimits.liveHoldsPerVisitor) {
            #expect(try test.hold(script, start: start).status == .seeOther)
        }
        let before = try Self.held(test)
        let refused = try test.hold(script, start: starts[HoldLimits.liveHoldsPerVisitor])
        #expect(refused.status == .tooManyRequests)
        #expect(refused.text.contains("You are already holding 6 times here that are not booked yet"))
        #expect(try Self.held(test) == before)
        // Someone else at another address is not held back by it.
        #expect(try test.hold(test.browser("198.51.100.21"), start: starts[HoldLimits.liveHoldsPerVisitor]).status == .seeOther)
        // And once the holds lapse, the first visitor may hold again.
        test.advance(seconds: 3600)
        #expect(try test.hold(script, start: starts[HoldLimits.liveHoldsPerVisitor + 1]).status == .seeOther)
    }

    @Test func aFinishedBookingNoLongerCountsAgainstTheVisitor() throws {
        let test = try TestApp.bookingPages()
        let family = test.browser("198.51.100.30")
        let starts = try Self.starts(test, family)
        for start in starts.prefix(HoldLimits.liveHoldsPerVisitor - 1) {
            #expect(try test.hold(family, start: start).status == .seeOther)
        }
        _ = try test.book(family, start: starts[HoldLimits.liveHoldsPerVisitor - 1])   // held, then booked
        #expect(try test.hold(family, start: starts[HoldLimits.liveHoldsPerVisitor]).status == .seeOther)
        let origins = try test.database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM hold_origins") }
        #expect(origins == HoldLimits.liveHoldsPerVisitor)   // the booked one's address is gone
    }

    @Test func racingHoldsFromOneVisitorGetExactlyTheLimit() throws {
        let test = try TestApp.bookingPages()
        let starts = try Self.starts(test, test.browser("198.51.100.40"))
        let count = min(starts.count, 12)
        try #require(count > HoldLimits.liveHoldsPerVisitor)
        let browsers = (0..<count).map { _ in test.browser("198.51.100.40") }
        for browser in browsers { try browser.get("/b/demo/consultation?date=2026-11-30") }
        let statuses = Mutex<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let status = (try? browsers[index].post("/b/demo/consultation/hold", [("start", starts[index]), ("resource", "dana-doctor")]))?
                .status.code ?? 500
            statuses.withLock { $0.append(status) }
        }
        let all = statuses.withLock { $0 }
        #expect(all.filter { $0 == 303 }.count == HoldLimits.liveHoldsPerVisitor)
        #expect(all.filter { $0 == 429 }.count == count - HoldLimits.liveHoldsPerVisitor)
        #expect(try Self.held(test) == HoldLimits.liveHoldsPerVisitor)
    }

    @Test func aCheckoutWithTheHiddenFieldFilledInChangesNothing() throws {
        let test = try TestApp.bookingPages()
        let browser = test.browser()
        let checkout = try #require(try test.hold(browser).headers["Location"])
        let page = try browser.get(checkout).text
        #expect(page.contains(#"name="bz_hp""#))
        #expect(page.contains("<div class=\"honeypot\" hidden>"))
        let trapped = try browser.post(checkout, [("name", "Bot"), ("email", "bot@example.com"), ("bz_hp", "http://spam.example")])
        #expect(trapped.status == .badRequest)
        #expect(trapped.text.contains("looked as if a program had filled it in"))
        #expect(try Self.held(test) == 1)
        // A person leaves it empty and books.
        let booked = try browser.post(checkout, [("name", "Zed Racer"), ("email", "zed@example.com"), ("bz_hp", "")])
        #expect(booked.status == .seeOther)
        #expect(try Self.held(test) == 0)
    }
}
