import BookingCore
import Foundation
import HTTPServer
import Logging
import Outbound
import Store

/// The payment step of checkout (issue 16): after the details, a hold that asks for money gets its
/// PaymentIntent and a page with Stripe's Payment Element; the hold becomes a booking only when
/// Stripe says the payment succeeded (the redirect back here, or the webhook, whichever is first).
extension BookingPages {
    struct PayPage: Sendable {
        let layout: Layout
        let summary: OrderSummary
        let amount: String
        let deposit: Bool
        let rest: String?
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

    static func holdPath(_ business: Business, _ holdID: String) -> String {
        "/b/\(PercentDecoding.encode(business.slug))/checkout/\(PercentDecoding.encode(holdID))"
    }

    /// Keeps the details on the hold, makes (or reuses) the hold's PaymentIntent, and sends the
    /// customer to the card page.
    func askForPayment(_ context: RequestContext, _ payment: HoldPayment, customer: CustomerDetails) throws -> Response {
        let (order, _, token) = try context.app.payments.startPayment(payment, customer: customer, now: context.instant)
        return .redirect(to: Self.holdPath(payment.business, order.publicID) + "/pay?token=" + PercentDecoding.encode(token))
    }

    private func payPage(_ context: RequestContext, _ parts: HoldParts, _ payment: HoldPayment, intent: PaymentIntentRecord,
                         token: String, message: String? = nil) throws -> PayPage {
        let path = Self.holdPath(parts.business, parts.order.publicID)
        let expiry = parts.order.holdExpiresAt ?? context.instant
        let currency = parts.order.price.currency
        return PayPage(layout: try context.layout(title: "Pay — \(parts.order.offerName)", withForm: true), summary: parts.summary,
                       amount: BookingFormat.money(payment.dueNow, currency), deposit: payment.dueNow < parts.order.price.total,
                       rest: payment.dueNow < parts.order.price.total ? BookingFormat.money(parts.order.price.total - payment.dueNow, currency) : nil,
                       publishableKey: payment.account.publishableKey, clientSecret: intent.clientSecret,
                       returnURL: context.app.publicOrigin(context) + path + "/return?token=" + PercentDecoding.encode(token),
                       cardAction: path + "/card?token=" + PercentDecoding.encode(token),
                       scriptURL: StripeClient.scriptURL(base: context.app.payments.settings.stripeBase),
                       holdUntil: parts.clock.local(expiry).time.description, holdUntilISO: RFC3339.format(expiry),
                       offerURL: parts.offerURL, message: message)
    }

    private func render(_ context: RequestContext, _ page: PayPage, status: HTTPStatus = .ok) -> Response {
        stripePage(context, "booking/pay", page, scriptURL: page.scriptURL, status: status)
    }

