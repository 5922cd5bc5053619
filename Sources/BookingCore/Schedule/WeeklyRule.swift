/// Opening hours on one weekday, in the business's wall-clock time.
public struct WeeklyRule: Hashable, Sendable, Codable {
    public var weekday: Weekday
    public var opens: WallTime
    /// Must be after `opens`; `24:00` closes at the end of the day.
    public var closes: WallTime
    /// Seasonal rules: first and last local dates the rule applies (inclusive).
    public var validFrom: LocalDate?
    public var validUntil: LocalDate?
    /// When set, the rule applies only to that offer (e.g. the sessions of a class).
    public var offerID: OfferID?

    public init(weekday: Weekday, opens: WallTime, closes: WallTime,
                validFrom: LocalDate? = nil, validUntil: LocalDate? = nil, offerID: OfferID? = nil) {
        self.weekday = weekday
        self.opens = opens
        self.closes = closes
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.offerID = offerID
    }

    /// True when the rule is in force on `date` (weekday and season), for any offer.
    public func isInForce(on date: LocalDate) -> Bool {
        date.weekday == weekday && opens < closes
            && (validFrom.map { $0 <= date } ?? true) && (validUntil.map { date <= $0 } ?? true)
    }

    /// True when the rule counts for `offerID` (general rules count for every offer).
    public func applies(to offerID: OfferID?) -> Bool {
        self.offerID == nil || self.offerID == offerID
    }
}

/// A wall-clock interval on one date (used by special hours).
public struct WallInterval: Hashable, Sendable, Codable {
    public var opens: WallTime
    public var closes: WallTime

    public init(opens: WallTime, closes: WallTime) {
        self.opens = opens
        self.closes = closes
    }
}
