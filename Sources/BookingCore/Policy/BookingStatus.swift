/// Where a booking is in its life. Raw values are stored in the database and sent by the API.
public enum BookingStatus: String, Hashable, Sendable, Codable, CaseIterable {
    case held
    case pending
    case confirmed
    case checkedIn = "checked_in"
    case completed
    case cancelled
    case noShow = "no_show"
    case expired

    /// The statuses this one may move to.
    public var allowedNext: Set<BookingStatus> {
        switch self {
        case .held: return [.pending, .confirmed, .expired, .cancelled]
        case .pending: return [.confirmed, .cancelled]
        case .confirmed: return [.checkedIn, .cancelled, .noShow]
        case .checkedIn: return [.completed]
        case .completed, .cancelled, .noShow, .expired: return []
        }
    }

    /// True when no move leaves this status.
    public var isFinal: Bool { allowedNext.isEmpty }

    /// Does this status still occupy its resources?
    public var blocksTime: Bool { [.held, .pending, .confirmed, .checkedIn, .completed].contains(self) }

    public func canMove(to next: BookingStatus) -> Bool { allowedNext.contains(next) }

    /// The status after moving to `next`, or a typed error for an illegal move.
    public func moving(to next: BookingStatus) throws(IllegalTransition) -> BookingStatus {
        guard canMove(to: next) else { throw IllegalTransition(from: self, to: next) }
        return next
    }

    /// Moves in place (see `moving(to:)`).
    public mutating func move(to next: BookingStatus) throws(IllegalTransition) {
        self = try moving(to: next)
    }

    /// "a cancelled booking", "an expired booking", …
    var withArticle: String {
        switch self {
        case .held: return "a held booking"
        case .pending: return "a pending booking"
        case .confirmed: return "a confirmed booking"
        case .checkedIn: return "a checked-in booking"
        case .completed: return "a completed booking"
        case .cancelled: return "a cancelled booking"
        case .noShow: return "a no-show booking"
        case .expired: return "an expired booking"
        }
    }

    /// "checked in", "a no-show", … (for "already …").
    var label: String {
        switch self {
        case .checkedIn: return "checked in"
        case .noShow: return "a no-show"
        default: return rawValue
        }
    }

    /// "checked in", "marked as a no-show", …
    var asPastVerb: String {
        switch self {
        case .held: return "put on hold"
        case .pending: return "sent for approval"
        case .confirmed: return "confirmed"
        case .checkedIn: return "checked in"
        case .completed: return "completed"
        case .cancelled: return "cancelled"
        case .noShow: return "marked as a no-show"
        case .expired: return "expired"
        }
    }
}

/// A status change the state machine refuses.
public struct IllegalTransition: Error, Hashable, Sendable, CustomStringConvertible {
    public let from: BookingStatus
    public let to: BookingStatus

    public init(from: BookingStatus, to: BookingStatus) {
        self.from = from
        self.to = to
    }

    /// e.g. "a cancelled booking cannot be checked in".
    public var message: String {
        from == to ? "the booking is already \(to.label)" : "\(from.withArticle) cannot be \(to.asPastVerb)"
    }

    public var description: String { message }
}
