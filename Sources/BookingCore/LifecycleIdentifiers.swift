/// A waitlist entry (`waitlist_entries.id`).
public struct WaitlistEntryID: Identifier {
    public let rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// A recurring series (`booking_series.id`).
public struct SeriesID: Identifier {
    public let rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
}
