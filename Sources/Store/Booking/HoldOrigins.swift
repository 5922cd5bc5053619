import BookingCore
import GRDB

/// The public pages' holds by visitor (migration 0093) and by email, for `HoldLimits`.
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

    /// Refuses when `email` already has the most open requests allowed at the business: live holds
    /// made on the public pages carrying it, and web bookings awaiting approval that have not
    /// started (`HoldLimits.openRequestsPerEmail`), `except` the order being checked out. Called in
    /// the transaction that gives a hold its email, so racing requests cannot pass it together.
    static func check(_ db: Database, businessID: BusinessID, email: String, except: BookingID? = nil, now: Instant) throws {
        let email = email.lowercased()
        guard !email.isEmpty else { return }
        let open = try Int.fetchOne(db, sql: """
            SELECT count(*) FROM booking_orders o
             WHERE o.business_id = ?1 AND lower(o.customer_email) = ?2 AND o.id IS NOT ?4
               AND ((o.status = 'held' AND o.hold_expires_at > ?3
                     AND EXISTS (SELECT 1 FROM hold_origins h WHERE h.business_id = o.business_id AND h.order_id = o.id))
                 OR (o.status = 'pending' AND o.source = 'web' AND o.starts_at > ?3))
            """, arguments: [businessID, email, now, except]) ?? 0
        guard HoldLimits.allowsAnother(openForEmail: open) else { throw BookingFailure.tooManyHoldsForEmail(HoldLimits.openRequestsPerEmail) }
    }

    /// Whether the order was held on the public pages (and still is a hold).
    static func isPublicHold(_ db: Database, businessID: BusinessID, orderID: BookingID) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM hold_origins WHERE business_id = ? AND order_id = ?", arguments: [businessID, orderID]) == true
    }

    static func record(_ db: Database, businessID: BusinessID, order: OrderView, visitor: String) throws {
        guard order.status == .held else { return }
        try db.execute(sql: "INSERT INTO hold_origins (business_id, order_id, visitor) VALUES (?, ?, ?)",
                       arguments: [businessID, order.id, visitor])
    }
}
