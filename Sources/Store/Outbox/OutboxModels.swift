public import BookingCore

/// A claimed outbox row with everything its templates need, read when it is sent: the order as it
/// is then, the business, its email settings and (for staff alerts) its visibility policy.
public struct OutboxMessage: Sendable {
    public let id: Int64
    public let kind: MessageKind
    public let recipientEmail: String
    public let recipientName: String
    public let data: [String: String]
    /// The unique left part of the Message-ID, the same on every attempt.
    public let messageID: String
    /// Attempts so far, this one included.
    public let attempts: Int
    public let business: Business?
    public let order: OrderView?
    /// The order's revision (the `.ics` SEQUENCE).
    public let revision: Int
    public let offerSensitive: Bool
    public let settings: EmailSettings
    public let policy: VisibilityPolicy
    /// The order's meeting links, when its status reveals them (issue 20).
    public var meetingLinks: [String] = []
}

/// What became of one attempt.
public enum DeliveryOutcome: Sendable, Equatable {
    case sent(subject: String)
    /// A transient failure: try again at `at`.
    case retry(subject: String, error: String, at: Instant)
    /// Refused for good (SMTP 5xx): shown on the owner's page, not retried.
    case failed(subject: String, error: String)
    /// No longer wanted (the booking was cancelled before its reminder).
    case withdrawn
}

/// One row of the owner's outbox page.
public struct OutboxEntry: Sendable, Hashable {
    public let id: Int64
    public let kind: MessageKind
    public let recipientEmail: String
    public let recipientName: String
    public let subject: String
    public let status: MessageStatus
    public let attempts: Int
    public let lastError: String
    public let createdAt: Instant
    public let nextAttemptAt: Instant
    public let sentAt: Instant?
    public let orderPublicID: String?
}

public enum OutboxError: Error, Sendable, Equatable {
    /// No such message of this business, or it is not in a state that allows the action.
    case notRetryable
}
