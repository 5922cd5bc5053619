public import BookingCore
import Foundation
import GRDB

/// The team in the business builder: who is in it, invitations by link and accepting them. Each
/// method is one use case in one transaction; writes go through group commit.
extension AppDatabase {
    /// What the team page shows, read together.
    public struct TeamPage: Sendable, Equatable {
        /// Owners first.
        public let members: [TeamMember]
        /// The business's hosts, which a member may be linked to.
        public let hosts: [ResourceInfo]
        /// Invitations neither accepted, revoked nor expired, newest first.
        public let invitations: [Invitations.Pending]
        /// The host each member is linked to (members without one are absent).
        public let hostLinks: [UserID: ResourceID]
        /// The business's locations, by name, and the location each member is limited to (`LocationScope`).
        public var locations: [StaffLocation] = []
        public var locationLinks: [UserID: LocationID] = [:]

        public func isHost(_ resourceID: ResourceID) -> Bool { hosts.contains { $0.id == resourceID } }
    }

    public enum InvitationOutcome: Sendable, Equatable {
        /// The token for the link (only its hash is stored).
        case created(token: String)
        /// The resource to link is not one of the business's hosts: nothing was written.
        case unknownHost
    }

    public func teamPage(businessID: BusinessID, now: Instant) throws -> TeamPage {
        try read { db in
            let links = try Row.fetchAll(db, sql: """
                SELECT user_id, resource_id FROM memberships WHERE business_id = ? AND resource_id IS NOT NULL
                """, arguments: [businessID])
            let places = try Row.fetchAll(db, sql: "SELECT user_id, location_id FROM memberships WHERE business_id = ? AND location_id IS NOT NULL",
                                          arguments: [businessID])
            return TeamPage(members: try teamRows(db, businessID: businessID),
                            hosts: try Catalog.resources(db, businessID: businessID).filter { $0.kind == .host },
                            invitations: try Invitations.pending(db, businessID: businessID, now: now),
                            hostLinks: Dictionary(links.map { ($0["user_id"] as UserID, $0["resource_id"] as ResourceID) }, uniquingKeysWith: { a, _ in a }),
                            locations: try Row.fetchAll(db, sql: "SELECT id, name FROM locations WHERE business_id = ? ORDER BY name, id",
                                                        arguments: [businessID]).map { StaffLocation(id: $0["id"], name: $0["name"]) },
                            locationLinks: Dictionary(places.map { ($0["user_id"] as UserID, $0["location_id"] as LocationID) },
                                                      uniquingKeysWith: { a, _ in a }))
        }
    }

    /// Invites `email` as `role`, linked to the host `resourceID` when given; the host is checked to
    /// be the business's inside the same write.
    public func invite(businessID: BusinessID, email: String, role: Role, resourceID: ResourceID?, createdBy: UserID,
                       now: Instant) throws -> InvitationOutcome {
        try write { db in
            if let resourceID,
               !(try Catalog.resources(db, businessID: businessID).contains { $0.id == resourceID && $0.kind == .host }) {
                return .unknownHost
            }
            return .created(token: try Invitations.create(db, businessID: businessID, email: email, role: role,
                                                          resourceID: resourceID, createdBy: createdBy, now: now))
        }
    }

    /// Revokes a pending invitation; false when the business has no such pending invitation.
    public func revokeInvitation(businessID: BusinessID, id: InvitationID, actor: String, now: Instant) throws -> Bool {
        try write { db in
            do {
                try Invitations.revoke(db, businessID: businessID, id: id, actor: actor, now: now)
                return true
            } catch CatalogError.notFound {
                return false
            }
        }
    }

    /// The invitation behind a link, usable or not; nil for an unknown token.
    public func invitation(token: String, now: Instant) throws -> Invitations.Found? {
        try read { db in try Invitations.find(db, token: token, now: now) }
    }

    /// Accepts the invitation for the signed-in user. Throws `Invitations.Failure` when it cannot be used
    /// or names another email.
    public func acceptInvitation(token: String, userID: UserID, userEmail: String, now: Instant) throws -> Invitations.Found {
        try write { db in try Invitations.accept(db, token: token, userID: userID, userEmail: userEmail, now: now) }
    }
}