    /// A page a script from Stripe's origin runs on (paying, saving a card): the CSP names that origin too.
    func stripePage(_ context: RequestContext, _ template: String, _ page: some Sendable, scriptURL: String, status: HTTPStatus = .ok) -> Response {
        var response = context.app.page(template, page, status: status)
        let stripeOrigin = StripeClient.origin(of: scriptURL)
        let apiOrigin = StripeClient.origin(of: context.app.payments.settings.stripeBase)
        response.headers.set("Content-Security-Policy",
                             "default-src 'self'; script-src 'self' \(stripeOrigin); style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; "
                             + "frame-src \(stripeOrigin) https://hooks.stripe.com; connect-src 'self' \(stripeOrigin) \(apiOrigin); "
                             + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// The hold of a card step (paying, saving a card), the token the step was given and whether it
    /// is the hold's; or the response that replaces the step: the booking when Stripe's webhook
    /// confirmed it first, or the page saying the hold is gone.
    func stepHold(_ context: RequestContext) throws -> (parts: HoldParts, token: String, owns: Bool, response: Response?) {
        let parts = try loadHold(context)
        let token = context.request.query["token"] ?? ""
        let owns = !token.isEmpty && context.app.database.tokenMatches(business: parts.business, publicID: parts.order.publicID, token: token)
        if parts.order.status != .held, owns {
            return (parts, token, owns, .redirect(to: "/bookings/\(PercentDecoding.encode(parts.order.publicID))?token=" + PercentDecoding.encode(token)))
        }
        return (parts, token, owns, try goneResponse(context, parts))
    }

    private struct Step {
        let parts: HoldParts
        let payment: HoldPayment
        let intent: PaymentIntentRecord
        let token: String
    }

    /// The hold, its payment and intent, and the token the payment step was given; or the response
    /// that replaces the step (gone, nothing to pay, details first).
    private func step(_ context: RequestContext) throws -> (Step?, Response?) {
        let (found, other) = try holdStep(context) { parts in
            try context.app.database.holdPayment(business: parts.business, holdID: parts.order.publicID)
                .flatMap { payment in payment.intent.map { (payment, $0) } }
        }
        return (found.map { Step(parts: $0.parts, payment: $0.found.0, intent: $0.found.1, token: $0.token) }, other)
    }

    /// A step after checkout (the payment, the card): the hold, what `find` reads on it for the step,
    /// and the token the step was given; or the response that replaces the step (gone, already
    /// booked, or back to checkout when the hold is not this visitor's or has nothing for the step).
    func holdStep<Found>(_ context: RequestContext, find: (HoldParts) throws -> Found?) throws
        -> ((parts: HoldParts, found: Found, token: String)?, Response?) {
        let (parts, token, owns, other) = try stepHold(context)
        if let other { return (nil, other) }
        guard owns, let found = try find(parts) else { return (nil, .redirect(to: Self.holdPath(parts.business, parts.order.publicID))) }
        return ((parts, found, token), nil)
    }

    /// `GET /b/{business}/checkout/{hold}/pay`: the card form.
    func pay(_ context: RequestContext) throws -> Response {
        let (found, other) = try step(context)
        guard let found else { return other! }
        let message = found.intent.status == .failed && !found.intent.lastError.isEmpty
            ? "The last attempt did not go through: \(found.intent.lastError) Try again or use another card." : nil
        return render(context, try payPage(context, found.parts, found.payment, intent: found.intent, token: found.token, message: message))
    }

    /// `GET …/return`: Stripe sends the customer back here; the booking is confirmed if Stripe says
    /// the payment succeeded (once, whether or not the webhook came first).
    func paymentReturn(_ context: RequestContext) throws -> Response {
        let (found, other) = try step(context)
        guard let found else { return other! }
        return try settleOrRetry(context, found, actor: try context.currentUser().map { .user($0.id) } ?? .guest)
    }

    /// `POST …/card` (field `payment_method`): the card collected by a Stripe.js without the Payment
    /// Element's `confirmPayment` (the test double's stand-in) is attached and confirmed here.
    func payWithCard(_ context: RequestContext) throws -> Response {
        let (found, other) = try step(context)
        guard let found else { return other! }
        let method = ManageInput.trimmed(try context.form()["payment_method"])
        guard !method.isEmpty, method.count <= 255, method.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            return render(context, try payPage(context, found.parts, found.payment, intent: found.intent, token: found.token,
                                               message: "Enter your card details, then press Pay."), status: .unprocessable)
        }
        let stripe = try context.app.payments.client(found.payment.account)
        if let message = try Self.refusal({ () throws(StripeError) in
            _ = try stripe.post("/v1/payment_intents/" + found.intent.stripeID, [("payment_method", method)])
            _ = try stripe.post("/v1/payment_intents/\(found.intent.stripeID)/confirm", [],
                                idempotencyKey: "bizing-confirm-\(found.intent.stripeID)-\(method)")
        }) {
            try context.app.database.recordPaymentFailure(businessID: found.parts.business.id, stripeID: found.intent.stripeID,
                                                          message: message, eventID: nil, now: context.instant)
            return render(context, try payPage(context, found.parts, found.payment, intent: found.intent, token: found.token,
                                               message: "The payment did not go through: \(message) Nothing was booked yet; try another card."),
                          status: HTTPStatus(402))
        }
        return try settleOrRetry(context, found, actor: try context.currentUser().map { .user($0.id) } ?? .guest)
    }

    /// Runs `body`; Stripe's refusal (a declined card) is returned as its message, anything else thrown.
    static func refusal(_ body: () throws(StripeError) -> Void) throws -> String? {
        do {
            try body()
            return nil
        } catch {
            if case .refused(_, _, let message) = error { return message }
            throw error
        }
    }

    private func settleOrRetry(_ context: RequestContext, _ found: Step, actor: Actor) throws -> Response {
        let outcome = try context.app.payments.settleFromStripe(business: found.parts.business, account: found.payment.account,
                                                               stripeID: found.intent.stripeID, now: context.instant, actor: actor)
        let bookingPath = "/bookings/\(PercentDecoding.encode(found.parts.order.publicID))?token="
        switch outcome {
        case .confirmed(let order, let token)?:
            return .redirect(to: "/bookings/\(PercentDecoding.encode(order.publicID))?token=" + PercentDecoding.encode(token))
        case .alreadySettled?, .recorded?:
            return .redirect(to: bookingPath + PercentDecoding.encode(found.token))
        case .holdGone?:
            throw WebError.conflict("hold_expired", "Your hold ran out before the payment arrived, so the time was released and the payment refunded in full. Please pick a time again.")
        case nil:
            return render(context, try payPage(context, found.parts, found.payment, intent: found.intent, token: found.token,
                                               message: "The payment has not gone through yet. Nothing was booked; enter your card and press Pay."))
        }
    }
}
