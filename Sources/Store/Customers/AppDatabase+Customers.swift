public import BookingCore
import Foundation
import GRDB

/// Customer records (issue 19): one per business per person, kept in step with bookings by the
/// triggers of migration 0070. One transaction per use case; every write audited.
extension AppDatabase {
    /// The business's customers whose name, address or phone number matches `text` (all of them,
    /// most recent first, for an empty text), at most `limit`; a field is searched only when `role`
    /// may see it (`CustomerAccess.searches`). nil for an unknown business.
    public func customers(businessID: BusinessID, role: Role, text: String, limit: Int = 100) throws -> CustomerList? {
        try read { db in
            guard let business = try Catalog.business(db, id: businessID) else { return nil }
            let policy = try FieldVisibilityStore.policy(db, businessID: businessID)
            let access = CustomerAccess(role: role, policy: policy)
            let search = CustomerSearch(text: text, byName: access.searches(.name), byEmail: access.searches(.email),
                                        byPhone: access.searches(.phone))
            let found = try Customers.search(db, businessID: businessID, search: search, limit: limit + 1)
            return CustomerList(business: business, policy: policy, customers: Array(found.prefix(limit)), truncated: found.count > limit)
        }
    }

    /// A customer's record with their bookings (for a member limited to a location, that location's
    /// only); nil when the business has no such customer.
    public func customer(businessID: BusinessID, id: CustomerID, scope: LocationScope = .everywhere) throws -> CustomerRecord? {
        try read { db in
            guard let business = try Catalog.business(db, id: businessID) else { return nil }
            return try Customers.record(db, business: business, id: id, scope: scope)
        }
    }

    /// Replaces a customer's tags and private notes; `CatalogError.notFound` for an unknown customer.
    /// Audited as `customer.update` (which changed, never the notes themselves).
    public func updateCustomer(businessID: BusinessID, id: CustomerID, tags: [String], notes: String, actor: String,
                               now: Instant) throws {
        try write { db in
            guard let before = try Row.fetchOne(db, sql: "SELECT notes FROM customers WHERE business_id = ? AND id = ?",
                                                arguments: [businessID, id]) else { throw CatalogError.notFound("customer") }
            let oldTags = try Customers.tags(db, businessID: businessID, id: id)
            try db.execute(sql: "UPDATE customers SET notes = ?, updated_at = ? WHERE business_id = ? AND id = ?",
                           arguments: [notes, now, businessID, id])
            try db.execute(sql: "DELETE FROM customer_tags WHERE business_id = ? AND customer_id = ?", arguments: [businessID, id])
            for tag in tags {
                try db.execute(sql: "INSERT INTO customer_tags (business_id, customer_id, tag) VALUES (?, ?, ?)",
                               arguments: [businessID, id, tag])
            }
            try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "customer.update", subject: "customer:\(id)",
                                details: ["tags": tags.joined(separator: ", "), "tags_changed": String(oldTags != tags),
                                          "notes_changed": String((before["notes"] as String) != notes)])
        }
    }

    /// Merges `duplicate` into `keep` (the same person under two addresses): the duplicate's
    /// addresses, and with them its bookings, now belong to `keep`; tags are joined, notes appended;
    /// the duplicate record is deleted. `CatalogError.notFound` when either is unknown or they are
    /// the same. Audited as `customer.merge`.
    public func mergeCustomers(businessID: BusinessID, keep: CustomerID, duplicate: CustomerID, actor: String, now: Instant) throws {
        try write { db in
            let sql = "SELECT notes FROM customers WHERE business_id = ? AND id = ?"
            guard keep != duplicate,
                  let kept = try Row.fetchOne(db, sql: sql, arguments: [businessID, keep]),
                  let merged = try Row.fetchOne(db, sql: sql, arguments: [businessID, duplicate]) else {
                throw CatalogError.notFound("customer")
            }
            let notes = [kept["notes"] as String, merged["notes"] as String].filter { !$0.isEmpty }.joined(separator: "\n\n")
            try db.execute(sql: "UPDATE customers SET notes = ?, updated_at = ? WHERE business_id = ? AND id = ?",
                           arguments: [String(notes.prefix(CustomerRules.maxNotesLength)), now, businessID, keep])
            try db.execute(sql: """
                INSERT OR IGNORE INTO customer_tags (business_id, customer_id, tag)
                SELECT business_id, ?, tag FROM customer_tags WHERE business_id = ? AND customer_id = ?
                """, arguments: [keep, businessID, duplicate])
            try db.execute(sql: "UPDATE customer_emails SET customer_id = ? WHERE business_id = ? AND customer_id = ?",
                           arguments: [keep, businessID, duplicate])
            try db.execute(sql: "DELETE FROM customers WHERE business_id = ? AND id = ?", arguments: [businessID, duplicate])
            try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "customer.merge", subject: "customer:\(keep)",
                                details: ["merged": "customer:\(duplicate)"])
        }
    }
}

