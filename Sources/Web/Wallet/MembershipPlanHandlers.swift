import BookingCore
import Foundation
import HTTPServer
import Store

/// `/manage/{business}/memberships`: membership plans in the builder (issue 18): a price per month,
/// credits each period for named offers (rolled over up to a cap, or not), a discount on the other
/// offers, how long a member may pause and how they cancel.
struct MembershipPlanHandlers: Sendable {
    /// A plan with its rules and offers, and the forms that change its price and credits or archive it.
    struct Row: Sendable {
        let name: String
        let summary: String
        let offers: String
        let action: String
        let id: String
        let price: String
        let credits: String
    }

    struct Page: Sendable {
        let layout: Layout
        let nav: ManageNav
        let action: String
        let currency: String
        let publicPath: String
        let rows: [Row]
        let hasRows: Bool
        var offers: [WalletWords.OfferChoice]
        var name = ""
        var price = ""
        var credits = ""
        var rollover = false
        var rolloverCap = ""
        var discount = "0"
        var maxPause = "0"
        var noticeDays = ""
        var cancelAtEnd = true
        var errors = FormErrors()
    }

    private func page(_ context: RequestContext, _ business: Business, _ nav: ManageNav, checked: Set<String> = []) throws -> Page {
        let rows = try context.app.database.membershipPlans(businessID: business.id).map { plan in
            Row(name: plan.name, summary: WalletWords.planSummary(plan), offers: plan.offers.map(\.name).joined(separator: ", "),
                action: nav.base + "/memberships/\(plan.id)", id: String(plan.id),
                price: ManageInput.amount(plan.pricePerMonth, plan.currency), credits: String(plan.rules.creditsPerPeriod))
        }
        let offers = WalletWords.offerChoices(try context.app.database.liveOffers(businessID: business.id), checked: checked)
        return Page(layout: try context.layout(title: "Memberships — \(business.name)", withForm: true), nav: nav,
                    action: nav.base + "/memberships", currency: business.currency,
                    publicPath: "/b/\(PercentDecoding.encode(business.slug))/memberships", rows: rows, hasRows: !rows.isEmpty,
                    offers: offers)
    }

    func show(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        return context.app.page("wallet/memberships", try page(context, business, nav))
    }

    /// `POST /manage/{business}/memberships/{plan}/change` (fields `price`, `credits`): from each
    /// member's next month. Bad input is the page again with the sentence (422), nothing changed.
    func change(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        let plan = try Self.planID(context)
        let form = try context.form()
        var errors = FormErrors()
        let price = ManageInput.price(form["price"], currency: business.currency, &errors)
        let credits = ManageInput.integer(form["credits"], field: "credits", in: 1...1000, unit: "credits", &errors)
        guard errors.isEmpty, let price, let credits else {
            var page = try page(context, business, nav)
            page.errors = errors
            return context.app.page("wallet/memberships", page, status: .unprocessable)
        }
        try context.app.database.changeMembershipPlan(businessID: business.id, planID: plan, pricePerMonth: price, creditsPerPeriod: credits,
                                                      actor: try context.auditActor(), now: context.instant)
        return .redirect(to: nav.base + "/memberships")
    }

    /// `POST /manage/{business}/memberships/{plan}/archive`: no new subscribers; members carry on.
    func archive(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        try context.app.database.archiveMembershipPlan(businessID: business.id, planID: try Self.planID(context),
                                                       actor: try context.auditActor(), now: context.instant)
        return .redirect(to: nav.base + "/memberships")
    }

    private static func planID(_ context: RequestContext) throws -> Int64 {
        let text = try context.parameter("plan")
        guard text.count <= 18, let id = Int64(text), id > 0 else { throw MembershipFailure.notFound }
        return id
    }

    func create(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        let form = try context.form()
        var errors = FormErrors()
        let name = ManageInput.name(form["name"], field: "name", what: "a name for the membership", &errors)
        let price = ManageInput.price(form["price"], currency: business.currency, &errors)
        let credits = ManageInput.integer(form["credits"], field: "credits", in: 1...1000, unit: "credits", &errors)
        let rollover = form["rollover"] == "1"
        let cap = rollover ? ManageInput.integer(form["rollover_cap"], field: "rollover_cap", in: 0...1000, unit: "credits", &errors) : 0
        let discount = ManageInput.integer(form["discount"], field: "discount", in: 0...100, unit: "percent", &errors)
        let pause = ManageInput.integer(form["max_pause_months"], field: "max_pause_months", in: 0...12, unit: "months", &errors)
        let atEnd = form["cancel"] != "notice"
        let notice = atEnd ? nil : ManageInput.integer(form["notice_days"], field: "notice_days", in: 1...365, unit: "days", &errors)
        let offerIDs = form.all("offers").compactMap { OfferID($0) }
        if offerIDs.isEmpty { errors.add("offers", "Choose at least one offer the credits pay for.") }
        if errors.isEmpty, let name, let price, let credits, let cap, let discount, let pause, atEnd || notice != nil {
            do {
                try context.app.database.createMembershipPlan(
                    businessID: business.id,
                    NewMembershipPlan(name: name, pricePerMonth: price, creditsPerPeriod: credits, offerIDs: offerIDs, rollover: rollover,
                                      rolloverCap: cap, discountPercent: discount, maxPauseMonths: pause, cancelNoticeDays: notice),
                    actor: try context.auditActor(), now: context.instant)
                return .redirect(to: nav.base + "/memberships")
            } catch WalletFailure.invalid(let field, let message) {
                errors.add(field, message)
            }
        }
        var page = try page(context, business, nav, checked: Set(form.all("offers")))
        page.name = String(ManageInput.trimmed(form["name"]).prefix(120))
        page.price = String((form["price"] ?? "").prefix(20))
        page.credits = String((form["credits"] ?? "").prefix(10))
        page.rollover = rollover
        page.rolloverCap = String((form["rollover_cap"] ?? "").prefix(10))
        page.discount = String((form["discount"] ?? "").prefix(10))
        page.maxPause = String((form["max_pause_months"] ?? "").prefix(10))
        page.noticeDays = String((form["notice_days"] ?? "").prefix(10))
        page.cancelAtEnd = atEnd
        page.errors = errors
        return context.app.page("wallet/memberships", page, status: .unprocessable)
    }
}
