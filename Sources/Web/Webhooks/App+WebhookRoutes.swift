import BookingCore
import Foundation
import HTTPServer
import Outbound
import Store

extension App {
    /// Webhooks (issue 15): the API's subscriptions and deliveries, and the owner's page with the
    /// delivery log and redelivery.
    static func addWebhookRoutes(to table: inout RouteTable) {
        let api = WebhookAPI()
        table.add("POST", "/api/v1/webhooks", requires: .apiKey(.bookingViewOrg), ownIdempotency: true, api.create)
        table.add("GET", "/api/v1/webhooks", requires: .apiKey(.bookingViewOrg), api.list)
        table.add("DELETE", "/api/v1/webhooks/:id", requires: .apiKey(.bookingViewOrg), api.delete)
        table.add("GET", "/api/v1/webhooks/:id/deliveries", requires: .apiKey(.bookingViewOrg), api.deliveries)
        table.add("POST", "/api/v1/webhooks/:id/deliveries/:delivery/redeliver", requires: .apiKey(.bookingViewOrg), api.redeliver)

        let pages = WebhookPages()
        table.add("GET", "/manage/:business/webhooks", requires: .permission(.orgManage), pages.show)
        table.add("POST", "/manage/:business/webhooks", requires: .permission(.orgManage), pages.create)
        table.add("POST", "/manage/:business/webhooks/:webhook/delete", requires: .permission(.orgManage), pages.delete)
        table.add("POST", "/manage/:business/webhooks/:webhook/deliveries/:delivery/redeliver", requires: .permission(.orgManage),
                  pages.redeliver)
    }
}

/// What a subscription may be: checked the same way for the API and the page.
enum WebhookInput {
    static let maxURLLength = 2000

    /// The URL as given when it is an http(s) URL whose host may be a destination (unless the server
    /// allows private addresses), else the field at fault and a sentence.
    static func url(_ raw: String, policy: DestinationPolicy, purpose: String = "Webhooks",
                    example: String = "https://example.com/hooks") -> Result<String, ValidationError> {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, text.unicodeScalars.count <= maxURLLength else {
            return .failure(ValidationError(field: "url", message: "Enter the URL, like \(example) (at most \(maxURLLength) characters)."))
        }
        do {
            try policy.check(url: text)
        } catch .refusedDestination(let reason) {
            return .failure(ValidationError(field: "url", message: "That URL is not allowed: \(reason). \(purpose) must be public addresses."))
        } catch {
            return .failure(ValidationError(field: "url", message: "Enter an http:// or https:// URL, like \(example)."))
        }
        return .success(text)
    }

    /// The named events (at least one, each known, no repeats kept), in the contract's order.
    static func events(_ names: [String]) -> Result<[DomainEventType], ValidationError> {
        var chosen = Set<DomainEventType>()
        for name in names {
            guard let event = DomainEventType(rawValue: name) else {
                return .failure(ValidationError(field: "events", message: "\(name.prefix(40)) is not an event; choose from \(DomainEventType.allCases.map(\.rawValue).joined(separator: ", "))."))
            }
            chosen.insert(event)
        }
        guard !chosen.isEmpty else { return .failure(ValidationError(field: "events", message: "Choose at least one event.")) }
        return .success(DomainEventType.allCases.filter(chosen.contains))
    }
}

/// `/api/v1/webhooks…`. A key that may manage the business (owner, admin) sees every subscription;
/// another key sees those it created. Payloads are masked for the creating key's role.
struct WebhookAPI: Sendable {
    private func scope(_ principal: APIKeys.Principal) -> APIKeyID? {
        principal.role.can(.orgManage) ? nil : principal.keyID
    }

    func create(_ context: RequestContext) throws -> Response {
        let principal = try context.apiPrincipal()
        let idempotencyKey = try context.idempotencyKey()
        let json = try StrictJSON(body: context.request.body, allowed: ["url", "events"])
        let url = try WebhookInput.url(try json.requiredString("url", maxLength: WebhookInput.maxURLLength),
                                       policy: context.app.webhookDestinations).get()
        guard let names = try json.stringArray("events", maxCount: DomainEventType.allCases.count) else {
            throw WebError.unprocessable("validation_failed", "events is required: an array of event names.", field: "events")
        }
        let events = try WebhookInput.events(names).get()
        let answer = try context.app.database.createWebhook(
            businessID: principal.business.id, url: url, events: events, role: principal.role, apiKeyID: principal.keyID,
            idempotency: idempotencyKey.map { ($0, context.idempotencyRequestHash) },
            actor: .apiKey(principal.keyID), now: context.instant) { subscription, secret in
                WebhookJSON.subscriptionBody(subscription, secret: secret)
            }
        switch answer {
        case .fresh(let body):
            return .json(body, status: .created)
        case .replayed(let status, let body):
            return App.replay(status: status, body: body)
        }
    }

