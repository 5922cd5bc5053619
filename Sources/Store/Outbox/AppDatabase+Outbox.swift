public import BookingCore
import Foundation
import GRDB

/// The outbox worker's door (claim, read, record) and the owner's list and retry.
extension AppDatabase {
    /// Claims up to `limit` due messages for `leaseSeconds`: pending ones whose time has come, and
    /// `sending` ones whose lease ran out (their worker died mid-send: they go again, same
    /// Message-ID). Each claim counts as an attempt. One transaction.
    public func claimDueMessages(now: Instant, leaseSeconds: Int64, limit: Int) throws -> [OutboxMessage] {
        let ids = try write(rerunnable: true) { db in
            try Int64.fetchAll(db.cachedStatement(sql: """
                UPDATE outbox SET status = 'sending', claimed_until = ?, attempts = attempts + 1
                WHERE id IN (SELECT id FROM outbox
                             WHERE (status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND claimed_until <= ?)
                             ORDER BY next_attempt_at, id LIMIT ?)
                RETURNING id
                """), arguments: [now + leaseSeconds, now, now, limit])
        }
        guard !ids.isEmpty else { return [] }
        return try read { db in try ids.sorted().compactMap { try Self.outboxMessage(db, id: $0) } }
    }

    /// Records the outcomes of one batch in one transaction. A sent message loses the secrets of
    /// its data (guest and reset tokens): they were needed only to write the link.
    public func recordDeliveries(_ outcomes: [(id: Int64, outcome: DeliveryOutcome)], now: Instant) throws {
        guard !outcomes.isEmpty else { return }
        try write(rerunnable: true) { db in
            for (id, outcome) in outcomes {
                switch outcome {
                case .sent(let subject):
                    try db.cachedStatement(sql: """
                        UPDATE outbox SET status = 'sent', sent_at = ?, subject = ?, claimed_until = NULL, last_error = '',
                          data = json_remove(data, '$.token') WHERE id = ?
                        """).execute(arguments: [now, String(subject.prefix(500)), id])
                case .retry(let subject, let error, let at):
                    try db.cachedStatement(sql: """
                        UPDATE outbox SET status = 'pending', next_attempt_at = ?, subject = ?, claimed_until = NULL, last_error = ? WHERE id = ?
                        """).execute(arguments: [at, String(subject.prefix(500)), String(error.prefix(1000)), id])
                case .failed(let subject, let error):
                    try db.cachedStatement(sql: """
                        UPDATE outbox SET status = 'failed', subject = ?, claimed_until = NULL, last_error = ? WHERE id = ?
                        """).execute(arguments: [String(subject.prefix(500)), String(error.prefix(1000)), id])
                case .withdrawn:
                    try db.cachedStatement(sql: """
                        UPDATE outbox SET status = 'withdrawn', claimed_until = NULL, data = json_remove(data, '$.token') WHERE id = ?
                        """).execute(arguments: [id])
                }
            }
        }
    }

    /// The business's most recent messages, newest first.
    public func outboxEntries(businessID: BusinessID, limit: Int = 200) throws -> [OutboxEntry] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT m.*, b.public_id FROM outbox m LEFT JOIN booking_orders b ON b.business_id = m.business_id AND b.id = m.order_id
                WHERE m.business_id = ? ORDER BY m.id DESC LIMIT ?
                """), arguments: [businessID, limit]).map { row in
                OutboxEntry(id: row["id"], kind: MessageKind(rawValue: row["kind"]) ?? .confirmation, recipientEmail: row["recipient_email"],
                            recipientName: row["recipient_name"], subject: row["subject"],
                            status: MessageStatus(rawValue: row["status"]) ?? .pending, attempts: row["attempts"],
                            lastError: row["last_error"], createdAt: row["created_at"], nextAttemptAt: row["next_attempt_at"],
                            sentAt: row["sent_at"], orderPublicID: row["public_id"])
            }
        }
    }

    /// Puts a failed message of the business back in the queue, due now; audited as `outbox.retry`.
    public func retryMessage(businessID: BusinessID, id: Int64, actor: String, now: Instant) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE outbox SET status = 'pending', next_attempt_at = ?, claimed_until = NULL
                WHERE business_id = ? AND id = ? AND status = 'failed'
                """, arguments: [now, businessID, id])
            guard db.changesCount == 1 else { throw OutboxError.notRetryable }
            try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "outbox.retry", subject: "message:\(id)")
        }
    }

    static func outboxMessage(_ db: Database, id: Int64) throws -> OutboxMessage? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM outbox WHERE id = ?"), arguments: [id]),
              let kind = MessageKind(rawValue: row["kind"]) else { return nil }
        let businessID: BusinessID? = row["business_id"]
        let business = try businessID.flatMap { try Catalog.business(db, id: $0) }
        var order: OrderView?
        var revision = 0, sensitive = false
        if let businessID, let orderID: BookingID = row["order_id"],
           let publicID = try String.fetchOne(db.cachedStatement(sql: "SELECT public_id FROM booking_orders WHERE business_id = ? AND id = ?"),
                                              arguments: [businessID, orderID]) {
            order = try BookingReads.order(db, businessID: businessID, publicID: publicID)
            revision = try BookingReads.revision(db, businessID: businessID, orderID: orderID)
            if let offerID = order?.offerID {
                sensitive = try Bool.fetchOne(db.cachedStatement(sql: "SELECT sensitive FROM offers WHERE business_id = ? AND id = ?"),
                                              arguments: [businessID, offerID]) ?? false
            }
        }
        let settings = try businessID.map { try EmailSettings.read(db, businessID: $0) } ?? .standard
        let policy = kind == .staffAlert ? try businessID.map { try FieldVisibilityStore.policy(db, businessID: $0) } ?? .default : .default
        return OutboxMessage(id: id, kind: kind, recipientEmail: row["recipient_email"], recipientName: row["recipient_name"],
                             data: OutboxData.decode(row["data"]), messageID: row["message_id"], attempts: row["attempts"],
                             business: business, order: order, revision: revision, offerSensitive: sensitive, settings: settings,
                             policy: policy, meetingLinks: try order.map { try MeetingLinks.revealed(db, order: $0) } ?? [])
    }
}
