/// An exception to the weekly rules on one local date.
public struct DateOverlay: Hashable, Sendable, Codable {
    public enum Kind: Hashable, Sendable, Codable {
        /// Closed all day (wins over everything else that date).
        case closed
        /// These hours replace the weekly rules on that date.
        case specialHours([WallInterval])
        /// An instant range that cannot be booked (blocks like time off).
        case blackout(TimeRange)
    }

    public var date: LocalDate
    public var kind: Kind

    public init(date: LocalDate, kind: Kind) {
        self.date = date
        self.kind = kind
    }
}
