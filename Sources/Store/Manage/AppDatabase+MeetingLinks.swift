public import BookingCore
import Foundation
import GRDB

/// Meeting links of virtual resources (issue 20, migration 0111). Set in the builder; read only for
/// a booking whose status reveals them (`MeetingLink.isRevealed`): the customer's booking page, the
/// confirmation email and the staff view. Never in availability, public pages or the API.
extension AppDatabase {
    /// The resource's link, for its builder page.
    public func meetingLink(businessID: BusinessID, resourceID: ResourceID) throws -> String? {
        try read { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT url FROM resource_meeting_links WHERE business_id = ? AND resource_id = ?"),
                                arguments: [businessID, resourceID])
        }
    }

    /// Sets (or, nil, removes) a virtual resource's link; `CatalogError.invalid` for another kind of
    /// resource or a link that is not `https://…`. Audited without the link itself.
    public func setMeetingLink(businessID: BusinessID, resourceID: ResourceID, url: String?, actor: String, now: Instant) throws {
        try write { db in
            let kind = try String.fetchOne(db.cachedStatement(sql: "SELECT kind FROM resources WHERE business_id = ? AND id = ?"),
                                           arguments: [businessID, resourceID])
            guard let kind else { throw CatalogError.notFound("resource") }
            guard kind == ResourceKind.virtual.rawValue else {
                throw CatalogError.invalid(field: "meeting_link", message: "Only virtual resources have a meeting link.")
            }
            if let url {
                guard let link = MeetingLink.normalized(url) else {
                    throw CatalogError.invalid(field: "meeting_link", message: "Enter a link that starts with https://, like https://meet.example.com/room.")
                }
                try db.execute(sql: """
                    INSERT INTO resource_meeting_links (business_id, resource_id, url, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (business_id, resource_id) DO UPDATE SET url = excluded.url, updated_at = excluded.updated_at
                    """, arguments: [businessID, resourceID, link, now])
            } else {
                try db.execute(sql: "DELETE FROM resource_meeting_links WHERE business_id = ? AND resource_id = ?",
                               arguments: [businessID, resourceID])
            }
            try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "resource.meeting_link",
                                subject: "resource:\(resourceID)", details: ["link": url == nil ? "removed" : "set"])
        }
    }
}

enum MeetingLinks {
    /// The links of the order's virtual resources, in assignment order; empty unless its status
    /// reveals them.
    static func revealed(_ db: Database, order: OrderView) throws -> [String] {
        guard MeetingLink.isRevealed(to: order.status) else { return [] }
        return try String.fetchAll(db.cachedStatement(sql: """
            SELECT m.url FROM resource_assignments a
            JOIN resource_meeting_links m ON m.business_id = a.business_id AND m.resource_id = a.resource_id
            WHERE a.business_id = ? AND a.order_id = ? GROUP BY m.resource_id ORDER BY MIN(a.id)
            """), arguments: [order.businessID, order.id])
    }
}
