/// Where a queue ticket is. Raw values are stored and sent by the API.
public enum TicketStatus: String, Hashable, Sendable, Codable, CaseIterable {
    /// In line.
    case waiting
    /// A server called them; they are on their way to the chair.
    case called
    /// Being served.
    case serving
    case done
    /// Called and did not come (or gave up): everyone behind moves up.
    case noShow = "no_show"
    /// Left the queue themselves.
    case left

    /// The statuses this one may move to.
    public var allowedNext: Set<TicketStatus> {
        switch self {
        case .waiting: return [.called, .noShow, .left]
        case .called: return [.serving, .noShow]
        case .serving: return [.done]
        case .done, .noShow, .left: return []
        }
    }

    /// Still in the queue (counted in positions).
    public var isWaiting: Bool { self == .waiting }

    /// True when no move leaves this status.
    public var isFinal: Bool { allowedNext.isEmpty }

    public func canMove(to next: TicketStatus) -> Bool { allowedNext.contains(next) }
}

/// "1st", "2nd", "3rd", "11th", "22nd": a position as people say it.
public func ordinal(_ n: Int) -> String {
    let tens = n % 100
    if (11...13).contains(tens) { return "\(n)th" }
    switch n % 10 {
    case 1: return "\(n)st"
    case 2: return "\(n)nd"
    case 3: return "\(n)rd"
    default: return "\(n)th"
    }
}
