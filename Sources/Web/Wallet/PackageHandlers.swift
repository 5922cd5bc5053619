import BookingCore
import Foundation
import HTTPServer
import Store

/// `/manage/{business}/packages`: packages of credits in the builder (issue 18): N credits valid for
/// named offers, for D days from purchase, shareable within the buyer's household or not.
struct PackageHandlers: Sendable {
    struct Row: Sendable {
        let name: String
        let summary: String
        let offers: String
    }

    struct Page: Sendable {
        let layout: Layout
        let nav: ManageNav
        let action: String
        let currency: String
        let rows: [Row]
        let hasRows: Bool
        var offers: [WalletWords.OfferChoice]
        var name = ""
        var credits = ""
        var validDays = ""
        var price = ""
        var shareable = false
        var errors = FormErrors()
    }

    private func page(_ context: RequestContext, _ business: Business, _ nav: ManageNav, checked: Set<String> = []) throws -> Page {
        let rows = try context.app.database.packages(businessID: business.id).map { package in
            Row(name: package.name,
                summary: "\(package.credits) credits, valid \(package.validDays) days, \(Currency.format(package.price, package.currency))"
                    + (package.shareable ? ", shareable within a household" : ", for the buyer only"),
                offers: package.offers.map(\.name).joined(separator: ", "))
        }
        let offers = WalletWords.offerChoices(try context.app.database.liveOffers(businessID: business.id), checked: checked)
        return Page(layout: try context.layout(title: "Packages — \(business.name)", withForm: true), nav: nav,
                    action: nav.base + "/packages", currency: business.currency, rows: rows, hasRows: !rows.isEmpty, offers: offers)
    }

    func show(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        return context.app.page("wallet/packages", try page(context, business, nav))
    }

    func create(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        let form = try context.form()
        var errors = FormErrors()
        let name = ManageInput.name(form["name"], field: "name", what: "a name for the package", &errors)
        let credits = ManageInput.integer(form["credits"], field: "credits", in: 1...1000, unit: "credits", &errors)
        let days = ManageInput.integer(form["valid_days"], field: "valid_days", in: 1...3660, unit: "days", &errors)
        let price = ManageInput.price(form["price"], currency: business.currency, &errors)
        let offerIDs = form.all("offers").compactMap { OfferID($0) }
        if offerIDs.isEmpty { errors.add("offers", "Choose at least one offer the credits pay for.") }
        if errors.isEmpty, let name, let credits, let days, let price {
            do {
                try context.app.database.createPackage(
                    businessID: business.id,
                    NewPackage(name: name, credits: credits, validDays: days, price: price, shareable: form["shareable"] == "1",
                               offerIDs: offerIDs),
                    actor: try context.auditActor(), now: context.instant)
                return .redirect(to: nav.base + "/packages")
            } catch WalletFailure.invalid(let field, let message) {
                errors.add(field, message)
            }
        }
        var page = try page(context, business, nav, checked: Set(form.all("offers")))
        page.name = String(ManageInput.trimmed(form["name"]).prefix(120))
        page.credits = String((form["credits"] ?? "").prefix(10))
        page.validDays = String((form["valid_days"] ?? "").prefix(10))
        page.price = String((form["price"] ?? "").prefix(20))
        page.shareable = form["shareable"] == "1"
        page.errors = errors
        return context.app.page("wallet/packages", page, status: .unprocessable)
    }
}
