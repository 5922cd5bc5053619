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
        guard offer.spec.mode == .multiDay,
              let terms = try terms(db, businessID: business.id, versionID: offer.versionID) else {
            throw BookingFailure.invalid(field: "start_date", message: "this offer is not rented by date")
        }
        let period: RentalPeriod
        do {
            period = try terms.period(from: dates.pickUp, to: dates.returnDate, clock: ZoneClock(zone))
        } catch {
            throw BookingFailure.invalid(field: "end_date", message: error.message)
        }
        let price = terms.quote(units: period.units, currency: offer.spec.price.currency, deposit: offer.spec.deposit)
        return (period, terms.spec(for: period, from: offer.spec), price)
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

/// A rental's pick-up and return dates, in the business's time zone.
public struct RentalDates: Sendable, Hashable {
    public var pickUp: LocalDate
    public var returnDate: LocalDate

    public init(pickUp: LocalDate, returnDate: LocalDate) {
        self.pickUp = pickUp
        self.returnDate = returnDate
    }
}

/// Open flags never end by themselves: they block until cleared. This end is far enough for any
/// window the engine asks about, and small enough that adding buffers cannot overflow.
let outOfServiceUntil: Instant = 1 << 40
