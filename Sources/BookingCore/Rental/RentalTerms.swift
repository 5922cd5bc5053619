/// How a `multi_day` offer is rented by date: picked up on one date at `pickUp` (check-in) and
/// returned on a later (or, by the day, the same) date at `returnBy` (check-out), charged per night
/// or per day with a discount from a week on. The turnover buffer is the version's buffer after.
public struct RentalTerms: Hashable, Sendable, Codable {
    /// What is counted and charged: nights (Fri → Sun is 2) or days (Fri → Sun is 3).
    public enum Unit: String, Hashable, Sendable, Codable, CaseIterable {
        case night, day
    }

    public var pickUp: WallTime
    public var returnBy: WallTime
    public var unit: Unit
    /// Minor units per night or day, in the offer's currency.
    public var rate: Int64
    /// Percent off the whole rental when it lasts at least 7 units.
    public var weeklyDiscountPercent: Int
    public var minUnits: Int
    public var maxUnits: Int

    public init(pickUp: WallTime, returnBy: WallTime, unit: Unit, rate: Int64, weeklyDiscountPercent: Int = 0,
                minUnits: Int = 1, maxUnits: Int = 14) {
        self.pickUp = pickUp
        self.returnBy = returnBy
        self.unit = unit
        self.rate = rate
        self.weeklyDiscountPercent = weeklyDiscountPercent
        self.minUnits = minUnits
        self.maxUnits = maxUnits
    }

    /// Nights or days between two business-local dates: calendar arithmetic, so a night across a
    /// DST change is one night whatever its length in hours.
    public func units(from pickUpDate: LocalDate, to returnDate: LocalDate) -> Int {
        let nights = pickUpDate.days(to: returnDate)
        return unit == .night ? nights : nights + 1
    }

    /// The instants a rental from `pickUpDate` to `returnDate` runs between, or why it cannot.
    public func period(from pickUpDate: LocalDate, to returnDate: LocalDate, clock: ZoneClock) throws(RentalError) -> RentalPeriod {
        guard pickUpDate <= returnDate else { throw .returnBeforePickUp }
        let units = units(from: pickUpDate, to: returnDate)
        guard units >= minUnits else { throw .tooShort(minUnits: minUnits, unit: unit) }
        guard units <= maxUnits else { throw .tooLong(maxUnits: maxUnits, unit: unit) }
        // A pick-up or return time that a DST change skips that day moves forward, as the clock does.
        let start = clock.day(pickUpDate).instantMovingForward(minutes: pickUp.minutes)
        let end = clock.day(returnDate).instantMovingForward(minutes: returnBy.minutes)
        guard end > start else { throw .returnBeforePickUp }
        return RentalPeriod(pickUpDate: pickUpDate, returnDate: returnDate, start: start, end: end, units: units)
    }

    /// The most items one rental may take (3 of the 12 kayaks): the API and the form refuse more.
    public static let maxQuantity = 100

    /// The price of `units` for `quantity` items: rate × units × quantity, less the weekly discount
    /// from 7 units on. Lines sum to the total.
    public func quote(units: Int, quantity: Int = 1, currency: String, deposit: DepositRule?) -> PriceBreakdown {
        let items = Int64(Swift.max(1, quantity))
        let base = rate * Int64(Swift.max(0, units)) * items
        let noun = unit == .night ? (units == 1 ? "night" : "nights") : (units == 1 ? "day" : "days")
        let each = "\(units) \(noun) × \(rate) per \(unit.rawValue)"
        var lines = [PriceBreakdown.Line(label: items == 1 ? each : "\(items) items × \(each)", amount: base)]
        var total = base
        let percent = Int64(Swift.min(100, Swift.max(0, weeklyDiscountPercent)))
        if units >= 7 && percent > 0 {
            let off = roundHalfUp(base, times: percent, over: 100)
            lines.append(.init(label: "Weekly discount −\(percent)%", amount: -off))
            total -= off
        }
        return PriceBreakdown(currency: currency, model: "per_\(unit.rawValue)", lines: lines, total: total,
                              deposit: Pricing.deposit(deposit, total: total))
    }

    /// The version spec the availability engine checks one rental with: the same rules, with the
    /// rental's exact length (minutes between the two instants) as its only duration.
    public func spec(for period: RentalPeriod, from spec: OfferVersionSpec) -> OfferVersionSpec {
        var checked = spec
        checked.mode = .multiDay
        checked.duration = .fixed(Int(Swift.max(1, (period.end - period.start) / 60)))
        checked.slotIntervalMinutes = 1
        return checked
    }
}

/// One rental's dates, instants and count of nights or days.
public struct RentalPeriod: Hashable, Sendable {
    public var pickUpDate: LocalDate
    public var returnDate: LocalDate
    public var start: Instant
    public var end: Instant
    public var units: Int
}

/// Why dates cannot be rented (each maps to a sentence on the page and a 422 in the API).
public enum RentalError: Error, Hashable, Sendable {
    case returnBeforePickUp
    case tooShort(minUnits: Int, unit: RentalTerms.Unit)
    case tooLong(maxUnits: Int, unit: RentalTerms.Unit)

    /// Lower case without a full stop, like every `invalid` message ("rentals are at most 7 days").
    public var message: String {
        switch self {
        case .returnBeforePickUp: return "the return date must be after the pick-up date"
        case .tooShort(let n, let unit): return "rentals are at least \(n) \(unit.rawValue)\(n == 1 ? "" : "s")"
        case .tooLong(let n, let unit): return "rentals are at most \(n) \(unit.rawValue)\(n == 1 ? "" : "s")"
        }
    }
}
