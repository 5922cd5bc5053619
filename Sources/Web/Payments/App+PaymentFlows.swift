import BookingCore
import HTTPServer
import Logging
import Foundation
import Outbound
import Store

// The request-path payment flows (issue 16): a cancellation's refund, an API hold's payment, a
// no-show fee, a reschedule's difference, each calling Stripe after the Store has recorded the change.

extension App {
    /// Cancels (Store) and, when the booking was paid through Stripe, refunds through Stripe what the
    /// cancellation gives. A refund Stripe does not make now is logged; `payments reconcile` shows it.
    func cancelBooking(_ context: RequestContext, business: Business, publicID: String, reason: String, actor: Actor,
                       byBusiness: Bool) throws -> Cancellation {
        let cancellation = try database.cancelBooking(business: business, publicID: publicID, reason: reason, now: context.instant,
                                                      actor: actor, byBusiness: byBusiness)
        if let due = cancellation.stripeRefund {
            do {
                guard let account = try database.paymentAccount(businessID: business.id) else { return cancellation }
                try payments.refund(business: business, account: account, due: due,
                                    note: byBusiness ? "cancelled by the business: full refund" : "\(due.percent)% per cancellation policy",
                                    now: context.instant)
            } catch {
                refundFailed(context, business: business, due: due, error: error)
            }
        }
        return cancellation
    }
}

extension App {
    /// An API hold of an offer paid online: its PaymentIntent is made at once (the customer's email
    /// is in the request) and the answer carries `payment.status` `requires_payment` and the client secret.
    func apiPayment(_ context: RequestContext, business: Business, hold: OrderView, customer: CustomerDetails,
                    mask: APIMask?) throws -> Response? {
        guard let payment = try database.holdPayment(business: business, holdID: hold.publicID) else { return nil }
        let (order, intent, token) = try payments.startPayment(payment, customer: customer, now: context.instant)
        return .json(APIModels.bookingBody(order, mask: mask, manageURL: context.manageURL(order, token: token),
                                           clientSecret: intent.clientSecret),
                     status: .created)
    }

    /// `POST /api/v1/holds/{id}/confirm` of a hold paid online: Stripe is asked; a succeeded payment
    /// confirms it (once); otherwise 409 `payment_required`. Nil when the hold takes no payment.
    func settleAPIHold(_ context: RequestContext, business: Business, holdID: String, actor: Actor) throws -> (order: OrderView, token: String?)? {
        guard let payment = try database.holdPayment(business: business, holdID: holdID), payment.order.paymentDue > 0 else { return nil }
        guard let intent = payment.intent else { throw BookingFailure.paymentRequired }
        switch try payments.settleFromStripe(business: business, account: payment.account, stripeID: intent.stripeID,
                                             now: context.instant, actor: actor) {
        case .confirmed(let order, let token)?: return (order, token)
        case .alreadySettled(let order)?, .recorded(let order)?:
            guard order.status != .held else { throw BookingFailure.paymentRequired }
            return (order, nil)
        case .holdGone?: throw BookingFailure.holdExpired
        case nil: throw BookingFailure.paymentRequired
        }
    }
}

extension App {
    /// After a no-show: the version's fee, less what was paid, charged off-session to the card saved
    /// at booking. A decline is kept for staff (payments page) and emailed to the owners.
    /// A refund Stripe did not make: owed, kept for staff (payments page, the booking's staff page),
    /// emailed to the owners, and reported by `payments reconcile` until it is made.
    func refundFailed(_ context: RequestContext, business: Business, due: StripeRefundDue, error: any Error) {
        let message: String
        if case StripeError.refused(_, _, let text) = error { message = text } else { message = "\(error)" }
        logger.error("stripe: refund of \(due.amount) on \(due.paymentIntent) failed: \(message)")
        try? database.recordChargeFailure(business: business, orderID: due.orderID,
                                          reference: "bizing-refund-\(due.paymentIntent)-\(due.amount)-\(due.percent)", purpose: .refund,
                                          amount: due.amount, currency: due.currency,
                                          message: "Refund of \(BookingFormat.money(due.amount, due.currency)) not made: \(message)",
                                          now: context.instant)
    }

    /// Moves a booking (Store), then charges the no-show fee when the move was to no-show.
    func transition(_ context: RequestContext, business: Business, publicID: String, to next: BookingStatus, actor: Actor) throws -> OrderView {
        let order = try database.transition(business: business, publicID: publicID, to: next, now: context.instant, actor: actor)
        guard next == .noShow, let percent = try database.noShowFeePercent(businessID: business.id, versionID: order.offerVersionID) else {
            return order
        }
        chargeNoShowFee(context, business: business, order: order, feePercent: percent)
        return try database.order(businessID: business.id, publicID: publicID) ?? order
    }

    func chargeNoShowFee(_ context: RequestContext, business: Business, order: OrderView, feePercent: Int) {
        let fee = PaymentRules.noShowFeeOwed(total: order.price.total, feePercent: feePercent, paid: order.paid)
        chargeOffSession(context, business: business, order: order, amount: fee, purpose: .noShowFee,
                         key: "bizing-noshow-\(order.publicID)-\(fee)", what: "No-show fee")
    }

