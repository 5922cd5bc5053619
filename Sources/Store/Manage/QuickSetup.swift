public import BookingCore
import Foundation
import GRDB

/// The quick setup (issue 5): one form that makes a business bookable. Everything is written in the
/// caller's single write transaction, each change audited, so a failure leaves nothing behind.
public enum QuickSetup {
    /// Validated input of the `/setup` form.
    public struct Input: Sendable, Hashable {
        public var businessName: String
        public var timeZone: String
        public var currency: String
        public var serviceName: String
        public var durationMinutes: Int
        public var priceMinorUnits: Int64
        public var days: [Weekday]
        public var opens: WallTime
        public var closes: WallTime

        public init(businessName: String, timeZone: String, currency: String, serviceName: String, durationMinutes: Int,
                    priceMinorUnits: Int64, days: [Weekday], opens: WallTime, closes: WallTime) {
            self.businessName = businessName
            self.timeZone = timeZone
            self.currency = currency
            self.serviceName = serviceName
            self.durationMinutes = durationMinutes
            self.priceMinorUnits = priceMinorUnits
            self.days = days
            self.opens = opens
            self.closes = closes
        }
    }

    public struct Result: Sendable, Hashable {
        public let slug: String
        /// False when an identical submit of the last minute was found and nothing new was made.
        public let created: Bool
    }

    /// A double submit: the same user made a business with this name within this many seconds.
    public static let duplicateWindow: Int64 = 60

    /// Creates the business, the owner membership, the owner's host resource with its calendar and
    /// weekly rules, and an offer with a published first version.
    static func run(_ db: Database, input: Input, userID: UserID, userName: String, now: Int64) throws -> Result {
        if let slug = try String.fetchOne(db, sql: """
            SELECT b.slug FROM businesses b JOIN memberships m ON m.business_id = b.id
            WHERE m.user_id = ? AND m.role = 'owner' AND b.name = ? AND b.created_at >= ?
            ORDER BY b.id DESC LIMIT 1
            """, arguments: [userID, input.businessName, now - duplicateWindow]) {
            return Result(slug: slug, created: false)
        }
        let actor = "user:\(userID)"
        let slug = try uniqueBusinessSlug(db, name: input.businessName)
        let business = try Catalog.createBusiness(db, slug: slug, name: input.businessName, timeZone: input.timeZone,
                                                  currency: input.currency, now: now)
        let id = business.id
        try AuditLog.append(db, businessID: id, at: now, actor: actor, action: "business.create", subject: "business:\(id)",
                            details: ["slug": slug, "name": input.businessName, "timezone": input.timeZone,
                                      "currency": input.currency, "via": "quick_setup"])

        let hostSlug = Validation.slug(userName).isEmpty ? "host" : Validation.slug(userName)
        let hostName = String(userName.prefix(120))
        let host = try Catalog.createResource(db, businessID: id, slug: hostSlug, name: hostName, kind: .host, now: now)
        try AuditLog.append(db, businessID: id, at: now, actor: actor, action: "resource.create", subject: "resource:\(host)",
                            details: ["slug": hostSlug, "kind": "host"])
        try db.execute(sql: """
            INSERT INTO memberships (business_id, user_id, role, resource_id, created_at) VALUES (?, ?, 'owner', ?, ?)
            """, arguments: [id, userID, host, now])
        try AuditLog.append(db, businessID: id, at: now, actor: actor, action: "membership.add", subject: "user:\(userID)",
                            details: ["role": "owner", "resource_id": String(host)])
        for day in Set(input.days).sorted() {
            try Catalog.addWeeklyRule(db, businessID: id, resourceID: host,
                                      rule: WeeklyRule(weekday: day, opens: input.opens, closes: input.closes))
        }
        try AuditLog.append(db, businessID: id, at: now, actor: actor, action: "resource.hours", subject: "resource:\(host)",
                            details: ["days": Set(input.days).sorted().map { String($0.rawValue) }.joined(separator: ","),
                                      "opens": input.opens.description, "closes": input.closes.description])

        let offerSlug = try uniqueSlug(base: Validation.slug(input.serviceName), fallback: "service") { Validation.reservedOfferSlugs.contains($0) }
        let offer = try Catalog.createOffer(db, businessID: id, slug: offerSlug, name: input.serviceName, mode: .slot, now: now)
        try AuditLog.append(db, businessID: id, at: now, actor: actor, action: "offer.create", subject: "offer:\(offer)",
                            details: ["slug": offerSlug, "name": input.serviceName])
        let version = try Catalog.createDraftVersion(db, businessID: id, offerID: offer, spec: spec(input), now: now)
        try Catalog.publishVersion(db, businessID: id, versionID: version, now: now)
        try AuditLog.append(db, businessID: id, at: now, actor: actor, action: "offer_version.publish",
                            subject: "offer:\(offer)", details: ["version": "1", "version_id": String(version)])
        return Result(slug: slug, created: true)
    }

    /// The first version's rules: the quick setup's sensible defaults.
    public static func spec(_ input: Input) -> OfferVersionSpec {
        OfferVersionSpec(mode: .slot, duration: .fixed(input.durationMinutes),
                         slotIntervalMinutes: min(input.durationMinutes, 60), minimumNoticeMinutes: 60,
                         maximumAdvanceDays: 180, price: .fixed(Money(input.priceMinorUnits, input.currency)),
                         components: [OfferComponent(selector: .anyOf(kind: .host, tag: nil), role: "host")])
    }

    /// `slug(name)`, or with `-2`, `-3`… when taken.
    static func uniqueBusinessSlug(_ db: Database, name: String) throws -> String {
        try uniqueSlug(base: Validation.slug(name, maxLength: 54), fallback: "business") { candidate in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM businesses WHERE slug = ?", arguments: [candidate]) == true
        }
    }

    public static func uniqueSlug(base: String, fallback: String, taken: (String) throws -> Bool) throws -> String {
        let base = base.isEmpty ? fallback : base
        if try !taken(base) { return base }
        var n = 2
        while try taken("\(base)-\(n)") { n += 1 }
        return "\(base)-\(n)"
    }
}
