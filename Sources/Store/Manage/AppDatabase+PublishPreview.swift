public import BookingCore
import Foundation
import GRDB

/// What publishing the draft would change (issue 20), read at one instant: the starts each version
/// would offer over the preview days, and the upcoming bookings, which keep the terms of the
/// version they were sold under whatever is published.
public struct PublishPreview: Sendable {
    public struct KeptBooking: Sendable, Hashable {
        public let publicID: String
        public let start: Instant
        /// The version it was sold under ("v1").
        public let version: Int
    }

    public let changes: VersionChanges
    /// Upcoming bookings of the offer (soonest first, at most `limit`), and how many there are.
    public let kept: [KeptBooking]
    public let keptCount: Int
}

extension AppDatabase {
    /// Compares the published version with the draft over `from…to` (business-local dates); nil
    /// when the offer lacks either.
    public func publishPreview(business: Business, offerID: OfferID, from: LocalDate, to: LocalDate, now: Instant,
                               limit: Int = 10) throws -> PublishPreview? {
        try read { db -> PublishPreview? in
            guard let published = try ManageCatalog.latestVersion(db, businessID: business.id, offerID: offerID, status: "published"),
                  let draft = try ManageCatalog.latestVersion(db, businessID: business.id, offerID: offerID, status: "draft") else { return nil }
            let before = try ManageCatalog.preview(db, business: business, offerID: offerID, spec: published.spec, from: from, to: to, now: now)
            let after = try ManageCatalog.preview(db, business: business, offerID: offerID, spec: draft.spec, from: from, to: to, now: now)
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT o.public_id, o.starts_at, v.version FROM booking_orders o
                JOIN offer_versions v ON v.business_id = o.business_id AND v.id = o.offer_version_id
                WHERE o.business_id = ? AND o.offer_id = ? AND o.starts_at > ? AND o.status IN ('pending', 'confirmed')
                ORDER BY o.starts_at, o.id
                """), arguments: [business.id, offerID, now])
            return PublishPreview(changes: VersionChanges(published: before, draft: after),
                                  kept: rows.prefix(limit).map { PublishPreview.KeptBooking(publicID: $0[0], start: $0[1], version: $0[2]) },
                                  keptCount: rows.count)
        }
    }
}
