public import BookingCore

/// One webhook subscription of a business, as listed (never its secret, which is shown once).
public struct WebhookSubscription: Sendable, Hashable {
    public let id: WebhookID
    /// `wh_…`, the id of the API and the pages.
    public let publicID: String
    public let url: String
    public let events: [DomainEventType]
    /// The role the payloads are masked for.
    public let role: Role
    public let apiKeyID: APIKeyID?
    /// `active` or `disabled` (after a day of failures).
    public let active: Bool
    public let failingSince: Instant?
    public let disabledAt: Instant?
    public let createdAt: Instant
}

/// Where a delivery is. `sending` (claimed by a worker) reads as `pending` in the API.
public enum WebhookDeliveryStatus: String, Sendable, Hashable, CaseIterable {
    case pending, sending, delivered, failed
}

/// One delivery of one event to one subscription, as listed.
public struct WebhookDeliveryEntry: Sendable, Hashable {
    public let id: WebhookDeliveryID
    /// `dlv_…`: the `Bizing-Delivery` header, the same on every attempt.
    public let publicID: String
    public let subscriptionPublicID: String
    public let url: String
    public let eventID: String
    public let event: DomainEventType
    public let status: WebhookDeliveryStatus
    public let attempts: Int
    public let lastStatusCode: Int?
    /// nil once delivered or failed.
    public let nextAttemptAt: Instant?
    public let createdAt: Instant
    public let deliveredAt: Instant?
    /// The request body sent (nil before the first attempt).
    public let payload: String?
    /// Every attempt, oldest first (filled by the log's read only).
    public let log: [WebhookAttempt]
}

/// One attempt of a delivery: what was sent and what came back.
public struct WebhookAttempt: Sendable, Hashable {
    public let number: Int
    public let at: Instant
    public let url: String
    /// The `Bizing-Signature` header sent.
    public let signature: String
    /// nil: no HTTP answer (see `error`).
    public let statusCode: Int?
    /// The first 2 KB of the response body.
    public let responseBody: String
    public let durationMilliseconds: Int64
    public let error: String

    public init(number: Int, at: Instant, url: String, signature: String, statusCode: Int?, responseBody: String,
                durationMilliseconds: Int64, error: String) {
        self.number = number
        self.at = at
        self.url = url
        self.signature = signature
        self.statusCode = statusCode
        self.responseBody = responseBody
        self.durationMilliseconds = durationMilliseconds
        self.error = error
    }
}

/// A claimed delivery with everything its request needs: the endpoint and its secret, the frozen
/// payload when an earlier attempt wrote it, else what writing it takes (the business, the order as
/// it is now, the role and policy to mask it with).
public struct WebhookJob: Sendable {
    public let id: WebhookDeliveryID
    public let publicID: String
    public let eventID: String
    public let event: DomainEventType
    public let eventAt: Instant
    public let url: String
    public let secret: String
    /// Attempts so far, this one included.
    public let attempts: Int
    public let payload: String?
    public let business: Business
    public let order: OrderView?
    public let role: Role
    public let policy: VisibilityPolicy
}

/// What became of one attempt, as the worker reports it.
public struct WebhookAttemptReport: Sendable {
    public let deliveryID: WebhookDeliveryID
    /// The body sent (frozen into the delivery at its first attempt).
    public let payload: String
    public let attempt: WebhookAttempt
    /// nil: delivered or given up (see `delivered`).
    public let retryAt: Instant?
    public let delivered: Bool

    public init(deliveryID: WebhookDeliveryID, payload: String, attempt: WebhookAttempt, retryAt: Instant?, delivered: Bool) {
        self.deliveryID = deliveryID
        self.payload = payload
        self.attempt = attempt
        self.retryAt = retryAt
        self.delivered = delivered
    }
}

/// An answer recorded under an `Idempotency-Key`: given now, or the first one given again.
public enum IdempotentAnswer: Sendable {
    case fresh([UInt8])
    case replayed(status: Int, body: [UInt8])
}

public enum WebhookError: Error, Sendable, Equatable {
    /// No such subscription (or delivery) of this business visible to the caller.
    case notFound
}
