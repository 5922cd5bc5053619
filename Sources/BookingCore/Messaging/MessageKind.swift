/// The kinds of email the outbox sends; each has `Templates/email/<rawValue>.{subject,txt,html}.mustache`.
public enum MessageKind: String, Sendable, Hashable, CaseIterable, Codable {
    case confirmation
    case reschedule
    case cancellation
    case reminder
    /// To the provider of a new or cancelled booking, masked by the business's policy for their role.
    case staffAlert = "staff_alert"
    /// To the business's owners, admins and managers when a booking waits for approval.
    case approvalRequested = "approval_requested"
    case approved
    case declined
    case waitlistOffer = "waitlist_offer"
    case passwordReset = "password_reset"
    /// To the business's owners when a webhook endpoint was disabled after a day of failures.
    case webhookDisabled = "webhook_disabled"

    /// Whether the message is about one booking (rendered from the order as it is when sent).
    public var isAboutBooking: Bool { ![.passwordReset, .waitlistOffer, .webhookDisabled].contains(self) }
}

/// Where an outbox row is in its life.
public enum MessageStatus: String, Sendable, Hashable, CaseIterable, Codable {
    /// Waiting for its time (`next_attempt_at`), for SMTP to be configured, or for a retry.
    case pending
    /// Claimed by a worker until its lease ends; a worker that died leaves it to be claimed again.
    case sending
    case sent
    /// Refused for good (an SMTP 5xx: bad mailbox); not retried unless an owner asks.
    case failed
    /// No longer wanted (a reminder of a cancelled or moved booking).
    case withdrawn
}
