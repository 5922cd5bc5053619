import BookingCore
import HTTPServer
import Store

/// `/manage/{business}/exports`: bookings, customers and the ledger for a date range as CSV
/// (`CSVWriter`: RFC 4180, UTF-8, formula-safe). Customer fields are masked as on the pages
/// (`CustomerAccess`); the ledger needs the price field in full.
struct ExportHandlers: Sendable {
    static func addRoutes(to table: inout RouteTable) {
        let handlers = ExportHandlers()
        table.add("GET", "/manage/:business/exports", requires: .permission(.bookingManageOrg), handlers.show)
        table.add("GET", "/manage/:business/exports/:file", requires: .permission(.bookingManageOrg)) { context in
            try handlers.download(context, file: try context.parameter("file"))
        }
        // CONTRACT.md's name for the bookings export.
        table.add("GET", "/manage/:business/bookings.csv", requires: .permission(.bookingManageOrg)) { context in
            try handlers.download(context, file: "bookings.csv")
        }
        table.add("GET", "/manage/:business/reports", requires: .permission(.bookingManageOrg), ReportHandlers().show)
    }

    struct Page: Sendable {
        let layout: Layout
        let nav: ManageNav
        let bookingsAction: String
        let customersAction: String
        let ledgerAction: String
        var from: String
        var to: String
        var errors = FormErrors()
    }

    func page(_ context: RequestContext, _ business: Business, _ nav: ManageNav) throws -> Page {
        // Last month, in the business's zone.
        let clock = ZoneClock(identifier: business.timeZone)
        let today = clock?.local(context.instant).date ?? LocalDate(year: 2026, month: 1, day: 1)!
        let firstOfMonth = today.adding(days: 1 - today.day)
        let lastMonthEnd = firstOfMonth.adding(days: -1)
        return Page(layout: try context.layout(title: "Exports — \(business.name)"), nav: nav,
                    bookingsAction: nav.base + "/exports/bookings.csv", customersAction: nav.base + "/exports/customers.csv",
                    ledgerAction: nav.base + "/exports/ledger.csv",
                    from: lastMonthEnd.adding(days: 1 - lastMonthEnd.day).description, to: lastMonthEnd.description)
    }

    func show(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        return context.app.page("manage/exports", try page(context, business, nav))
    }

    func download(_ context: RequestContext, file: String) throws -> Response {
        let (business, membership, nav) = try context.managedBusiness()
        guard ["bookings.csv", "customers.csv", "ledger.csv"].contains(file) else { throw WebError.notFound() }
        let from = context.request.query["from"] ?? "", to = context.request.query["to"] ?? ""
        let range: ExportRange
        do {
            range = try ExportRange.parse(from: from, to: to)
        } catch {
            var page = try page(context, business, nav)
            page.from = String(from.prefix(20))
            page.to = String(to.prefix(20))
            page.errors.add(error.field, error.message)
            return context.app.page("manage/exports", page, status: .unprocessable)
        }
        let database = context.app.database
        let csv: String?
        switch file {
        case "bookings.csv":
            csv = try database.exportBookings(businessID: business.id, range: range, scope: membership.scope).map { ExportCSV.bookings($0, role: membership.role) }
        case "customers.csv":
            csv = try database.exportCustomers(businessID: business.id, range: range, scope: membership.scope).map { ExportCSV.customers($0, role: membership.role) }
        default:
            guard let ledger = try database.exportLedger(businessID: business.id, range: range, scope: membership.scope) else { throw WebError.notFound() }
            guard CustomerAccess(role: membership.role, policy: ledger.policy).visibility(.pricePaid) == .full else {
                throw WebError.forbidden("Your role may not see payments, so it may not export the ledger.")
            }
            csv = ExportCSV.ledger(ledger)
        }
        guard let csv else { throw WebError.notFound() }
        var response = Response(status: .ok, headers: Headers([("Content-Type", "text/csv; charset=utf-8")]), body: Array(csv.utf8))
        let name = file.dropLast(".csv".count)
        response.headers.set("Content-Disposition", "attachment; filename=\"\(business.slug)-\(name)-\(range.label).csv\"")
        response.headers.set("Cache-Control", "no-store")
        return response
    }
}

/// The exports as CSV text: one row per record, local times in the business's zone, money as
/// decimals of the currency ("40.00", refunds negative), masked fields left empty.
enum ExportCSV {
    static func bookings(_ export: ExportRows<ExportBooking>, role: Role) -> String {
        let access = CustomerAccess(role: role, policy: export.policy)
        let clock = ZoneClock(identifier: export.business.timeZone)
        var csv = CSVWriter(header: ["booking", "start", "end", "service", "status", "customer", "email", "phone", "party_size",
                                     "source", "total", "paid", "currency"])
        for row in export.rows {
            let money = access.visibility(.pricePaid) == .full
            csv.append([row.publicID, BookingFormat.localStamp(row.start, clock), BookingFormat.localStamp(row.end, clock),
                        Masking.serviceLabel(row.offerName, role: role, relation: .other, sensitive: row.sensitive), row.status.rawValue,
                        access.show(.name, row.customerName) ?? "", access.show(.email, visibleEmail(row.customerEmail)) ?? "",
                        access.show(.phone, row.customerPhone) ?? "", String(row.partySize), access.show(.source, row.source) ?? "",
                        money ? Currency.decimal(row.total, row.currency) : "", money ? Currency.decimal(row.paid, row.currency) : "",
                        row.currency])
        }
        return csv.text
    }

    static func customers(_ export: ExportRows<ExportCustomer>, role: Role) -> String {
        let access = CustomerAccess(role: role, policy: export.policy)
        let currency = export.business.currency
        var csv = CSVWriter(header: ["customer", "name", "email", "phone", "tags", "bookings", "no_shows", "spend", "currency"])
        for row in export.rows {
            csv.append([row.id.description, access.show(.name, row.name) ?? "",
                        row.emails.compactMap { access.show(.email, $0) }.joined(separator: " "), access.show(.phone, row.phone) ?? "",
                        row.tags.joined(separator: ", "), String(row.bookings), String(row.noShows),
                        access.visibility(.pricePaid) == .full ? Currency.decimal(row.spend, currency) : "", currency])
        }
        return csv.text
    }

    static func ledger(_ export: ExportRows<ExportLedgerEntry>) -> String {
        let clock = ZoneClock(identifier: export.business.timeZone)
        var csv = CSVWriter(header: ["at", "booking", "kind", "amount", "currency", "method", "note"])
        for row in export.rows {
            csv.append([BookingFormat.localStamp(row.at, clock), row.publicID, row.kind, Currency.decimal(row.amount, row.currency),
                        row.currency, row.method, row.note])
        }
        return csv.text
    }

    /// Walk-ins' placeholder addresses are not addresses.
    static func visibleEmail(_ email: String) -> String {
        email.hasSuffix(StaffMasking.placeholderEmailDomain) ? "" : email
    }
}
