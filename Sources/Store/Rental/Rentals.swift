public import BookingCore
import Foundation
import GRDB

/// Rental terms, checkpoints and maintenance flags (migration 0080). Every query is scoped by business.
enum Rentals {
    /// The rental terms of an offer version, when it is rented by date.
    static func terms(_ db: Database, businessID: BusinessID, versionID: OfferVersionID) throws -> RentalTerms? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT pick_up_minute, return_minute, unit, rate, weekly_discount_percent, min_units, max_units
            FROM rental_terms WHERE business_id = ? AND version_id = ?
            """), arguments: [businessID, versionID]),
              let pickUp = WallTime(minutes: row[0]), let returnBy = WallTime(minutes: row[1]),
              let unit = RentalTerms.Unit(rawValue: row[2]) else { return nil }
        return RentalTerms(pickUp: pickUp, returnBy: returnBy, unit: unit, rate: row[3], weeklyDiscountPercent: row[4],
                           minUnits: row[5], maxUnits: row[6])
    }

    /// Attaches terms to a draft version (published versions refuse it: migration 0080).
    static func insertTerms(_ db: Database, businessID: BusinessID, versionID: OfferVersionID, terms: RentalTerms) throws {
        try db.cachedStatement(sql: """
            INSERT INTO rental_terms (business_id, version_id, pick_up_minute, return_minute, unit, rate, weekly_discount_percent,
              min_units, max_units) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [businessID, versionID, terms.pickUp.minutes, terms.returnBy.minutes, terms.unit.rawValue,
                                     terms.rate, terms.weeklyDiscountPercent, terms.minUnits, terms.maxUnits])
    }

    /// The period, the spec to check it with and its price, for a rental request on `offer`.
    static func plan(_ db: Database, business: Business, offer: OfferInfo, dates: RentalDates,
                     zone: TimeZone) throws -> (period: RentalPeriod, spec: OfferVersionSpec, price: PriceBreakdown) {
        try plan(db, business: business, versionID: offer.versionID, spec: offer.spec, dates: dates, zone: zone)
    }

    /// The same for a version (a booking being moved keeps the version it was sold under).
    static func plan(_ db: Database, business: Business, versionID: OfferVersionID, spec: OfferVersionSpec, dates: RentalDates,
                     zone: TimeZone) throws -> (period: RentalPeriod, spec: OfferVersionSpec, price: PriceBreakdown) {
        guard spec.mode == .multiDay,
              let terms = try terms(db, businessID: business.id, versionID: versionID) else {
            throw BookingFailure.invalid(field: "start_date", message: "this offer is not rented by date")
        }
        let period: RentalPeriod
        do {
            period = try terms.period(from: dates.pickUp, to: dates.returnDate, clock: ZoneClock(zone))
        } catch {
            throw BookingFailure.invalid(field: "end_date", message: error.message)
        }
        guard (1...RentalTerms.maxQuantity).contains(dates.quantity) else {
            throw BookingFailure.invalid(field: "quantity", message: "rent 1 to \(RentalTerms.maxQuantity) items at a time")
        }
        let price = terms.quote(units: period.units, quantity: dates.quantity, currency: spec.price.currency, deposit: spec.deposit)
        return (period, terms.spec(for: period, from: spec), price)
    }

    // MARK: Maintenance

    /// Units of each resource out of service (open flags), with the earliest flag time.
    static func outOfService(_ db: Database, businessID: BusinessID) throws -> [ResourceID: (units: Int, since: Instant)] {
        var out: [ResourceID: (units: Int, since: Instant)] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT resource_id, SUM(quantity), MIN(flagged_at) FROM maintenance_flags
            WHERE business_id = ? AND cleared_at IS NULL GROUP BY resource_id
            """), arguments: [businessID]) {
            out[row[0] as ResourceID] = (units: row[1] as Int, since: row[2] as Instant)
        }
        return out
    }
}

/// A rental's pick-up and return dates, in the business's time zone, and how many items.
public struct RentalDates: Sendable, Hashable {
    public var pickUp: LocalDate
    public var returnDate: LocalDate
    /// Items of the same asset (3 of the 12 kayaks): each takes one unit of its capacity.
    public var quantity: Int

    public init(pickUp: LocalDate, returnDate: LocalDate, quantity: Int = 1) {
        self.pickUp = pickUp
        self.returnDate = returnDate
        self.quantity = quantity
    }
}

extension Rentals {
    /// The schedules with `quantity - 1` items already taken for `blocked` on every resource, so the
    /// engine's one-booking check passes only where `quantity` items fit at once (capacity minus the
    /// busiest moment ≥ quantity). The engine itself is unchanged: this is how maintenance units
    /// are counted too.
    static func reserving(_ schedules: [ResourceSchedule], quantity: Int, blocked: TimeRange) -> [ResourceSchedule] {
        guard quantity > 1 else { return schedules }
        let phantom = BusyEntry(blocked: blocked, offerID: OfferID(rawValue: 0))
        return schedules.map { schedule in
            var reserved = schedule
            reserved.busy += Array(repeating: phantom, count: quantity - 1)
            return reserved
        }
    }
}

/// Open flags never end by themselves: they block until cleared. This end is far enough for any
/// window the engine asks about, and small enough that adding buffers cannot overflow.
let outOfServiceUntil: Instant = 1 << 40
