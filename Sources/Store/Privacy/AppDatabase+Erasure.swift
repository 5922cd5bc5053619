import Admission
public import BookingCore
import Foundation
import GRDB

/// What an erasure did, or why it did nothing.
public enum ErasureOutcome: Sendable, Equatable {
    /// The customer's personal fields are gone; `pseudonym` names their bookings from now on.
    case erased(pseudonym: String, bookings: Int)
    /// Bookings still ahead (public ids), or a repeating series still running: cancel them first.
    case upcoming([String])
    /// The business holds nothing under that address.
    case notFound
}

/// Erasure on request (issue 19): every personal field the business holds about one customer —
/// bookings, waitlist entries, series, queued and sent emails, webhook payloads, stored API
/// answers, the customer record — is anonymised in one transaction; money (the ledger) and the
/// audit chain are kept, the bookings under a pseudonym. The database runs with `secure_delete`,
/// and the WAL is checkpointed and truncated afterwards, so the old bytes do not linger on disk.
extension AppDatabase {
    /// Erases the customer known by `email` (and every address merged into their record).
    public func eraseCustomer(businessID: BusinessID, email: String, actor: String, now: Instant) throws -> ErasureOutcome {
        let outcome = try write { db in
            try Erasure.erase(db, businessID: businessID, emails: try Erasure.addresses(db, businessID: businessID, email: email),
                              actor: actor, now: now)
        }
        if case .erased = outcome { try checkpointAndTruncateWAL() }
        return outcome
    }

    /// Erases the customer record `id`; `.notFound` when the business has no such record.
    public func eraseCustomer(businessID: BusinessID, id: CustomerID, actor: String, now: Instant) throws -> ErasureOutcome {
        let outcome = try write { db in
            let emails = try String.fetchAll(db, sql: "SELECT email FROM customer_emails WHERE business_id = ? AND customer_id = ?",
                                             arguments: [businessID, id])
            return try Erasure.erase(db, businessID: businessID, emails: Set(emails), actor: actor, now: now)
        }
        if case .erased = outcome { try checkpointAndTruncateWAL() }
        return outcome
    }

    /// Copies the WAL into the database file and empties it (best effort while readers hold old
    /// snapshots). SQLite answers busy at once, without waiting, while another checkpoint runs (the
    /// checkpointer's, a few milliseconds): then it tries again, up to a second in all.
    func checkpointAndTruncateWAL() throws {
        // Waits for the writer, then for the disk: out of a CoreGate's line.
        try CoreGate.whileAway {
            for _ in 0..<100 {
                let busy = try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
                if busy != 1 { return }
                usleep(10_000)
            }
        }
    }
}

/// Mixed values as statement arguments.
private func values(_ items: (any DatabaseValueConvertible)?...) -> StatementArguments { StatementArguments(items) }

enum Erasure {
    /// `email` lower-cased, with every address of the customer record it belongs to.
    static func addresses(_ db: Database, businessID: BusinessID, email: String) throws -> Set<String> {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        let merged = try String.fetchAll(db, sql: """
            SELECT email FROM customer_emails WHERE business_id = ?1
              AND customer_id = (SELECT customer_id FROM customer_emails WHERE business_id = ?1 AND email = ?2)
            """, arguments: [businessID, email])
        return Set(merged + [email])
    }

