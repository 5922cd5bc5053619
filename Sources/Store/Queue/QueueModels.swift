public import BookingCore

/// A walk-in queue with its services and the resources that serve it.
public struct QueueInfo: Sendable, Hashable {
    public struct Service: Sendable, Hashable {
        public let id: Int64
        public let slug: String
        public let name: String
        public let priorMinutes: Int
    }
    public struct Server: Sendable, Hashable {
        public let id: ResourceID
        public let slug: String
        public let name: String
    }

    public let id: QueueID
    public let slug: String
    public let name: String
    public let description: String
    public let hours: [WeeklyRule]
    public let live: Bool
    public let services: [Service]
    public let servers: [Server]
    /// The owner's party size limits (0135; tickets themselves take 1 to 20).
    public var minPartySize = 1
    public var maxPartySize = 20
}

/// A ticket as pages and the API show it: `position` and `wait` only while it waits.
public struct QueueTicket: Sendable, Hashable {
    public let id: QueueTicketID
    public let publicID: String
    public let queueSlug: String
    public let serviceSlug: String
    public let serviceName: String
    public let status: TicketStatus
    public let customerName: String
    public let email: String
    public let phone: String
    public let partySize: Int
    public let serverSlug: String?
    public let serverName: String?
    public let joinedAt: Instant
    public let calledAt: Instant?
    public let startedAt: Instant?
    public let finishedAt: Instant?
    /// The range promised when the ticket was taken (what the owner's report measures).
    public internal(set) var estimatedAtJoin: QueueEstimator.Wait
    public internal(set) var position: Int?
    public internal(set) var wait: QueueEstimator.Wait?
}

/// A queue right now: its open tickets in order (being served, called, then waiting).
public struct QueueState: Sendable {
    public let business: Business
    public let queue: QueueInfo
    public let isOpen: Bool
    public let tickets: [QueueTicket]

    public var waiting: [QueueTicket] { tickets.filter { $0.status == .waiting } }
}

/// Who joins, for which service.
public struct QueueJoin: Sendable, Hashable {
    public var name: String
    public var email: String
    public var phone: String
    public var partySize: Int
    /// nil: the queue's first service.
    public var serviceSlug: String?
    public var source: String

    public init(name: String, email: String = "", phone: String = "", partySize: Int = 1, serviceSlug: String? = nil, source: String) {
        self.name = name
        self.email = email
        self.phone = phone
        self.partySize = partySize
        self.serviceSlug = serviceSlug
        self.source = source
    }
}

/// Why a queue operation was refused. Web maps each to one status and sentence.
public enum QueueFailure: Error, Equatable, Sendable {
    case queueNotFound
    case ticketNotFound
    /// Outside the queue's opening hours (or paused): 409 `queue_closed`.
    case closed
    /// Nobody waits: 409.
    case noneWaiting
    /// A move the ticket's status does not allow: 409 `illegal_transition`.
    case illegalMove(from: TicketStatus, to: TicketStatus)
    case invalid(field: String, message: String)
}
