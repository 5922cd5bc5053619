import BookingCore
import Foundation
import HTTPServer
import Store

/// Business settings (name, time zone, currency, booking page text, locations) and the audit log page.
struct SettingsHandlers: Sendable {
    struct LocationView: Sendable {
        let id: LocationID
        let action: String
        let name: String
        let address: String
        let usedBy: String?
        let nameError: String?
        let addressError: String?
    }

    struct Page: Sendable {
        let layout: Layout
        let nav: ManageNav
        var name: String
        var timezone: String
        var currency: String
        var currencies: [Option] = []
        var descriptionText: String
        let zones = ManageInput.timeZones
        var locations: [LocationView] = []
        var locationName = ""
        var locationAddress = ""
        var saved = false
        /// The email section (`OutboxHandlers.saveSettings`): reminder offsets in hours, reply-to.
        var email = EmailSettingsForm()
        /// Months after a customer's last booking when they are erased; empty: off (issue 19).
        var retentionMonths = ""
        var errors = FormErrors()
    }

    /// The settings page as stored, with `errors` (and the submitted location row's values) on top.
    func page(_ context: RequestContext, _ business: Business, _ nav: ManageNav, errors: FormErrors = FormErrors(),
              edited: (id: LocationID, name: String, address: String)? = nil,
              locations: [ManageCatalog.LocationRow]? = nil) throws -> Page {
        let rows = try locations ?? context.app.database.businessLocations(businessID: business.id)
        var page = Page(layout: try context.layout(title: "Settings — \(business.name)", withForm: true), nav: nav,
                        name: business.name, timezone: business.timeZone, currency: business.currency,
                        descriptionText: business.description)
        page.currencies = Option.list(Currency.codes.map { ($0, $0) }, selected: business.currency)
        page.locations = rows.map { row in
            let mine = edited?.id == row.id
            return LocationView(id: row.id, action: "\(nav.base)/locations/\(row.id)",
                                name: mine ? edited!.name : row.name, address: mine ? edited!.address : row.address,
                                usedBy: row.usedBy.isEmpty ? nil : row.usedBy.joined(separator: ", "),
                                nameError: errors["location_\(row.id)_name"], addressError: errors["location_\(row.id)_address"])
        }
        page.email = EmailSettingsForm(try context.app.database.emailSettings(businessID: business.id))
        page.retentionMonths = try context.app.database.retentionMonths(businessID: business.id).map(String.init) ?? ""
        page.errors = errors
        return page
    }

    func show(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        var page = try page(context, business, nav)
        page.saved = context.request.query["saved"] != nil
        return context.app.page("manage/settings", page)
    }

    func save(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        let form = try context.form()
        var errors = FormErrors()
        let name = ManageInput.name(form["name"], field: "name", what: "the name of your business", &errors)
        let zone = ManageInput.timeZone(form["timezone"], &errors)
        let currency = ManageInput.currency(form["currency"], &errors)
        let description = ManageInput.trimmed(form["description"])
        if description.count > 4000 { errors.add("description", "Use at most 4000 characters for the booking page text.") }
        if errors.isEmpty, let name, let zone, let currency {
            let actor = try context.auditActor()
            try context.app.database.updateBusinessSettings(business: business, name: name, timeZone: zone, currency: currency,
                                                            description: description, actor: actor, now: context.instant)
            return .redirect(to: nav.base + "/settings?saved=1")
        }
        var page = try page(context, business, nav, errors: errors)
        page.name = String((form["name"] ?? "").prefix(200))
        page.timezone = String((form["timezone"] ?? "").prefix(64))
        page.currency = String((form["currency"] ?? "").prefix(3))
        page.currencies = Option.list(Currency.codes.map { ($0, $0) }, selected: page.currency.uppercased())
        page.descriptionText = String(description.prefix(4000))
        return context.app.page("manage/settings", page, status: .unprocessable)
    }

    /// `POST /manage/{business}/settings/retention`: `retention_months` 1–120, or empty for off.
    func saveRetention(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        let form = try context.form()
        let text = ManageInput.trimmed(form["retention_months"])
        var months: Int?
        if !text.isEmpty {
            guard let value = Int(text), RetentionRules.months.contains(value) else {
                var errors = FormErrors()
                errors.add("retention_months", "Enter a whole number of months from 1 to 120, or leave it empty to keep customers.")
                var page = try page(context, business, nav, errors: errors)
                page.retentionMonths = String(text.prefix(10))
                return context.app.page("manage/settings", page, status: .unprocessable)
            }
            months = value
        }
        try context.app.database.setRetention(businessID: business.id, months: months, actor: try context.auditActor(), now: context.instant)
        return .redirect(to: nav.base + "/settings?saved=1#retention-heading")
    }

    // MARK: Audit

    struct AuditPage: Sendable {
        struct Row: Sendable {
            let seq: Int64
            let at: String
            let actor: String
            let action: String
            let subject: String
            let details: String
        }
        let layout: Layout
        let nav: ManageNav
        let intact: Bool
        let chain: String
        let action: String
        let rows: [Row]
    }

    func audit(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        let filter = String(ManageInput.trimmed(context.request.query["action"]).prefix(80))
        let trail = try context.app.database.auditTrail(businessID: business.id, action: filter)
        let (intact, chain): (Bool, String) = switch trail.verification {
        case .intact(let n): (true, "Intact: all \(n) entries check out.")
        case .broken(let seq, let reason): (false, "Broken at entry \(seq): \(reason).")
        }
        let page = AuditPage(layout: try context.layout(title: "Audit log — \(business.name)"), nav: nav, intact: intact, chain: chain,
                             action: filter, rows: trail.rows.map {
            AuditPage.Row(seq: $0.seq, at: RFC3339.format($0.at), actor: $0.actor, action: $0.action, subject: $0.subject,
                          details: $0.details)
        })
        return context.app.page("manage/audit", page)
    }
}