    /// `reason` goes into the audit entry (the retention setting says why it erased).
    static func erase(_ db: Database, businessID: BusinessID, emails: Set<String>, actor: String, now: Instant,
                      reason: String? = nil) throws -> ErasureOutcome {
        guard !emails.isEmpty else { return .notFound }
        let list = Array(emails)
        let marks = databaseQuestionMarks(count: list.count)
        let scope = StatementArguments([businessID]) + StatementArguments(list)
        let orders = try Row.fetchAll(db, sql: """
            SELECT id, public_id, status, ends_at, hold_expires_at, customer_email, customer_name, customer_phone, intake_answers
            FROM booking_orders WHERE business_id = ? AND lower(customer_email) IN (\(marks))
            """, arguments: scope)
        let upcoming = orders.filter { order in
            BookingStatus(rawValue: order["status"]).map { status in
                ErasureRules.blocksErasure(status: status, end: order["ends_at"], holdExpiresAt: order["hold_expires_at"], now: now)
            } ?? true
        }.map { $0["public_id"] as String }
        let series = try String.fetchAll(db, sql: """
            SELECT public_id FROM booking_series WHERE business_id = ? AND status = 'active' AND lower(customer_email) IN (\(marks))
            """, arguments: scope)
        guard upcoming.isEmpty && series.isEmpty else { return .upcoming(upcoming + series) }
        let customerID = try CustomerID.fetchOne(db, sql: "SELECT customer_id FROM customer_emails WHERE business_id = ? AND email IN (\(marks))",
                                                 arguments: scope)
        let others = try Row.fetchAll(db, sql: """
            SELECT customer_email, customer_name, customer_phone FROM waitlist_entries WHERE business_id = ? AND lower(customer_email) IN (\(marks))
            UNION SELECT customer_email, customer_name, customer_phone FROM booking_series WHERE business_id = ? AND lower(customer_email) IN (\(marks))
            """, arguments: scope + scope)
        guard customerID != nil || !orders.isEmpty || !others.isEmpty else { return .notFound }

        let token = String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12)).lowercased()
        let pseudonym = ErasureRules.pseudonym(token: token), erasedEmail = ErasureRules.erasedEmail(token: token)
        let ids = orders.map { $0["id"] as BookingID }
        // Every spelling of the person's details, for the free text that embeds them (payloads, stored answers).
        var replacements: [(String, String)] = []
        for row in orders + others {
            replacements.append((row["customer_email"], erasedEmail))
            replacements.append((row["customer_name"], pseudonym))
            replacements.append((row["customer_phone"], ""))
        }
        // Free-text intake answers are personal too (a reason for a visit): they leave the stored JSON with the rest.
        for row in orders {
            for answer in (try? IntakeAnswers.decode(row["intake_answers"])) ?? [] where answer.kind == .shortText || answer.kind == .longText {
                replacements.append((answer.answer, ""))
            }
        }
        replacements = replacements.filter { $0.0.count >= 3 }
        replacements.sort { $0.0.count > $1.0.count }   // longest first: "Zed Racer" before "Zed"

        if !ids.isEmpty {
            let idMarks = databaseQuestionMarks(count: ids.count)
            try db.execute(sql: """
                UPDATE booking_orders SET customer_name = ?, customer_email = '', customer_phone = '', notes = '', cancel_reason = '',
                  intake_answers = '[]',
                  customer_user_id = NULL, household_member_id = NULL, access_token_hash = NULL, updated_at = ?
                WHERE business_id = ? AND id IN (\(idMarks))
                """, arguments: values(pseudonym, now, businessID) + StatementArguments(ids))
            try db.execute(sql: """
                UPDATE outbox SET recipient_email = ?, recipient_name = '', subject = '', data = '{}', last_error = '',
                  status = CASE WHEN status IN ('pending', 'sending') THEN 'withdrawn' ELSE status END
                WHERE business_id = ? AND order_id IN (\(idMarks))
                """, arguments: values(erasedEmail, businessID) + StatementArguments(ids))
        }
        try db.execute(sql: """
            UPDATE outbox SET recipient_email = ?, recipient_name = '', subject = '', data = '{}', last_error = '',
              status = CASE WHEN status IN ('pending', 'sending') THEN 'withdrawn' ELSE status END
            WHERE business_id = ? AND lower(recipient_email) IN (\(marks))
            """, arguments: values(erasedEmail) + scope)
        for table in ["waitlist_entries", "booking_series"] {
            try db.execute(sql: """
                UPDATE \(table) SET customer_name = ?, customer_email = ?, customer_phone = '', customer_user_id = NULL
                WHERE business_id = ? AND lower(customer_email) IN (\(marks))
                """, arguments: values(pseudonym, erasedEmail) + scope)
        }
        for (value, replacement) in replacements {
            try db.execute(sql: "UPDATE webhook_deliveries SET payload = replace(payload, ?1, ?2) WHERE business_id = ?3 AND instr(payload, ?1) > 0",
                           arguments: [value, replacement, businessID])
            try db.execute(sql: """
                UPDATE webhook_attempts SET response_body = replace(response_body, ?1, ?2)
                WHERE instr(response_body, ?1) > 0 AND delivery_id IN (SELECT id FROM webhook_deliveries WHERE business_id = ?3)
                """, arguments: [value, replacement, businessID])
            try db.execute(sql: "UPDATE idempotency_keys SET response_body = replace(response_body, ?1, ?2) WHERE business_id = ?3 AND instr(response_body, ?1) > 0",
                           arguments: [value, replacement, businessID])
        }
        if let customerID {
            try db.execute(sql: "DELETE FROM customers WHERE business_id = ? AND id = ?", arguments: [businessID, customerID])
        }
        try db.execute(sql: "DELETE FROM customer_emails WHERE business_id = ? AND email IN (\(marks))", arguments: scope)
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "customer.erase",
                            subject: customerID.map { "customer:\($0)" } ?? "customer:none",
                            details: ["pseudonym": pseudonym, "bookings": String(ids.count)].merging(reason.map { ["reason": $0] } ?? [:]) { a, _ in a })
        return .erased(pseudonym: pseudonym, bookings: ids.count)
    }
}
