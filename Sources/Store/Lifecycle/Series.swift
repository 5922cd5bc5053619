public import BookingCore
import Foundation
import GRDB

/// A request to book a start and its repeats.
public struct SeriesRequest: Sendable, Hashable {
    public var booking: BookingRequest
    public var rule: SeriesRule
    /// Skip the dates that cannot be had (listed in the answer) instead of booking nothing.
    public var skipConflicts: Bool

    public init(booking: BookingRequest, rule: SeriesRule, skipConflicts: Bool) {
        self.booking = booking
        self.rule = rule
        self.skipConflicts = skipConflicts
    }
}

/// A series as booked (or as it would be, for a preview).
public struct SeriesResult: Sendable, Hashable {
    public struct Skipped: Sendable, Hashable {
        public let start: Instant
        /// The engine's first reason code (`taken`, `closed`, `advance`, …).
        public let reason: String
    }

    /// The series id (`sr_…`); empty for a preview.
    public let id: String
    public let bookings: [OrderView]
    public let skipped: [Skipped]
    /// The guest token of the first booking (it opens the series' page for a guest); nil for a preview.
    public let firstToken: String?

    public init(id: String, bookings: [OrderView], skipped: [Skipped], firstToken: String? = nil) {
        self.id = id
        self.bookings = bookings
        self.skipped = skipped
        self.firstToken = firstToken
    }
}

/// Recurring series: every occurrence checked and booked in one transaction (all or nothing, or
/// skipping the dates that cannot be had), cancelled from an occurrence on, and standing
/// reservations kept booked a horizon ahead by the worker.
enum Series {
    static func book(_ db: Database, business: Business, request: SeriesRequest, now: Instant, actor: Actor,
                     preview: Bool) throws -> SeriesResult {
        guard preview else { return try bookNow(db, business: business, request: request, now: now, actor: actor) }
        var result: SeriesResult?
        try db.inSavepoint {
            result = try bookNow(db, business: business, request: request, now: now, actor: actor)
            return .rollback
        }
        guard let result else { throw BookingFailure.orderNotFound }
        return SeriesResult(id: "", bookings: result.bookings, skipped: result.skipped)
    }

