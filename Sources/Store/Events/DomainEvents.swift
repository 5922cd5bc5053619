import BookingCore
import GRDB

/// The one place a domain event is announced, inside the transaction that causes it (so an event
/// exists exactly when its change commits). Every booking move reaches here through
/// `Bookings.recordEvent`; a reschedule, a decline, a waitlist offer and a payment call it directly.
///
/// Fan-out to the business's webhook subscriptions: one `webhook_deliveries` row per active
/// subscription that asked for this type, in the same transaction, due now. Nothing else is done
/// here (the payload is written by the worker at the first attempt), and a business without an
/// active subscription costs one lookup in an empty partial index.
enum DomainEvents {
    static func emit(_ db: Database, businessID: BusinessID, type: DomainEventType, orderID: BookingID, now: Instant) throws {
        let subscriptions = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, events FROM webhook_subscriptions WHERE business_id = ? AND status = 'active'
            """), arguments: [businessID])
        guard !subscriptions.isEmpty else { return }
        let quoted = "\"\(type.rawValue)\""
        var eventID: String?
        for subscription in subscriptions {
            let events: String = subscription["events"]
            guard events.contains(quoted) else { continue }
            let id = eventID ?? "evt_" + Outbox.messageID()
            eventID = id
            try db.cachedStatement(sql: """
                INSERT INTO webhook_deliveries (business_id, subscription_id, public_id, event_id, event_type, order_id, created_at, next_attempt_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [businessID, subscription["id"], "dlv_" + Outbox.messageID(), id, type.rawValue, orderID, now, now])
        }
    }
}
