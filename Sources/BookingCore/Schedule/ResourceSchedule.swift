/// What a resource is.
public enum ResourceKind: String, Hashable, Sendable, Codable, CaseIterable {
    case host, asset, venue, virtual, company
}

/// An existing booking (or unexpired hold) occupying a resource.
public struct BusyEntry: Hashable, Sendable, Codable {
    /// The blocked interval, buffers included.
    public var blocked: TimeRange
    /// The service interval (no buffers); inside `blocked`.
    public var service: TimeRange
    public var offerID: OfferID
    /// Seats used (party size).
    public var partySize: Int
    /// A booking of a class session: bookings of the same session share the resource.
    public var isClass: Bool
    /// The order holding the resource, when known (only explanations use it).
    public var orderID: BookingID?

    public init(blocked: TimeRange, service: TimeRange? = nil, offerID: OfferID,
                partySize: Int = 1, isClass: Bool = false, orderID: BookingID? = nil) {
        self.blocked = blocked
        self.service = service ?? blocked
        self.offerID = offerID
        self.partySize = partySize
        self.isClass = isClass
        self.orderID = orderID
    }

    /// Start of the service.
    public var serviceStart: Instant { service.start }
}

/// Per-host limits used when assigning a resource.
public struct ResourceLimits: Hashable, Sendable, Codable {
    /// At most this many bookings with a service start on one business-local date.
    public var maxBookingsPerDay: Int?
    /// At least this many minutes between the end of one blocked interval (buffers included) and
    /// the start of the next. Meant for capacity-1 resources (people).
    public var minRestMinutes: Int?

    public init(maxBookingsPerDay: Int? = nil, minRestMinutes: Int? = nil) {
        self.maxBookingsPerDay = maxBookingsPerDay
        self.minRestMinutes = minRestMinutes
    }
}

/// Everything the availability engine needs to know about one resource.
public struct ResourceSchedule: Hashable, Sendable, Codable {
    public var id: ResourceID
    public var kind: ResourceKind
    public var tags: Set<String>
    /// Bookings at once (1 for a person).
    public var capacity: Int
    public var weeklyRules: [WeeklyRule]
    public var overlays: [DateOverlay]
    /// Time off, maintenance.
    public var blocked: [TimeRange]
    public var busy: [BusyEntry]
    public var limits: ResourceLimits
    /// When this resource was last booked (for least-recently-booked assignment); nil = never.
    public var lastBookedAt: Instant?

    public init(id: ResourceID, kind: ResourceKind, tags: Set<String> = [], capacity: Int = 1,
                weeklyRules: [WeeklyRule] = [], overlays: [DateOverlay] = [], blocked: [TimeRange] = [],
                busy: [BusyEntry] = [], limits: ResourceLimits = .init(), lastBookedAt: Instant? = nil) {
        self.id = id
        self.kind = kind
        self.tags = tags
        self.capacity = capacity
        self.weeklyRules = weeklyRules
        self.overlays = overlays
        self.blocked = blocked
        self.busy = busy
        self.limits = limits
        self.lastBookedAt = lastBookedAt
    }
}
