import BookingCore
import Foundation
import HTTPServer
import Store

/// `/manage/{business}/reports` (issue 19): for a date range and a location, bookings by status,
/// takings and refunds from the ledger, the no-show rate, utilisation per resource and the busiest
/// hours (an inline SVG chart with the numbers in a table). A member limited to a location sees
/// that location only; money only when their role may see what was paid.
struct ReportHandlers: Sendable {
    typealias Option = StaffCalendarPage.Option
    struct Line: Sendable {
        let label: String
        let value: String
    }
    struct ResourceLine: Sendable {
        let name: String
        let booked: String
        let open: String
        let percent: String
    }
    struct HourLine: Sendable {
        let hour: String
        let count: Int
    }
    struct Page: Sendable {
        let layout: Layout
        let nav: ManageNav
        let action: String
        var from: String
        var to: String
        var locations: [Option] = []
        var hasLocations = false
        var shown = false
        var heading = ""
        var statuses: [Line] = []
        var hasStatuses = false
        var money: [Line] = []
        var hasMoney = false
        var noShowRate = ""
        var resources: [ResourceLine] = []
        var hasResources = false
        /// The server's own SVG (numbers and fixed words only).
        var chart = ""
        var hours: [HourLine] = []
        var hasHours = false
        var errors = FormErrors()
    }

    func show(_ context: RequestContext) throws -> Response {
        let (business, membership, nav) = try context.managedBusiness()
        let query = context.request.query
        let clock = ZoneClock(identifier: business.timeZone)
        let today = clock?.local(context.instant).date ?? LocalDate(year: 2026, month: 1, day: 1)!
        let firstOfMonth = today.adding(days: 1 - today.day)
        var page = Page(layout: try context.layout(title: "Reports — \(business.name)"), nav: nav, action: nav.base + "/reports",
                        from: String((query["from"] ?? firstOfMonth.description).prefix(20)),
                        to: String((query["to"] ?? today.description).prefix(20)))
        // A member limited to a location reports on it alone, whatever the query asks.
        let requested = membership.scope.location.map { String($0) } ?? (query["location"] ?? "")
        var location: LocationID?
        if !requested.isEmpty {
            location = LocationID(requested)
            if location == nil { page.errors.add("location", "Choose a location from the list.") }
        }
        var range: ExportRange?
        do { range = try ExportRange.parse(from: page.from, to: page.to) } catch { page.errors.add(error.field, error.message) }
        var report: BusinessReport?
        if let range, page.errors.isEmpty {
            do {
                report = try context.app.database.report(businessID: business.id, range: range, location: location)
            } catch let error as ValidationError {
                page.errors.add(error.field, error.message)
            }
        }
        if let report, let range {
            let locations = report.locations.filter { membership.scope.location == nil || $0.id == membership.scope.location }
            page.locations = locations.map { .init(value: String($0.id), label: $0.name, selected: $0.id == location) }
            page.hasLocations = !locations.isEmpty
            fill(&page, report: report, range: range, location: locations.first { $0.id == location }?.name,
                 money: CustomerAccess(role: membership.role, policy: try context.app.database.fieldVisibilityPolicy(businessID: business.id))
                    .visibility(.pricePaid) == .full)
        }
        return context.app.page("manage/reports", page, status: page.errors.isEmpty ? .ok : .unprocessable)
    }

    func fill(_ page: inout Page, report: BusinessReport, range: ExportRange, location: String?, money: Bool) {
        let currency = report.business.currency
        page.shown = true
        page.heading = "\(BookingFormat.longDate(range.first)) to \(BookingFormat.longDate(range.last))" + (location.map { ", \($0)" } ?? "")
        page.statuses = report.statuses.map { Line(label: StaffCalendar.statusLabel($0.status), value: String($0.count)) }
            + [Line(label: "All", value: String(report.statuses.reduce(0) { $0 + $1.count }))]
        page.hasStatuses = !report.statuses.isEmpty
        if money {
            page.money = [Line(label: "Taken (charges, deposits, fees)", value: BookingFormat.money(report.takings, currency)),
                          Line(label: "Refunded", value: BookingFormat.money(report.refunds, currency)),
                          Line(label: "Credits and disputes", value: BookingFormat.money(report.adjustments, currency)),
                          Line(label: "Net", value: BookingFormat.money(report.net, currency))]
            page.hasMoney = true
        }
        page.noShowRate = ReportMath.noShowRate(noShows: report.noShows, attended: report.attended)
            .map { "\(Self.decimal($0)) % (\(report.noShows) of \(report.noShows + report.attended) bookings whose attendance is known)" }
            ?? "No attendance recorded in this range."
        page.resources = report.utilisation.map {
            ResourceLine(name: $0.name, booked: Self.hours($0.bookedSeconds), open: Self.hours(Double($0.openSeconds)),
                         percent: $0.percent.map { Self.decimal($0) + " %" } ?? "closed")
        }
        page.hasResources = !page.resources.isEmpty
        page.chart = ReportChart.svg(report.startsByHour, id: "busiest")
        page.hours = report.startsByHour.enumerated().filter { $0.element > 0 }.map { HourLine(hour: ReportChart.label($0.offset), count: $0.element) }
        page.hasHours = !page.hours.isEmpty
    }

    /// "12.5" (one decimal, no trailing ".0").
    static func decimal(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    /// Seconds as hours with at most two decimals: "7.5 h".
    static func hours(_ seconds: Double) -> String {
        let hours = (seconds / 36).rounded() / 100
        return (hours == hours.rounded() ? String(Int(hours)) : String(format: "%.2f", hours).replacingOccurrences(of: #"0$"#, with: "",
                                                                                                                    options: .regularExpression)) + " h"
    }
}
