public import BookingCore
import Foundation
import GRDB

/// A live calendar feed of a user, as the account page lists it (the token itself is never kept).
public struct CalendarFeedInfo: Sendable, Hashable {
    public let id: CalendarFeedID
    public let businessID: BusinessID
    public let businessSlug: String
    public let businessName: String
    public let scope: CalendarFeedScope
    public let createdAt: Instant
}

/// What a feed shows at one instant, unmasked: Web masks every order for `membership.role` before
/// it writes a line.
public struct CalendarFeedContent: Sendable {
    public let business: Business
    public let membership: Membership
    public let scope: CalendarFeedScope
    public let policy: VisibilityPolicy
    /// Bookings (no holds, no expired ones) starting in the feed's window, by start.
    public let orders: [OrderView]
    public let sensitiveOffers: Set<OfferID>
}

public enum CalendarFeedError: Error, Equatable, Sendable {
    /// The user is not a member of the business, or their role may not have this feed.
    case notAllowed
    /// No live feed of the user has this id.
    case notFound
}

/// Calendar subscription feeds (issue 15), one transaction each.
extension AppDatabase {
    /// The user's live feeds, by business name then scope.
    public func calendarFeeds(userID: UserID) throws -> [CalendarFeedInfo] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT f.id, f.business_id, b.slug, b.name, f.scope, f.created_at
                FROM calendar_feeds f JOIN businesses b ON b.id = f.business_id
                WHERE f.user_id = ? AND f.revoked_at IS NULL ORDER BY b.name, b.id, f.scope
                """), arguments: [userID]).compactMap { row in
                CalendarFeedScope(rawValue: row["scope"]).map {
                    CalendarFeedInfo(id: row["id"], businessID: row["business_id"], businessSlug: row["slug"], businessName: row["name"],
                                     scope: $0, createdAt: row["created_at"])
                }
            }
        }
    }

    /// A new feed of `scope` for the user in the business (its token returned, only its hash kept);
    /// the user's previous live feed of that scope there stops working. Audited.
    /// `CalendarFeedError.notAllowed` unless the user's role there may have it.
    public func createCalendarFeed(userID: UserID, businessID: BusinessID, scope: CalendarFeedScope, actor: String,
                                   now: Instant) throws -> String {
        let token = Tokens.secret()
        let hash = Tokens.hash(token)
        try write { db in
            guard let role = try String.fetchOne(db.cachedStatement(sql: "SELECT role FROM memberships WHERE business_id = ? AND user_id = ?"),
                                                 arguments: [businessID, userID]).flatMap(Role.init(rawValue:)),
                  scope.allowed(role: role) else { throw CalendarFeedError.notAllowed }
            try db.cachedStatement(sql: """
                UPDATE calendar_feeds SET revoked_at = ? WHERE business_id = ? AND user_id = ? AND scope = ? AND revoked_at IS NULL
                """).execute(arguments: [now, businessID, userID, scope.rawValue])
            try db.cachedStatement(sql: """
                INSERT INTO calendar_feeds (business_id, user_id, scope, token_hash, created_at) VALUES (?, ?, ?, ?, ?)
                """).execute(arguments: [businessID, userID, scope.rawValue, hash, now])
            try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "calendar_feed.create",
                                subject: "user:\(userID)", details: ["scope": scope.rawValue])
        }
        return token
    }

    /// Stops one of the user's live feeds; audited. `CalendarFeedError.notFound` when there is none.
    public func revokeCalendarFeed(userID: UserID, feedID: CalendarFeedID, actor: String, now: Instant) throws {
        try write { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT business_id, scope FROM calendar_feeds WHERE id = ? AND user_id = ? AND revoked_at IS NULL
                """), arguments: [feedID, userID]) else { throw CalendarFeedError.notFound }
            try db.cachedStatement(sql: "UPDATE calendar_feeds SET revoked_at = ? WHERE id = ?").execute(arguments: [now, feedID])
            try AuditLog.append(db, businessID: row["business_id"], at: now, actor: actor, action: "calendar_feed.revoke",
                                subject: "user:\(userID)", details: ["scope": row["scope"]])
        }
    }

    /// The feed behind `token` at `now`: nil when the token is unknown or revoked, or its member
    /// left the business or no longer has a role that may have it.
    public func calendarFeed(token: String, now: Instant) throws -> CalendarFeedContent? {
        try read { db in
            guard let feed = try Row.fetchOne(db.cachedStatement(sql: """
                      SELECT business_id, user_id, scope FROM calendar_feeds WHERE token_hash = ? AND revoked_at IS NULL
                      """), arguments: [Tokens.hash(token)]),
                  let feedScope = CalendarFeedScope(rawValue: feed["scope"]),
                  let membership = try Row.fetchOne(db, sql: Self.membershipSelect + " WHERE m.business_id = ? AND m.user_id = ?",
                                                    arguments: [feed["business_id"] as BusinessID, feed["user_id"] as UserID])
                      .flatMap(Self.membership(row:)),
                  feedScope.allowed(role: membership.role),
                  let business = try Catalog.business(db, id: membership.businessID) else { return nil }
            let window = TimeRange(start: now - Int64(CalendarFeedScope.pastDays) * 86_400,
                                   end: now + Int64(CalendarFeedScope.futureDays) * 86_400)
            var orders = try StaffCalendarReads.ordersAndSpans(db, businessID: business.id, window: window).0
            // A member limited to a location has that location's bookings in a whole-business feed, as on
            // the calendar (`LocationScope`); their own bookings ("mine") are theirs wherever they are.
            if feedScope == .business {
                orders = try LocationScopes.admitted(db, orders: orders, businessID: business.id,
                                                     scope: LocationScope(membership.locationID))
            }
            let sensitive = try StaffCalendarReads.sensitiveOffers(db, businessID: business.id)
            return CalendarFeedContent(business: business, membership: membership, scope: feedScope,
                                       policy: try FieldVisibilityStore.policy(db, businessID: business.id), orders: orders,
                                       sensitiveOffers: sensitive)
        }
    }
}
