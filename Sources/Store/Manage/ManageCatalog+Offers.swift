public import BookingCore
import Foundation
import GRDB

extension ManageCatalog {
    // MARK: Offers

    public struct OfferSummary: Sendable, Hashable {
        public let id: OfferID
        public let slug: String
        public let name: String
        public let mode: OfferMode
        public let status: OfferStatus
        public let publishedVersion: Int?
        public let draftVersion: Int?
    }

    public struct VersionRow: Sendable, Hashable {
        public let id: OfferVersionID
        public let version: Int
        public let status: String
        public let spec: OfferVersionSpec
    }

    static func offers(_ db: Database, businessID: BusinessID) throws -> [OfferSummary] {
        try Row.fetchAll(db, sql: """
            SELECT o.id, o.slug, o.name, o.mode, o.status,
              (SELECT MAX(version) FROM offer_versions v WHERE v.business_id = o.business_id AND v.offer_id = o.id AND v.status = 'published') AS published,
              (SELECT MAX(version) FROM offer_versions v WHERE v.business_id = o.business_id AND v.offer_id = o.id AND v.status = 'draft') AS draft
            FROM offers o WHERE o.business_id = ? ORDER BY o.status = 'archived', o.name
            """, arguments: [businessID]).map { row in
            OfferSummary(id: row["id"], slug: row["slug"], name: row["name"], mode: OfferMode(rawValue: row["mode"]) ?? .slot,
                         status: OfferStatus(rawValue: row["status"]) ?? .paused, publishedVersion: row["published"], draftVersion: row["draft"])
        }
    }

    static func offer(_ db: Database, businessID: BusinessID, slug: String) throws -> OfferSummary? {
        try offers(db, businessID: businessID).first { $0.slug == slug }
    }

    /// The latest version with `status` (`published` or `draft`).
    static func latestVersion(_ db: Database, businessID: BusinessID, offerID: OfferID, status: String) throws -> VersionRow? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT v.*, o.mode FROM offer_versions v JOIN offers o ON o.business_id = v.business_id AND o.id = v.offer_id
            WHERE v.business_id = ? AND v.offer_id = ? AND v.status = ? ORDER BY v.version DESC LIMIT 1
            """, arguments: [businessID, offerID, status]) else { return nil }
        return VersionRow(id: row["id"], version: row["version"], status: row["status"], spec: try SpecRow.spec(db, row: row))
    }

    /// Creates an offer with a first draft version; returns its slug.
    static func createOffer(_ db: Database, businessID: BusinessID, name: String, mode: OfferMode, spec: OfferVersionSpec,
                                   actor: Actor, now: Int64) throws -> String {
        let slug = try QuickSetup.uniqueSlug(base: Validation.slug(name, maxLength: 54), fallback: "offer") { candidate in
            try Validation.reservedOfferSlugs.contains(candidate)
                || Bool.fetchOne(db, sql: "SELECT 1 FROM offers WHERE business_id = ? AND slug = ?", arguments: [businessID, candidate]) == true
        }
        let id = try Catalog.createOffer(db, businessID: businessID, slug: slug, name: name, mode: mode, now: now)
        var spec = spec
        spec.mode = mode
        let version = try Catalog.createDraftVersion(db, businessID: businessID, offerID: id, spec: spec, now: now)
        try recordKey(db, table: "offers", businessID: businessID, id: id.rawValue, actor: actor)
        try recordKey(db, table: "offer_versions", businessID: businessID, id: version.rawValue, actor: actor)
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor.label, action: "offer.create", subject: "offer:\(id)",
                            details: ["slug": slug, "name": name, "mode": mode.rawValue, "draft_version_id": String(version)])
        return slug
    }

    /// Saves `spec` as the offer's draft: replaces the current draft (drafts were never sold) or makes
    /// the next version. Published versions are never touched.
    @discardableResult
    static func saveDraft(_ db: Database, businessID: BusinessID, offerID: OfferID, spec: OfferVersionSpec, actor: Actor,
                                 now: Int64) throws -> Int {
        var number: Int
        if let draft = try latestVersion(db, businessID: businessID, offerID: offerID, status: "draft") {
            try db.execute(sql: "DELETE FROM offer_components WHERE business_id = ? AND version_id = ?", arguments: [businessID, draft.id])
            try db.execute(sql: "DELETE FROM offer_versions WHERE business_id = ? AND id = ? AND status = 'draft'",
                           arguments: [businessID, draft.id])
            number = draft.version
        } else {
            number = (try Int.fetchOne(db, sql: "SELECT MAX(version) FROM offer_versions WHERE business_id = ? AND offer_id = ?",
                                       arguments: [businessID, offerID]) ?? 0) + 1
        }
        let id = try SpecRow.insert(db, businessID: businessID, offerID: offerID, version: number, spec: spec, now: now)
        try recordKey(db, table: "offer_versions", businessID: businessID, id: id.rawValue, actor: actor)
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor.label, action: "offer_version.draft",
                            subject: "offer:\(offerID)", details: ["version": String(number), "version_id": String(id)])
        return number
    }

    static func publishDraft(_ db: Database, businessID: BusinessID, offerID: OfferID, actor: String, now: Int64) throws {
        guard let draft = try latestVersion(db, businessID: businessID, offerID: offerID, status: "draft") else {
            throw CatalogError.notFound("draft version")
        }
        try Catalog.publishVersion(db, businessID: businessID, versionID: draft.id, now: now)
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "offer_version.publish",
                            subject: "offer:\(offerID)", details: ["version": String(draft.version), "version_id": String(draft.id)])
    }

    static func setOfferStatus(_ db: Database, businessID: BusinessID, offerID: OfferID, status: OfferStatus, actor: String,
                               now: Int64) throws {
        let previous = try String.fetchOne(db, sql: "SELECT status FROM offers WHERE business_id = ? AND id = ?",
                                           arguments: [businessID, offerID]) ?? ""
        try db.execute(sql: "UPDATE offers SET status = ? WHERE business_id = ? AND id = ?", arguments: [status.rawValue, businessID, offerID])
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "offer.status", subject: "offer:\(offerID)",
                            details: ["status": status.rawValue, "previous": previous])
    }
}
