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
