/// Programs with attendance (UC-14, UC-39): a class offer sold as a course of dated sessions. The
/// rules here decide what a run may hold, who may mark attendance and when, and whether a missed
/// session may be made up; Store applies them inside its transactions.
public enum ProgramRules {
    /// Most sessions one run may have (two a week for half a year).
    public static let maximumSessions = 52

    /// Attendance: a session's mark.
    public enum Attendance: String, Sendable, Hashable, CaseIterable {
        case attended, absent
    }

    /// The starts of a new run, sorted: at least one, at most `maximumSessions`, all distinct and all
    /// after `now`. A sentence for the owner otherwise.
    public static func sessionStarts(_ starts: [Instant], now: Instant) -> Result<[Instant], RunRefusal> {
        guard !starts.isEmpty else { return .failure(.none) }
        guard starts.count <= maximumSessions else { return .failure(.tooMany) }
        let sorted = starts.sorted()
        guard Set(sorted).count == sorted.count else { return .failure(.repeated) }
        guard let first = sorted.first, first > now else { return .failure(.past) }
        return .success(sorted)
    }

    public enum RunRefusal: Error, Sendable, Hashable {
        case none, tooMany, repeated, past

        public var sentence: String {
            switch self {
            case .none: "give at least one session date and time"
            case .tooMany: "a run has at most \(ProgramRules.maximumSessions) sessions"
            case .repeated: "each session date and time may appear once"
            case .past: "every session must be in the future"
            }
        }
    }

    /// Enrolment closes when the run's first session starts: a course is sold whole.
    public static func enrolmentOpen(firstStart: Instant, now: Instant) -> Bool { now < firstStart }

    /// Attendance can be marked from an hour before the session starts (people arrive early) on.
    public static let markingOpensSecondsBefore: Int64 = 3_600

    public static func canMark(sessionStart: Instant, now: Instant) -> Bool {
        now >= sessionStart - markingOpensSecondsBefore
    }

    /// Who may mark attendance: those who see the whole business's bookings and check people in
    /// (front desk, managers, admins, owners). A provider's view is their own bookings, a client's theirs.
    public static func mayMarkAttendance(_ role: Role) -> Bool {
        role.can(.bookingViewOrg) && role.can(.bookingCheckIn)
    }

    /// Why a make-up is refused, or nil when it may be booked: the owner allows make-ups, the
    /// missed session was marked absent and has no live make-up yet, and the chosen session is of
    /// another run of the same program and still ahead. (Whether it has a free seat is the engine's.)
    public static func makeupRefusal(allowed: Bool, missed: Attendance?, alreadyMadeUp: Bool, sameRun: Bool,
                                     sessionStart: Instant, now: Instant) -> MakeupRefusal? {
        guard allowed else { return .notAllowed }
        guard missed == .absent else { return .notMissed }
        guard !alreadyMadeUp else { return .alreadyMadeUp }
        guard !sameRun else { return .sameRun }
        guard sessionStart > now else { return .past }
        return nil
    }

    public enum MakeupRefusal: String, Error, Sendable, Hashable, CaseIterable {
        case notAllowed = "makeups_not_allowed"
        case notMissed = "not_missed"
        case alreadyMadeUp = "already_made_up"
        case sameRun = "same_run"
        case past = "session_past"

        public var sentence: String {
            switch self {
            case .notAllowed: "this program does not offer make-up sessions"
            case .notMissed: "only a session marked absent can be made up"
            case .alreadyMadeUp: "that missed session already has a make-up"
            case .sameRun: "choose a session of another run of the program"
            case .past: "choose a session that has not started yet"
            }
        }
    }
}
