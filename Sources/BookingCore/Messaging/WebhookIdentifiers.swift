/// A webhook subscription (`webhook_subscriptions.id`; the API and pages name it by its `wh_…` public id).
public struct WebhookID: Identifier {
    public let rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// One delivery of one event to one subscription (`webhook_deliveries.id`; `dlv_…` outside).
public struct WebhookDeliveryID: Identifier {
    public let rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
}