    func list(_ context: RequestContext) throws -> Response {
        let principal = try context.apiPrincipal()
        let subscriptions = try context.app.database.webhooks(businessID: principal.business.id, apiKeyID: scope(principal))
        return .json(WebhookJSON.listBody(subscriptions))
    }

    func delete(_ context: RequestContext) throws -> Response {
        let principal = try context.apiPrincipal()
        do {
            try context.app.database.deleteWebhook(businessID: principal.business.id, publicID: try context.parameter("id"),
                                                   apiKeyID: scope(principal), actor: .apiKey(principal.keyID), now: context.instant)
        } catch WebhookError.notFound {
            throw WebhookJSON.notFound
        }
        return Response(status: .noContent)
    }

    func deliveries(_ context: RequestContext) throws -> Response {
        let principal = try context.apiPrincipal()
        guard let deliveries = try context.app.database.webhookDeliveries(businessID: principal.business.id, publicID: try context.parameter("id"),
                                                                          apiKeyID: scope(principal)) else {
            throw WebhookJSON.notFound
        }
        return .json(WebhookJSON.deliveriesBody(deliveries))
    }

    func redeliver(_ context: RequestContext) throws -> Response {
        let principal = try context.apiPrincipal()
        do {
            try context.app.database.redeliverWebhook(businessID: principal.business.id, subscriptionPublicID: try context.parameter("id"),
                                                      deliveryPublicID: try context.parameter("delivery"), apiKeyID: scope(principal),
                                                      actor: .apiKey(principal.keyID), now: context.instant)
        } catch WebhookError.notFound {
            throw WebhookJSON.notFound
        }
        var json = JSONWriter(capacity: 64)
        json.beginObject()
        json.field("status", "pending")
        json.endObject()
        return .json(json.bytes, status: .accepted)
    }
}

/// The webhook shapes of the API.
enum WebhookJSON {
    static let notFound = WebError(.notFound, code: "not_found", "There is no such webhook (or delivery) for this key.")

    static func write(_ subscription: WebhookSubscription, secret: String?, to json: inout JSONWriter) {
        json.beginObject()
        json.field("id", subscription.publicID)
        json.field("url", subscription.url)
        json.field("events", strings: subscription.events.map(\.rawValue))
        json.field("status", subscription.active ? "active" : "disabled")
        json.field("created_at", instant: subscription.createdAt)
        if let secret { json.field("secret", secret) }
        json.endObject()
    }

    static func subscriptionBody(_ subscription: WebhookSubscription, secret: String) -> [UInt8] {
        var json = JSONWriter(capacity: 400)
        write(subscription, secret: secret, to: &json)
        return json.bytes
    }

    static func listBody(_ subscriptions: [WebhookSubscription]) -> [UInt8] {
        var json = JSONWriter(capacity: 64 + subscriptions.count * 300)
        json.beginObject()
        json.key("webhooks")
        json.beginArray()
        for subscription in subscriptions { write(subscription, secret: nil, to: &json) }
        json.endArray()
        json.endObject()
        return json.bytes
    }

    static func deliveriesBody(_ deliveries: [WebhookDeliveryEntry]) -> [UInt8] {
        var json = JSONWriter(capacity: 64 + deliveries.count * 220)
        json.beginObject()
        json.key("deliveries")
        json.beginArray()
        for delivery in deliveries {
            json.beginObject()
            json.field("id", delivery.publicID)
            json.field("event", delivery.event.rawValue)
            json.field("event_id", delivery.eventID)
            json.field("status", delivery.status == .sending ? "pending" : delivery.status.rawValue)
            json.field("attempts", delivery.attempts)
            json.key("last_status_code")
            if let code = delivery.lastStatusCode { json.value(code) } else { json.null() }
            json.field("next_attempt_at", delivery.nextAttemptAt.map(RFC3339.format))
            json.field("created_at", instant: delivery.createdAt)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.bytes
    }
}
