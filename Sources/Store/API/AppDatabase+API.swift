public import BookingCore
import Foundation
import GRDB

extension APIReads {
    /// One page of bookings and the cursor of the next, when more may follow.
    public struct Page: Sendable {
        public let orders: [OrderView]
        public let next: Cursor?
    }

    /// The answer of a filtered list: a page, or which filter names nothing.
    public enum Listing: Sendable {
        case page(Page)
        case unknownOffer(String)
        case unknownResource(String)
    }
}

/// The reads and key management of the JSON API, one transaction each.
extension AppDatabase {
    public func business(id: BusinessID) throws -> Business? {
        try read { db in try Catalog.business(db, id: id) }
    }

    public func business(slug: String) throws -> Business? {
        try read { db in try Catalog.business(db, slug: slug) }
    }

    /// The offers customers can book now, with the version they book.
    public func liveOffers(businessID: BusinessID) throws -> [OfferInfo] {
        try read { db in try Catalog.liveOffers(db, businessID: businessID) }
    }

    /// The business's resources; for a member limited to a location (`scope`), that location's only.
    public func resources(businessID: BusinessID, scope: LocationScope = .everywhere) throws -> [ResourceInfo] {
        try read { db in
            let all = try Catalog.resources(db, businessID: businessID)
            guard let slugs = try LocationScopes.slugs(db, businessID: businessID, scope: scope) else { return all }
            return all.filter { slugs.contains($0.slug) }
        }
    }

    /// Every version of an offer, oldest first; nil when there is no such offer.
    public func offerVersions(businessID: BusinessID, offerSlug: String) throws -> [APIReads.Version]? {
        try read { db in try APIReads.versions(db, businessID: businessID, offerSlug: offerSlug) }
    }

    /// One order of the business (holds included).
    public func order(businessID: BusinessID, publicID: String) throws -> OrderView? {
        try read { db in try BookingReads.order(db, businessID: businessID, publicID: publicID) }
    }

    /// Free starts of a live offer over business-local dates; the answer is shared by every request
    /// asking the same question in the same second (see `AvailabilityReads`).
    public func availability(business: Business, offerSlug: String, from: LocalDate, to: LocalDate, now: Instant,
                             partySize: Int, resourceSlug: String?) throws -> AvailabilityReads.Answer {
        try read { db in
            guard let offer = try Catalog.offer(db, businessID: business.id, slug: offerSlug), offer.status == .live else {
                throw BookingFailure.offerNotFound
            }
            // A program's sessions are sold as whole courses (`/api/v1/programs/{offer}`): none is free alone.
            if offer.spec.mode == .class, try Programs.isProgram(db, businessID: business.id, offerID: offer.id) {
                return AvailabilityReads.Answer(slots: [])
            }
            if offer.spec.mode == .multiDay, let terms = try Rentals.terms(db, businessID: business.id, versionID: offer.versionID) {
                let days = try Rentals.availableDays(db, business: business, offer: offer, terms: terms, from: from, to: to, now: now)
                return AvailabilityReads.Answer(slots: [], days: days.map { RentalCalendar.Day(date: $0.date, available: $0.available) })
            }
            return try AvailabilityReads.answer(db, business: business, offer: offer, from: from, to: to, now: now,
                                                partySize: partySize, resourceSlug: resourceSlug)
        }
    }

    /// Bookings starting in [from, to), filtered, keyset-paginated after `cursor`.
    public func bookings(business: Business, from: Instant, to: Instant, statuses: [BookingStatus]?, offerSlug: String?,
                         resourceSlug: String?, limit: Int, after cursor: APIReads.Cursor?) throws -> APIReads.Listing {
        try read { db in
            var offerID: OfferID?
            if let offerSlug {
                guard let offer = try Catalog.offer(db, businessID: business.id, slug: offerSlug) else { return .unknownOffer(offerSlug) }
                offerID = offer.id
            }
            var resourceID: ResourceID?
            if let resourceSlug {
                guard let id = try Catalog.resourceID(db, businessID: business.id, slug: resourceSlug) else {
                    return .unknownResource(resourceSlug)
                }
                resourceID = id
            }
            let found = try APIReads.bookings(db, businessID: business.id, from: from, to: to, statuses: statuses, offerID: offerID,
                                              resourceID: resourceID, limit: limit, after: cursor)
            return .page(APIReads.Page(orders: found.orders, next: found.next))
        }
    }

