import BookingCore
import Foundation
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// `/manage/{business}/reports`: the figures for a range, the busiest-hours chart as inline SVG with
/// a title and description and its numbers in a table; errors in the GOV.UK pattern; managers only.
@Suite(.serialized)
struct ReportPagesTests {
    let test: TestApp

    init() throws { test = try TestApp.staff() }

    @Test func theOwnerSeesTheMonthWithAChartAndItsNumbers() throws {
        let owner = try test.signedIn("owner@demo.test")
        let response = try owner.get("/manage/demo/reports?from=2026-11-01&to=2026-11-30")
        #expect(response.status == .ok)
        let html = response.text
        #expect(html.contains("<h3 id=\"status-heading\">Bookings by status</h3>"))
        #expect(html.contains("<tr><th scope=\"row\">All</th><td>6</td></tr>"))
        #expect(html.contains("<svg class=\"chart\" role=\"img\""))
        #expect(html.contains("<title id=\"busiest-title\">Bookings by the hour they start</title>"))
        #expect(html.contains("<desc id=\"busiest-desc\">"))
        // The demo's starts (New York time): 09:30, 10:00, 11:00, 12:00, 14:00, 15:00 — one each.
        for hour in ["09:00", "10:00", "11:00", "12:00", "14:00", "15:00"] {
            #expect(html.contains("<tr><th scope=\"row\">\(hour)</th><td>1</td></tr>"), "\(hour)")
        }
        #expect(html.contains("<th scope=\"row\">Dana Doctor</th>"))
        #expect(html.contains("Net</th>"))
        #expect(!html.contains("<script"))
        // The nav links to it.
        #expect(try owner.get("/manage/demo/exports").text.contains("href=\"/manage/demo/reports\""))
    }

    @Test func aBadRangeIsListedAndMarked() throws {
        let owner = try test.signedIn("owner@demo.test")
        let response = try owner.get("/manage/demo/reports?from=2026-11-30&to=2026-11-01")
        #expect(response.status == .unprocessable)
        #expect(response.text.contains("There is a problem") && response.text.contains("href=\"#to\""))
        #expect(!response.text.contains("<svg"))
        #expect(try owner.get("/manage/demo/reports?location=nowhere").status == .unprocessable)
    }

    @Test func theFrontDeskHasNoReportsAndTheContractsCSVNameWorks() throws {
        #expect(try test.signedIn("frontdesk@demo.test").get("/manage/demo/reports").status == .notFound)
        let csv = try test.signedIn("owner@demo.test").get("/manage/demo/bookings.csv?\(ExportTests.november)")
        #expect(csv.status == .ok && csv.headers["Content-Type"] == "text/csv; charset=utf-8")
        #expect(csv.text.hasPrefix("booking,start,end,service,status,customer"))
    }
}
