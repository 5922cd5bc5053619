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

    /// Decides every session whose decision time has come; how many were cancelled.
    static func decideDue(_ db: Database, now: Instant, limit: Int = 100) throws -> Int {
        let due = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT DISTINCT b.business_id, b.offer_id, b.starts_at, b.offer_version_id FROM booking_orders b
            JOIN offer_versions v ON v.business_id = b.business_id AND v.id = b.offer_version_id
            WHERE b.status IN ('held', 'pending', 'confirmed') AND b.starts_at > ? AND v.min_participants > 0
              AND b.starts_at - v.decide_hours_before * 3600 <= ?
              AND NOT EXISTS (SELECT 1 FROM session_decisions d
                              WHERE d.business_id = b.business_id AND d.offer_id = b.offer_id AND d.starts_at = b.starts_at)
              -- A program's course is one order over all its sessions: no session decision may cancel it.
              AND NOT EXISTS (SELECT 1 FROM programs p WHERE p.business_id = b.business_id AND p.offer_id = b.offer_id)
            ORDER BY b.starts_at LIMIT ?
            """), arguments: [now, now, limit])
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
    static func atRisk(_ db: Database, businessID: BusinessID, orders: [OrderView], now: Instant) throws -> [String: Instant] {
        struct Session: Hashable { let offerID: OfferID; let start: Instant }
        var risk: [String: Instant] = [:]
        var sessions: [Session: Instant?] = [:]
        // A day's bookings share a few offer versions: each is read once (the staff calendar asked for
        // it once per booking, a fifth of the page's reads).
        var minimums: [OfferVersionID: OfferVersionSpec?] = [:]
        for order in orders where order.status.blocksTime && order.start > now {
            let key = Session(offerID: order.offerID, start: order.start)
            if sessions[key] == nil {
                if minimums[order.offerVersionID] == nil {
                    let spec = try Catalog.offerVersion(db, businessID: businessID, versionID: order.offerVersionID)
                    minimums[order.offerVersionID] = .some(spec.flatMap { $0.mode == .class && $0.minimumParticipants > 0 ? $0 : nil })
                }
                guard let spec = minimums[order.offerVersionID] ?? nil else { sessions[key] = .some(nil); continue }
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
