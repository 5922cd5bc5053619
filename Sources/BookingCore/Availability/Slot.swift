/// A bookable start.
public struct Slot: Hashable, Sendable, Codable {
    public var start: Instant
    /// Service end (buffers excluded).
    public var end: Instant
    /// The resources this booking would get, per component of the offer (optional components
    /// that could not be filled are left out).
    public var assignments: [ComponentAssignment]
    /// How many more bookings fit at this start. Classes: seats left in the session.
    public var seatsLeft: Int

    public init(start: Instant, end: Instant, assignments: [ComponentAssignment], seatsLeft: Int) {
        self.start = start
        self.end = end
        self.assignments = assignments
        self.seatsLeft = seatsLeft
    }

    /// Every assigned resource id, in component order.
    public var resourceIDs: [ResourceID] { assignments.flatMap(\.resourceIDs) }
}

/// The resources chosen for one component (role) of an offer.
public struct ComponentAssignment: Hashable, Sendable, Codable {
    public var role: String
    public var resourceIDs: [ResourceID]

    public init(role: String, resourceIDs: [ResourceID]) {
        self.role = role
        self.resourceIDs = resourceIDs
    }
}

/// Why a start is not bookable. Raw values are stable API codes.
public enum UnavailableReason: String, Hashable, Comparable, Sendable, Codable, CaseIterable {
    /// No opening hours that day (no rule, or a closed overlay).
    case closed
    /// Open that day, but the service does not fit inside the open hours.
    case outsideHours = "outside_hours"
    /// Overlaps time off, maintenance or a blackout.
    case blocked
    /// Overlaps existing bookings beyond capacity.
    case taken
    /// Only buffers overlap (ours or theirs) something.
    case buffer
    /// A per-resource limit (bookings per day, rest between bookings) is reached.
    case limitReached = "limit_reached"
    /// Too soon (minimum notice) or in the past.
    case notice
    /// Too far ahead (maximum advance).
    case advance
    /// A class session without enough seats for the party.
    case noSeats = "no_seats"
    /// Not on the slot grid / not a session start.
    case misaligned
    /// No (distinct) resource can fill a required component.
    case noQualifiedResource = "no_qualified_resource"
    /// The requested duration is not allowed by the offer.
    case invalidDuration = "invalid_duration"

    /// True for reasons that mean "a bookable time, but something is in the way" (HTTP 409
    /// `slot_unavailable`); the others mean the start itself is not a bookable time (422
    /// `invalid_start`). For "any resource" components the reasons are the union over the
    /// candidates, so check `contains(where: \.isConflict)`.
    public var isConflict: Bool {
        switch self {
        case .taken, .buffer, .blocked, .noSeats, .limitReached: return true
        case .closed, .outsideHours, .notice, .advance, .misaligned, .noQualifiedResource, .invalidDuration: return false
        }
    }

    /// Bit in `ReasonSet` (declaration order).
    var bit: UInt16 { 1 << UInt16(Self.allCases.firstIndex(of: self)!) }

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A set of reasons without allocation (internal).
struct ReasonSet: OptionSet, Sendable {
    let rawValue: UInt16
    static let closed = ReasonSet(rawValue: 1 << 0)
    static let outsideHours = ReasonSet(rawValue: 1 << 1)
    static let blocked = ReasonSet(rawValue: 1 << 2)
    static let taken = ReasonSet(rawValue: 1 << 3)
    static let buffer = ReasonSet(rawValue: 1 << 4)
    static let limitReached = ReasonSet(rawValue: 1 << 5)
    static let notice = ReasonSet(rawValue: 1 << 6)
    static let advance = ReasonSet(rawValue: 1 << 7)
    static let noSeats = ReasonSet(rawValue: 1 << 8)
    static let misaligned = ReasonSet(rawValue: 1 << 9)
    static let noQualifiedResource = ReasonSet(rawValue: 1 << 10)
    static let invalidDuration = ReasonSet(rawValue: 1 << 11)

    var reasons: [UnavailableReason] { UnavailableReason.allCases.filter { rawValue & $0.bit != 0 } }
}

/// The result of checking one requested start.
public enum StartCheck: Hashable, Sendable {
    case bookable(Slot)
    case unavailable([UnavailableReason])

    public var slot: Slot? {
        if case .bookable(let s) = self { return s }
        return nil
    }

    /// Empty when bookable.
    public var reasons: [UnavailableReason] {
        if case .unavailable(let r) = self { return r }
        return []
    }
}

/// How "any resource" components pick among free qualified resources.
public enum AssignmentStrategy: Hashable, Sendable, Codable {
    /// The one booked least recently (never booked first), ties by id.
    case leastRecentlyBooked
    /// Resources in this order first; the others after, least recently booked first.
    case priority([ResourceID])
}
