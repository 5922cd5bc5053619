public import BookingCore
public import Foundation
import GRDB

/// Webhook subscriptions (API and page), their delivery log and redelivery, and the worker's door
/// (claim, record). One transaction each.
extension AppDatabase {
    /// A new subscription; `answer` renders the response (with the secret, shown this once: it is
    /// stored as is, since signing needs it). With `idempotency` (an API `Idempotency-Key` and the
    /// request's hash) the key and the answer are recorded in the same transaction, and the same key
    /// answers the recorded answer again (secret included); with another body, `idempotencyMismatch`.
    /// The URL was checked by the caller (syntax and destination). Audited as `webhook.create`.
    public func createWebhook(businessID: BusinessID, url: String, events: [DomainEventType], role: Role, apiKeyID: APIKeyID?,
                              idempotency: (key: String, requestHash: Data)? = nil, actor: Actor, now: Instant,
                              answer: @escaping @Sendable (WebhookSubscription, String) -> [UInt8]) throws -> IdempotentAnswer {
        try write { db in
            if let idempotency, let apiKeyID,
               let stored = try Idempotency.lookup(db, businessID: businessID, keyID: apiKeyID, key: idempotency.key, now: now) {
                guard stored.requestHash == idempotency.requestHash else { throw BookingFailure.idempotencyMismatch }
                return .replayed(status: stored.status, body: Array(stored.body.utf8))
            }
            let publicID = "wh_" + Outbox.messageID()
            let secret = "whsec_" + Tokens.secret()
            let names = events.map(\.rawValue)
            try db.execute(sql: """
                INSERT INTO webhook_subscriptions (business_id, public_id, url, events, secret, role, api_key_id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [businessID, publicID, url, String(decoding: try JSONSerialization.data(withJSONObject: names), as: UTF8.self),
                                 secret, role.rawValue, apiKeyID, now])
            try AuditLog.append(db, businessID: businessID, at: now, actor: actor.label, action: "webhook.create", subject: "webhook:\(publicID)",
                                details: ["url": url, "events": names.joined(separator: ",")])
            guard let created = try Webhooks.subscription(db, businessID: businessID, publicID: publicID, apiKeyID: nil) else {
                throw WebhookError.notFound
            }
            let body = answer(created, secret)
            if let idempotency, let apiKeyID {
                try Idempotency.record(db, businessID: businessID, keyID: apiKeyID, key: idempotency.key, requestHash: idempotency.requestHash,
                                       status: 201, body: String(decoding: body, as: UTF8.self), now: now)
            }
            return .fresh(body)
        }
    }

    /// The business's subscriptions, oldest first (`apiKeyID`: only those that key created).
    public func webhooks(businessID: BusinessID, apiKeyID: APIKeyID? = nil) throws -> [WebhookSubscription] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT * FROM webhook_subscriptions WHERE business_id = ? AND (? IS NULL OR api_key_id = ?) ORDER BY id
                """), arguments: [businessID, apiKeyID, apiKeyID]).map(Webhooks.subscription(row:))
        }
    }

    /// Deletes a subscription with its deliveries and their log; audited. `WebhookError.notFound`.
    public func deleteWebhook(businessID: BusinessID, publicID: String, apiKeyID: APIKeyID? = nil, actor: Actor, now: Instant) throws {
        try write { db in
            guard let found = try Webhooks.subscription(db, businessID: businessID, publicID: publicID, apiKeyID: apiKeyID) else {
                throw WebhookError.notFound
            }
            try db.execute(sql: "DELETE FROM webhook_deliveries WHERE business_id = ? AND subscription_id = ?", arguments: [businessID, found.id])
            try db.execute(sql: "DELETE FROM webhook_subscriptions WHERE business_id = ? AND id = ?", arguments: [businessID, found.id])
            try AuditLog.append(db, businessID: businessID, at: now, actor: actor.label, action: "webhook.delete", subject: "webhook:\(publicID)",
                                details: ["url": found.url])
        }
    }

    /// A subscription's deliveries, newest first; nil when there is no such subscription.
    public func webhookDeliveries(businessID: BusinessID, publicID: String, apiKeyID: APIKeyID? = nil, limit: Int = 100) throws -> [WebhookDeliveryEntry]? {
        try read { db in
            guard let found = try Webhooks.subscription(db, businessID: businessID, publicID: publicID, apiKeyID: apiKeyID) else { return nil }
            return try Row.fetchAll(db.cachedStatement(sql: Webhooks.deliverySelect + """
                 WHERE d.business_id = ? AND d.subscription_id = ? ORDER BY d.id DESC LIMIT ?
                """), arguments: [businessID, found.id, limit]).map { Webhooks.delivery(row: $0) }
        }
    }

    /// The owner's log: the business's most recent deliveries, newest first, each with its attempts.
    public func webhookLog(businessID: BusinessID, limit: Int = 50) throws -> [WebhookDeliveryEntry] {
        try read { db in
            let rows = try Row.fetchAll(db.cachedStatement(sql: Webhooks.deliverySelect + " WHERE d.business_id = ? ORDER BY d.id DESC LIMIT ?"),
                                        arguments: [businessID, limit])
            let attempts = try Webhooks.attempts(db, deliveryIDs: rows.map { $0["id"] as WebhookDeliveryID })
            return rows.map { Webhooks.delivery(row: $0, log: attempts[$0["id"] as WebhookDeliveryID] ?? []) }
        }
    }

    /// Sends a delivery again, due now, with the same id and body (a disabled subscription is enabled
    /// again: the owner asked for it); audited as `webhook.redeliver`. `WebhookError.notFound`.
    public func redeliverWebhook(businessID: BusinessID, subscriptionPublicID: String, deliveryPublicID: String, apiKeyID: APIKeyID? = nil,
                                 actor: Actor, now: Instant) throws {
        try write { db in
            guard let found = try Webhooks.subscription(db, businessID: businessID, publicID: subscriptionPublicID, apiKeyID: apiKeyID) else {
                throw WebhookError.notFound
            }
            try db.execute(sql: """
                UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?, claimed_until = NULL
                WHERE business_id = ? AND subscription_id = ? AND public_id = ? AND status != 'sending'
                """, arguments: [now, businessID, found.id, deliveryPublicID])
            guard db.changesCount == 1 else {
                // Already being sent is as good as redelivered; anything else does not exist.
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM webhook_deliveries WHERE subscription_id = ? AND public_id = ?",
                                        arguments: [found.id, deliveryPublicID]) == true else { throw WebhookError.notFound }
                return
            }
            if !found.active {
                try db.execute(sql: "UPDATE webhook_subscriptions SET status = 'active', disabled_at = NULL, failing_since = NULL WHERE id = ?",
                               arguments: [found.id])
            }
            try AuditLog.append(db, businessID: businessID, at: now, actor: actor.label, action: "webhook.redeliver",
                                subject: "webhook:\(subscriptionPublicID)", details: ["delivery": deliveryPublicID])
        }
    }

    // MARK: The worker's door

    /// Claims up to `limit` due deliveries of active subscriptions for `leaseSeconds` (pending ones
    /// whose time has come, and `sending` ones whose lease ran out: their worker died). Each claim
    /// counts as an attempt.
    public func claimDueWebhooks(now: Instant, leaseSeconds: Int64, limit: Int) throws -> [WebhookJob] {
        let ids = try write { db in
            try WebhookDeliveryID.fetchAll(db.cachedStatement(sql: """
                UPDATE webhook_deliveries SET status = 'sending', claimed_until = ?, attempts = attempts + 1
                WHERE id IN (SELECT d.id FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
                             WHERE ((d.status = 'pending' AND d.next_attempt_at <= ?) OR (d.status = 'sending' AND d.claimed_until <= ?))
                               AND s.status = 'active'
                             ORDER BY d.next_attempt_at, d.id LIMIT ?)
                RETURNING id
                """), arguments: [now + leaseSeconds, now, now, limit])
        }
        guard !ids.isEmpty else { return [] }
        return try read { db in try ids.sorted().compactMap { try Webhooks.job(db, id: $0) } }
    }

    /// Records the attempts of one batch in one transaction.
    public func recordWebhookAttempts(_ reports: [WebhookAttemptReport], now: Instant) throws {
        guard !reports.isEmpty else { return }
        try write { db in
            for report in reports { try Webhooks.record(db, report, now: now) }
        }
    }
}
