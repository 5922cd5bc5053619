import BookingCore
import Foundation
import HTTPServer
import Logging
import Outbound
import Store

/// The money part of the staff booking page (issue 16): disputes the customer's bank opened, and
/// refunds owed that Stripe has not made, each with "Retry the refund" for those who manage the
/// business's payments (`POST …/refunds/retry`, field `reference`; audited; Stripe's idempotency key
/// is the refund's reference, so a refund Stripe already made is not made again).
enum StaffBookingPayments {
    struct Section: Sendable {
        let disputes: [Dispute]
        let hasDisputes: Bool
        let refunds: [Refund]
        let hasRefunds: Bool
    }

    struct Dispute: Sendable {
        let amount: String
        let stripeID: String
        let when: String
    }

    struct Refund: Sendable {
        let amount: String
        let state: String
        let message: String?
        let reference: String
        let retryAction: String?
    }

    /// The section for a viewer who may see the booking's money (nil: nothing to show, or masked).
    static func section(_ context: RequestContext, business: Business, booking: MaskedBooking, viewer: StaffViewer, url: String,
                        clock: ZoneClock) throws -> Section? {
        let managesPayments = viewer.role.can(.orgManage)
        guard let reference = booking.publicID, managesPayments || booking.pricePaid != nil else { return nil }
        let issues = try context.app.database.paymentIssues(businessID: business.id, publicID: reference)
        guard !issues.isEmpty else { return nil }
        let disputes = issues.disputes.map {
            Dispute(amount: BookingFormat.money($0.amount, $0.currency), stripeID: $0.stripeID,
                    when: "\(HumanTime.longDate(clock.local($0.at).date)) \(clock.local($0.at).time)")
        }
        let refunds = issues.refundsOwed.map {
            Refund(amount: BookingFormat.money($0.amount, $0.currency),
                   state: $0.failed ? "not made" : "waiting to be made (tried again automatically)",
                   message: $0.message.isEmpty ? nil : $0.message, reference: $0.reference,
                   retryAction: managesPayments ? url + "/refunds/retry" : nil)
        }
        return Section(disputes: disputes, hasDisputes: !disputes.isEmpty, refunds: refunds, hasRefunds: !refunds.isEmpty)
    }
}

extension StaffBookingHandlers {
    /// `POST /staff/{business}/bookings/{id}/refunds/retry` (field `reference`): asks Stripe again for
    /// a refund the booking is still owed. Made: the ledger row; refused again: the reason, kept.
    func retryRefund(_ context: RequestContext) throws -> Response {
        let loaded = try load(context)
        guard let id = loaded.booking.publicID else { throw WebError.notFound("We could not find that booking.") }
        let reference = ManageInput.trimmed(try context.form()["reference"])
        guard !reference.isEmpty, reference.count <= 255 else {
            throw WebError.unprocessable("validation_failed", "Choose the refund to retry from the booking's page.", field: "reference")
        }
        guard let account = try context.app.database.paymentAccount(businessID: loaded.business.id) else {
            throw WebError.conflict("payments_unavailable", "Stripe is not connected to this business any more, so no refund can be made here.")
        }
        guard let due = try context.app.database.retryOwedRefund(business: loaded.business, publicID: id, reference: reference,
                                                                 actor: Actor(try context.auditActor()), now: context.instant) else {
            return try next(context, loaded, done: "refund_not_owed")
        }
        let problem = try context.app.payments.retryRefund(business: loaded.business, account: account, due: due, now: context.instant)
        if let problem { context.app.logger.error("stripe: retried refund \(due.reference) not made: \(problem)") }
        return try next(context, loaded, done: problem == nil ? "refunded" : "refund_failed")
    }
}

extension PaymentService {
    /// A refund still owed, asked of Stripe again (staff): made, it is in the ledger and no longer
    /// owed; refused or unreachable, the reason is kept on the owed row (returned) and it stays owed.
    func retryRefund(business: Business, account: PaymentAccount, due: StripeRefundDue, now: Instant) throws -> String? {
        do {
            try refund(business: business, account: account, due: due, note: "refund retried by staff", now: now)
            return nil
        } catch {
            // (A `catch StripeError.refused(…)` pattern crashes Swift 6.3.1's compiler.)
            guard let stripeError = error as? StripeError else { throw error }
            let message: String
            if case StripeError.refused(_, _, let text) = stripeError { message = "Stripe refused the refund: \(text)" } else {
                message = stripeError.description
            }
            try database.markIntent(businessID: business.id, stripeID: due.reference, status: .failed, error: message, now: now)
            return message
        }
    }
}
