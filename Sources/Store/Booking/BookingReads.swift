import BookingCore
import Foundation
import GRDB

/// Reads of orders, scoped to one business.
public enum BookingReads {
    static let select = """
        SELECT b.*, o.slug AS offer_slug, o.name AS offer_name,
          (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries l WHERE l.business_id = b.business_id AND l.order_id = b.id) AS paid,
          (SELECT COALESCE(-SUM(amount), 0) FROM ledger_entries l WHERE l.business_id = b.business_id AND l.order_id = b.id
             AND l.kind IN ('refund', 'dispute')) AS refunded
        FROM booking_orders b JOIN offers o ON o.business_id = b.business_id AND o.id = b.offer_id
        """

    static func order(_ db: Database, businessID: BusinessID, publicID: String) throws -> OrderView? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: select + " WHERE b.business_id = ? AND b.public_id = ?"),
                                         arguments: [businessID, publicID]) else { return nil }
        return try view(db, row: row, resources: resources(db, businessID: businessID, orderIDs: [row["id"]]))
    }

    static func order(_ db: Database, businessID: BusinessID, orderID: BookingID) throws -> OrderView? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: select + " WHERE b.business_id = ? AND b.id = ?"),
                                         arguments: [businessID, orderID]) else { return nil }
        return try view(db, row: row, resources: resources(db, businessID: businessID, orderIDs: [row["id"]]))
    }

    /// Finds an order by its public id alone (for guest links), returning its business too.
    static func order(_ db: Database, publicID: String) throws -> OrderView? {
        guard let businessID = try BusinessID.fetchOne(db.cachedStatement(sql: "SELECT business_id FROM booking_orders WHERE public_id = ?"),
                                                  arguments: [publicID]) else { return nil }
        return try order(db, businessID: businessID, publicID: publicID)
    }

    /// The order's revision: how many times it has changed since it was created (its recorded
    /// events are append-only, so this only grows).
    static func revision(_ db: Database, businessID: BusinessID, orderID: BookingID) throws -> Int {
        let events = try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM booking_events WHERE business_id = ? AND order_id = ?"),
                                      arguments: [businessID, orderID]) ?? 0
        return max(0, events - 1)
    }

    /// Whether `token` is the guest access token of the order (constant-time compare of hashes).
    static func tokenMatches(_ db: Database, businessID: BusinessID, publicID: String, token: String) throws -> Bool {
        Tokens.matches(try Data.fetchOne(db.cachedStatement(sql: "SELECT access_token_hash FROM booking_orders WHERE business_id = ? AND public_id = ?"),
                                         arguments: [businessID, publicID]), token)
    }

    /// Orders starting in [from, to), oldest first; holds and expired orders only when asked for.
    static func list(_ db: Database, businessID: BusinessID, from: Instant, to: Instant, statuses: [BookingStatus]? = nil,
                            offerID: OfferID? = nil, resourceID: ResourceID? = nil, limit: Int = 500, afterID: BookingID? = nil) throws -> [OrderView] {
        let wanted = statuses ?? BookingStatus.allCases.filter { $0 != .held && $0 != .expired }
        var sql = select + " WHERE b.business_id = ? AND b.starts_at >= ? AND b.starts_at < ? AND b.status IN ("
            + wanted.map { "'\($0.rawValue)'" }.joined(separator: ",") + ")"
        var arguments: StatementArguments = [businessID, from, to]
        if let offerID { sql += " AND b.offer_id = ?"; arguments += [offerID] }
        if let resourceID {
            sql += " AND EXISTS (SELECT 1 FROM resource_assignments a WHERE a.business_id = b.business_id AND a.order_id = b.id AND a.resource_id = ?)"
            arguments += [resourceID]
        }
        if let afterID { sql += " AND b.id > ?"; arguments += [afterID] }
        sql += " ORDER BY b.starts_at, b.id LIMIT ?"
        arguments += [limit]
        let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
        let resources = try resources(db, businessID: businessID, orderIDs: rows.map { $0["id"] })
        return try rows.map { try view(db, row: $0, resources: resources) }
    }

    /// The signed-in customer's orders (and their household's), newest first.
    static func forCustomer(_ db: Database, userID: UserID) throws -> [(business: Business, order: OrderView)] {
        let rows = try Row.fetchAll(db, sql: select + " WHERE b.customer_user_id = ? AND b.status NOT IN ('held', 'expired') ORDER BY b.starts_at DESC LIMIT 500",
                                    arguments: [userID])
        var out: [(Business, OrderView)] = []
        for row in rows {
            let businessID: BusinessID = row["business_id"]
            guard let business = try Catalog.business(db, id: businessID) else { continue }
            out.append((business, try view(db, row: row, resources: resources(db, businessID: businessID, orderIDs: [row["id"]]))))
        }
        return out
    }

    /// The names of household members by id, for showing who a booking is for.
    static func householdMemberNames(_ db: Database, ids: [HouseholdMemberID]) throws -> [HouseholdMemberID: String] {
        guard !ids.isEmpty else { return [:] }
        let rows = try Row.fetchAll(db, sql: "SELECT id, name FROM household_members WHERE id IN (\(Set(ids).map(String.init).joined(separator: ",")))")
        return Dictionary(rows.map { ($0["id"] as HouseholdMemberID, $0["name"] as String) }, uniquingKeysWith: { a, _ in a })
    }

    static func resources(_ db: Database, businessID: BusinessID, orderIDs: [BookingID]) throws -> [BookingID: [OrderView.AssignedResource]] {
        guard !orderIDs.isEmpty else { return [:] }
        var out: [BookingID: [OrderView.AssignedResource]] = [:]
        let select = """
            SELECT a.order_id, r.id, r.slug, r.name, a.role FROM resource_assignments a
            JOIN resources r ON r.business_id = a.business_id AND r.id = a.resource_id
            WHERE a.business_id = ? AND a.order_id
            """
        // One order (every booking write reads its order back) reuses a prepared statement.
        let rows = orderIDs.count == 1
            ? try Row.fetchAll(db.cachedStatement(sql: select + " = ? ORDER BY a.id"), arguments: [businessID, orderIDs[0]])
            : try Row.fetchAll(db, sql: select + " IN (\(orderIDs.map(String.init).joined(separator: ","))) ORDER BY a.id",
                               arguments: [businessID])
        for row in rows {
            let resource = OrderView.AssignedResource(id: row["id"], slug: row["slug"], name: row["name"], role: row["role"])
            // A program's course has one unit per session, each with the same resources: list each once.
            if out[row["order_id"]]?.contains(resource) == true { continue }
            out[row["order_id"], default: []].append(resource)
        }
        return out
    }

    static func view(_ db: Database, row: Row, resources: [BookingID: [OrderView.AssignedResource]]) throws -> OrderView {
        var prices: [String: PriceBreakdown] = [:]
        return try view(row: row, at: Columns(row), resources: resources, prices: &prices)
    }

    /// The orders of `rows` (rows of `select`), each with its `resources`. The columns are found once
    /// for all rows, and a price breakdown is decoded once per distinct JSON (a day's bookings share a
    /// few): a copied row finds a column by name by lowercasing every name before it, and the JSON
    /// decoder is slow; per order, the two were most of the staff calendar's reads.
    static func views(_ rows: [Row], resources: [BookingID: [OrderView.AssignedResource]]) throws -> [OrderView] {
        guard let first = rows.first else { return [] }
        let columns = Columns(first)
        var prices: [String: PriceBreakdown] = [:]
        return try rows.map { try view(row: $0, at: columns, resources: resources, prices: &prices) }
    }

    /// Where each column `view` reads stands in a row of `select`.
    struct Columns {
        let id, publicID, businessID, offerID, offerSlug, offerName, offerVersionID, status, startsAt, endsAt, partySize: Int
        let customerName, customerEmail, customerPhone, customerUserID, householdMemberID, notes, price, holdExpiresAt: Int
        let source, createdAt, cancelReason, paid, refunded, paymentDue, intakeAnswers: Int

        init(_ row: Row) {
            let names = Array(row.columnNames.map { $0.lowercased() })
            func at(_ name: String) -> Int {
                guard let index = names.firstIndex(of: name) else { preconditionFailure("no column \(name) in an order's row") }
                return index
            }
            (id, publicID, businessID, offerID) = (at("id"), at("public_id"), at("business_id"), at("offer_id"))
            (offerSlug, offerName, offerVersionID, status) = (at("offer_slug"), at("offer_name"), at("offer_version_id"), at("status"))
            (startsAt, endsAt, partySize) = (at("starts_at"), at("ends_at"), at("party_size"))
            (customerName, customerEmail, customerPhone) = (at("customer_name"), at("customer_email"), at("customer_phone"))
            (customerUserID, householdMemberID, notes) = (at("customer_user_id"), at("household_member_id"), at("notes"))
            (price, holdExpiresAt, source, createdAt) = (at("price_breakdown"), at("hold_expires_at"), at("source"), at("created_at"))
            (cancelReason, paid, refunded, paymentDue) = (at("cancel_reason"), at("paid"), at("refunded"), at("payment_due"))
            intakeAnswers = at("intake_answers")
        }
    }

    private static func view(row: Row, at c: Columns, resources: [BookingID: [OrderView.AssignedResource]],
                             prices: inout [String: PriceBreakdown]) throws -> OrderView {
        let json: String = row[c.price]
        let price: PriceBreakdown
        if let known = prices[json] {
            price = known
        } else {
            price = try JSONDecoder().decode(PriceBreakdown.self, from: Data(json.utf8))
            prices[json] = price
        }
        let id: BookingID = row[c.id]
        var order = OrderView(
            id: id, publicID: row[c.publicID], businessID: row[c.businessID], offerID: row[c.offerID],
            offerSlug: row[c.offerSlug], offerName: row[c.offerName], offerVersionID: row[c.offerVersionID],
            status: BookingStatus(rawValue: row[c.status]) ?? .cancelled, start: row[c.startsAt], end: row[c.endsAt],
            resources: resources[id] ?? [], partySize: row[c.partySize],
            customer: CustomerDetails(name: row[c.customerName], email: row[c.customerEmail], phone: row[c.customerPhone],
                                      userID: row[c.customerUserID], householdMemberID: row[c.householdMemberID], notes: row[c.notes]),
            price: price, holdExpiresAt: row[c.holdExpiresAt], source: row[c.source], createdAt: row[c.createdAt],
            cancelReason: row[c.cancelReason], paid: row[c.paid], refunded: row[c.refunded], paymentDue: row[c.paymentDue])
        order.answers = try IntakeAnswers.decode(row[c.intakeAnswers])
        return order
    }
}
