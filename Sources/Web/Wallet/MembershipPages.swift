import BookingCore
import Foundation
import HTTPServer
import Store

/// Memberships on the public site, in the customer's wallet and at the front desk (issue 18).
/// `/b/{business}/memberships` lists the plans; a signed-in customer subscribes there (the membership
/// starts once the first month is paid: by card when the business has Stripe, else at the venue). The member pauses, resumes and cancels from
/// `/account/wallet`; staff sign customers up, record months paid and do the same from the staff wallet.
struct MembershipPages: Sendable {
    struct Plan: Sendable {
        let id: String
        let name: String
        let summary: String
        let offers: String
    }

    struct PublicPage: Sendable {
        let layout: Layout
        let businessName: String
        let action: String
        let plans: [Plan]
        let hasPlans: Bool
        let signedIn: Bool
        let logInURL: String
        /// Stripe connected: the first month by card now, then the saved card each month.
        let byCard: Bool
    }

    /// `GET /b/{business}/memberships`.
    func list(_ context: RequestContext) throws -> Response {
        let slug = try context.parameter("business")
        guard let business = try context.app.database.business(slug: slug) else { throw WebError.notFound() }
        let plans = try context.app.database.membershipPlans(businessID: business.id).map {
            Plan(id: String($0.id), name: $0.name, summary: WalletWords.planSummary($0), offers: $0.offers.map(\.name).joined(separator: ", "))
        }
        let path = "/b/\(PercentDecoding.encode(business.slug))/memberships"
        let signedIn = try context.currentUser() != nil
        return context.app.page("wallet/membership-plans", PublicPage(
            layout: try context.layout(title: "Memberships — \(business.name)", withForm: signedIn), businessName: business.name,
            action: path, plans: plans, hasPlans: !plans.isEmpty, signedIn: signedIn,
            logInURL: "/login?next=" + PercentDecoding.encode(path),
            byCard: try context.app.database.paymentAccount(businessID: business.id) != nil))
    }

    /// `POST /b/{business}/memberships/{plan}`: the signed-in customer subscribes. With Stripe
    /// connected, on to the card form for the first month (the membership starts once it is paid);
    /// otherwise to their wallet, the first month to be paid at the venue.
    func subscribe(_ context: RequestContext) throws -> Response {
        let user = try context.requireUser()
        guard let business = try context.app.database.business(slug: try context.parameter("business")),
              let plan = Int64(try context.parameter("plan")) else { throw WebError.notFound() }
        if let account = try context.app.database.paymentAccount(businessID: business.id) {
            guard let charge = try context.app.database.subscribeByCard(businessID: business.id, planID: plan, userID: user.id,
                                                                        now: context.instant) else { return .redirect(to: "/account/wallet") }
            try context.app.payments.startMembershipPayment(charge, account: account, business: business, now: context.instant)
            return .redirect(to: MembershipPayPages.path(charge.membershipID))
        }
        try context.app.database.subscribe(businessID: business.id, planID: plan, userID: user.id, actor: "user:\(user.id)",
                                           now: context.instant)
        return .redirect(to: "/account/wallet")
    }

    /// `POST /account/wallet/memberships/{id}/{pause|resume|cancel}`: the member's own membership.
    func memberChange(_ context: RequestContext, _ action: String) throws -> Response {
        let user = try context.requireUser()
        guard let id = Int64(try context.parameter("id")),
              let member = try context.app.database.memberships(userID: user.id, now: context.instant).first(where: { $0.id == id }) else {
            throw WebError.notFound("We could not find that membership.")
        }
        let open = action == "cancel" && member.state == .pending
            ? try context.app.database.openMembershipCharge(businessID: member.businessID, membershipID: id, userID: user.id) : nil
        try apply(context, action, businessID: member.businessID, id: id, userID: user.id, actor: "user:\(user.id)")
        MembershipPayPages.cancelIntent(context, open, businessID: member.businessID)
        return .redirect(to: "/account/wallet")
    }

    /// `POST /staff/{business}/wallet/memberships/{id}/{pay|pause|resume|cancel}`: back to the customer's wallet.
    func staffChange(_ context: RequestContext, _ action: String) throws -> Response {
        let (business, _, _) = try context.managedBusiness()
        guard let id = Int64(try context.parameter("id")) else { throw WebError.notFound("We could not find that membership.") }
        let actor = try context.auditActor()
        if action == "pay" {
            let form = try context.form()
            guard let payment = PackagePayment(rawValue: form["payment"] ?? ""), payment != .card else {
                throw WebError.unprocessable("invalid_payment", "Choose how the customer paid: at the venue or in cash.", field: "payment")
            }
            try context.app.database.recordMembershipPayment(businessID: business.id, membershipID: id, payment: payment, actor: actor,
                                                             now: context.instant)
        } else {
            try apply(context, action, businessID: business.id, id: id, userID: nil, actor: actor)
        }
        let email = try context.app.database.membershipHolderEmail(businessID: business.id, membershipID: id) ?? ""
        return .redirect(to: "/staff/\(PercentDecoding.encode(business.slug))/wallet?email=" + PercentDecoding.encode(email))
    }

