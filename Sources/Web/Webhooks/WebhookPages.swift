import BookingCore
import Foundation
import HTTPServer
import Store

/// `/manage/{business}/webhooks` (owners and admins): the subscriptions (add one — its secret is
/// shown once —, delete one) and the delivery log: each delivery's request (URL, headers, the first
/// 2 KB of the body) and, per attempt, the response (status, the first 2 KB of its body, how long it
/// took), with a button to deliver it again.
struct WebhookPages: Sendable {
    struct Subscription: Sendable {
        let id: String
        let url: String
        let events: String
        let active: Bool
        let status: String
        let deleteAction: String
    }

    struct Attempt: Sendable {
        let number: Int
        let at: String
        let signature: String
        let statusCode: String
        let ok: Bool
        let duration: String
        let responseBody: String
        let error: String
    }

    struct Delivery: Sendable {
        let id: String
        let event: String
        let eventID: String
        let url: String
        let status: String
        let attemptsCount: Int
        let created: String
        let next: String?
        let requestBody: String
        let hasRequestBody: Bool
        let attempts: [Attempt]
        let hasAttempts: Bool
        let redeliverAction: String
    }

    struct EventChoice: Sendable {
        let name: String
        let checked: Bool
    }

    struct Page: Sendable {
        let layout: Layout
        let nav: ManageNav
        let subscriptions: [Subscription]
        let hasSubscriptions: Bool
        let deliveries: [Delivery]
        let hasDeliveries: Bool
        let events: [EventChoice]
        let url: String
        let errors: FormErrors
        /// Shown once, right after creating.
        let secret: String?
        let notice: String?
    }

    func show(_ context: RequestContext) throws -> Response {
        let notice: String? = switch context.request.query["done"] {
        case "redelivered": "The delivery will be sent again shortly."
        case "deleted": "The webhook was deleted."
        default: nil
        }
        return try page(context, notice: notice)
    }

    func page(_ context: RequestContext, url: String = "", chosen: Set<String> = [], errors: FormErrors = FormErrors(),
              secret: String? = nil, notice: String? = nil, status: HTTPStatus = .ok) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        let zone = ZoneClock(identifier: business.timeZone)
        func local(_ instant: Instant) -> String { BookingFormat.localStamp(instant, zone) }
        let base = nav.base + "/webhooks"
        let subscriptions = try context.app.database.webhooks(businessID: business.id).map { subscription in
            Subscription(id: subscription.publicID, url: subscription.url, events: subscription.events.map(\.rawValue).joined(separator: ", "),
                         active: subscription.active,
                         status: Self.status(subscription, local),
                         deleteAction: "\(base)/\(subscription.publicID)/delete")
        }
        let deliveries = try context.app.database.webhookLog(businessID: business.id).map { delivery in
            let body = delivery.payload.map { String(decoding: $0.utf8.prefix(2048), as: UTF8.self) } ?? ""
            return Delivery(
                id: delivery.publicID, event: delivery.event.rawValue, eventID: delivery.eventID, url: delivery.url,
                status: delivery.status == .sending ? "sending" : delivery.status.rawValue, attemptsCount: delivery.attempts,
                created: local(delivery.createdAt), next: delivery.status == .pending && delivery.attempts > 0 ? delivery.nextAttemptAt.map(local) : nil,
                requestBody: body, hasRequestBody: !body.isEmpty,
                attempts: delivery.log.reversed().map { attempt in
                    Attempt(number: attempt.number, at: local(attempt.at), signature: attempt.signature,
                            statusCode: attempt.statusCode.map(String.init) ?? "no answer",
                            ok: attempt.statusCode.map(WebhookRetry.isDelivered(status:)) ?? false,
                            duration: "\(attempt.durationMilliseconds) ms", responseBody: attempt.responseBody, error: attempt.error)
                },
                hasAttempts: !delivery.log.isEmpty,
                redeliverAction: "\(base)/\(delivery.subscriptionPublicID)/deliveries/\(delivery.publicID)/redeliver")
        }
        let model = Page(layout: try context.layout(title: "Webhooks — \(business.name)", withForm: true), nav: nav,
                         subscriptions: subscriptions, hasSubscriptions: !subscriptions.isEmpty,
                         deliveries: deliveries, hasDeliveries: !deliveries.isEmpty,
                         events: DomainEventType.allCases.map { EventChoice(name: $0.rawValue, checked: chosen.contains($0.rawValue)) },
                         url: url, errors: errors, secret: secret, notice: notice)
        return context.app.page("manage/webhooks", model, status: status)
    }

    /// "active", "active, failing since …", or "disabled … after a day of failures…".
    static func status(_ subscription: WebhookSubscription, _ local: (Instant) -> String) -> String {
        guard subscription.active else {
            return "disabled \(subscription.disabledAt.map(local) ?? "") after a day of failures: redeliver one to enable it again"
        }
        return subscription.failingSince.map { "active, failing since \(local($0))" } ?? "active"
    }

    func create(_ context: RequestContext) throws -> Response {
        let (business, membership, _) = try context.managedBusiness()
        let form = try context.form()
        let rawURL = String((form["url"] ?? "").prefix(WebhookInput.maxURLLength + 10))
        let names = form.all("events")
        var errors = FormErrors()
        var url = "", events: [DomainEventType] = []
        switch WebhookInput.url(rawURL, policy: context.app.webhookDestinations) {
        case .success(let checked): url = checked
        case .failure(let error): errors.add(error.field, error.message)
        }
        switch WebhookInput.events(names) {
        case .success(let chosen): events = chosen
        case .failure(let error): errors.add(error.field, error.message)
        }
        guard errors.isEmpty else {
            return try page(context, url: rawURL, chosen: Set(names), errors: errors, status: .unprocessable)
        }
        let created = try context.app.database.createWebhook(
            businessID: business.id, url: url, events: events, role: membership.role, apiKeyID: nil,
            actor: Actor(try context.auditActor()), now: context.instant) { _, secret in Array(secret.utf8) }
        guard case .fresh(let secret) = created else { throw WebError.notFound() }
        var response = try page(context, secret: String(decoding: secret, as: UTF8.self),
                                notice: "The webhook was added. Copy its signing secret now: it is shown only this once.", status: .created)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    func delete(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        do {
            try context.app.database.deleteWebhook(businessID: business.id, publicID: try context.parameter("webhook"),
                                                   actor: Actor(try context.auditActor()), now: context.instant)
        } catch WebhookError.notFound {
            throw WebError.notFound("There is no such webhook (any more).")
        }
        return .redirect(to: nav.base + "/webhooks?done=deleted")
    }

    func redeliver(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        do {
            try context.app.database.redeliverWebhook(businessID: business.id, subscriptionPublicID: try context.parameter("webhook"),
                                                      deliveryPublicID: try context.parameter("delivery"),
                                                      actor: Actor(try context.auditActor()), now: context.instant)
        } catch WebhookError.notFound {
            throw WebError.notFound("There is no such delivery (any more).")
        }
        return .redirect(to: nav.base + "/webhooks?done=redelivered")
    }
}
