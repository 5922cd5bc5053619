import BookingCore
import GRDB

/// The one place a domain event is announced, inside the transaction that causes it (so an event
/// exists exactly when its change commits). Every booking move reaches here through
/// `Bookings.recordEvent`; a reschedule, a decline, a waitlist offer and a payment call it directly.
///
/// Fan-out to the business's webhook subscriptions (issue 15) is written here: one delivery row per
/// matching subscription, in the same transaction. Until that lands this announces to no one.
enum DomainEvents {
    static func emit(_ db: Database, businessID: BusinessID, type: DomainEventType, orderID: BookingID, now: Instant) throws {
        _ = (db, businessID, type, orderID, now)
    }
}