    /// What a business shows each role of a customer's fields.
    public func fieldVisibilityPolicy(businessID: BusinessID) throws -> VisibilityPolicy {
        try read { db in try FieldVisibilityStore.policy(db, businessID: businessID) }
    }

    // MARK: API keys

    /// The key's principal and when it was last used; nil for an unknown or revoked key. Kept in
    /// `caches.apiKeys` until a commit changes the key or its business (`APIKeyCache`).
    public func authenticateAPIKey(_ key: String) throws -> (principal: APIKeys.Principal, lastUsedAt: Int64?)? {
        guard APIKeys.isWellFormed(key) else { return nil }
        let keyHash = Tokens.hash(key)
        if let kept = caches.apiKeys.entry(keyHash) { return (kept.principal, kept.lastUsedAt) }
        let generation = caches.apiKeys.generation
        guard let found = try read({ db in try APIKeys.authenticate(db, keyHash: keyHash) }) else { return nil }
        caches.apiKeys.keep(APIKeyCache.Entry(principal: found.principal, lastUsedAt: found.lastUsedAt), for: keyHash, readAt: generation)
        return found
    }

    /// Records that a key was used (callers do it at most once a minute).
    public func touchAPIKey(keyID: APIKeyID, now: Instant) throws {
        try write(rerunnable: true) { db in try APIKeys.touch(db, keyID: keyID, now: now) }
        caches.apiKeys.touched(keyID, at: now)
    }

    public func apiKeys(businessID: BusinessID) throws -> [APIKeys.Listed] {
        try read { db in try APIKeys.list(db, businessID: businessID) }
    }

    /// A new key (shown once: only its hash is stored); audited.
    public func createAPIKey(businessID: BusinessID, name: String, role: Role, now: Instant, actor: Actor) throws -> (id: APIKeyID, key: String) {
        let created = try write { db in try APIKeys.create(db, businessID: businessID, name: name, role: role, now: now, actor: actor) }
        return (created.id, created.key)
    }

    /// Sets a live key's own rate limit (`nil`: back to the default); audited. `CatalogError.notFound`
    /// when the business has no such live key.
    public func setAPIKeyRateLimit(businessID: BusinessID, keyID: APIKeyID, rate: (perSecond: Int, burst: Int)?, now: Instant,
                                   actor: Actor) throws {
        try write { db in try APIKeys.setRateLimit(db, businessID: businessID, keyID: keyID, rate: rate, now: now, actor: actor) }
    }

    /// Revokes a live key of the business; `CatalogError.notFound` when there is none.
    public func revokeAPIKey(businessID: BusinessID, keyID: APIKeyID, now: Instant, actor: Actor) throws {
        try write { db in try APIKeys.revoke(db, businessID: businessID, keyID: keyID, now: now, actor: actor) }
    }
}

/// The command line's use cases.
extension AppDatabase {
    /// A new owner key for the business `slug`; nil when there is no such business.
    public func createAPIKey(businessSlug slug: String, name: String, now: Instant, actor: Actor) throws -> String? {
        try write { db in
            guard let business = try Catalog.business(db, slug: slug) else { return nil }
            return try APIKeys.create(db, businessID: business.id, name: name, role: .owner, now: now, actor: actor).key
        }
    }

    /// The business's audit chain checked; nil when there is no such business.
    public func verifyAuditLog(businessSlug slug: String) throws -> AuditLog.Verification? {
        try read { db in
            guard let business = try Catalog.business(db, slug: slug) else { return nil }
            return try AuditLog.verify(db, businessID: business.id)
        }
    }

    /// Seeds the demo business unless it exists; true when it was created now.
    public func seedDemo(now: Instant, hashPassword: @escaping @Sendable () throws -> String) throws -> Bool {
        try write { db in try DemoData.seed(db, now: now, hashPassword: hashPassword) }
    }
}