    private static func bookNow(_ db: Database, business: Business, request: SeriesRequest, now: Instant,
                                actor: Actor) throws -> SeriesResult {
        guard let offer = try Catalog.offer(db, businessID: business.id, slug: request.booking.offerSlug), offer.status == .live else {
            throw BookingFailure.offerNotFound
        }
        guard let clock = ZoneClock(identifier: business.timeZone) else { throw BookingFailure.businessNotFound }
        // The series row holds the customer: their details pass the booking's checks, and a series always has a name.
        try Bookings.validate(request.booking, spec: offer.spec)
        guard !request.booking.customer.name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw BookingFailure.invalid(field: "name", message: "enter a name of 1 to 120 characters")
        }
        let first = clock.local(request.booking.start).date
        if let problem = request.rule.problem(first: first) {
            throw BookingFailure.invalid(field: "repeat." + problem.field, message: problem.message)
        }
        let horizon = clock.local(now).date.adding(days: offer.spec.maximumAdvanceDays)
        let publicID = Tokens.publicID(prefix: "sr")
        let endCount: Int?, endDate: String?
        switch request.rule.end {
        case .count(let count): (endCount, endDate) = (count, nil)
        case .until(let date): (endCount, endDate) = (nil, date.description)
        case .none: (endCount, endDate) = (nil, nil)
        }
        let customer = request.booking.customer
        try db.execute(sql: """
            INSERT INTO booking_series (business_id, public_id, offer_id, interval_weeks, end_count, end_date, first_start, party_size,
              resources, customer_user_id, customer_name, customer_email, customer_phone, source, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [business.id, publicID, offer.id, request.rule.intervalWeeks, endCount, endDate, request.booking.start,
                             request.booking.partySize, try SpecRow.json(request.booking.resourceSlugs), customer.userID,
                             customer.name.trimmingCharacters(in: .whitespacesAndNewlines), customer.email, customer.phone,
                             request.booking.source == "staff" || request.booking.source == "walk_in" ? "staff" : request.booking.source,
                             now, now])
        let seriesID = SeriesID(rawValue: db.lastInsertedRowID)
        let starts = request.rule.occurrences(first: request.booking.start, clock: clock, through: horizon)
        let outcome = try bookOccurrences(db, business: business, seriesID: seriesID, request: request.booking, starts: starts,
                                          skipping: request.skipConflicts, now: now, actor: actor)
        guard !outcome.bookings.isEmpty else {
            throw BookingFailure.slotUnavailable(outcome.reasons.first ?? [.taken])
        }
        try db.execute(sql: "UPDATE booking_series SET booked_through = ? WHERE business_id = ? AND id = ?",
                       arguments: [starts.last.map { clock.local($0).date.description }, business.id, seriesID])
        try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "series.create", subject: "series:\(publicID)",
                            details: ["offer": offer.slug, "booked": String(outcome.bookings.count), "skipped": String(outcome.skipped.count)])
        return SeriesResult(id: publicID, bookings: outcome.bookings, skipped: outcome.skipped, firstToken: outcome.firstToken)
    }

    /// Books each start in its own savepoint; a date that cannot be had is skipped (listed with
    /// its reasons) or, unless `skipping`, fails the whole series.
    private static func bookOccurrences(_ db: Database, business: Business, seriesID: SeriesID, request: BookingRequest, starts: [Instant],
                                        skipping: Bool, now: Instant,
                                        actor: Actor) throws -> (bookings: [OrderView], skipped: [SeriesResult.Skipped],
                                                                 reasons: [[UnavailableReason]], firstToken: String?) {
        var bookings: [OrderView] = [], skipped: [SeriesResult.Skipped] = [], reasons: [[UnavailableReason]] = []
        var firstToken: String?
        for start in starts {
            var occurrence = request
            occurrence.start = start
            do {
                var booked: OrderView?
                try db.inSavepoint {
                    let made = try Bookings.book(db, business: business, request: occurrence, now: now, actor: actor)
                    booked = made.order
                    if firstToken == nil { firstToken = made.accessToken }
                    return .commit
                }
                guard let order = booked else { continue }
                try db.execute(sql: "UPDATE booking_orders SET series_id = ? WHERE business_id = ? AND id = ?",
                               arguments: [seriesID, business.id, order.id])
                bookings.append(order)
            } catch BookingFailure.slotUnavailable(let why), BookingFailure.invalidStart(let why) {
                guard skipping else { throw BookingFailure.from(why) }
                skipped.append(SeriesResult.Skipped(start: start, reason: why.sorted().first?.rawValue ?? "taken"))
                reasons.append(why)
            }
        }
        return (bookings, skipped, reasons, firstToken)
    }

    /// Cancels the series' bookings from the occurrence starting at `from` (every upcoming one
    /// when nil) and ends the series; each cancellation refunds by the tiers and emails as usual.
    static func cancel(_ db: Database, business: Business, publicID: String, from: Instant?, reason: String, now: Instant,
                       actor: Actor, byBusiness: Bool = false) throws -> [Cancellation] {
        guard let seriesID = try SeriesID.fetchOne(db.cachedStatement(sql: """
            SELECT id FROM booking_series WHERE business_id = ? AND public_id = ?
            """), arguments: [business.id, publicID]) else { throw BookingFailure.seriesNotFound }
        let ids = try String.fetchAll(db.cachedStatement(sql: """
            SELECT public_id FROM booking_orders WHERE business_id = ? AND series_id = ? AND starts_at >= ?
              AND status IN ('pending', 'confirmed') ORDER BY starts_at
            """), arguments: [business.id, seriesID, from ?? now])
        if let from {
            let exact = try Bool.fetchOne(db.cachedStatement(sql: """
                SELECT 1 FROM booking_orders WHERE business_id = ? AND series_id = ? AND starts_at = ?
                """), arguments: [business.id, seriesID, from]) ?? false
            guard exact else {
                throw BookingFailure.invalid(field: "from", message: "give the start of one of the series' bookings")
            }
        }
        var cancelled: [Cancellation] = []
        for id in ids {
            cancelled.append(try Bookings.cancel(db, business: business, publicID: id, reason: reason, now: now, actor: actor,
                                                 byBusiness: byBusiness))
        }
        try db.execute(sql: "UPDATE booking_series SET status = 'ended', updated_at = ? WHERE business_id = ? AND id = ?",
                       arguments: [now, business.id, seriesID])
        try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "series.cancel", subject: "series:\(publicID)",
                            details: ["from": (from ?? now).description, "cancelled": String(cancelled.count)])
        return cancelled
    }

    /// Moves the occurrence starting at `from` and every later one ("this and following"): each goes
    /// the same number of days and to the same new wall-clock time as `from` to `to` (so DST keeps the
    /// time). One transaction: one that cannot move moves none. They move as a whole: later ones go
    /// first when moving later (earlier ones first when moving earlier), so a move of a week or more
    /// lands each occurrence on a time its own neighbour has already left, and only other bookings
    /// can refuse it.
    static func move(_ db: Database, business: Business, publicID: String, from: Instant, to: Instant, now: Instant,
                     actor: Actor, rules: Bookings.RescheduleRules = .business) throws -> [OrderView] {
        guard let seriesID = try SeriesID.fetchOne(db.cachedStatement(sql: """
            SELECT id FROM booking_series WHERE business_id = ? AND public_id = ?
            """), arguments: [business.id, publicID]) else { throw BookingFailure.seriesNotFound }
        guard let clock = ZoneClock(identifier: business.timeZone) else { throw BookingFailure.businessNotFound }
        let ids = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT public_id, starts_at FROM booking_orders WHERE business_id = ? AND series_id = ? AND starts_at >= ?
              AND status IN ('pending', 'confirmed') ORDER BY starts_at
            """), arguments: [business.id, seriesID, from])
        guard let first = ids.first, (first["starts_at"] as Instant) == from else {
            throw BookingFailure.invalid(field: "from", message: "give the start of one of the series' upcoming bookings")
        }
        let days = clock.local(from).date.days(to: clock.local(to).date)
        let wall = clock.local(to).time
        var moved: [OrderView] = [], left: [OrderView] = []
        for row in to > from ? ids.reversed() : ids {
            if let before = try BookingReads.order(db, businessID: business.id, publicID: row["public_id"]) { left.append(before) }
            let date = clock.local(row["starts_at"] as Instant).date.adding(days: days)
            moved.append(try Bookings.reschedule(db, business: business, publicID: row["public_id"],
                                                 start: clock.day(date).instantMovingForward(minutes: wall.minutes), now: now, actor: actor,
                                                 rules: rules, releasing: false))
        }
        // Only the times the series left for good go to those waiting, once every occurrence has moved.
        let taken = Set(moved.map(\.start))
        for before in left where !taken.contains(before.start) {
            try Waitlists.released(db, business: business, order: before, now: now)
        }
        return moved.sorted { $0.start < $1.start }
    }

    /// The series' bookings, in order (cancelled ones included).
    static func bookings(_ db: Database, business: Business, publicID: String) throws -> [OrderView] {
        guard let seriesID = try SeriesID.fetchOne(db.cachedStatement(sql: """
            SELECT id FROM booking_series WHERE business_id = ? AND public_id = ?
            """), arguments: [business.id, publicID]) else { throw BookingFailure.seriesNotFound }
        let rows = try Row.fetchAll(db.cachedStatement(sql: BookingReads.select + """
             WHERE b.business_id = ? AND b.series_id = ? ORDER BY b.starts_at, b.id
            """), arguments: [business.id, seriesID])
        let resources = try BookingReads.resources(db, businessID: business.id, orderIDs: rows.map { $0["id"] })
        return try BookingReads.views(rows, resources: resources)
    }

    /// Standing reservations: books each active one's dates up to its offer's booking horizon.
    /// A date that cannot be had is skipped and recorded in the audit log (`series.skip`); how many
    /// bookings were made.
    static func extendStanding(_ db: Database, now: Instant, limit: Int = 200) throws -> Int {
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT s.*, o.slug AS offer_slug FROM booking_series s JOIN offers o ON o.business_id = s.business_id AND o.id = s.offer_id
            WHERE s.status = 'active' AND s.end_count IS NULL AND s.end_date IS NULL ORDER BY s.id LIMIT ?
            """), arguments: [limit])
        var made = 0
        for row in rows {
            let businessID: BusinessID = row["business_id"]
            guard let business = try Catalog.business(db, id: businessID), let clock = ZoneClock(identifier: business.timeZone),
                  let offer = try Catalog.offer(db, businessID: businessID, slug: row["offer_slug"]), offer.status == .live else { continue }
            let horizon = clock.local(now).date.adding(days: offer.spec.maximumAdvanceDays)
            let through = (row["booked_through"] as String?).flatMap(LocalDate.init)
            let rule = SeriesRule(intervalWeeks: row["interval_weeks"], end: .none)
            let starts = rule.occurrences(first: row["first_start"], clock: clock, through: horizon, after: through)
            guard let last = starts.last else { continue }
            let resources = (try? JSONDecoder().decode([String].self, from: Data((row["resources"] as String).utf8))) ?? []
            let request = BookingRequest(offerSlug: offer.slug, start: starts[0],
                                         customer: CustomerDetails(name: row["customer_name"], email: row["customer_email"],
                                                                   phone: row["customer_phone"], userID: row["customer_user_id"]),
                                         partySize: row["party_size"], resourceSlugs: resources, source: row["source"])
            let outcome = try bookOccurrences(db, business: business, seriesID: row["id"], request: request, starts: starts, skipping: true,
                                              now: now, actor: .system)
            for skip in outcome.skipped {
                try AuditLog.append(db, businessID: businessID, at: now, actor: Actor.system.label, action: "series.skip",
                                    subject: "series:\(row["public_id"] as String)",
                                    details: ["start": RFC3339.format(skip.start), "reason": skip.reason])
                try Outbox.standingDateSkipped(db, businessID: businessID, series: row["public_id"], offerName: offer.name,
                                               customer: request.customer, skip: skip, now: now)
            }
            try db.execute(sql: "UPDATE booking_series SET booked_through = ?, updated_at = ? WHERE business_id = ? AND id = ?",
                           arguments: [clock.local(last).date.description, now, businessID, row["id"] as SeriesID])
            made += outcome.bookings.count
        }
        return made
    }
}
