import BookingCore
import Foundation
import HTTPServer
import Store

/// The account page (`accounts/account`): profile, password, sessions, household, businesses.
struct AccountPage: Sendable {
    struct SessionRow: Sendable {
        let device: String
        let lastSeen: String
        let lastSeenISO: String
        let address: String
        let current: Bool
        let endURL: String
    }

    struct MemberRow: Sendable {
        let name: String
        let relationship: String
        let birthDate: String?
        let removeURL: String
    }

    struct BusinessRow: Sendable {
        let name: String
        let role: String
        let url: String
    }

    /// A calendar feed the user may have in one business: live (with its revoke form) or not yet made.
    struct FeedRow: Sendable {
        let businessName: String
        let businessSlug: String
        let scope: String
        let label: String
        let created: String?
        let revokeURL: String?
    }

    let layout: Layout
    var notice: String?
    let name: String
    let email: String
    let sessions: [SessionRow]
    let household: [MemberRow]
    let hasHousehold: Bool
    let businesses: [BusinessRow]
    let hasBusinesses: Bool
    let feeds: [FeedRow]
    let hasFeeds: Bool
    /// The URL of a feed just made: shown this once (only its hash is kept).
    var createdFeedURL: String?
    let minPassword = AccountInput.passwordLength.lowerBound
    let maxPassword = AccountInput.passwordLength.upperBound

    // Sticky values and errors of the form that was sent.
    var nameValue: String
    var memberName = ""
    var memberRelationship = ""
    var memberBirthDate = ""
    private(set) var errors = FormErrors()

    static let notices = [
        "name": "Your name was saved.",
        "password": "Your password was changed. Every other session has been logged out.",
        "session": "The session was ended.",
        "member-added": "The household member was added.",
        "member-removed": "The household member was removed.",
        "feed-revoked": "The calendar feed was turned off. Calendars subscribed to it get nothing more.",
    ]

    /// Loads everything the page shows for the signed-in user.
    static func load(_ context: RequestContext, user: User) throws -> AccountPage {
        let database = context.app.database
        let currentID = try context.currentSession()?.session.id
        let sessions = try database.sessions(userID: user.id, now: context.instant).map { session in
            SessionRow(device: DeviceName.describe(session.userAgent), lastSeen: Self.display(session.lastSeenAt),
                       lastSeenISO: Self.iso(session.lastSeenAt), address: session.ip,
                       current: session.id == currentID, endURL: "/account/sessions/\(session.id)/end")
        }
        let household = try database.household(userID: user.id).map {
            MemberRow(name: $0.name, relationship: $0.relationship, birthDate: $0.birthDate,
                      removeURL: "/account/household/\($0.id)/remove")
        }
        let businesses = try context.memberships().map {
            BusinessRow(name: $0.businessName, role: $0.role.rawValue, url: "/manage/\(PercentEncoded.component($0.businessSlug))/")
        }
        let feeds = try feedRows(context, user: user)
        return AccountPage(layout: try context.layout(title: "Your account — Bizing", withForm: true),
                           notice: context.request.query["done"].flatMap { notices[$0] },
                           name: user.name, email: user.email, sessions: sessions, household: household,
                           hasHousehold: !household.isEmpty, businesses: businesses,
                           hasBusinesses: !businesses.isEmpty, feeds: feeds, hasFeeds: !feeds.isEmpty, nameValue: user.name)
    }

    /// Each feed scope the user's role allows in each of their businesses, live or not.
    static func feedRows(_ context: RequestContext, user: User) throws -> [FeedRow] {
        let live = try context.app.database.calendarFeeds(userID: user.id)
        return try context.memberships().flatMap { membership in
            CalendarFeedScope.allCases.filter { $0.allowed(role: membership.role) }.map { scope in
                let feed = live.first { $0.businessID == membership.businessID && $0.scope == scope }
                return FeedRow(businessName: membership.businessName, businessSlug: membership.businessSlug, scope: scope.rawValue,
                               label: scope == .business ? "Every booking of the business" : "The bookings you provide or made",
                               created: feed.map { display($0.createdAt) },
                               revokeURL: feed.map { "/account/calendar-feeds/\($0.id)/revoke" })
            }
        }
    }

    mutating func fail(_ errors: FormErrors) {
        self.errors = errors
        notice = nil
    }

    /// "2026-11-18 14:02 UTC".
    static func display(_ seconds: Int64) -> String {
        let iso = iso(seconds)
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5)) + " UTC"
    }

    static func iso(_ seconds: Int64) -> String {
        Date(timeIntervalSince1970: TimeInterval(seconds)).ISO8601Format()
    }
}

/// A short, human name for a browser from its `User-Agent` ("Firefox on Linux").
enum DeviceName {
    static func describe(_ userAgent: String) -> String {
        let ua = userAgent
        let browser: String? =
            ua.contains("Edg/") ? "Edge" :
            ua.contains("OPR/") ? "Opera" :
            ua.contains("Firefox/") ? "Firefox" :
            ua.contains("Chrome/") || ua.contains("CriOS/") ? "Chrome" :
            ua.contains("Safari/") ? "Safari" :
            ua.hasPrefix("curl/") ? "curl" : nil
        let system: String? =
            ua.contains("Android") ? "Android" :
            ua.contains("iPhone") || ua.contains("iPad") ? "iOS" :
            ua.contains("Windows") ? "Windows" :
            ua.contains("Mac OS X") || ua.contains("Macintosh") ? "macOS" :
            ua.contains("CrOS") ? "ChromeOS" :
            ua.contains("Linux") ? "Linux" : nil
        switch (browser, system) {
        case let (b?, s?): return "\(b) on \(s)"
        case let (b?, nil): return b
        case let (nil, s?): return "A browser on \(s)"
        case (nil, nil): return "Unknown device"
        }
    }
}
