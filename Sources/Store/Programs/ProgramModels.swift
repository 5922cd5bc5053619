public import BookingCore

/// A program as customers, staff and the API read it: a class offer sold as courses ("runs") of
/// dated sessions. `seats` is the places in one course; `price` what one course costs.
public struct ProgramView: Sendable, Hashable {
    public struct Session: Sendable, Hashable {
        public let id: ProgramSessionID
        public let start: Instant
        public let end: Instant
        /// Places left in this session (course places and make-ups share them).
        public let seatsLeft: Int
    }

    public struct Run: Sendable, Hashable {
        public let id: ProgramRunID
        public let publicID: String
        public let name: String
        public let sessions: [Session]
        /// Places left in the course: the fewest of its sessions (a place is sold only when every session has one).
        public var seatsLeft: Int { sessions.map(\.seatsLeft).min() ?? 0 }
        /// Whether the course is still on sale (its first session has not started).
        public let open: Bool
    }

    public let offer: OfferInfo
    public let makeupsAllowed: Bool
    public let seats: Int
    public let price: PriceBreakdown
    public let runs: [Run]
}

/// A course or make-up booking's sessions, for its customer and for staff.
public struct ProgramBookingSessions: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public let sessionID: ProgramSessionID
        public let runName: String
        public let start: Instant
        public let end: Instant
        public let attendance: ProgramRules.Attendance?
        /// The make-up booked for this session when it was missed (its start), if any.
        public let madeUpAt: Instant?
    }

    public let runName: String
    /// `course` or `makeup`.
    public let kind: String
    public let makeupsAllowed: Bool
    public let entries: [Entry]
}

/// One session's roster for staff: every booking with a place in it, with its mark.
public struct ProgramRoster: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public let order: OrderView
        /// `course` or `makeup`.
        public let kind: String
        public let attendance: ProgramRules.Attendance?
    }

    public let sessionID: ProgramSessionID
    public let offerSlug: String
    public let offerName: String
    public let runName: String
    public let start: Instant
    public let end: Instant
    public let entries: [Entry]
}

/// A new run's terms from the owner: its name and the starts of its sessions.
public struct ProgramRunRequest: Sendable, Hashable {
    public let name: String
    public let starts: [Instant]

    public init(name: String, starts: [Instant]) {
        self.name = name
        self.starts = starts
    }
}
