public import BookingCore
import Foundation
import GRDB

/// A series as its pages show it: the rule, the customer and every occurrence (cancelled ones too).
public struct SeriesSummary: Sendable, Hashable {
    public let publicID: String
    public let offerSlug: String
    public let offerName: String
    public let intervalWeeks: Int
    public let end: SeriesRule.End
    /// False once cancelled from an occurrence on (or every upcoming one).
    public let active: Bool
    public let customer: CustomerDetails
    public let bookings: [OrderView]
}

/// What a series page asks of a series: "this one" or "this and following", from the occurrence
/// starting at `from`.
public enum SeriesChange: Sendable, Hashable {
    case cancel(from: Instant, following: Bool)
    /// To `to` (for "following": every later occurrence shifted alike, see `Series.move`).
    case move(from: Instant, to: Instant, following: Bool)
}

/// Who may see and change a series from the customer pages: its signed-in customer, or whoever
/// holds the guest token of one of its bookings (from that booking's confirmation).
public struct SeriesCustomerAccess: Sendable, Hashable {
    public let userID: UserID?
    public let bookingID: String?
    public let token: String?

    public init(userID: UserID?, bookingID: String?, token: String?) {
        self.userID = userID
        self.bookingID = bookingID
        self.token = token
    }
}

extension Series {
    static func summary(_ db: Database, business: Business, publicID: String) throws -> SeriesSummary {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT s.*, o.slug AS offer_slug, o.name AS offer_name FROM booking_series s
            JOIN offers o ON o.business_id = s.business_id AND o.id = s.offer_id
            WHERE s.business_id = ? AND s.public_id = ?
            """), arguments: [business.id, publicID]) else { throw BookingFailure.seriesNotFound }
        let end: SeriesRule.End
        if let count = row["end_count"] as Int? {
            end = .count(count)
        } else if let date = (row["end_date"] as String?).flatMap(LocalDate.init) {
            end = .until(date)
        } else {
            end = .none
        }
        return SeriesSummary(publicID: publicID, offerSlug: row["offer_slug"], offerName: row["offer_name"],
                             intervalWeeks: row["interval_weeks"], end: end, active: (row["status"] as String) == "active",
                             customer: CustomerDetails(name: row["customer_name"], email: row["customer_email"],
                                                       phone: row["customer_phone"], userID: row["customer_user_id"]),
                             bookings: try bookings(db, business: business, publicID: publicID))
    }

    /// A location-scoped member's reach (`location` nil: the whole business): the series is in it
    /// when one of its bookings uses a resource of that location; else `seriesNotFound`.
    static func requireInScope(_ db: Database, business: Business, publicID: String, location: LocationID?) throws {
        guard let location else { return }
        guard try Bool.fetchOne(db.cachedStatement(sql: """
            SELECT 1 FROM booking_series s
            JOIN booking_orders b ON b.business_id = s.business_id AND b.series_id = s.id
            JOIN resource_assignments a ON a.business_id = b.business_id AND a.order_id = b.id
            JOIN resources r ON r.business_id = a.business_id AND r.id = a.resource_id
            WHERE s.business_id = ? AND s.public_id = ? AND r.location_id = ? LIMIT 1
            """), arguments: [business.id, publicID, location]) == true else { throw BookingFailure.seriesNotFound }
    }

    /// Whether `access` may see the series: its customer signed in, or the token of one of its bookings.
    static func allows(_ db: Database, business: Business, publicID: String, access: SeriesCustomerAccess) throws -> Bool {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT id, customer_user_id FROM booking_series WHERE business_id = ? AND public_id = ?
            """), arguments: [business.id, publicID]) else { return false }
        if let userID = access.userID, (row["customer_user_id"] as UserID?) == userID { return true }
        guard let bookingID = access.bookingID, let token = access.token, !token.isEmpty,
              try Bool.fetchOne(db.cachedStatement(sql: """
                  SELECT 1 FROM booking_orders WHERE business_id = ? AND public_id = ? AND series_id = ?
                  """), arguments: [business.id, bookingID, row["id"] as SeriesID]) == true else { return false }
        return try BookingReads.tokenMatches(db, businessID: business.id, publicID: bookingID, token: token)
    }

    /// The public id of the series `bookingID` belongs to, if any.
    static func of(_ db: Database, businessID: BusinessID, bookingID: String) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: """
            SELECT s.public_id FROM booking_orders b JOIN booking_series s ON s.business_id = b.business_id AND s.id = b.series_id
            WHERE b.business_id = ? AND b.public_id = ?
            """), arguments: [businessID, bookingID])
    }

    /// Cancels or moves one occurrence, or it and the following ones, in the caller's transaction.
    /// `rules` says who asks (a customer's move keeps the offer's customer rules); `byBusiness`
    /// cancellations refund in full. A `from` that is not an upcoming occurrence changes nothing.
    static func change(_ db: Database, business: Business, publicID: String, change: SeriesChange, now: Instant, actor: Actor,
                       rules: Bookings.RescheduleRules, byBusiness: Bool) throws -> SeriesSummary {
        let reason = byBusiness ? "Cancelled by the business" : "Cancelled by the customer"
        switch change {
        case .cancel(let from, true):
            try requireUpcoming(from, now: now)
            _ = try cancel(db, business: business, publicID: publicID, from: from, reason: reason, now: now, actor: actor,
                           byBusiness: byBusiness)
        case .cancel(let from, false):
            let id = try occurrence(db, business: business, publicID: publicID, start: from, now: now)
            _ = try Bookings.cancel(db, business: business, publicID: id, reason: reason, now: now, actor: actor, byBusiness: byBusiness)
        case .move(let from, let to, true):
            try requireUpcoming(from, now: now)
            _ = try move(db, business: business, publicID: publicID, from: from, to: to, now: now, actor: actor, rules: rules)
        case .move(let from, let to, false):
            let id = try occurrence(db, business: business, publicID: publicID, start: from, now: now)
            _ = try Bookings.reschedule(db, business: business, publicID: id, start: to, now: now, actor: actor, rules: rules)
        }
        return try summary(db, business: business, publicID: publicID)
    }

    private static func requireUpcoming(_ from: Instant, now: Instant) throws {
        guard from > now else {
            throw BookingFailure.invalid(field: "from", message: "give the start of one of the series' upcoming bookings")
        }
    }

    /// The booking of the series starting at `start`, upcoming and not cancelled.
    private static func occurrence(_ db: Database, business: Business, publicID: String, start: Instant, now: Instant) throws -> String {
        try requireUpcoming(start, now: now)
        guard let seriesID = try SeriesID.fetchOne(db.cachedStatement(sql: """
            SELECT id FROM booking_series WHERE business_id = ? AND public_id = ?
            """), arguments: [business.id, publicID]) else { throw BookingFailure.seriesNotFound }
        guard let id = try String.fetchOne(db.cachedStatement(sql: """
            SELECT public_id FROM booking_orders WHERE business_id = ? AND series_id = ? AND starts_at = ?
              AND status IN ('pending', 'confirmed') LIMIT 1
            """), arguments: [business.id, seriesID, start]) else {
            throw BookingFailure.invalid(field: "from", message: "give the start of one of the series' upcoming bookings")
        }
        return id
    }
}

