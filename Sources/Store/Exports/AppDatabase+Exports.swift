public import BookingCore
import Foundation
import GRDB

/// One booking of the bookings export, unmasked (Web masks it before writing CSV).
public struct ExportBooking: Sendable, Hashable {
    public let publicID: String
    public let offerName: String
    public let sensitive: Bool
    public let status: BookingStatus
    public let start: Instant
    public let end: Instant
    public let customerName: String
    public let customerEmail: String
    public let customerPhone: String
    public let partySize: Int
    public let source: String
    public let total: Int64
    public let paid: Int64
    public let currency: String
}

/// One ledger entry of the ledger export.
public struct ExportLedgerEntry: Sendable, Hashable {
    public let at: Instant
    public let publicID: String
    public let kind: String
    public let amount: Int64
    public let currency: String
    public let method: String
    public let note: String
}

/// One customer of the customers export, with what they booked in the range.
public struct ExportCustomer: Sendable, Hashable {
    public let id: CustomerID
    public let name: String
    public let emails: [String]
    public let phone: String
    public let tags: [String]
    public let bookings: Int
    public let noShows: Int
    public let spend: Int64
}

/// What an export reads: the business, its policy and the rows.
public struct ExportRows<Item: Sendable>: Sendable {
    public let business: Business
    public let policy: VisibilityPolicy
    public let rows: [Item]
}

/// CSV exports for a date range (issue 19): one read transaction each, scoped to the business.
/// Bookings and customers by the bookings' start, the ledger by the entry's time; holds and expired
/// holds left out.
extension AppDatabase {
    public func exportBookings(businessID: BusinessID, range: ExportRange, scope: LocationScope = .everywhere) throws -> ExportRows<ExportBooking>? {
        let scoped = LocationScopes.condition(scope)
        return try export(businessID: businessID, range: range) { db, business, window in
            try Row.fetchAll(db, sql: """
                SELECT b.public_id, o.name, o.sensitive, b.status, b.starts_at, b.ends_at, b.customer_name, b.customer_email,
                  b.customer_phone, b.party_size, b.source, b.price_total, b.currency,
                  (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries l WHERE l.business_id = b.business_id AND l.order_id = b.id) AS paid
                FROM booking_orders b JOIN offers o ON o.business_id = b.business_id AND o.id = b.offer_id
                WHERE b.business_id = ? AND b.starts_at >= ? AND b.starts_at < ? AND b.status NOT IN ('held', 'expired')\(scoped.sql)
                ORDER BY b.starts_at, b.id
                """, arguments: LocationScopes.arguments([business.id, window.start, window.end], scoped)).compactMap { row -> ExportBooking? in
                guard let status = BookingStatus(rawValue: row[3]) else { return nil }
                return ExportBooking(publicID: row[0], offerName: row[1], sensitive: row[2], status: status, start: row[4], end: row[5],
                                     customerName: row[6], customerEmail: row[7], customerPhone: row[8], partySize: row[9], source: row[10],
                                     total: row[11], paid: row["paid"], currency: row[12])
            }
        }
    }

    public func exportLedger(businessID: BusinessID, range: ExportRange, scope: LocationScope = .everywhere) throws -> ExportRows<ExportLedgerEntry>? {
        let scoped = LocationScopes.condition(scope)
        return try export(businessID: businessID, range: range) { db, business, window in
            try Row.fetchAll(db, sql: """
                SELECT l.at, b.public_id, l.kind, l.amount, l.currency, l.method, l.note
                FROM ledger_entries l JOIN booking_orders b ON b.business_id = l.business_id AND b.id = l.order_id
                WHERE l.business_id = ? AND l.at >= ? AND l.at < ?\(scoped.sql) ORDER BY l.at, l.id
                """, arguments: LocationScopes.arguments([business.id, window.start, window.end], scoped)).map {
                ExportLedgerEntry(at: $0[0], publicID: $0[1], kind: $0[2], amount: $0[3], currency: $0[4], method: $0[5], note: $0[6])
            }
        }
    }

    /// The customers with a booking starting in the range, with that range's bookings, no-shows and spend.
    public func exportCustomers(businessID: BusinessID, range: ExportRange, scope: LocationScope = .everywhere) throws -> ExportRows<ExportCustomer>? {
        let scoped = LocationScopes.condition(scope)
        return try export(businessID: businessID, range: range) { db, business, window in
            try Row.fetchAll(db, sql: """
                SELECT c.id, c.name, c.phone, count(b.id) AS bookings, sum(b.status = 'no_show') AS no_shows,
                  COALESCE(SUM((SELECT SUM(amount) FROM ledger_entries l WHERE l.business_id = b.business_id AND l.order_id = b.id)), 0) AS spend,
                  (SELECT group_concat(email, ' ') FROM (SELECT email FROM customer_emails e WHERE e.business_id = c.business_id
                     AND e.customer_id = c.id ORDER BY email)) AS emails,
                  (SELECT group_concat(tag, ', ') FROM (SELECT tag FROM customer_tags t WHERE t.business_id = c.business_id
                     AND t.customer_id = c.id ORDER BY tag)) AS tags
                FROM customers c JOIN booking_orders b ON b.business_id = c.business_id AND \(Customers.bookingsOf)
                WHERE c.business_id = ? AND b.starts_at >= ? AND b.starts_at < ? AND b.status NOT IN ('held', 'expired')\(scoped.sql)
                GROUP BY c.id ORDER BY c.name, c.id
                """, arguments: LocationScopes.arguments([business.id, window.start, window.end], scoped)).map {
                ExportCustomer(id: $0["id"], name: $0["name"], emails: ($0["emails"] as String? ?? "").split(separator: " ").map(String.init),
                               phone: $0["phone"], tags: ($0["tags"] as String?).map { $0.components(separatedBy: ", ") } ?? [],
                               bookings: $0["bookings"], noShows: $0["no_shows"], spend: $0["spend"])
            }
        }
    }

    private func export<Item: Sendable>(businessID: BusinessID, range: ExportRange,
                                        rows: (Database, Business, TimeRange) throws -> [Item]) throws -> ExportRows<Item>? {
        try read { db in
            guard let business = try Catalog.business(db, id: businessID), let clock = ZoneClock(identifier: business.timeZone) else {
                return nil
            }
            return ExportRows(business: business, policy: try FieldVisibilityStore.policy(db, businessID: businessID),
                          rows: try rows(db, business, range.instants(clock)))
        }
    }
}
