import BookingCore
import Foundation
import GRDB

/// The webhook outbox's statements, inside the caller's transaction.
enum Webhooks {
    static func subscription(row: Row) -> WebhookSubscription {
        let events = (try? JSONSerialization.jsonObject(with: Data((row["events"] as String).utf8))) as? [String] ?? []
        return WebhookSubscription(id: row["id"], publicID: row["public_id"], url: row["url"],
                                   events: events.compactMap(DomainEventType.init(rawValue:)),
                                   role: Role(rawValue: row["role"]) ?? .client, apiKeyID: row["api_key_id"],
                                   active: (row["status"] as String) == "active", failingSince: row["failing_since"],
                                   disabledAt: row["disabled_at"], createdAt: row["created_at"])
    }

    /// The subscription `publicID` of the business, when the caller may see it (`apiKeyID`: only
    /// those that key created; nil: all).
    static func subscription(_ db: Database, businessID: BusinessID, publicID: String, apiKeyID: APIKeyID?) throws -> WebhookSubscription? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT * FROM webhook_subscriptions WHERE business_id = ? AND public_id = ? AND (? IS NULL OR api_key_id = ?)
            """), arguments: [businessID, publicID, apiKeyID, apiKeyID]).map(subscription(row:))
    }

    static let deliverySelect = """
        SELECT d.*, s.public_id AS subscription_public_id, s.url FROM webhook_deliveries d
        JOIN webhook_subscriptions s ON s.business_id = d.business_id AND s.id = d.subscription_id
        """

    static func delivery(row: Row, log: [WebhookAttempt] = []) -> WebhookDeliveryEntry {
        let status = WebhookDeliveryStatus(rawValue: row["status"]) ?? .pending
        return WebhookDeliveryEntry(id: row["id"], publicID: row["public_id"], subscriptionPublicID: row["subscription_public_id"],
                                    url: row["url"], eventID: row["event_id"],
                                    event: DomainEventType(rawValue: row["event_type"]) ?? .bookingCreated, status: status,
                                    attempts: row["attempts"], lastStatusCode: row["last_status_code"],
                                    nextAttemptAt: status == .pending || status == .sending ? row["next_attempt_at"] : nil,
                                    createdAt: row["created_at"], deliveredAt: row["delivered_at"], payload: row["payload"], log: log)
    }

    static func attempts(_ db: Database, deliveryIDs: [WebhookDeliveryID]) throws -> [WebhookDeliveryID: [WebhookAttempt]] {
        guard !deliveryIDs.isEmpty else { return [:] }
        let marks = Array(repeating: "?", count: deliveryIDs.count).joined(separator: ",")
        var out: [WebhookDeliveryID: [WebhookAttempt]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM webhook_attempts WHERE delivery_id IN (\(marks)) ORDER BY delivery_id, number",
                                    arguments: StatementArguments(deliveryIDs)) {
            out[row["delivery_id"] as WebhookDeliveryID, default: []].append(WebhookAttempt(
                number: row["number"], at: row["at"], url: row["url"], signature: row["signature"], statusCode: row["status_code"],
                responseBody: row["response_body"], durationMilliseconds: row["duration_ms"], error: row["error"]))
        }
        return out
    }

    /// A claimed delivery with what its request needs; nil when it vanished (its subscription was deleted).
    static func job(_ db: Database, id: WebhookDeliveryID) throws -> WebhookJob? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT d.*, s.url, s.secret, s.role FROM webhook_deliveries d
                JOIN webhook_subscriptions s ON s.business_id = d.business_id AND s.id = d.subscription_id WHERE d.id = ?
                """), arguments: [id]),
              let business = try Catalog.business(db, id: row["business_id"] as BusinessID),
              let event = DomainEventType(rawValue: row["event_type"]) else { return nil }
        let role = Role(rawValue: row["role"]) ?? .client
        var order: OrderView?
        if (row["payload"] as String?) == nil, let orderID: BookingID = row["order_id"],
           let publicID = try String.fetchOne(db.cachedStatement(sql: "SELECT public_id FROM booking_orders WHERE business_id = ? AND id = ?"),
                                              arguments: [business.id, orderID]) {
            order = try BookingReads.order(db, businessID: business.id, publicID: publicID)
        }
        let policy = [.owner, .admin, .manager].contains(role) ? VisibilityPolicy.default
            : try FieldVisibilityStore.policy(db, businessID: business.id)
        return WebhookJob(id: id, publicID: row["public_id"], eventID: row["event_id"], event: event, eventAt: row["created_at"],
                          url: row["url"], secret: row["secret"], attempts: row["attempts"], payload: row["payload"],
                          business: business, order: order, role: role, policy: policy)
    }

    /// Records one attempt: the frozen payload, the log row, the delivery's new state, and the
    /// subscription's failure streak — a day of it disables the subscription and emails its owners.
    static func record(_ db: Database, _ report: WebhookAttemptReport, now: Instant) throws {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT d.business_id, d.subscription_id, s.public_id, s.url, s.status, s.failing_since FROM webhook_deliveries d
            JOIN webhook_subscriptions s ON s.business_id = d.business_id AND s.id = d.subscription_id WHERE d.id = ?
            """), arguments: [report.deliveryID]) else { return }
        let attempt = report.attempt
        let status: WebhookDeliveryStatus = report.delivered ? .delivered : report.retryAt == nil ? .failed : .pending
        try db.cachedStatement(sql: """
            UPDATE webhook_deliveries SET payload = COALESCE(payload, ?), status = ?, next_attempt_at = COALESCE(?, next_attempt_at),
              claimed_until = NULL, last_status_code = ?, delivered_at = CASE WHEN ? THEN ? ELSE delivered_at END WHERE id = ?
            """).execute(arguments: [report.payload, status.rawValue, report.retryAt, attempt.statusCode, report.delivered, now,
                                     report.deliveryID])
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO webhook_attempts (delivery_id, number, at, url, signature, status_code, response_body, duration_ms, error)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [report.deliveryID, attempt.number, attempt.at, attempt.url, attempt.signature, attempt.statusCode,
                                     prefix(attempt.responseBody, bytes: 2048), max(0, attempt.durationMilliseconds),
                                     String(attempt.error.prefix(1000))])
        let businessID: BusinessID = row["business_id"], subscriptionID: WebhookID = row["subscription_id"]
        if report.delivered {
            try db.cachedStatement(sql: "UPDATE webhook_subscriptions SET failing_since = NULL WHERE id = ? AND failing_since IS NOT NULL")
                .execute(arguments: [subscriptionID])
            return
        }
        let failingSince = (row["failing_since"] as Instant?) ?? attempt.at
        try db.cachedStatement(sql: "UPDATE webhook_subscriptions SET failing_since = ? WHERE id = ?").execute(arguments: [failingSince, subscriptionID])
        guard (row["status"] as String) == "active", WebhookRetry.shouldDisable(failingSince: failingSince, now: now) else { return }
        try db.execute(sql: "UPDATE webhook_subscriptions SET status = 'disabled', disabled_at = ? WHERE id = ?", arguments: [now, subscriptionID])
        try AuditLog.append(db, businessID: businessID, at: now, actor: Actor.system.label, action: "webhook.disable",
                            subject: "webhook:\(row["public_id"] as String)", details: ["url": row["url"] as String])
        for owner in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT u.email, u.name FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.business_id = ? AND m.role = 'owner' ORDER BY m.id
            """), arguments: [businessID]) {
            try Outbox.enqueue(db, businessID: businessID, kind: .webhookDisabled, email: owner["email"], name: owner["name"],
                               data: [("url", row["url"] as String), ("webhook", row["public_id"] as String)], orderID: nil, due: now, now: now)
        }
    }

    /// At most `bytes` UTF-8 bytes of `text`, cut at a character boundary.
    static func prefix(_ text: String, bytes: Int) -> String {
        guard text.utf8.count > bytes else { return text }
        var out = ""
        var used = 0
        for character in text {
            let size = character.utf8.count
            if used + size > bytes { break }
            out.append(character)
            used += size
        }
        return out
    }
}