/// The queries behind customer records, each scoped to one business.
enum Customers {
    /// The addresses of a customer matched against a booking's (lower-cased, as `customer_emails` keeps them).
    static let bookingsOf = """
        lower(b.customer_email) IN (SELECT email FROM customer_emails WHERE business_id = b.business_id AND customer_id = c.id)
        """

    static func search(_ db: Database, businessID: BusinessID, search: CustomerSearch, limit: Int) throws -> [CustomerSummary] {
        var conditions: [String] = []
        var values: [(any DatabaseValueConvertible)?] = [businessID]
        let text = search.text.trimmingCharacters(in: .whitespaces).lowercased()
        if !text.isEmpty {
            let pattern = "%" + likeEscaped(text) + "%"
            if search.byName { conditions.append("lower(c.name) LIKE ? ESCAPE '\\'"); values.append(pattern) }
            if search.byEmail {
                conditions.append("""
                    EXISTS (SELECT 1 FROM customer_emails e WHERE e.business_id = c.business_id AND e.customer_id = c.id
                            AND e.email LIKE ? ESCAPE '\\')
                    """)
                values.append(pattern)
            }
            if search.byPhone, let digits = CustomerRules.phoneDigits(text) {
                conditions.append("replace(replace(replace(replace(replace(c.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '.', '') LIKE ?")
                values.append("%" + digits + "%")
            }
            if conditions.isEmpty { return [] }
        }
        values.append(limit)
        let filter = conditions.isEmpty ? "" : " AND (" + conditions.joined(separator: " OR ") + ")"
        return try Row.fetchAll(db, sql: """
            SELECT c.id, c.name, c.phone,
              (SELECT min(email) FROM customer_emails e WHERE e.business_id = c.business_id AND e.customer_id = c.id) AS email,
              (SELECT count(*) FROM booking_orders b WHERE b.business_id = c.business_id AND \(bookingsOf)
                 AND b.status NOT IN ('held', 'expired')) AS bookings,
              (SELECT max(starts_at) FROM booking_orders b WHERE b.business_id = c.business_id AND \(bookingsOf)
                 AND b.status NOT IN ('held', 'expired')) AS last_start
            FROM customers c WHERE c.business_id = ?\(filter)
            ORDER BY c.updated_at DESC, c.id DESC LIMIT ?
            """, arguments: StatementArguments(values)).map {
            CustomerSummary(id: $0["id"], name: $0["name"], email: $0["email"] ?? "", phone: $0["phone"], bookings: $0["bookings"],
                            lastStart: $0["last_start"])
        }
    }

    static func record(_ db: Database, business: Business, id: CustomerID, scope: LocationScope = .everywhere) throws -> CustomerRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM customers WHERE business_id = ? AND id = ?",
                                         arguments: [business.id, id]) else { return nil }
        let emails = try String.fetchAll(db, sql: "SELECT email FROM customer_emails WHERE business_id = ? AND customer_id = ? ORDER BY email",
                                         arguments: [business.id, id])
        let bookings = try Row.fetchAll(db, sql: """
            SELECT b.public_id, b.status, b.starts_at, b.ends_at, o.name AS offer_name, o.sensitive, h.name AS member,
              (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries l WHERE l.business_id = b.business_id AND l.order_id = b.id) AS paid
            FROM customers c
            JOIN booking_orders b ON b.business_id = c.business_id AND \(bookingsOf)
            JOIN offers o ON o.business_id = b.business_id AND o.id = b.offer_id
            LEFT JOIN household_members h ON h.id = b.household_member_id
            WHERE c.business_id = ? AND c.id = ? AND b.status NOT IN ('held', 'expired')\(LocationScopes.condition(scope).sql)
            ORDER BY b.starts_at DESC, b.id DESC
            """, arguments: LocationScopes.arguments([business.id, id], LocationScopes.condition(scope))).compactMap { row -> CustomerVisit? in
            guard let status = BookingStatus(rawValue: row["status"]) else { return nil }
            return CustomerVisit(publicID: row["public_id"], offerName: row["offer_name"], sensitive: row["sensitive"], status: status,
                                   start: row["starts_at"], end: row["ends_at"], paid: row["paid"], householdMember: row["member"])
        }
        return CustomerRecord(business: business, policy: try FieldVisibilityStore.policy(db, businessID: business.id), id: id,
                              name: row["name"], emails: emails, phone: row["phone"], notes: row["notes"],
                              tags: try tags(db, businessID: business.id, id: id), createdAt: row["created_at"], bookings: bookings)
    }

    static func tags(_ db: Database, businessID: BusinessID, id: CustomerID) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT tag FROM customer_tags WHERE business_id = ? AND customer_id = ? ORDER BY tag",
                            arguments: [businessID, id])
    }

    /// `text` with LIKE's wildcards and the escape character escaped.
    static func likeEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}
