import BookingCore
import Foundation
import HTTPServer
import Outbound
import Store

/// A membership paid by card (issue 18): `/account/wallet/memberships/{id}/pay` is the card form for
/// the first month (right after subscribing) or a month whose renewal was declined (`POST …/pay`
/// opens it from the wallet). Stripe sends the member back to `…/return`; the stand-in Stripe.js
/// posts the card to `…/card`. The month is granted once, whether the return page or the webhook
/// comes first; the card is kept to charge the next months.
struct MembershipPayPages: Sendable {
    struct PayPage: Sendable {
        let layout: Layout
        let name: String
        let businessName: String
        let amount: String
        let firstMonth: Bool
        let publishableKey: String
        let clientSecret: String
        let returnURL: String
        let cardAction: String
        let cancelAction: String
        let scriptURL: String
        let message: String?
    }

    static func path(_ id: Int64) -> String { "/account/wallet/memberships/\(id)/pay" }

    /// The signed-in member's own membership (any business); anyone else's is 404.
    private func own(_ context: RequestContext) throws -> (User, MembershipInfo) {
        let user = try context.requireUser()
        guard let id = Int64(try context.parameter("id")),
              let member = try context.app.database.memberships(userID: user.id, now: context.instant).first(where: { $0.id == id }) else {
            throw WebError.notFound("We could not find that membership.")
        }
        return (user, member)
    }

    /// The member's open card payment with the business's Stripe account, its intent made; nil when
    /// there is nothing to pay by card now.
    private func payable(_ context: RequestContext) throws -> (MembershipInfo, MembershipCharge, PaymentAccount)? {
        let (user, member) = try own(context)
        guard let account = try context.app.database.paymentAccount(businessID: member.businessID),
              var charge = try context.app.database.openMembershipCharge(businessID: member.businessID, membershipID: member.id, userID: user.id),
              let business = try context.app.database.business(id: member.businessID) else { return nil }
        if charge.stripeIntent == nil {
            try context.app.payments.startMembershipPayment(charge, account: account, business: business, now: context.instant)
            charge = try context.app.database.openMembershipCharge(businessID: member.businessID, membershipID: member.id, userID: user.id) ?? charge
        }
        return (member, charge, account)
    }

    private func page(_ context: RequestContext, _ member: MembershipInfo, _ charge: MembershipCharge, _ account: PaymentAccount,
                      message: String?, status: HTTPStatus = .ok) throws -> Response {
        let path = Self.path(member.id)
        let scriptURL = StripeClient.scriptURL(base: context.app.payments.settings.stripeBase)
        let first = member.state == .pending
        let page = PayPage(layout: try context.layout(title: "Pay — \(member.plan.name)", withForm: true), name: member.plan.name,
                           businessName: member.businessName, amount: Currency.format(charge.amount, charge.currency), firstMonth: first,
                           publishableKey: account.publishableKey, clientSecret: charge.clientSecret,
                           returnURL: context.app.publicOrigin(context) + String(path.dropLast("/pay".count)) + "/return",
                           cardAction: String(path.dropLast("/pay".count)) + "/card",
                           cancelAction: String(path.dropLast("/pay".count)) + "/cancel", scriptURL: scriptURL, message: message)
        return BookingPages().stripePage(context, "wallet/membership-pay", page, scriptURL: scriptURL, status: status)
    }

    /// `GET /account/wallet/memberships/{id}/pay`: the card form; the wallet when nothing is to pay.
    func show(_ context: RequestContext) throws -> Response {
        guard let (member, charge, account) = try payable(context) else { return .redirect(to: "/account/wallet") }
        let message = charge.lastError.isEmpty ? nil : "The last attempt did not go through: \(charge.lastError) Try again or use another card."
        return try page(context, member, charge, account, message: message)
    }

    /// `POST /account/wallet/memberships/{id}/pay`: the member pays the month due by card (a renewal
    /// that was declined); on to the card form.
    func open(_ context: RequestContext) throws -> Response {
        let (user, member) = try own(context)
        guard try context.app.database.paymentAccount(businessID: member.businessID) != nil else {
            throw MembershipFailure.refused("\(member.businessName) does not take payments online: pay at the venue.")
        }
        _ = try context.app.database.payMembershipByCard(businessID: member.businessID, membershipID: member.id, userID: user.id,
                                                         now: context.instant)
        return .redirect(to: Self.path(member.id))
    }

    /// `GET …/return`: Stripe sends the member back here; granted if Stripe says the payment
    /// succeeded (once, whether or not the webhook came first).
    func paymentReturn(_ context: RequestContext) throws -> Response {
        guard let (member, charge, account) = try payable(context) else { return .redirect(to: "/account/wallet") }
        return try settleOrRetry(context, member, charge, account)
    }

    /// `POST …/card` (field `payment_method`): the card of a Stripe.js without `confirmPayment` (the
    /// test double's stand-in) is attached to the intent and confirmed here.
    func payWithCard(_ context: RequestContext) throws -> Response {
        guard let (member, charge, account) = try payable(context) else { return .redirect(to: "/account/wallet") }
        let method = ManageInput.trimmed(try context.form()["payment_method"])
        guard !method.isEmpty, method.count <= 255, method.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            return try page(context, member, charge, account, message: "Enter your card details, then press Pay.", status: .unprocessable)
        }
        if let refused = try context.app.payments.confirmCard(intent: charge.stripeIntent, account: account, paymentMethod: method) {
            try context.app.database.recordMembershipChargeFailure(businessID: member.businessID, stripeID: charge.stripeIntent ?? "",
                                                                   message: refused, eventID: nil, now: context.instant)
            return try page(context, member, charge, account,
                            message: "The payment did not go through: \(refused) Nothing was charged or added to your wallet; try another card.",
                            status: HTTPStatus(402))
        }
        return try settleOrRetry(context, member, charge, account)
    }

    private func settleOrRetry(_ context: RequestContext, _ member: MembershipInfo, _ charge: MembershipCharge,
                               _ account: PaymentAccount) throws -> Response {
        let actor = try context.currentUser().map { Actor.user($0.id) } ?? .guest
        guard try context.app.payments.settleMembershipFromStripe(charge, account: account, now: context.instant, actor: actor) != nil else {
            return try page(context, member, charge, account,
                            message: "The payment has not gone through yet. Nothing was added to your wallet; enter your card and press Pay.")
        }
        return .redirect(to: "/account/wallet")
    }

    /// After a pending card membership is abandoned: its open intent is cancelled at Stripe, so it
    /// can no longer take the money (best effort: a later payment is recorded, never granted).
    static func cancelIntent(_ context: RequestContext, _ charge: MembershipCharge?, businessID: BusinessID) {
        guard let intent = charge?.stripeIntent, let account = try? context.app.database.paymentAccount(businessID: businessID),
              let stripe = try? context.app.payments.client(account) else { return }
        _ = try? stripe.post("/v1/payment_intents/\(intent)/cancel", idempotencyKey: "bizing-cancel-\(intent)")
    }
}