    private func apply(_ context: RequestContext, _ action: String, businessID: BusinessID, id: Int64, userID: UserID?, actor: String) throws {
        let database = context.app.database
        switch action {
        case "pause":
            guard let months = Int(ManageInput.trimmed(try context.form()["months"])) else {
                throw WebError.unprocessable("invalid_months", "Choose how many months to pause for.", field: "months")
            }
            try database.pauseMembership(businessID: businessID, membershipID: id, userID: userID, months: months, actor: actor,
                                         now: context.instant)
        case "resume":
            try database.resumeMembership(businessID: businessID, membershipID: id, userID: userID, actor: actor, now: context.instant)
        default:
            try database.cancelMembership(businessID: businessID, membershipID: id, userID: userID, actor: actor, now: context.instant)
        }
    }

    /// `POST /staff/{business}/wallet/memberships`: signs a customer up at the venue, the first month paid.
    func signUp(_ context: RequestContext, pages: WalletPages) throws -> Response {
        let (business, _, _) = try context.managedBusiness()
        let form = try context.form()
        let email = ManageInput.trimmed(form["member_email"])
        var errors = FormErrors()
        let normalized = Validation.normalizedEmail(email)
        if normalized == nil { errors.add("member_email", "Enter the customer's email address, like name@example.com.") }
        let plan = Int64(ManageInput.trimmed(form["plan"]))
        if plan == nil { errors.add("plan", "Choose a membership.") }
        let payment = PackagePayment(rawValue: form["member_payment"] ?? "")
        if payment == nil || payment == .card { errors.add("member_payment", "Choose how the customer paid: at the venue or in cash.") }
        if errors.isEmpty, let normalized, let plan, let payment {
            do {
                try context.app.database.signUpMember(businessID: business.id, planID: plan, customerEmail: normalized, payment: payment,
                                                      actor: try context.auditActor(), now: context.instant)
                return .redirect(to: "/staff/\(PercentDecoding.encode(business.slug))/wallet?email=" + PercentDecoding.encode(normalized))
            } catch WalletFailure.customerNotFound {
                errors.add("member_email", "No customer has an account with that email. Ask them to sign up first.")
            } catch MembershipFailure.notFound {
                errors.add("plan", "Choose one of the listed memberships.")
            } catch MembershipFailure.alreadyMember {
                errors.add("plan", "This customer already has this membership.")
            }
        }
        return try pages.refused(context, business, email: email, errors: errors)
    }
}

extension App {
    /// Memberships' pages (issue 18); called from `addWalletRoutes`.
    static func addMembershipRoutes(to table: inout RouteTable, wallet: WalletPages) {
        let plans = MembershipPlanHandlers()
        table.add("GET", "/manage/:business/memberships", requires: .permission(.serviceTemplateManage), plans.show)
        table.add("POST", "/manage/:business/memberships", requires: .permission(.serviceTemplateManage), plans.create)
        table.add("POST", "/manage/:business/memberships/:plan/change", requires: .permission(.serviceTemplateManage), plans.change)
        table.add("POST", "/manage/:business/memberships/:plan/archive", requires: .permission(.serviceTemplateManage), plans.archive)
        let pages = MembershipPages()
        table.add("GET", "/b/:business/memberships", pages.list)
        table.add("POST", "/b/:business/memberships/:plan", requires: .signedIn, pages.subscribe)
        for action in ["pause", "resume", "cancel"] {
            table.add("POST", "/account/wallet/memberships/:id/\(action)", requires: .signedIn) { try pages.memberChange($0, action) }
        }
        let card = MembershipPayPages()
        table.add("GET", "/account/wallet/memberships/:id/pay", requires: .signedIn, card.show)
        table.add("POST", "/account/wallet/memberships/:id/pay", requires: .signedIn, card.open)
        table.add("GET", "/account/wallet/memberships/:id/return", requires: .signedIn, card.paymentReturn)
        table.add("POST", "/account/wallet/memberships/:id/card", requires: .signedIn, card.payWithCard)
        table.add("POST", "/staff/:business/wallet/memberships", requires: .permission(.bookingViewOrg)) { try pages.signUp($0, pages: wallet) }
        for action in ["pay", "pause", "resume", "cancel"] {
            table.add("POST", "/staff/:business/wallet/memberships/:id/\(action)", requires: .permission(.bookingViewOrg)) {
                try pages.staffChange($0, action)
            }
        }
    }
}
