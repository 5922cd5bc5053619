public import BookingCore
import Foundation
import GRDB

/// Offers in the business builder: the list, one offer's editor, drafts, publishing and status.
/// Each method is one use case in one transaction; writes go through group commit.
extension AppDatabase {
    /// What one offer's editor needs, read together.
    public struct OfferEditor: Sendable, Hashable {
        public let offer: ManageCatalog.OfferSummary
        public let published: ManageCatalog.VersionRow?
        public let draft: ManageCatalog.VersionRow?
        public let resources: [ResourceInfo]
        public let details: ManageCatalog.OfferDetails
        /// The starts the edited version (draft, else published) would offer over the asked dates;
        /// nil when no preview was asked for, empty when there is no version yet.
        public let preview: [Instant]?
    }

    public func offerList(businessID: BusinessID) throws -> [ManageCatalog.OfferSummary] {
        try read { db in try ManageCatalog.offers(db, businessID: businessID) }
    }

    /// Adds an offer with a first version; returns its new slug.
    public func createOffer(businessID: BusinessID, name: String, mode: OfferMode, spec: OfferVersionSpec, actor: Actor,
                            now: Instant) throws -> String {
        try write { db in
            try ManageCatalog.createOffer(db, businessID: businessID, name: name, mode: mode, spec: spec, actor: actor, now: now)
        }
    }

    /// The offer's editor in one read, with the preview over `previewFrom…previewTo` (business-local
    /// dates) when both are given; nil when the business has no offer with this slug.
    public func offerEditor(business: Business, slug: String, previewFrom: LocalDate? = nil, previewTo: LocalDate? = nil,
                            now: Instant) throws -> OfferEditor? {
        try read { db in
            guard let offer = try ManageCatalog.offer(db, businessID: business.id, slug: slug) else { return nil }
            let published = try ManageCatalog.latestVersion(db, businessID: business.id, offerID: offer.id, status: "published")
            let draft = try ManageCatalog.latestVersion(db, businessID: business.id, offerID: offer.id, status: "draft")
            var preview: [Instant]?
            if let previewFrom, let previewTo {
                preview = try (draft ?? published).map {
                    try ManageCatalog.preview(db, business: business, offerID: offer.id, spec: $0.spec, from: previewFrom,
                                              to: previewTo, now: now)
                } ?? []
            }
            return OfferEditor(offer: offer, published: published, draft: draft,
                               resources: try Catalog.resources(db, businessID: business.id),
                               details: try ManageCatalog.offerDetails(db, businessID: business.id, offerID: offer.id)
                                   ?? .init(name: offer.name, description: "", sensitive: false),
                               preview: preview)
        }
    }

    /// The starts `spec` would offer for the offer over `from…to` (business-local dates).
    public func offerPreview(business: Business, offerID: OfferID, spec: OfferVersionSpec, from: LocalDate, to: LocalDate,
                             now: Instant) throws -> [Instant] {
        try read { db in
            try ManageCatalog.preview(db, business: business, offerID: offerID, spec: spec, from: from, to: to, now: now)
        }
    }

    /// Writes `spec` as the offer's draft (replacing the draft there is); returns the draft's version.
    @discardableResult
    public func saveOfferDraft(businessID: BusinessID, offerID: OfferID, spec: OfferVersionSpec, actor: Actor, now: Instant) throws -> Int {
        try write { db in try ManageCatalog.saveDraft(db, businessID: businessID, offerID: offerID, spec: spec, actor: actor, now: now) }
    }

    /// Publishes the offer's draft; false (nothing written) when it has no draft at the moment of the write.
    public func publishOfferDraft(businessID: BusinessID, offerID: OfferID, actor: String, now: Instant) throws -> Bool {
        try write { db in
            guard try ManageCatalog.latestVersion(db, businessID: businessID, offerID: offerID, status: "draft") != nil else {
                return false
            }
            try ManageCatalog.publishDraft(db, businessID: businessID, offerID: offerID, actor: actor, now: now)
            // More seats (or hours) may free places for those waiting: they are offered them in this transaction.
            if let business = try Catalog.business(db, id: businessID) {
                try Waitlists.capacityChanged(db, business: business, offerID: offerID, now: now)
            }
            return true
        }
    }

    /// Sets the offer live, paused or archived.
    public func setOfferStatus(businessID: BusinessID, offerID: OfferID, status: OfferStatus, actor: String, now: Instant) throws {
        try write { db in
            try ManageCatalog.setOfferStatus(db, businessID: businessID, offerID: offerID, status: status, actor: actor, now: now)
        }
    }

    /// The offer's name, description and sensitive flag, changed at once without a new version.
    public func updateOfferDetails(businessID: BusinessID, offerID: OfferID, details: ManageCatalog.OfferDetails, actor: String,
                                   now: Instant) throws {
        try write { db in
            try ManageCatalog.updateOffer(db, businessID: businessID, offerID: offerID, details: details, actor: actor, now: now)
        }
    }
}
