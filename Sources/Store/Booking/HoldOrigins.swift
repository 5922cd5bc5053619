import BookingCore
import GRDB

/// The public pages' holds by visitor (migration 0093), for `HoldLimits`.
enum HoldOrigins {
    /// Refuses a hold when the visitor already keeps the most live holds allowed at the business.
    static func check(_ db: Database, businessID: BusinessID, visitor: String, now: Instant) throws {
        let live = try Int.fetchOne(db, sql: """
            SELECT count(*) FROM hold_origins h
              JOIN booking_orders o ON o.business_id = h.business_id AND o.id = h.order_id
             WHERE h.business_id = ? AND h.visitor = ? AND o.status = 'held' AND o.hold_expires_at > ?
            """, arguments: [businessID, visitor, now]) ?? 0
        guard HoldLimits.allowsAnother(live: live) else { throw BookingFailure.tooManyHolds(HoldLimits.liveHoldsPerVisitor) }
    }

    static func record(_ db: Database, businessID: BusinessID, order: OrderView, visitor: String) throws {
        guard order.status == .held else { return }
        try db.execute(sql: "INSERT INTO hold_origins (business_id, order_id, visitor) VALUES (?, ?, ?)",
                       arguments: [businessID, order.id, visitor])
    }
}