extension AppDatabase {
    /// A series of the business with its occurrences (staff pages). A member scoped to a location
    /// (`location`) sees only series served there: one of its bookings uses a resource of that
    /// location; any other is `seriesNotFound`, as one that does not exist.
    public func seriesSummary(business: Business, publicID: String, location: LocationID? = nil) throws -> SeriesSummary {
        try read { db in
            try Series.requireInScope(db, business: business, publicID: publicID, location: location)
            return try Series.summary(db, business: business, publicID: publicID)
        }
    }

    /// A series for its customer (see `SeriesCustomerAccess`); nil for anyone else, as for one that does not exist.
    public func customerSeries(businessSlug: String, publicID: String,
                               access: SeriesCustomerAccess) throws -> (business: Business, series: SeriesSummary)? {
        try read { db in
            guard let business = try Catalog.business(db, slug: businessSlug),
                  try Series.allows(db, business: business, publicID: publicID, access: access) else { return nil }
            return (business, try Series.summary(db, business: business, publicID: publicID))
        }
    }

    /// The public id of the series a booking belongs to, if any.
    public func seriesOfBooking(businessID: BusinessID, bookingID: String) throws -> String? {
        try read { db in try Series.of(db, businessID: businessID, bookingID: bookingID) }
    }

    /// Staff: cancel or move one occurrence or it and the following ones, in one transaction
    /// (business rules; cancellations refund in full).
    public func changeSeries(business: Business, publicID: String, change: SeriesChange, now: Instant,
                             actor: Actor, location: LocationID? = nil) throws -> SeriesSummary {
        try write { db in
            try Series.requireInScope(db, business: business, publicID: publicID, location: location)
            return try Series.change(db, business: business, publicID: publicID, change: change, now: now, actor: actor,
                              rules: .business, byBusiness: true)
        }
    }

    /// The customer's own change (customer rules, refunds by the tiers), access checked in the same
    /// transaction; `seriesNotFound` for anyone else.
    public func changeCustomerSeries(businessSlug: String, publicID: String, access: SeriesCustomerAccess, change: SeriesChange,
                                     now: Instant, actor: Actor) throws -> (business: Business, series: SeriesSummary) {
        try write { db in
            guard let business = try Catalog.business(db, slug: businessSlug),
                  try Series.allows(db, business: business, publicID: publicID, access: access) else { throw BookingFailure.seriesNotFound }
            return (business, try Series.change(db, business: business, publicID: publicID, change: change, now: now, actor: actor,
                                                rules: .customer, byBusiness: false))
        }
    }
}
