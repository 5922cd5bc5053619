public import BookingCore
public import Foundation

/// A person who can sign in. The password hash never leaves Store and Web.
public struct User: Sendable, Equatable {
    public let id: UserID
    public let email: String
    public let name: String
    public let passwordHash: String
    public let createdAt: Int64
    public let passwordChangedAt: Int64
}

/// A stored session (only the SHA-256 of its token is kept). `userID` is nil for an anonymous visitor
/// who has been given a form (the session then only anchors the CSRF token).
public struct StoredSession: Sendable, Equatable {
    public let id: SessionID
    public let tokenHash: Data
    public let userID: UserID?
    public let createdAt: Int64
    public let lastSeenAt: Int64
    public let expiresAt: Int64
    public let userAgent: String
    public let ip: String
}

/// What a new session row holds; the caller has already made the token and hashed it.
public struct NewSession: Sendable {
    public var tokenHash: Data
    public var expiresAt: Int64
    public var userAgent: String
    public var ip: String

    public init(tokenHash: Data, expiresAt: Int64, userAgent: String, ip: String) {
        self.tokenHash = tokenHash
        self.expiresAt = expiresAt
        // The schema caps both; a long header is cut, not refused.
        self.userAgent = String(userAgent.prefix(300))
        self.ip = String(ip.prefix(64))
    }
}

/// A user's role in one business.
public struct Membership: Sendable, Equatable {
    public let id: MembershipID
    public let businessID: BusinessID
    public let businessSlug: String
    public let businessName: String
    public let userID: UserID
    public let role: Role
    public let locationID: LocationID?
    public let resourceID: ResourceID?
}

/// A member of a business's team as the business sees it.
public struct TeamMember: Sendable, Equatable {
    public let userID: UserID
    public let name: String
    public let email: String
    public let role: Role
}

/// Someone a user books for (a child, a parent).
public struct HouseholdMember: Sendable, Equatable {
    public let id: HouseholdMemberID
    public let userID: UserID
    public let name: String
    public let relationship: String
    /// `YYYY-MM-DD`, when given.
    public let birthDate: String?
}

/// A security event of an account (`account_events`).
public struct AccountEvent: Sendable, Equatable {
    public let userID: UserID?
    public let email: String
    public let action: String
    public let ip: String
    public let at: Int64
}

/// The names of the account events the app records.
public enum AccountEventAction: String, Sendable {
    case signUp = "signup"
    case logIn = "login"
    case logInFailed = "login_failed"
    case logOut = "logout"
    case passwordChanged = "password_changed"
    case sessionEnded = "session_ended"
    case passwordReset = "password_reset"
}

public enum AccountStoreError: Error, Equatable, Sendable {
    /// Another account already has this email.
    case emailTaken
    /// The row does not exist or does not belong to the user who asked.
    case notFound
    /// The business is gone, or the role change would leave it without an owner.
    case lastOwner
    /// The household member is named on bookings, so removing them would leave those bookings wrong.
    case memberHasBookings
}
