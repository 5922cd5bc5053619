extension UnavailableReason {
    /// The reason in a few plain words, for pages and emails ("already booked").
    public var phrase: String {
        switch self {
        case .closed: "closed that day"
        case .outsideHours: "outside opening hours"
        case .blocked: "time off or blocked"
        case .taken: "already booked"
        case .buffer: "too close to another booking"
        case .limitReached: "daily limit reached"
        case .notice: "too soon to book"
        case .advance: "too far ahead"
        case .noSeats: "no seats left"
        case .misaligned: "not on the booking grid"
        case .noQualifiedResource: "nobody can provide it"
        case .invalidDuration: "not an allowed duration"
        }
    }
}
