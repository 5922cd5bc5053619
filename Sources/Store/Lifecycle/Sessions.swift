public import BookingCore
import Foundation
import GRDB

/// Class sessions with a minimum to run: at their decision time the worker cancels each one below
/// its minimum (every booking refunded in full, reason `below_minimum`) or records that it runs;
/// before then staff see the ones below it as at risk.
enum Sessions {
    static let belowMinimum = "below_minimum"

    /// People booked per session (confirmed, pending, checked in), by (offer, start).
    private static func participants(_ db: Database, businessID: BusinessID, offerID: OfferID, start: Instant) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: """
            SELECT COALESCE(SUM(party_size), 0) FROM booking_orders
            WHERE business_id = ? AND offer_id = ? AND starts_at = ? AND status IN ('pending', 'confirmed', 'checked_in')
            """), arguments: [businessID, offerID, start]) ?? 0
    }

    /// Whether the session was cancelled for being below its minimum (no one may book it again).
    static func isCancelled(_ db: Database, businessID: BusinessID, offerID: OfferID, start: Instant) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: """
            SELECT 1 FROM session_decisions WHERE business_id = ? AND offer_id = ? AND starts_at = ? AND outcome = 'cancelled'
            """), arguments: [businessID, offerID, start]) ?? false
    }

    /// The sessions whose decision time has come (arguments: now, now, limit). From the versions with
    /// a minimum to their bookings inside the decision window (`booking_orders_by_start`): the tick
    /// reads what is due, not every future booking (a full scan that grew with the data).
    static let dueSQL = """
        SELECT DISTINCT b.business_id, b.offer_id, b.starts_at, b.offer_version_id
        FROM offer_versions v CROSS JOIN booking_orders b
        WHERE v.min_participants > 0 AND b.business_id = v.business_id AND b.offer_version_id = v.id
          AND b.starts_at > ? AND b.starts_at <= ? + v.decide_hours_before * 3600
          AND b.status IN ('held', 'pending', 'confirmed')
          AND NOT EXISTS (SELECT 1 FROM session_decisions d
                          WHERE d.business_id = b.business_id AND d.offer_id = b.offer_id AND d.starts_at = b.starts_at)
          -- A program's course is one order over all its sessions: no session decision may cancel it.
          AND NOT EXISTS (SELECT 1 FROM programs p WHERE p.business_id = b.business_id AND p.offer_id = b.offer_id)
        ORDER BY b.starts_at LIMIT ?
        """

    /// Decides every session whose decision time has come; how many were cancelled.
    static func decideDue(_ db: Database, now: Instant, limit: Int = 100) throws -> Int {
        let due = try Row.fetchAll(db.cachedStatement(sql: Self.dueSQL), arguments: [now, now, limit])
        var cancelled = 0
        for row in due {
            let businessID: BusinessID = row["business_id"], offerID: OfferID = row["offer_id"], start: Instant = row["starts_at"]
            guard let business = try Catalog.business(db, id: businessID),
                  let spec = try Catalog.offerVersion(db, businessID: businessID, versionID: row["offer_version_id"]) else { continue }
            let count = try participants(db, businessID: businessID, offerID: offerID, start: start)
            let cancel = MinimumToRun.verdict(participants: count, spec: spec, start: start, now: now) == .cancel
            try db.execute(sql: """
                INSERT INTO session_decisions (business_id, offer_id, starts_at, outcome, participants, decided_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [businessID, offerID, start, cancel ? "cancelled" : "runs", count, now])
            guard cancel else { continue }
            let orders = try String.fetchAll(db.cachedStatement(sql: """
                SELECT public_id FROM booking_orders WHERE business_id = ? AND offer_id = ? AND starts_at = ?
                  AND status IN ('held', 'pending', 'confirmed') ORDER BY id
                """), arguments: [businessID, offerID, start])
            for publicID in orders {
                _ = try Bookings.cancel(db, business: business, publicID: publicID, reason: belowMinimum, now: now, actor: .system,
                                        byBusiness: true, releasesPlace: false)
            }
            try AuditLog.append(db, businessID: businessID, at: now, actor: Actor.system.label, action: "session.cancel",
                                subject: "offer:\(offerID)", details: ["start": RFC3339.format(start), "participants": String(count),
                                                                       "minimum": String(spec.minimumParticipants)])
            cancelled += 1
        }
        return cancelled
    }

    /// The bookings among `orders` whose class session is below its minimum and not yet decided,
    /// by public id, with the time it will be decided.
    ///
    /// Only a class offer with a minimum can be at risk: one query asks which of the orders' offer
    /// versions are such (by id, however many versions the business has), and only those are read
    /// and counted (a day of appointments reads no version at all).
    static func atRisk(_ db: Database, businessID: BusinessID, orders: [OrderView], now: Instant) throws -> [String: Instant] {
        struct Session: Hashable { let offerID: OfferID; let start: Instant }
        let upcoming = orders.filter { $0.status.blocksTime && $0.start > now }
        guard !upcoming.isEmpty else { return [:] }
        var ids: [OfferVersionID] = []
        var asked: Set<OfferVersionID> = []
        for order in upcoming where asked.insert(order.offerVersionID).inserted { ids.append(order.offerVersionID) }
        let withMinimum = Set(try OfferVersionID.fetchAll(db.cachedStatement(sql: """
            SELECT v.id FROM offer_versions v JOIN offers o ON o.business_id = v.business_id AND o.id = v.offer_id
            WHERE v.business_id = ? AND v.id IN (SELECT value FROM json_each(?)) AND v.min_participants > 0 AND o.mode = 'class'
            """), arguments: [businessID, jsonList(ids)]))
        guard !withMinimum.isEmpty else { return [:] }
        var risk: [String: Instant] = [:]
        var sessions: [Session: Instant?] = [:]
        var specs: [OfferVersionID: OfferVersionSpec] = [:]
        for order in upcoming where withMinimum.contains(order.offerVersionID) {
            let key = Session(offerID: order.offerID, start: order.start)
            if sessions[key] == nil {
                if specs[order.offerVersionID] == nil {
                    specs[order.offerVersionID] = try Catalog.offerVersion(db, businessID: businessID, versionID: order.offerVersionID)
                }
                guard let spec = specs[order.offerVersionID] else { sessions[key] = .some(nil); continue }
                let count = try participants(db, businessID: businessID, offerID: order.offerID, start: order.start)
                if case .atRisk(let decidesAt) = MinimumToRun.verdict(participants: count, spec: spec, start: order.start, now: now) {
                    sessions[key] = .some(decidesAt)
                } else {
                    sessions[key] = .some(nil)
                }
            }
            if let decidesAt = sessions[key] ?? nil { risk[order.publicID] = decidesAt }
        }
        return risk
    }
}

extension AppDatabase {
    /// The worker's step: class sessions below their minimum at their decision time are cancelled
    /// with full refunds; how many sessions were cancelled.
    @discardableResult
    public func decideSessions(now: Instant) throws -> Int {
        try write { db in try Sessions.decideDue(db, now: now) }
    }
}
