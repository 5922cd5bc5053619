public import BookingCore
import Foundation
import GRDB

/// Everything held about one person, for a data export on request (issue 19).
public struct PersonalData: Sendable {
    public struct Booking: Sendable, Hashable {
        public let business: String
        public let publicID: String
        public let offer: String
        public let status: String
        public let start: Instant
        public let end: Instant
        public let name: String
        public let email: String
        public let phone: String
        public let notes: String
        public let partySize: Int
        public let source: String
        public let total: Int64
        public let currency: String
        public let createdAt: Instant
        /// The intake answers given with the booking, with each question as it was asked.
        public let answers: [IntakeAnswer]
    }

    public struct Payment: Sendable, Hashable {
        public let publicID: String
        public let kind: String
        public let amount: Int64
        public let currency: String
        public let method: String
        public let at: Instant
    }

    public struct Message: Sendable, Hashable {
        public let kind: String
        public let to: String
        public let status: String
        public let createdAt: Instant
        public let sentAt: Instant?
    }

    public struct Waitlist: Sendable, Hashable {
        public let business: String
        public let start: Instant
        public let name: String
        public let email: String
        public let phone: String
        public let status: String
    }

    /// The customer record (name, addresses, phone, tags, staff notes) when staff export it; nil
    /// for a customer's own export, which has no record of the business's own notes.
    public struct Record: Sendable, Hashable {
        public let id: CustomerID
        public let name: String
        public let emails: [String]
        public let phone: String
        public let tags: [String]
        public let notes: String
    }

    public let record: Record?
    public let bookings: [Booking]
    public let payments: [Payment]
    public let messages: [Message]
    public let waitlist: [Waitlist]
}

extension AppDatabase {
    /// What the business holds about customer `id`; nil when it has no such customer.
    public func customerData(businessID: BusinessID, id: CustomerID) throws -> PersonalData? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT name, phone, notes FROM customers WHERE business_id = ? AND id = ?",
                                             arguments: [businessID, id]) else { return nil }
            let emails = try String.fetchAll(db, sql: "SELECT email FROM customer_emails WHERE business_id = ? AND customer_id = ? ORDER BY email",
                                             arguments: [businessID, id])
            let record = PersonalData.Record(id: id, name: row["name"], emails: emails, phone: row["phone"],
                                             tags: try Customers.tags(db, businessID: businessID, id: id), notes: row["notes"])
            let marks = databaseQuestionMarks(count: max(1, emails.count))
            return try PersonalDataReads.load(db, record: record, businessID: businessID, filter: "b.business_id = ? AND lower(b.customer_email) IN (\(marks))",
                                              arguments: StatementArguments([businessID]) + StatementArguments(emails.isEmpty ? [""] : emails))
        }
    }

    /// What every business holds about the signed-in user: bookings made under their account or
    /// their address, with payments, messages and waitlist entries.
    public func accountData(userID: UserID) throws -> PersonalData? {
        try read { db in
            guard let email = try String.fetchOne(db, sql: "SELECT email FROM users WHERE id = ?", arguments: [userID]) else { return nil }
            return try PersonalDataReads.load(db, record: nil, businessID: nil, filter: "(b.customer_user_id = ? OR lower(b.customer_email) = ?)",
                                              arguments: [userID, email])
        }
    }
}

/// The reads behind a data export: bookings matching a filter over `booking_orders b`, then their
/// payments and messages; waitlist entries under the same addresses.
enum PersonalDataReads {
    /// `businessID` limits the waitlist entries to one business (a staff export); nil reads them all.
    static func load(_ db: Database, record: PersonalData.Record?, businessID: BusinessID?, filter: String,
                     arguments: StatementArguments) throws -> PersonalData {
        let rows = try Row.fetchAll(db, sql: """
            SELECT b.id, b.business_id, s.name AS business, b.public_id, o.name AS offer, b.status, b.starts_at, b.ends_at, b.customer_name,
              b.customer_email, b.customer_phone, b.notes, b.party_size, b.source, b.price_total, b.currency, b.created_at,
              b.intake_answers
            FROM booking_orders b JOIN offers o ON o.business_id = b.business_id AND o.id = b.offer_id
            JOIN businesses s ON s.id = b.business_id
            WHERE \(filter) ORDER BY b.starts_at, b.id
            """, arguments: arguments)
        let bookings = try rows.map {
            PersonalData.Booking(business: $0["business"], publicID: $0["public_id"], offer: $0["offer"], status: $0["status"],
                                 start: $0["starts_at"], end: $0["ends_at"], name: $0["customer_name"], email: $0["customer_email"],
                                 phone: $0["customer_phone"], notes: $0["notes"], partySize: $0["party_size"], source: $0["source"],
                                 total: $0["price_total"], currency: $0["currency"], createdAt: $0["created_at"],
                                 answers: try IntakeAnswers.decode($0["intake_answers"]))
        }
        var payments: [PersonalData.Payment] = [], messages: [PersonalData.Message] = []
        for row in rows {
            let scope: StatementArguments = [row["business_id"] as BusinessID, row["id"] as BookingID]
            payments += try Row.fetchAll(db, sql: """
                SELECT kind, amount, currency, method, at FROM ledger_entries WHERE business_id = ? AND order_id = ? ORDER BY at, id
                """, arguments: scope).map {
                PersonalData.Payment(publicID: row["public_id"], kind: $0["kind"], amount: $0["amount"], currency: $0["currency"],
                                     method: $0["method"], at: $0["at"])
            }
            messages += try Row.fetchAll(db, sql: """
                SELECT kind, recipient_email, status, created_at, sent_at FROM outbox WHERE business_id = ? AND order_id = ? ORDER BY id
                """, arguments: scope).map {
                PersonalData.Message(kind: $0["kind"], to: $0["recipient_email"], status: $0["status"], createdAt: $0["created_at"],
                                     sentAt: $0["sent_at"])
            }
        }
        let addresses = Set(bookings.map { $0.email.lowercased() }.filter { !$0.isEmpty } + (record?.emails ?? []))
        var waitlist: [PersonalData.Waitlist] = []
        if !addresses.isEmpty {
            waitlist = try Row.fetchAll(db, sql: """
                SELECT s.name AS business, w.starts_at, w.customer_name, w.customer_email, w.customer_phone, w.status
                FROM waitlist_entries w JOIN businesses s ON s.id = w.business_id
                WHERE (?1 IS NULL OR w.business_id = ?1) AND lower(w.customer_email) IN (\(databaseQuestionMarks(count: addresses.count)))
                ORDER BY w.starts_at, w.id
                """, arguments: StatementArguments([businessID as (any DatabaseValueConvertible)?]) + StatementArguments(Array(addresses))).map {
                PersonalData.Waitlist(business: $0["business"], start: $0["starts_at"], name: $0["customer_name"], email: $0["customer_email"],
                                      phone: $0["customer_phone"], status: $0["status"])
            }
        }
        return PersonalData(record: record, bookings: bookings, payments: payments, messages: messages, waitlist: waitlist)
    }
}
