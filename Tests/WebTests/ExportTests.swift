import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// `/manage/{business}/exports`: CSV for a date range, formula-safe, masked like the pages.
@Suite(.serialized)
struct ExportTests {
    let app: TestApp

    init() throws { app = try TestApp.staff() }

    static let november = "from=2026-11-01&to=2026-11-30"

    /// A booking by a customer whose name is a spreadsheet formula.
    func bookFormulaName() throws {
        try app.database.pool.write { db in
            let business = try #require(try Catalog.business(db, slug: "demo"))
            let start: Int64 = 1_795_442_400 + 86_400 * 2 + 3600 * 7   // Wednesday 16:00 New York
            _ = try Bookings.book(db, business: business,
                                  request: BookingRequest(offerSlug: "consultation", start: start,
                                                          customer: CustomerDetails(name: "=HYPERLINK(\"https://evil.example\",\"Hi\")",
                                                                                    email: "evil@example.com", phone: "+1 212 555 0111", notes: ""),
                                                          resourceSlugs: ["dana-doctor"], source: "staff"),
                                  now: TestApp.Staff.seededAt, actor: .system)
        }
    }

    @Test func ownerDownloadsTheMonthsBookingsAsCSV() throws {
        let owner = try app.signedIn("owner@demo.test")
        let response = try owner.get("/manage/demo/exports/bookings.csv?\(Self.november)")
        #expect(response.status == .ok)
        #expect(response.headers["Content-Type"] == "text/csv; charset=utf-8")
        #expect(response.headers["Content-Disposition"] == "attachment; filename=\"demo-bookings-2026-11-01_2026-11-30.csv\"")
        let lines = response.text.components(separatedBy: "\r\n")
        #expect(lines.first == "booking,start,end,service,status,customer,email,phone,party_size,source,total,paid,currency")
        #expect(lines.count == 6 + 2)   // six demo bookings, the header, the empty string after the last CRLF
        #expect(response.text.contains(",Zelda Quinn,zelda.quinn@example.com,\"'+1 212 555 0142\",1,demo,"))
        // December holds none of them.
        let december = try owner.get("/manage/demo/exports/bookings.csv?from=2026-12-01&to=2026-12-31")
        #expect(december.text.components(separatedBy: "\r\n").count == 2)
    }

    @Test func formulaInACustomerNameIsNeutralisedInEveryExport() throws {
        try bookFormulaName()
        let owner = try app.signedIn("owner@demo.test")
        for file in ["bookings.csv", "customers.csv"] {
            let text = try owner.get("/manage/demo/exports/\(file)?\(Self.november)").text
            #expect(text.contains("\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"Hi\"\")\""), "\(file)")
            #expect(!text.contains(",=HYPERLINK"), "\(file)")
        }
    }

    @Test func customersExportCountsTheRangesBookingsAndLedgerHasTheMoney() throws {
        let owner = try app.signedIn("owner@demo.test")
        let customers = try owner.get("/manage/demo/exports/customers.csv?\(Self.november)").text
        #expect(customers.hasPrefix("customer,name,email,phone,tags,bookings,no_shows,spend,currency\r\n"))
        #expect(customers.contains(",Zelda Quinn,zelda.quinn@example.com,"))
        let ledger = try owner.get("/manage/demo/exports/ledger.csv?from=2026-11-01&to=2026-11-30")
        #expect(ledger.status == .ok && ledger.text.hasPrefix("at,booking,kind,amount,currency,method,note\r\n"))
        let sum = try app.database.pool.read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(amount), 0) FROM ledger_entries") ?? 0 }
        let exported = ledger.text.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
            .map { Decimal(string: $0.components(separatedBy: ",")[3])! }.reduce(Decimal(0), +)
        #expect(exported * 100 == Decimal(sum))
    }

    @Test func aBadRangeIsAPageWithTheErrorAndNoFile() throws {
        let owner = try app.signedIn("owner@demo.test")
        let response = try owner.get("/manage/demo/exports/bookings.csv?from=2026-11-30&to=2026-11-01")
        #expect(response.status == .unprocessable && response.isHTML)
        #expect(response.text.contains("There is a problem") && response.text.contains("href=\"#to\""))
        #expect(try owner.get("/manage/demo/exports/bookings.csv?from=2025-01-01&to=2026-11-01").status == .unprocessable)
        #expect(try owner.get("/manage/demo/exports/secrets.csv?\(Self.november)").status == .notFound)
        #expect(try owner.get("/manage/demo/exports").text.contains("formaction=\"/manage/demo/exports/ledger.csv\""))
    }

    @Test func theFrontDeskCannotExport() throws {
        let desk = try app.signedIn("frontdesk@demo.test")
        #expect(try desk.get("/manage/demo/exports/bookings.csv?\(Self.november)").status != .ok)
        #expect(try desk.get("/manage/demo/exports").status != .ok)
    }
}
