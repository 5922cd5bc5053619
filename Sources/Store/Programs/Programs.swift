import BookingCore
import Foundation
import GRDB

/// Programs with attendance (issue 17, UC-14, UC-39), in the caller's transaction.
///
/// A program is a class offer named in `programs` (migration 0150). A course purchase is one order
/// with one fulfillment unit per session of its run, each unit assigned like a class booking at
/// that start (`Bookings.insertUnit`), so the engine counts a session's seats exactly as it counts a
/// class's: course places, make-ups and nothing else share them, and the studio is busy for every
/// other offer. Selling a place checks every session with the engine and writes every unit in the
/// same transaction: one full session sells nothing. Cancelling the order frees every session at
/// once (its assignments stop blocking). A make-up is a second order of one unit, at no charge, in a
/// session of another run.
enum Programs {
    /// Whether a class offer is a program (one primary-key read).
    static func isProgram(_ db: Database, businessID: BusinessID, offerID: OfferID) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM programs WHERE business_id = ? AND offer_id = ?"),
                          arguments: [businessID, offerID]) ?? false
    }

    /// The live program offer `slug` and whether it allows make-ups.
    static func program(_ db: Database, business: Business, slug: String) throws -> (offer: OfferInfo, makeupsAllowed: Bool) {
        guard let offer = try Catalog.offer(db, businessID: business.id, slug: slug), offer.spec.mode == .class,
              let allowed = try Bool.fetchOne(db.cachedStatement(sql: """
                  SELECT makeups_allowed FROM programs WHERE business_id = ? AND offer_id = ?
                  """), arguments: [business.id, offer.id]) else { throw BookingFailure.programNotFound }
        return (offer, allowed)
    }

    // MARK: Setting up (owner)

    /// Makes the class offer `slug` a program, or changes whether it allows make-ups.
    static func setUp(_ db: Database, business: Business, slug: String, makeupsAllowed: Bool, now: Instant, actor: Actor) throws {
        guard let offer = try Catalog.offer(db, businessID: business.id, slug: slug) else { throw BookingFailure.offerNotFound }
        guard offer.spec.mode == .class else {
            throw BookingFailure.invalid(field: "offer", message: "only a class can be sold as a program of sessions")
        }
        try db.cachedStatement(sql: """
            INSERT INTO programs (business_id, offer_id, makeups_allowed, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (business_id, offer_id) DO UPDATE SET makeups_allowed = excluded.makeups_allowed, updated_at = excluded.updated_at
            """).execute(arguments: [business.id, offer.id, makeupsAllowed, now, now])
        try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "program.set_up",
                            subject: "offer:\(offer.slug)", details: ["makeups_allowed": makeupsAllowed ? "yes" : "no"])
    }

    /// Adds a run of dated sessions. Each start must be a time the class runs (its hours, notice and
    /// horizon: the engine's check for one person, where only "no seats left" is let through) and
    /// not already a session of the program.
    static func addRun(_ db: Database, business: Business, slug: String, request: ProgramRunRequest, now: Instant,
                       actor: Actor) throws -> String {
        let (offer, _) = try program(db, business: business, slug: slug)
        let name = request.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...120).contains(name.unicodeScalars.count) else {
            throw BookingFailure.invalid(field: "name", message: "give the run a name of 1 to 120 characters")
        }
        let starts: [Instant]
        switch ProgramRules.sessionStarts(request.starts, now: now) {
        case .success(let sorted): starts = sorted
        case .failure(let refusal): throw BookingFailure.invalid(field: "sessions", message: refusal.sentence)
        }
        let check = try checker(db, business: business, offer: offer, starts: starts, partySize: 1, now: now)
        for start in starts {
            if case .unavailable(let reasons) = check(start), !reasons.allSatisfy({ $0 == .noSeats }) {
                throw BookingFailure.invalidStart(reasons)
            }
        }
        let publicID = Tokens.publicID(prefix: "pr")
        try db.cachedStatement(sql: "INSERT INTO program_runs (business_id, public_id, offer_id, name, created_at) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [business.id, publicID, offer.id, name, now])
        let runID = ProgramRunID(rawValue: db.lastInsertedRowID)
        let minutes = Int64(offer.spec.duration.minMinutes) * 60
        for start in starts {
            guard try Bool.fetchOne(db.cachedStatement(sql: """
                SELECT 1 FROM program_sessions WHERE business_id = ? AND offer_id = ? AND starts_at = ?
                """), arguments: [business.id, offer.id, start]) != true else {
                throw BookingFailure.invalid(field: "sessions", message: "\(RFC3339.format(start)) is already a session of another run")
            }
            try db.cachedStatement(sql: """
                INSERT INTO program_sessions (business_id, run_id, offer_id, starts_at, ends_at) VALUES (?, ?, ?, ?, ?)
                """).execute(arguments: [business.id, runID, offer.id, start, start + minutes])
        }
        try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "program.add_run",
                            subject: "program_run:\(publicID)", details: ["offer": offer.slug, "sessions": String(starts.count)])
        return publicID
    }

    // MARK: Selling a course

    /// Enrols the customer of `request` (its offer, customer, notes, source; its start is ignored) in
    /// the run `runPublicID`: one order, one unit per session, every session checked by the engine
    /// for the party and written in this transaction. A session without room sells nothing.
    static func enrol(_ db: Database, business: Business, runPublicID: String, request: BookingRequest, now: Instant,
                      actor: Actor) throws -> (order: OrderView, token: String) {
        let (offer, _) = try program(db, business: business, slug: request.offerSlug)
        guard offer.status == .live else { throw BookingFailure.offerNotFound }
        let run = try self.run(db, business: business, offer: offer, publicID: runPublicID)
        guard let first = run.starts.first, ProgramRules.enrolmentOpen(firstStart: first, now: now) else {
            throw BookingFailure.invalid(field: "run", message: "this course has started, so it is no longer on sale; choose a later run")
        }
        var request = request
        request.start = first
        try Bookings.validate(request, spec: offer.spec)
        let check = try checker(db, business: business, offer: offer, starts: run.starts, partySize: request.partySize, now: now)
        var slots: [Slot] = []
        for start in run.starts {
            switch check(start) {
            case .bookable(let slot): slots.append(slot)
            case .unavailable(let reasons): throw BookingFailure.from(reasons)
            }
        }
        guard let zone = TimeZone(identifier: business.timeZone) else { throw BookingFailure.businessNotFound }
        let price = Pricing.quote(offer.spec, start: slots[0].start, end: slots[0].end, partySize: request.partySize, now: now,
                                  timeZone: zone)
        // A course is never sold unpaid where the business takes payment online: not through the hold
        // and PaymentIntent step (one order of many units), so refused.
        if PaymentRules.dueNow(price, onlinePayments: try PaymentLedger.account(db, businessID: business.id) != nil) > 0 {
            throw BookingFailure.programNeedsOnlinePayment
        }
        let status = offer.spec.initialStatus(holding: false)
        let token = Tokens.secret()
        let (orderID, publicID) = try Bookings.insertOrder(
            db, businessID: business.id, offer: offer, request: request, status: status,
            span: TimeRange(start: slots[0].start, end: slots[0].end), price: price, holdExpiresAt: nil, token: token, actor: actor, now: now)
        for slot in slots {
            try Bookings.insertUnit(db, businessID: business.id, orderID: orderID, offerID: offer.id, spec: offer.spec, slot: slot,
                                    partySize: request.partySize, holdExpiresAt: nil)
        }
        try db.cachedStatement(sql: "INSERT INTO program_orders (business_id, order_id, run_id, kind) VALUES (?, ?, ?, 'course')")
            .execute(arguments: [business.id, orderID, run.id])
        try Bookings.recordEvent(db, businessID: business.id, orderID: orderID, from: nil, to: .held, at: now, actor: actor)
        try Bookings.recordEvent(db, businessID: business.id, orderID: orderID, from: .held, to: status, at: now, actor: actor)
        // The confirmation lists every session (`data.sessions`: their starts, the course's `about`); each session has its reminders.
        try Outbox.bookingCreated(db, businessID: business.id, orderID: orderID, status: status, start: slots[0].start,
                                  customer: request.customer, token: token, now: now,
                                  extra: [("about", "program_course"), ("sessions", slots.map { String($0.start) }.joined(separator: ","))],
                                  sessions: slots.map(\.start))
        try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "program.enrol", subject: "booking:\(publicID)",
                            details: ["offer": offer.slug, "run": runPublicID, "sessions": String(slots.count), "status": status.rawValue])
        guard let order = try BookingReads.order(db, businessID: business.id, publicID: publicID) else { throw BookingFailure.orderNotFound }
        return (order, token)
    }

    /// The engine's check of single starts of `offer` for `partySize`, with schedules loaded once
    /// for the whole span of `starts`.
    static func checker(_ db: Database, business: Business, offer: OfferInfo, starts: [Instant], partySize: Int,
                        now: Instant) throws -> (Instant) -> StartCheck {
        guard let zone = TimeZone(identifier: business.timeZone), let first = starts.min(), let last = starts.max() else {
            throw BookingFailure.businessNotFound
        }
        let window = TimeRange(start: first - 3 * 86_400,
                               end: last + 4 * 86_400 + Int64(offer.spec.duration.maxMinutes + offer.spec.bufferAfterMinutes) * 60)
        let (schedules, strategy, _) = try ScheduleLoader.load(db, businessID: business.id, spec: offer.spec, window: window, now: now)
        let query = AvailabilityQuery(offerID: offer.id, spec: offer.spec, resources: schedules, timeZone: zone, now: now,
                                      partySize: partySize, requestedResourceIDs: [], durationMinutes: nil, strategy: strategy)
        return { start in AvailabilityEngine.check(query, start: start) }
    }

    /// The session starts of a course order, in order; empty for any other order (make-ups included).
    static func courseStarts(_ db: Database, businessID: BusinessID, orderID: BookingID) throws -> [Instant] {
        try Instant.fetchAll(db.cachedStatement(sql: """
            SELECT ps.starts_at FROM program_orders po
            JOIN program_sessions ps ON ps.business_id = po.business_id AND ps.run_id = po.run_id
            WHERE po.business_id = ? AND po.order_id = ? AND po.kind = 'course' ORDER BY ps.starts_at
            """), arguments: [businessID, orderID])
    }

    struct RunRow {
        let id: ProgramRunID
        let name: String
        let starts: [Instant]
    }

    static func run(_ db: Database, business: Business, offer: OfferInfo, publicID: String) throws -> RunRow {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT id, name FROM program_runs WHERE business_id = ? AND offer_id = ? AND public_id = ?
            """), arguments: [business.id, offer.id, publicID]) else { throw BookingFailure.programNotFound }
        let id: ProgramRunID = row["id"]
        let starts = try Instant.fetchAll(db.cachedStatement(sql: """
            SELECT starts_at FROM program_sessions WHERE business_id = ? AND run_id = ? ORDER BY starts_at
            """), arguments: [business.id, id])
        return RunRow(id: id, name: row["name"], starts: starts)
    }
}
