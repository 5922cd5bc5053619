import BookingCore
import Foundation
import HTTPServer
import Logging
import Outbound
import Store

/// `POST /stripe/webhook/{business}`: Stripe's events about the business's payments. The signature
/// (`Stripe-Signature`, 5 minutes' tolerance) is checked against the business's signing secret before
/// anything is read; a bad or stale one is 400 and changes nothing. Each event id is acted on once.
struct StripeWebhookHandler: Sendable {
    func receive(_ context: RequestContext) throws -> Response {
        let slug = try context.parameter("business")
        guard let (business, account) = try context.app.database.paymentWebhookTarget(businessSlug: slug) else {
            return JSON.error(WebError.notFound("No business with connected payments has this address."))
        }
        let payload = context.request.body
        let secret = try context.app.payments.webhookSecret(account)
        guard StripeSignature.isValid(header: context.request.headers["Stripe-Signature"], payload: payload, secret: secret,
                                      now: context.instant) else {
            context.app.logger.notice("stripe webhook refused: bad or stale signature", metadata: ["business": "\(slug)"])
            return JSON.error(WebError(.badRequest, code: "bad_signature", "The Stripe-Signature header does not verify."))
        }
        guard let event = (try? JSONSerialization.jsonObject(with: Data(payload))) as? [String: Any],
              let eventID = event["id"] as? String, let type = event["type"] as? String,
              let object = ((event["data"] as? [String: Any])?["object"] as? [String: Any]).map(StripeObject.init) else {
            return JSON.error(WebError(.badRequest, code: "bad_event", "The body is not a Stripe event."))
        }
        let now = context.instant
        let payments = context.app.payments
        // A package or gift card bought online (issue 18) has its own intents: granted once, never a booking.
        let forPurchase = try type.hasPrefix("payment_intent.")
            && context.app.database.isPurchaseIntent(businessID: business.id, stripeID: object.id)
        // So has a membership's month paid by card: granted once, the card kept for the next months.
        let forMembership = try !forPurchase && type.hasPrefix("payment_intent.")
            && context.app.database.isMembershipIntent(businessID: business.id, stripeID: object.id)
        switch type {
        case "payment_intent.succeeded" where forMembership:
            _ = try context.app.database.settleMembershipCharge(businessID: business.id, stripeID: object.id,
                                                                amount: object[int: "amount_received"] ?? object[int: "amount"] ?? 0,
                                                                paymentMethod: object.reference("payment_method"), eventID: eventID,
                                                                actor: .system, now: now)
        case "payment_intent.payment_failed" where forMembership:
            let error = object[object: "last_payment_error"]?[string: "message"] ?? "the card was declined"
            try context.app.database.recordMembershipChargeFailure(businessID: business.id, stripeID: object.id, message: error, eventID: eventID,
                                                                   now: now)
        case "payment_intent.succeeded" where forPurchase:
            _ = try context.app.database.settlePurchase(businessID: business.id, stripeID: object.id,
                                                        amount: object[int: "amount_received"] ?? object[int: "amount"] ?? 0,
                                                        eventID: eventID, now: now, actor: .system)
        case "payment_intent.payment_failed" where forPurchase:
            let error = object[object: "last_payment_error"]?[string: "message"] ?? "the card was declined"
            try context.app.database.recordPurchaseFailure(businessID: business.id, stripeID: object.id, message: error, eventID: eventID, now: now)
        case "payment_intent.succeeded":
            _ = try payments.settle(business: business, account: account, intent: object, eventID: eventID, now: now, actor: .system)
        case "payment_intent.payment_failed":
            let error = object[object: "last_payment_error"]?[string: "message"] ?? "the card was declined"
            try context.app.database.recordPaymentFailure(businessID: business.id, stripeID: object.id, message: error, eventID: eventID, now: now)
        case "charge.refunded":
            guard let intent = object.reference("payment_intent"),
                  try context.app.database.recordStripeEvent(businessID: business.id, eventID: eventID, type: type, now: now) else { break }
            let refunds = object[object: "refunds"]?[list: "data"] ?? []
            for refund in refunds {
                try context.app.database.recordRefund(businessID: business.id, paymentIntent: intent, refundID: refund.id,
                                                      amount: refund[int: "amount"] ?? 0,
                                                      currency: refund[string: "currency"] ?? object[string: "currency"] ?? "usd",
                                                      note: "refunded in Stripe", eventID: nil, now: now)
            }
        case "charge.dispute.created":
            guard let intent = object.reference("payment_intent") else {
                try context.app.database.recordStripeEvent(businessID: business.id, eventID: eventID, type: type, now: now)
                break
            }
            try context.app.database.recordDispute(businessID: business.id, paymentIntent: intent, disputeID: object.id,
                                                   amount: object[int: "amount"] ?? 0, currency: object[string: "currency"] ?? "usd",
                                                   reason: object[string: "reason"] ?? "", eventID: eventID, now: now)
        case "setup_intent.succeeded":
            guard let method = object.reference("payment_method") else {
                try context.app.database.recordStripeEvent(businessID: business.id, eventID: eventID, type: type, now: now)
                break
            }
            _ = try context.app.database.settleCardSetup(business: business, stripeID: object.id, paymentMethod: method, eventID: eventID,
                                                         box: payments.settings.box, now: now, actor: .system)
        default:
            try context.app.database.recordStripeEvent(businessID: business.id, eventID: eventID, type: type, now: now)
        }
        var json = JSONWriter(capacity: 32)
        json.beginObject()
        json.key("received")
        json.value(true)
        json.endObject()
        return Response.json(json.bytes, status: .ok)
    }
}