    /// Moves a booking (Store, which re-prices it at the new time when the owner says so); the
    /// online payment then follows the new price: the difference is charged to the saved card, or refunded.
    func reschedule(_ context: RequestContext, business: Business, publicID: String, start: Instant, actor: Actor,
                    rules: Bookings.RescheduleRules, scope: LocationScope = .everywhere) throws -> OrderView {
        let order = try database.reschedule(business: business, publicID: publicID, start: start, now: context.instant, actor: actor, rules: rules,
                                            scope: scope)
        return try settleMove(context, business: business, publicID: publicID, order: order)
    }

    /// Moves a rental to new dates (Store re-checks and re-prices it for the new length); the online
    /// payment then follows the new price as for any move.
    func rescheduleRental(_ context: RequestContext, business: Business, publicID: String, dates: RentalDates, actor: Actor,
                          rules: Bookings.RescheduleRules, scope: LocationScope = .everywhere) throws -> OrderView {
        let order = try database.rescheduleRental(business: business, publicID: publicID, dates: dates, now: context.instant, actor: actor,
                                                  rules: rules, scope: scope)
        return try settleMove(context, business: business, publicID: publicID, order: order)
    }

    /// After a move: under "charge the difference", the difference is charged to the saved card, or refunded.
    private func settleMove(_ context: RequestContext, business: Business, publicID: String, order: OrderView) throws -> OrderView {
        guard let account = try database.paymentAccount(businessID: business.id), account.reschedulePricing == .chargeDifference,
              let paid = try database.paidIntent(businessID: business.id, orderID: order.id) else { return order }
        let due = PaymentRules.dueNow(order.price, onlinePayments: true)
        let difference = PaymentRules.rescheduleDifference(oldTotal: order.paid, newTotal: due, policy: account.reschedulePricing)
        // Each move is its own charge or refund at Stripe: the same amount moved back and forth is
        // not the first move's answer again (the move's moment is part of the idempotency key).
        let move = "moved-\(context.instant)"
        if difference > 0 {
            chargeOffSession(context, business: business, order: order, amount: difference, purpose: .reschedule,
                             key: "bizing-reschedule-\(order.publicID)-\(order.start)-\(difference)-\(move)", what: "Reschedule difference")
        } else if difference < 0 {
            let due = StripeRefundDue(orderID: order.id, paymentIntent: paid.stripeID, amount: -difference,
                                      currency: order.price.currency, percent: 0, occasion: move)
            do {
                try payments.refund(business: business, account: account, due: due, note: "rescheduled to a lower price", now: context.instant)
            } catch {
                refundFailed(context, business: business, due: due, error: error)
            }
        }
        return try database.order(businessID: business.id, publicID: publicID) ?? order
    }

    /// Charges `amount` off-session to the card saved with the booking (with its payment, or by a
    /// SetupIntent when nothing was due at booking). A decline is kept
    /// for staff (payments page, the booking's staff page) and emailed to the owners.
    func chargeOffSession(_ context: RequestContext, business: Business, order: OrderView, amount: Int64,
                          purpose: PaymentIntentRecord.Purpose, key: String, what: String) {
        guard amount > 0, let account = try? database.paymentAccount(businessID: business.id),
              let card = try? database.savedCard(businessID: business.id, orderID: order.id) else { return }
        let method = card.paymentMethod, customer = card.stripeCustomer
        do {
            let stripe = try payments.client(account)
            let intent = try stripe.post("/v1/payment_intents", [
                ("amount", String(amount)), ("currency", order.price.currency.lowercased()), ("customer", customer),
                ("payment_method", method), ("confirm", "true"), ("off_session", "true"),
                ("metadata[booking]", order.publicID), ("metadata[purpose]", purpose.rawValue),
            ], idempotencyKey: key)
            try database.recordPaymentIntent(businessID: business.id, orderID: order.id, stripeID: intent.id,
                                             clientSecret: intent[string: "client_secret"] ?? "", purpose: purpose, amount: amount,
                                             currency: order.price.currency, stripeCustomer: customer, paymentMethod: method,
                                             accessTokenSealed: nil, now: context.instant)
            if intent[string: "status"] == "succeeded" {
                _ = try payments.settle(business: business, account: account, intent: intent, eventID: nil, now: context.instant, actor: .system)
            }
        } catch {
            let message: String
            if case StripeError.refused(_, _, let text) = error { message = text } else { message = "\(error)" }
            logger.error("stripe: \(what) on \(order.publicID) failed: \(message)")
            try? database.recordChargeFailure(business: business, orderID: order.id, reference: key, purpose: purpose, amount: amount,
                                              currency: order.price.currency,
                                              message: "\(what) of \(BookingFormat.money(amount, order.price.currency)) declined: \(message)",
                                              now: context.instant)
        }
    }
}
