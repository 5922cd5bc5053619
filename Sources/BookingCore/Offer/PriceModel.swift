/// An amount of money in integer minor units (cents) of an ISO 4217 currency.
public struct Money: Hashable, Sendable, Codable {
    public var minorUnits: Int64
    public var currency: String

    public init(_ minorUnits: Int64, _ currency: String) {
        self.minorUnits = minorUnits
        self.currency = currency
    }
}

/// How the base price is computed.
public enum PriceModel: Hashable, Sendable, Codable {
    /// One amount per booking.
    case fixed(Money)
    /// `rate` per hour, charged per started `incrementMinutes`, at least `minimumMinutes`.
    case hourly(rate: Money, incrementMinutes: Int, minimumMinutes: Int)
    /// `amount` × party size.
    case perPerson(Money)

    public var currency: String {
        switch self {
        case .fixed(let m), .perPerson(let m), .hourly(let m, _, _): return m.currency
        }
    }

    /// `fixed`, `hourly` or `per_person` (the API's `model` field).
    public var name: String {
        switch self {
        case .fixed: return "fixed"
        case .hourly: return "hourly"
        case .perPerson: return "per_person"
        }
    }
}

/// A price adjustment. Multipliers are in basis points: 10_000 = ×1, 12_500 = ×1.25.
public enum PricingRule: Hashable, Sendable, Codable {
    /// Starts at a local wall time in `[from, to)` (on `weekdays` when given).
    case timeOfDay(from: WallTime, to: WallTime, weekdays: Set<Weekday>?, multiplierBasisPoints: Int)
    /// Starts on one of `weekdays`.
    case weekday(Set<Weekday>, multiplierBasisPoints: Int)
    /// Starts on `date` (a holiday): replaces the base price, or multiplies it.
    case dateOverride(LocalDate, DateOverride)
    /// Booked at least `minDaysAhead` × 24 h before the start.
    case earlyBird(minDaysAhead: Int, percentOff: Int)
    /// Booked less than `withinHours` before the start; positive percent = surcharge, negative = discount.
    case lastMinute(withinHours: Int, percentChange: Int)

    public enum DateOverride: Hashable, Sendable, Codable {
        case fixed(Int64)
        case multiplierBasisPoints(Int)
    }
}

/// How much is due up front.
public enum DepositRule: Hashable, Sendable, Codable {
    case percent(Int)
    /// Capped at the total.
    case fixed(Int64)
}

/// Cancelling at least `minHoursBefore` hours before the start refunds `refundPercent`.
public struct CancellationTier: Hashable, Sendable, Codable {
    public var minHoursBefore: Int
    public var refundPercent: Int

    public init(minHoursBefore: Int, refundPercent: Int) {
        self.minHoursBefore = minHoursBefore
        self.refundPercent = refundPercent
    }
}
