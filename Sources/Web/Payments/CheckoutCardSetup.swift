import BookingCore
import Foundation
import HTTPServer
import Outbound
import Store

/// The card step of a checkout that takes no money now but has a no-show fee (issue 16): the hold
/// gets a Stripe SetupIntent, the page collects the card with the Payment Element (`confirmSetup`),
/// and the hold becomes the booking once Stripe says the card is saved (this step, the redirect
/// back, or `setup_intent.succeeded`, whichever is first). Nothing is charged.
extension BookingPages {
    struct SaveCardPage: Sendable {
        let layout: Layout
        let summary: OrderSummary
        let fee: String
        let publishableKey: String
        let clientSecret: String
        let returnURL: String
        let cardAction: String
        let scriptURL: String
        let holdUntil: String
        let holdUntilISO: String
        let offerURL: String
        var message: String?
    }

    /// Keeps the details on the hold, makes (or reuses) its SetupIntent, and sends the customer to the card page.
    func askForCard(_ context: RequestContext, _ setup: HoldCardSetup, customer: CustomerDetails) throws -> Response {
        let (order, _, token) = try context.app.payments.startCardSetup(setup, customer: customer, now: context.instant)
        return .redirect(to: Self.holdPath(setup.business, order.publicID) + "/save-card?token=" + PercentDecoding.encode(token))
    }

    private struct CardStep {
        let parts: HoldParts
        let setup: HoldCardSetup
        let record: CardSetupRecord
        let token: String
    }

    /// The hold, its SetupIntent and the token the step was given; or the response that replaces the step.
    private func cardStep(_ context: RequestContext) throws -> (CardStep?, Response?) {
        let (found, other) = try holdStep(context) { parts in
            try context.app.database.holdCardSetup(business: parts.business, holdID: parts.order.publicID)
                .flatMap { setup in setup.setup.map { (setup, $0) } }
        }
        return (found.map { CardStep(parts: $0.parts, setup: $0.found.0, record: $0.found.1, token: $0.token) }, other)
    }

    private func saveCardPage(_ context: RequestContext, _ step: CardStep, message: String? = nil) throws -> SaveCardPage {
        let path = Self.holdPath(step.parts.business, step.parts.order.publicID)
        let expiry = step.parts.order.holdExpiresAt ?? context.instant
        let percent = try context.app.database.noShowFeePercent(businessID: step.parts.business.id,
                                                                versionID: step.parts.order.offerVersionID) ?? 0
        let fee = Policies.noShowCharge(total: step.parts.order.price.total, feePercent: percent)
        return SaveCardPage(layout: try context.layout(title: "Add a card — \(step.parts.order.offerName)", withForm: true),
                            summary: step.parts.summary, fee: BookingFormat.money(fee, step.parts.order.price.currency),
                            publishableKey: step.setup.account.publishableKey, clientSecret: step.record.clientSecret,
                            returnURL: context.app.publicOrigin(context) + path + "/save-card/return?token=" + PercentDecoding.encode(step.token),
                            cardAction: path + "/save-card?token=" + PercentDecoding.encode(step.token),
                            scriptURL: StripeClient.scriptURL(base: context.app.payments.settings.stripeBase),
                            holdUntil: step.parts.clock.local(expiry).time.description, holdUntilISO: RFC3339.format(expiry),
                            offerURL: step.parts.offerURL, message: message)
    }

    private func renderCard(_ context: RequestContext, _ page: SaveCardPage, status: HTTPStatus = .ok) -> Response {
        stripePage(context, "booking/save-card", page, scriptURL: page.scriptURL, status: status)
    }

    /// `GET /b/{business}/checkout/{hold}/save-card`: the card form.
    func saveCard(_ context: RequestContext) throws -> Response {
        let (found, other) = try cardStep(context)
        guard let found else { return other! }
        let message = found.record.status == .failed && !found.record.lastError.isEmpty
            ? "The last card did not work: \(found.record.lastError) Try again or use another card." : nil
        return renderCard(context, try saveCardPage(context, found, message: message))
    }

