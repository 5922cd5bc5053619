public import BookingCore
import Foundation
import GRDB

extension Rentals {
    /// For each date of `from…to`: can a rental of the minimum length be picked up that day? The
    /// same engine check a booking runs (hours, capacity, maintenance, turnover buffer, notice).
    static func availableDays(_ db: Database, business: Business, offer: OfferInfo, terms: RentalTerms,
                              from: LocalDate, to: LocalDate, now: Instant) throws -> [(date: LocalDate, available: Bool)] {
        guard let zone = TimeZone(identifier: business.timeZone), from <= to else { return [] }
        let clock = ZoneClock(zone)
        let shortest = terms.unit == .night ? terms.minUnits : terms.minUnits - 1
        let window = TimeRange(start: clock.day(from).start - 2 * 86_400,
                               end: clock.day(to.adding(days: shortest + 2)).start + Int64(offer.spec.bufferAfterMinutes) * 60)
        let schedules = try ScheduleLoader.schedules(db, businessID: business.id, spec: offer.spec, window: window, now: now)
        var out: [(date: LocalDate, available: Bool)] = []
        var date = from
        while date <= to {
            var available = false
            if let period = try? terms.period(from: date, to: date.adding(days: shortest), clock: clock) {
                let query = AvailabilityQuery(offerID: offer.id, spec: terms.spec(for: period, from: offer.spec), resources: schedules,
                                              timeZone: zone, now: now)
                if case .bookable = AvailabilityEngine.check(query, start: period.start) { available = true }
            }
            out.append((date, available))
            date = date.adding(days: 1)
        }
        return out
    }
}

extension Rentals {
    /// The most items of this offer one rental can take: the largest capacity among the resources
    /// that can serve it (12 kayaks: 12), at most `RentalTerms.maxQuantity`.
    static func mostItems(_ db: Database, businessID: BusinessID, spec: OfferVersionSpec) throws -> Int {
        let compiled = try CompiledSchedules.load(db, businessID: businessID)
        let largest = compiled.resources.filter { resource in spec.components.contains { $0.selector.matches(resource.template) } }
            .map(\.template.capacity).max() ?? 1
        return Swift.min(RentalTerms.maxQuantity, Swift.max(1, largest))
    }
}

/// A rental offer's calendar: its terms and which pick-up dates are free.
public struct RentalCalendar: Sendable {
    public struct Day: Sendable, Hashable {
        public let date: LocalDate
        public let available: Bool
    }

    public let business: Business
    public let offer: OfferInfo
    public let terms: RentalTerms
    public let today: LocalDate
    public let days: [Day]
    /// How many items one rental may take (1 for a single item; 12 for the 12 kayaks).
    public let mostItems: Int
}

/// A hand-over of a rented item (`check_out`) or its return (`check_in`), with the condition noted.
public struct RentalCheckpoint: Sendable, Hashable {
    public let kind: String
    public let note: String
    public let at: Instant
    public let actor: String
}

/// Units of a resource out of service until someone clears the flag.
public struct MaintenanceFlag: Sendable, Hashable {
    public let id: MaintenanceFlagID
    public let resourceSlug: String
    public let resourceName: String
    public let quantity: Int
    public let note: String
    public let flaggedAt: Instant
}

/// What the owner's rental form sets: the terms, the turnover between a return and the next
/// pick-up (the version's buffer after) and the deposit. nil keeps the version's own.
public struct RentalSetup: Sendable, Hashable {
    /// The deposit: none, a percent of the total or a fixed amount.
    public enum Deposit: Sendable, Hashable {
        case none
        case percent(Int)
        case fixed(Int64)

        var rule: DepositRule? {
            switch self {
            case .none: return nil
            case .percent(let p): return .percent(p)
            case .fixed(let amount): return .fixed(amount)
            }
        }
    }

    public var terms: RentalTerms
    public var turnoverMinutes: Int?
    public var deposit: Deposit?

    public init(terms: RentalTerms, turnoverMinutes: Int? = nil, deposit: Deposit? = nil) {
        self.terms = terms
        self.turnoverMinutes = turnoverMinutes
        self.deposit = deposit
    }

    /// The first thing wrong, by field (the limits of migration 0080 and the version's).
    public func problem() -> (field: String, message: String)? {
        if terms.rate < 0 || terms.rate > 100_000_000 { return ("rate", "enter a price of 0 or more") }
        if !(0...100).contains(terms.weeklyDiscountPercent) { return ("weekly_discount", "enter a weekly discount from 0 to 100 percent") }
        if !(1...365).contains(terms.minUnits) { return ("min_units", "the shortest rental is 1 to 365") }
        if !(terms.minUnits...365).contains(terms.maxUnits) { return ("max_units", "the longest rental is \(terms.minUnits) to 365") }
        if terms.unit == .day && terms.minUnits == 1 && terms.returnBy <= terms.pickUp {
            return ("return_time", "for one-day rentals the return time must be after the pick-up time")
        }
        if let turnover = turnoverMinutes, !(0...10_080).contains(turnover) { return ("turnover", "enter a turnover of 0 to 10080 minutes (a week)") }
        switch deposit {
        case .percent(let p) where !(1...100).contains(p): return ("deposit_percent", "enter a deposit of 1 to 100 percent")
        case .fixed(let amount) where amount <= 0: return ("deposit_amount", "enter a deposit amount above 0")
        default: return nil
        }
    }
}
