import BookingCore
import Foundation
import GRDB

extension Queues {
    /// Tells the first ticket in line that it is next, once per ticket (`next_notified_at`, 0135),
    /// in the caller's transaction: every queue write that can change who is first (join, call,
    /// start, complete, no-show, leave, move to the back) ends here. The message reuses the outbox
    /// kind `waitlist_offer` with `data.about` = `queue_next` (the kind CHECK is not widened); its
    /// `text` is the one-line body (`QueueNextMessage`), short enough to go by text message as is.
    /// A ticket with only a phone number is marked told too: the line is in the row for an SMS sender.
    static func announceNext(_ db: Database, business: Business, queueID: QueueID, now: Instant) throws {
        guard let first = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT t.id, t.public_id, t.customer_name, t.customer_email, t.next_notified_at, q.name, q.slug
            FROM queue_tickets t JOIN queues q ON q.business_id = t.business_id AND q.id = t.queue_id
            WHERE t.business_id = ? AND t.queue_id = ? AND t.status IN ('waiting', 'called', 'serving') AND t.status = 'waiting'
            ORDER BY t.seq LIMIT 1
            """), arguments: [business.id, queueID]), (first["next_notified_at"] as Instant?) == nil else { return }
        try db.cachedStatement(sql: """
            UPDATE queue_tickets SET next_notified_at = ? WHERE business_id = ? AND id = ? AND next_notified_at IS NULL
            """).execute(arguments: [now, business.id, first["id"] as QueueTicketID])
        guard db.changesCount == 1 else { return }
        let queueName: String = first["name"], queueSlug: String = first["slug"], ticket: String = first["public_id"]
        let email: String = first["customer_email"], name: String = first["customer_name"]
        let text = QueueNextMessage.text(businessName: business.name, queueName: queueName)
        try Outbox.enqueue(db, businessID: business.id, kind: .waitlistOffer, email: email, name: name,
                           data: [("about", "queue_next"), ("queue", queueSlug), ("queue_name", queueName), ("ticket", ticket), ("text", text)],
                           orderID: nil, due: now, now: now)
    }
}