    /// `POST …/save-card` (field `payment_method`): the card collected by a Stripe.js without the
    /// Payment Element's `confirmSetup` (the test double's stand-in) is set up here.
    func saveCardWithCard(_ context: RequestContext) throws -> Response {
        let (found, other) = try cardStep(context)
        guard let found else { return other! }
        let method = ManageInput.trimmed(try context.form()["payment_method"])
        guard !method.isEmpty, method.count <= 255, method.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            return renderCard(context, try saveCardPage(context, found, message: "Enter your card details, then press Save the card."),
                              status: .unprocessable)
        }
        let stripe = try context.app.payments.client(found.setup.account)
        if let message = try Self.refusal({ () throws(StripeError) in
            _ = try stripe.post("/v1/setup_intents/\(found.record.stripeID)/confirm", [("payment_method", method)],
                                idempotencyKey: "bizing-setup-confirm-\(found.record.stripeID)-\(method)")
        }) {
            try context.app.database.recordCardSetupFailure(businessID: found.parts.business.id, stripeID: found.record.stripeID,
                                                            message: message, now: context.instant)
            return renderCard(context, try saveCardPage(context, found, message: "The card was not accepted: \(message) Nothing was booked yet; try another card."),
                              status: HTTPStatus(402))
        }
        return try settleCardOrRetry(context, found)
    }

    /// `GET …/save-card/return`: Stripe sends the customer back here after `confirmSetup`.
    func saveCardReturn(_ context: RequestContext) throws -> Response {
        let (found, other) = try cardStep(context)
        guard let found else { return other! }
        return try settleCardOrRetry(context, found)
    }

    private func settleCardOrRetry(_ context: RequestContext, _ found: CardStep) throws -> Response {
        let actor: Actor = try context.currentUser().map { .user($0.id) } ?? .guest
        let outcome = try context.app.payments.settleCardSetupFromStripe(business: found.parts.business, account: found.setup.account,
                                                                         stripeID: found.record.stripeID, now: context.instant, actor: actor)
        switch outcome {
        case .confirmed(let order, let token)?:
            return .redirect(to: "/bookings/\(PercentDecoding.encode(order.publicID))?token=" + PercentDecoding.encode(token))
        case .recorded(let order)? where order.status == .held || order.status == .expired:
            throw WebError.conflict("hold_expired", "Your hold ran out before the card was saved, so the time was released and nothing was booked. Please pick a time again.")
        case .alreadySettled?, .recorded?, .holdGone?:
            return .redirect(to: "/bookings/\(PercentDecoding.encode(found.parts.order.publicID))?token=" + PercentDecoding.encode(found.token))
        case nil:
            return renderCard(context, try saveCardPage(context, found, message: "The card has not been saved yet. Nothing was booked; enter your card and press Save the card."))
        }
    }
}

extension PaymentService {
    /// The hold keeps the customer's details and a fresh guest token (sealed beside the SetupIntent,
    /// for the confirmation the webhook may send), then gets its SetupIntent (made once per hold:
    /// the idempotency keys derive from the hold's id) for a Stripe customer with their email.
    func startCardSetup(_ setup: HoldCardSetup, customer: CustomerDetails, now: Instant) throws -> (order: OrderView, setup: CardSetupRecord, token: String) {
        let token = Tokens.secret()
        let order = try database.askForPayment(business: setup.business, holdID: setup.order.publicID, customer: customer, dueNow: 0,
                                               tokenHash: Tokens.hash(token), now: now)
        var record: CardSetupRecord
        if let existing = setup.setup {
            record = existing
        } else {
            do {
                let stripe = try client(setup.account)
                let key = "bizing-setup-\(order.publicID)"
                let stripeCustomer = try stripe.post("/v1/customers", [("email", customer.email), ("metadata[booking]", order.publicID)],
                                                     idempotencyKey: key + "-customer").id
                let created = try stripe.post("/v1/setup_intents", [
                    ("customer", stripeCustomer), ("usage", "off_session"), ("payment_method_types[0]", "card"),
                    ("metadata[booking]", order.publicID), ("metadata[business]", setup.business.slug),
                ], idempotencyKey: key)
                record = CardSetupRecord(stripeID: created.id, clientSecret: created[string: "client_secret"] ?? "", stripeCustomer: stripeCustomer,
                                         paymentMethod: nil, status: .open, lastError: "", accessTokenSealed: nil)
            } catch let error as StripeError {
                throw WebError(.serviceUnavailable, code: "payments_unavailable",
                               "The payment service could not be reached just now, so no card was saved (\(error.description)). Please try again in a minute.")
            }
        }
        try database.recordCardSetup(businessID: setup.business.id, orderID: order.id, stripeID: record.stripeID, clientSecret: record.clientSecret,
                                     stripeCustomer: record.stripeCustomer, accessTokenSealed: try settings.box.seal(token), now: now)
        return (order, record, token)
    }

    /// Asks Stripe how the SetupIntent stands and records a success (the card step, the redirect back).
    func settleCardSetupFromStripe(business: Business, account: PaymentAccount, stripeID: String, now: Instant, actor: Actor) throws -> PaymentSettlement? {
        let setup = try fetch(account, "/v1/setup_intents/" + stripeID, asking: "whether the card was saved")
        guard setup[string: "status"] == "succeeded", let method = setup.reference("payment_method") else { return nil }
        return try database.settleCardSetup(business: business, stripeID: stripeID, paymentMethod: method, eventID: nil, box: settings.box,
                                            now: now, actor: actor)
    }
}
