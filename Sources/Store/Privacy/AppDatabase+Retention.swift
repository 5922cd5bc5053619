public import BookingCore
import Foundation
import GRDB

/// The retention setting (issue 19, migration 0141): a business may have its customers erased some
/// months after their last booking. The lifecycle jobs run it with the ordinary erasure, one
/// customer per transaction, at most once an hour per business; the erasure itself still refuses
/// while a booking (or a running series) is ahead, and writes its audit entry.
extension AppDatabase {
    /// The business's retention in months; nil: off (the default).
    public func retentionMonths(businessID: BusinessID) throws -> Int? {
        try read { db in
            try Int.fetchOne(db, sql: "SELECT months FROM customer_retention WHERE business_id = ?", arguments: [businessID])
        }
    }

    /// Sets (or, with nil, turns off) the retention; audited as `policy.retention` when it changes.
    public func setRetention(businessID: BusinessID, months: Int?, actor: String, now: Instant) throws {
        try write { db in
            let before = try Int.fetchOne(db, sql: "SELECT months FROM customer_retention WHERE business_id = ?", arguments: [businessID])
            guard before != months else { return }
            if let months {
                try db.execute(sql: """
                    INSERT INTO customer_retention (business_id, months, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (business_id) DO UPDATE SET months = excluded.months, updated_at = excluded.updated_at
                    """, arguments: [businessID, months, now])
            } else {
                try db.execute(sql: "DELETE FROM customer_retention WHERE business_id = ?", arguments: [businessID])
            }
            try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "policy.retention",
                                subject: "business:\(businessID)",
                                details: ["months": months.map(String.init) ?? "off", "previous": before.map(String.init) ?? "off"])
        }
    }

    /// Erases the customers of every business with a retention whose last booking ended before the
    /// cutoff (`RetentionRules`), for businesses not looked at in the last hour; returns how many.
    @discardableResult
    public func eraseCustomersPastRetention(now: Instant) throws -> Int {
        let due = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.business_id, r.months, b.timezone FROM customer_retention r JOIN businesses b ON b.id = r.business_id
                WHERE r.last_run_at IS NULL OR r.last_run_at <= ?
                """, arguments: [now - RetentionRules.passInterval]).map { ($0["business_id"] as BusinessID, $0["months"] as Int, $0["timezone"] as String) }
        }
        var erased = 0
        for (businessID, months, zone) in due {
            guard let clock = ZoneClock(identifier: zone) else { continue }
            let cutoffDate = RetentionRules.cutoffDate(today: clock.local(now).date, months: months)
            let cutoff = clock.day(cutoffDate).instantMovingForward(minutes: 0)
            let candidates = try read { db in try Retention.candidates(db, businessID: businessID, cutoff: cutoff) }
            for id in candidates {
                let outcome = try write { db -> ErasureOutcome in
                    // Checked again in the erasing transaction: a booking made since the read keeps the customer.
                    guard try Retention.candidates(db, businessID: businessID, cutoff: cutoff, only: id) == [id] else { return .notFound }
                    let emails = try String.fetchAll(db, sql: "SELECT email FROM customer_emails WHERE business_id = ? AND customer_id = ?",
                                                     arguments: [businessID, id])
                    return try Erasure.erase(db, businessID: businessID, emails: Set(emails), actor: "system:retention", now: now,
                                             reason: "retention: last booking ended before \(cutoffDate) (\(months) months)")
                }
                if case .erased = outcome { erased += 1 }
            }
            try write { db in
                try db.execute(sql: "UPDATE customer_retention SET last_run_at = ? WHERE business_id = ?", arguments: [now, businessID])
            }
        }
        if erased > 0 { try checkpointAndTruncateWAL() }
        return erased
    }
}

enum Retention {
    /// Customer records of the business with no booking ending at or after `cutoff` (`only`: that one record).
    static func candidates(_ db: Database, businessID: BusinessID, cutoff: Instant, only: CustomerID? = nil) throws -> [CustomerID] {
        try CustomerID.fetchAll(db, sql: """
            SELECT c.id FROM customers c
            WHERE c.business_id = ?1 AND (?3 IS NULL OR c.id = ?3)
              AND EXISTS (
                SELECT 1 FROM customer_emails e
                JOIN booking_orders o ON o.business_id = e.business_id AND lower(o.customer_email) = e.email
                WHERE e.business_id = c.business_id AND e.customer_id = c.id)
              AND NOT EXISTS (
                SELECT 1 FROM customer_emails e
                JOIN booking_orders o ON o.business_id = e.business_id AND lower(o.customer_email) = e.email
                WHERE e.business_id = c.business_id AND e.customer_id = c.id AND o.ends_at >= ?2)
            ORDER BY c.id LIMIT 500
            """, arguments: [businessID, cutoff, only])
    }
}
