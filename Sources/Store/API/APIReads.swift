public import BookingCore
import Foundation
import GRDB

/// Reads the JSON API needs beyond the booking core's: keyset-paginated bookings and an offer's versions.
public enum APIReads {
    /// A position in the (starts_at, id) order of bookings: the last row of the previous page.
    public struct Cursor: Sendable, Hashable {
        public let startsAt: Instant
        public let id: BookingID
        public init(startsAt: Instant, id: BookingID) {
            self.startsAt = startsAt
            self.id = id
        }
    }

    /// Orders starting in [from, to) after `cursor` in (starts_at, id) order, at most `limit`; the next
    /// cursor when more may follow. Rows inserted between pages never duplicate or displace earlier ones.
    static func bookings(_ db: Database, businessID: BusinessID, from: Instant, to: Instant, statuses: [BookingStatus]?,
                                offerID: OfferID?, resourceID: ResourceID?, limit: Int, after cursor: Cursor?) throws
        -> (orders: [OrderView], next: Cursor?) {
        let wanted = statuses ?? BookingStatus.allCases.filter { $0 != .held && $0 != .expired }
        var sql = BookingReads.select + " WHERE b.business_id = ? AND b.starts_at >= ? AND b.starts_at < ? AND b.status IN ("
            + wanted.map { "'\($0.rawValue)'" }.joined(separator: ",") + ")"
        var arguments: StatementArguments = [businessID, from, to]
        if let offerID { sql += " AND b.offer_id = ?"; arguments += [offerID] }
        if let resourceID {
            sql += " AND EXISTS (SELECT 1 FROM resource_assignments a WHERE a.business_id = b.business_id AND a.order_id = b.id AND a.resource_id = ?)"
            arguments += [resourceID]
        }
        if let cursor {
            sql += " AND (b.starts_at > ? OR (b.starts_at = ? AND b.id > ?))"
            arguments += [cursor.startsAt, cursor.startsAt, cursor.id]
        }
        sql += " ORDER BY b.starts_at, b.id LIMIT ?"
        arguments += [limit + 1]
        var rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
        let more = rows.count > limit
        if more { rows.removeLast() }
        let resources = try BookingReads.resources(db, businessID: businessID, orderIDs: rows.map { $0["id"] })
        let orders = try BookingReads.views(rows, resources: resources)
        return (orders, more ? orders.last.map { Cursor(startsAt: $0.start, id: $0.id) } : nil)
    }

    public struct Version: Sendable {
        public let number: Int
        public let status: String
        public let createdAt: Int64
        public let publishedAt: Int64?
        public let spec: OfferVersionSpec
    }

    /// Every version of the business's offer `slug`, oldest first; nil when there is no such offer.
    static func versions(_ db: Database, businessID: BusinessID, offerSlug: String) throws -> [Version]? {
        guard let offerID = try OfferID.fetchOne(db, sql: "SELECT id FROM offers WHERE business_id = ? AND slug = ?",
                                               arguments: [businessID, offerSlug]) else { return nil }
        let rows = try Row.fetchAll(db, sql: """
            SELECT v.*, o.mode FROM offer_versions v JOIN offers o ON o.business_id = v.business_id AND o.id = v.offer_id
            WHERE v.business_id = ? AND v.offer_id = ? ORDER BY v.version
            """, arguments: [businessID, offerID])
        return try rows.map { row in
            Version(number: row["version"], status: row["status"], createdAt: row["created_at"], publishedAt: row["published_at"],
                    spec: try SpecRow.spec(db, row: row))
        }
    }
}
