import BookingCore
import Foundation
import GRDB

/// Attendance per session, make-ups and the reads behind the program pages and API.
extension Programs {
    /// Statuses of an order that still has its places (and so can be marked and made up).
    static let liveStatuses = "('pending', 'confirmed', 'checked_in', 'completed')"

    /// Marks the booking `orderPublicID`'s place in session `sessionID` attended or absent (again:
    /// the mark is replaced). From an hour before the session on; cancelled bookings have no place.
    static func mark(_ db: Database, business: Business, sessionID: ProgramSessionID, orderPublicID: String,
                     attendance: ProgramRules.Attendance, now: Instant, actor: Actor, scope: LocationScope) throws {
        guard let session = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT offer_id, starts_at FROM program_sessions WHERE business_id = ? AND id = ?
            """), arguments: [business.id, sessionID]),
              try sessionIsIn(db, business: business, offerID: session["offer_id"], scope: scope) else { throw BookingFailure.programNotFound }
        let start: Instant = session["starts_at"]
        guard ProgramRules.canMark(sessionStart: start, now: now) else {
            throw BookingFailure.invalid(field: "session", message: "attendance can be marked from an hour before the session starts")
        }
        guard let unit = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT u.id, b.id AS order_id, b.status FROM fulfillment_units u
            JOIN booking_orders b ON b.business_id = u.business_id AND b.id = u.order_id
            WHERE u.business_id = ? AND b.public_id = ? AND b.offer_id = ? AND u.starts_at = ?
            """), arguments: [business.id, orderPublicID, session["offer_id"] as OfferID, start]) else {
            throw BookingFailure.orderNotFound
        }
        guard ["pending", "confirmed", "checked_in", "completed"].contains(unit["status"] as String) else {
            throw BookingFailure.invalid(field: "booking", message: "this booking was cancelled, so it has no place to mark")
        }
        try db.cachedStatement(sql: """
            INSERT INTO program_attendance (business_id, unit_id, order_id, session_id, status, marked_at, marked_by)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (business_id, unit_id) DO UPDATE SET status = excluded.status, marked_at = excluded.marked_at,
              marked_by = excluded.marked_by
            """).execute(arguments: [business.id, unit["id"] as Int64, unit["order_id"] as BookingID, sessionID, attendance.rawValue, now,
                                     actor.label])
        try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "program.attendance",
                            subject: "booking:\(orderPublicID)", details: ["session": RFC3339.format(start), "status": attendance.rawValue])
    }

    /// Books a make-up for the session of course `orderPublicID` starting at `missedStart` (marked
    /// absent) in the session of another run starting at `sessionStart`: one order of one unit, at
    /// no charge, for the course's customer and party, checked by the engine like any place.
    static func bookMakeup(_ db: Database, business: Business, orderPublicID: String, missedStart: Instant, sessionStart: Instant,
                           now: Instant, actor: Actor, scope: LocationScope) throws -> (order: OrderView, token: String) {
        guard let course = try BookingReads.order(db, businessID: business.id, publicID: orderPublicID),
              try LocationScopes.admits(db, order: course, scope: scope),
              ["pending", "confirmed", "checked_in", "completed"].contains(course.status.rawValue),
              let runID = try ProgramRunID.fetchOne(db.cachedStatement(sql: """
                  SELECT run_id FROM program_orders WHERE business_id = ? AND order_id = ? AND kind = 'course'
                  """), arguments: [business.id, course.id]) else { throw BookingFailure.orderNotFound }
        let (offer, allowed) = try program(db, business: business, slug: course.offerSlug)
        guard let missed = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT u.id, a.status FROM fulfillment_units u
            LEFT JOIN program_attendance a ON a.business_id = u.business_id AND a.unit_id = u.id
            WHERE u.business_id = ? AND u.order_id = ? AND u.starts_at = ?
            """), arguments: [business.id, course.id, missedStart]) else {
            throw BookingFailure.invalid(field: "missed", message: "give the start of one of the course's sessions")
        }
        let missedUnit: Int64 = missed["id"]
        guard let target = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT id, run_id FROM program_sessions WHERE business_id = ? AND offer_id = ? AND starts_at = ?
            """), arguments: [business.id, offer.id, sessionStart]) else {
            throw BookingFailure.invalid(field: "session", message: "give the start of a session of another run of the program")
        }
        let madeUp = try Bool.fetchOne(db.cachedStatement(sql: """
            SELECT 1 FROM program_orders p JOIN booking_orders b ON b.business_id = p.business_id AND b.id = p.order_id
            WHERE p.business_id = ? AND p.missed_unit_id = ? AND b.status IN \(liveStatuses)
            """), arguments: [business.id, missedUnit]) ?? false
        if let refusal = ProgramRules.makeupRefusal(allowed: allowed, missed: (missed["status"] as String?).flatMap { ProgramRules.Attendance(rawValue: $0) },
                                                    alreadyMadeUp: madeUp, sameRun: (target["run_id"] as ProgramRunID) == runID,
                                                    sessionStart: sessionStart, now: now) {
            throw BookingFailure.makeupRefused(refusal)
        }
        let slot: Slot
        switch try checker(db, business: business, offer: offer, starts: [sessionStart], partySize: course.partySize, now: now)(sessionStart) {
        case .bookable(let found): slot = found
        case .unavailable(let reasons): throw BookingFailure.from(reasons)
        }
        let request = BookingRequest(offerSlug: offer.slug, start: sessionStart, customer: course.customer, partySize: course.partySize,
                                     source: course.source)
        let price = PriceBreakdown(currency: course.price.currency, model: course.price.model,
                                   lines: [.init(label: "Make-up session", amount: 0)], total: 0, deposit: 0)
        let token = Tokens.secret()
        let (orderID, publicID) = try Bookings.insertOrder(
            db, businessID: business.id, offer: offer, request: request, status: .confirmed, span: TimeRange(start: slot.start, end: slot.end),
            price: price, holdExpiresAt: nil, token: token, actor: actor, now: now)
        try Bookings.insertUnit(db, businessID: business.id, orderID: orderID, offerID: offer.id, spec: offer.spec, slot: slot,
                                partySize: course.partySize, holdExpiresAt: nil)
        try db.cachedStatement(sql: """
            INSERT INTO program_orders (business_id, order_id, run_id, kind, missed_unit_id) VALUES (?, ?, ?, 'makeup', ?)
            """).execute(arguments: [business.id, orderID, target["run_id"] as ProgramRunID, missedUnit])
        try Bookings.recordEvent(db, businessID: business.id, orderID: orderID, from: nil, to: .held, at: now, actor: actor)
        try Bookings.recordEvent(db, businessID: business.id, orderID: orderID, from: .held, to: .confirmed, at: now, actor: actor)
        try Outbox.bookingCreated(db, businessID: business.id, orderID: orderID, status: .confirmed, start: slot.start,
                                  customer: course.customer, token: token, now: now)
        try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "program.makeup", subject: "booking:\(publicID)",
                            details: ["course": course.publicID, "missed": RFC3339.format(missedStart), "session": RFC3339.format(sessionStart)])
        guard let order = try BookingReads.order(db, businessID: business.id, publicID: publicID) else { throw BookingFailure.orderNotFound }
        return (order, token)
    }

    // MARK: Reads

    /// The program `slug` with its runs and each session's places left (runs whose last session is
    /// over are left out).
    static func view(_ db: Database, business: Business, slug: String, now: Instant) throws -> ProgramView {
        let (offer, allowed) = try program(db, business: business, slug: slug)
        guard let zone = TimeZone(identifier: business.timeZone) else { throw BookingFailure.businessNotFound }
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT r.id AS run_id, r.public_id, r.name, s.id, s.starts_at, s.ends_at,
              (SELECT COALESCE(SUM(b.party_size), 0) FROM fulfillment_units u
                 JOIN booking_orders b ON b.business_id = u.business_id AND b.id = u.order_id
               WHERE u.business_id = s.business_id AND b.offer_id = s.offer_id AND u.starts_at = s.starts_at
                 AND (b.status IN \(liveStatuses) OR (b.status = 'held' AND b.hold_expires_at > ?))) AS taken
            FROM program_runs r JOIN program_sessions s ON s.business_id = r.business_id AND s.run_id = r.id
            WHERE r.business_id = ? AND r.offer_id = ?
              AND (SELECT MAX(ends_at) FROM program_sessions l WHERE l.business_id = r.business_id AND l.run_id = r.id) > ?
            ORDER BY r.id, s.starts_at
            """), arguments: [now, business.id, offer.id, now])
        var runs: [ProgramView.Run] = []
        var current: (id: ProgramRunID, publicID: String, name: String, sessions: [ProgramView.Session])?
        func flush() {
            guard let run = current, let first = run.sessions.first else { return }
            runs.append(.init(id: run.id, publicID: run.publicID, name: run.name, sessions: run.sessions,
                              open: ProgramRules.enrolmentOpen(firstStart: first.start, now: now)))
        }
        for row in rows {
            let runID: ProgramRunID = row["run_id"]
            if current?.id != runID {
                flush()
                current = (runID, row["public_id"] as String, row["name"] as String, [])
            }
            current?.sessions.append(.init(id: row["id"], start: row["starts_at"], end: row["ends_at"],
                                           seatsLeft: max(0, offer.spec.seats - (row["taken"] as Int))))
        }
        flush()
        let sample = runs.first?.sessions.first?.start ?? now
        let price = Pricing.quote(offer.spec, start: sample, end: sample + Int64(offer.spec.duration.minMinutes) * 60, partySize: 1,
                                  now: now, timeZone: zone)
        return ProgramView(offer: offer, makeupsAllowed: allowed, seats: offer.spec.seats, price: price, runs: runs)
    }

    /// The sessions of a program booking (nil for any other booking), with marks and make-ups.
    static func sessions(_ db: Database, business: Business, orderID: BookingID) throws -> ProgramBookingSessions? {
        guard let program = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT p.kind, r.name, g.makeups_allowed FROM program_orders p
            JOIN program_runs r ON r.business_id = p.business_id AND r.id = p.run_id
            JOIN programs g ON g.business_id = r.business_id AND g.offer_id = r.offer_id
            WHERE p.business_id = ? AND p.order_id = ?
            """), arguments: [business.id, orderID]) else { return nil }
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT s.id, r.name, u.starts_at, u.ends_at, a.status,
              (SELECT mb.starts_at FROM program_orders m JOIN booking_orders mb ON mb.business_id = m.business_id AND mb.id = m.order_id
               WHERE m.business_id = u.business_id AND m.missed_unit_id = u.id AND mb.status IN \(liveStatuses) LIMIT 1) AS made_up_at
            FROM fulfillment_units u
            JOIN booking_orders b ON b.business_id = u.business_id AND b.id = u.order_id
            JOIN program_sessions s ON s.business_id = b.business_id AND s.offer_id = b.offer_id AND s.starts_at = u.starts_at
            JOIN program_runs r ON r.business_id = s.business_id AND r.id = s.run_id
            LEFT JOIN program_attendance a ON a.business_id = u.business_id AND a.unit_id = u.id
            WHERE u.business_id = ? AND u.order_id = ? ORDER BY u.starts_at
            """), arguments: [business.id, orderID])
        return ProgramBookingSessions(
            runName: program["name"], kind: program["kind"], makeupsAllowed: program["makeups_allowed"],
            entries: rows.map { row in
                .init(sessionID: row["id"], runName: row["name"], start: row["starts_at"], end: row["ends_at"],
                      attendance: (row["status"] as String?).flatMap { ProgramRules.Attendance(rawValue: $0) }, madeUpAt: row["made_up_at"])
            })
    }

    /// Who has a place in session `sessionID` (course places and make-ups, cancelled ones left
    /// out), with their marks. One read per place: a session has at most its seats.
    /// Is the session's class held at the member's location (`LocationScopes.admits(offer:)`)?
    static func sessionIsIn(_ db: Database, business: Business, offerID: OfferID, scope: LocationScope) throws -> Bool {
        guard scope.location != nil else { return true }
        guard let slug = try String.fetchOne(db, sql: "SELECT slug FROM offers WHERE business_id = ? AND id = ?", arguments: [business.id, offerID]),
              let offer = try Catalog.offer(db, businessID: business.id, slug: slug) else { return false }
        return try LocationScopes.admits(db, businessID: business.id, offer: offer, scope: scope)
    }

    /// A session's roster; for a member limited to a location, only a session held there, and only
    /// the bookings visible there.
    static func roster(_ db: Database, business: Business, sessionID: ProgramSessionID, scope: LocationScope) throws -> ProgramRoster {
        guard let session = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT s.offer_id, s.starts_at, s.ends_at, r.name, o.slug, o.name AS offer_name FROM program_sessions s
            JOIN program_runs r ON r.business_id = s.business_id AND r.id = s.run_id
            JOIN offers o ON o.business_id = s.business_id AND o.id = s.offer_id
            WHERE s.business_id = ? AND s.id = ?
            """), arguments: [business.id, sessionID]),
              try sessionIsIn(db, business: business, offerID: session["offer_id"], scope: scope) else { throw BookingFailure.programNotFound }
        let extra = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT b.id, p.kind, a.status FROM booking_orders b
            JOIN fulfillment_units u ON u.business_id = b.business_id AND u.order_id = b.id
            JOIN program_orders p ON p.business_id = b.business_id AND p.order_id = b.id
            LEFT JOIN program_attendance a ON a.business_id = u.business_id AND a.unit_id = u.id
            WHERE b.business_id = ? AND b.offer_id = ? AND u.starts_at = ? AND b.status IN \(liveStatuses)
            ORDER BY b.customer_name, b.id
            """), arguments: [business.id, session["offer_id"] as OfferID, session["starts_at"] as Instant])
        var entries: [ProgramRoster.Entry] = []
        for row in extra {
            guard let order = try BookingReads.order(db, businessID: business.id, orderID: row["id"]) else { continue }
            entries.append(.init(order: order, kind: row["kind"], attendance: (row["status"] as String?).flatMap { ProgramRules.Attendance(rawValue: $0) }))
        }
        let visible = Set(try LocationScopes.admitted(db, orders: entries.map(\.order), businessID: business.id, scope: scope).map(\.id))
        entries.removeAll { !visible.contains($0.order.id) }
        return ProgramRoster(sessionID: sessionID, offerSlug: session["slug"], offerName: session["offer_name"], runName: session["name"],
                             start: session["starts_at"], end: session["ends_at"], entries: entries)
    }
}
