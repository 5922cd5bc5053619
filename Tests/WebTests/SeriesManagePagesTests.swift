import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// The series pages (issue 17): a series with its occurrences, each moved or cancelled alone or
/// with the following ones, by its customer (signed in, or a guest with a booking's token) and by staff.
@Suite(.serialized)
struct SeriesManagePagesTests {
    static let fields = [("start", "2026-12-01T15:00:00Z"), ("interval", "1"), ("count", "10"), ("until", ""), ("name", "Tess Tutee"),
                         ("email", "tess@example.com"), ("phone", "")]
    /// Tuesday 2026-12-15 10:00 New York: the third occurrence.
    static let third = "2026-12-15T15:00:00Z"

    func demo(_ test: TestApp) throws -> Business {
        try #require(try test.database.pool.read { try Catalog.business($0, slug: "demo") })
    }

    /// The first `href` that starts with `prefix`, unescaped.
    func link(_ html: String, prefix: String) throws -> String {
        let start = try #require(html.range(of: #"href=""# + prefix))
        let rest = html[html.index(start.lowerBound, offsetBy: 6)...]
        return String(rest.prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
    }

    @Test func aGuestMovesTheThirdOccurrenceAloneAndCancelsTheEighthAndFollowingFromTheSeriesPage() throws {
        let test = try TestApp.bookingPages()
        let browser = test.browser()
        _ = try browser.get("/b/demo/consultation/series?date=2026-12-01")
        let booked = try browser.post("/b/demo/consultation/series", Self.fields + [("confirm", "1")])
        #expect(booked.status == .created && booked.text.contains("See and change the series"))
        let seriesLink = try link(booked.text, prefix: "/b/demo/series/sr_")
        #expect(seriesLink.contains("?booking=bk_") && seriesLink.contains("&token="))
        let page = try browser.get(seriesLink)
        #expect(page.status == .ok)
        #expect(page.text.components(separatedBy: #"class="series-occurrence""#).count - 1 == 10)
        #expect(page.text.contains("Every week, 10 times"))
        // Without the token the series is not there, and a change changes nothing
        let path = String(seriesLink.prefix { $0 != "?" })
        let stranger = test.browser("198.51.100.9")
        #expect(try stranger.get(path).status == .notFound)
        _ = try stranger.get("/b/demo/consultation?date=2026-12-01")
        #expect(try stranger.post(path + "/cancel", [("from", Self.third), ("scope", "following"), ("booking", "bk_x"),
                                                     ("token", "nope")]).status == .notFound)
        // The move page of the third lists the day's free times; moving it alone to 11:00
        let moveLink = try link(page.text, prefix: path + "/move?from=" + PercentDecoding.encode(Self.third))
        let form = try browser.get(moveLink)
        #expect(form.status == .ok && form.text.contains("Tuesday 15 December 2026 at 10:00"))
        #expect(form.text.contains(#"value="2026-12-15T16:00:00Z""#))
        let proof = seriesLink.split(separator: "?")[1].split(separator: "&").map { part in
            let pair = part.split(separator: "=", maxSplits: 1)
            return (String(pair[0]), String(pair[1]).removingPercentEncoding ?? "")
        }
        let moved = try browser.post(path + "/move", [("from", Self.third), ("start", "2026-12-15T16:00:00Z"), ("scope", "one")] + proof)
        #expect(moved.status == .seeOther)
        let after = try browser.get(try #require(moved.headers["Location"]))
        #expect(after.text.contains("Done: the booking was moved"))
        let id = String(path.split(separator: "/").last!)
        let starts = try test.database.seriesBookings(business: try demo(test), publicID: id).map { RFC3339.format($0.start) }
        #expect(starts.count == 10)
        #expect(starts[1] == "2026-12-08T15:00:00Z" && starts[2] == "2026-12-15T16:00:00Z" && starts[3] == "2026-12-22T15:00:00Z")
        // Cancelling the eighth and the following ones
        let cancelled = try browser.post(path + "/cancel", [("from", "2027-01-19T15:00:00Z"), ("scope", "following")] + proof)
        #expect(cancelled.status == .seeOther)
        let statuses = try test.database.seriesBookings(business: try demo(test), publicID: id).map(\.status)
        #expect(statuses == Array(repeating: .confirmed, count: 7) + Array(repeating: .cancelled, count: 3))
        #expect(try browser.get(try #require(cancelled.headers["Location"])).text.contains("No more dates will be booked"))
        // A past or unknown start changes nothing
        #expect(try browser.post(path + "/cancel", [("from", "2026-12-15T15:00:00Z"), ("scope", "one")] + proof).status == .unprocessable)
        #expect(try test.database.seriesBookings(business: try demo(test), publicID: id).filter { $0.status == .cancelled }.count == 3)
    }

    @Test func staffSeeTheSeriesFromABookingAndCancelOneOccurrenceAloneButTheFrontDeskCannot() throws {
        let test = try TestApp.staff()
        let business = try demo(test)
        let series = try test.database.bookSeries(business: business, request: SeriesRequest(
            booking: BookingRequest(offerSlug: "consultation", start: RFC3339.parse("2026-12-01T15:00:00Z")!,
                                    customer: CustomerDetails(name: "Tess Tutee", email: "tess@example.com"), source: "api"),
            rule: SeriesRule(end: .count(4)), skipConflicts: false), now: TestApp.Staff.mondayNine, actor: .system)
        let owner = try test.signedIn("owner@demo.test")
        let booking = try owner.get("/staff/demo/bookings/\(series.bookings[1].publicID)")
        #expect(booking.text.contains(#"href="/staff/demo/series/\#(series.id)""#))
        let page = try owner.get("/staff/demo/series/\(series.id)")
        #expect(page.status == .ok && page.text.contains("Customer: Tess Tutee"))
        let cancelled = try owner.post("/staff/demo/series/\(series.id)/cancel", [("from", "2026-12-08T15:00:00Z"), ("scope", "one")])
        #expect(cancelled.status == .seeOther)
        let statuses = try test.database.seriesBookings(business: business, publicID: series.id).map(\.status)
        #expect(statuses == [.confirmed, .cancelled, .confirmed, .confirmed])
        #expect(try owner.get("/staff/demo/series/\(series.id)").text.contains("Every week, 4 times at Demo Wellness."))
        let desk = try test.signedIn("frontdesk@demo.test")
        #expect(try desk.get("/staff/demo/series/\(series.id)").status == .notFound)
        #expect(try desk.post("/staff/demo/series/\(series.id)/cancel", [("from", "2026-12-15T15:00:00Z"), ("scope", "following")]).status
            == .notFound)
        #expect(try test.status(of: series.bookings[2].publicID) == "confirmed")
    }
}
