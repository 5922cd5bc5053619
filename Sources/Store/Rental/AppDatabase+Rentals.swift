public import BookingCore
import Foundation
import GRDB

/// Rentals by date: terms, the calendar of free days, hand-over and return with condition notes,
/// and maintenance flags. One transaction each; writes through group commit.
extension AppDatabase {
    /// Publishes a new version of a `multi_day` offer with `terms` (the current rules otherwise
    /// unchanged), so bookings already sold keep the terms they were sold under.
    public func publishRentalTerms(business: Business, offerSlug: String, terms: RentalTerms, now: Instant, actor: Actor) throws {
        try write { db in
            guard let offer = try Catalog.offer(db, businessID: business.id, slug: offerSlug), offer.spec.mode == .multiDay else {
                throw BookingFailure.offerNotFound
            }
            guard terms.minUnits >= 1, terms.maxUnits >= terms.minUnits, terms.maxUnits <= 365, terms.rate >= 0,
                  (0...100).contains(terms.weeklyDiscountPercent) else {
                throw BookingFailure.invalid(field: "terms", message: "check the rate, the discount and the lengths")
            }
            let version = try Catalog.createDraftVersion(db, businessID: business.id, offerID: offer.id, spec: offer.spec, now: now)
            try Rentals.insertTerms(db, businessID: business.id, versionID: version, terms: terms)
            try Catalog.publishVersion(db, businessID: business.id, versionID: version, now: now)
            try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "offer.rental_terms",
                                subject: "offer:\(offerSlug)", details: ["unit": terms.unit.rawValue, "rate": "\(terms.rate)"])
        }
    }

    /// The rental calendar of a live `multi_day` offer with terms, `days` dates from `from` (not before today).
    public func rentalCalendar(businessSlug: String, offerSlug: String, from: LocalDate?, days: Int, now: Instant) throws -> RentalCalendar? {
        try read { db in
            let business = try Self.business(db, slug: businessSlug)
            guard let clock = ZoneClock(identifier: business.timeZone) else { throw BookingFailure.businessNotFound }
            guard let offer = try Catalog.offer(db, businessID: business.id, slug: offerSlug), offer.status == .live else {
                throw BookingFailure.offerNotFound
            }
            guard offer.spec.mode == .multiDay, let terms = try Rentals.terms(db, businessID: business.id, versionID: offer.versionID) else {
                return nil
            }
            let today = clock.local(now).date
            let first = max(from ?? today, today)
            let count = min(max(1, days), AvailabilityReads.maxDays)
            let free = try Rentals.availableDays(db, business: business, offer: offer, terms: terms, from: first,
                                                 to: first.adding(days: count - 1), now: now)
            return RentalCalendar(business: business, offer: offer, terms: terms, today: today,
                                  days: free.map { RentalCalendar.Day(date: $0.date, available: $0.available) })
        }
    }

    /// Hands the rented item over: the booking is checked in and the condition before is recorded.
    public func checkOutRental(business: Business, publicID: String, note: String, now: Instant, actor: Actor) throws -> OrderView {
        try write { db in
            try Rentals.checkpoint(db, business: business, publicID: publicID, kind: "check_out", note: note, now: now, actor: actor)
            return try Bookings.transition(db, business: business, publicID: publicID, to: .checkedIn, now: now, actor: actor)
        }
    }

    /// Takes the item back: the booking is completed, the condition after is recorded, and with
    /// `needsMaintenance` each item it used is taken out of service until cleared.
    public func checkInRental(business: Business, publicID: String, note: String, needsMaintenance: Bool, now: Instant,
                              actor: Actor) throws -> OrderView {
        try write { db in
            try Rentals.checkpoint(db, business: business, publicID: publicID, kind: "check_in", note: note, now: now, actor: actor)
            let order = try Bookings.transition(db, business: business, publicID: publicID, to: .completed, now: now, actor: actor)
            if needsMaintenance {
                for resource in order.resources {
                    try Rentals.flag(db, business: business, resourceID: resource.id, resourceSlug: resource.slug, quantity: 1,
                                     note: note, orderID: order.id, now: now, actor: actor)
                }
            }
            return order
        }
    }

    /// The hand-over and return notes of a booking, in order; nil when the booking is not a rental.
    public func rentalCheckpoints(business: Business, publicID: String) throws -> [RentalCheckpoint]? {
        try read { db in
            guard let order = try BookingReads.order(db, businessID: business.id, publicID: publicID),
                  try Catalog.offer(db, businessID: business.id, slug: order.offerSlug)?.mode == .multiDay else { return nil }
            return try Rentals.checkpoints(db, businessID: business.id, publicID: publicID)
        }
    }

    /// Takes `quantity` units of a resource out of service until cleared.
    public func flagMaintenance(business: Business, resourceSlug: String, quantity: Int, note: String, now: Instant,
                                actor: Actor) throws {
        try write { db in
            guard let id = try Catalog.resourceID(db, businessID: business.id, slug: resourceSlug) else {
                throw BookingFailure.resourceNotFound(resourceSlug)
            }
            try Rentals.flag(db, business: business, resourceID: id, resourceSlug: resourceSlug, quantity: quantity, note: note,
                             orderID: nil, now: now, actor: actor)
        }
    }

    /// Puts the units of a flag back in service.
    public func clearMaintenance(business: Business, flagID: MaintenanceFlagID, now: Instant, actor: Actor) throws {
        try write { db in try Rentals.clear(db, business: business, flagID: flagID, now: now, actor: actor) }
    }

    /// Open maintenance flags, oldest first.
    public func maintenanceFlags(business: Business) throws -> [MaintenanceFlag] {
        try read { db in try Rentals.openFlags(db, businessID: business.id) }
    }
}
