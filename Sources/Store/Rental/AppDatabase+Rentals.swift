public import BookingCore
import Foundation
import GRDB

/// Rentals by date: terms, the calendar of free days, hand-over and return with condition notes,
/// and maintenance flags. One transaction each; writes through group commit.
extension AppDatabase {
    /// Publishes a new version of a `multi_day` offer with `terms` (the current rules otherwise
    /// unchanged), so bookings already sold keep the terms they were sold under.
    public func publishRentalTerms(business: Business, offerSlug: String, terms: RentalTerms, now: Instant, actor: Actor) throws {
        try publishRentalSetup(business: business, offerSlug: offerSlug, setup: RentalSetup(terms: terms), now: now, actor: actor)
    }

    /// The owner's rental form: a new published version of a `multi_day` offer with these terms,
    /// turnover buffer (the version's buffer after) and deposit; the rest of the version is kept.
    /// Bookings already sold keep the version, terms and price they were sold under. Audited.
    public func publishRentalSetup(business: Business, offerSlug: String, setup: RentalSetup, now: Instant, actor: Actor) throws {
        try write { db in
            guard let offer = try Catalog.offer(db, businessID: business.id, slug: offerSlug), offer.spec.mode == .multiDay else {
                throw BookingFailure.offerNotFound
            }
            if let problem = setup.problem() { throw BookingFailure.invalid(field: problem.field, message: problem.message) }
            var spec = offer.spec
            if let turnover = setup.turnoverMinutes { spec.bufferAfterMinutes = turnover }
            if let deposit = setup.deposit { spec.deposit = deposit.rule }
            if case .fixed(let money) = spec.price { spec.price = .fixed(Money(setup.terms.rate, money.currency)) }
            let version = try Catalog.createDraftVersion(db, businessID: business.id, offerID: offer.id, spec: spec, now: now)
            try Rentals.insertTerms(db, businessID: business.id, versionID: version, terms: setup.terms)
            try Catalog.publishVersion(db, businessID: business.id, versionID: version, now: now)
            let terms = setup.terms
            try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "offer.rental_terms",
                                subject: "offer:\(offerSlug)",
                                details: ["unit": terms.unit.rawValue, "rate": "\(terms.rate)", "pick_up": "\(terms.pickUp)",
                                          "return": "\(terms.returnBy)", "weekly_discount": "\(terms.weeklyDiscountPercent)",
                                          "length": "\(terms.minUnits)-\(terms.maxUnits)", "turnover_minutes": "\(spec.bufferAfterMinutes)",
                                          "deposit": spec.deposit.map { "\($0)" } ?? "none"])
        }
    }

    /// A `multi_day` offer's published version and its rental terms (nil terms: not rented by date
    /// yet), for the owner's form; nil when there is no such offer with a published version.
    public func rentalSetup(business: Business, offerSlug: String) throws -> (offer: OfferInfo, terms: RentalTerms?)? {
        try read { db in
            guard let offer = try Catalog.offer(db, businessID: business.id, slug: offerSlug), offer.spec.mode == .multiDay else { return nil }
            return (offer, try Rentals.terms(db, businessID: business.id, versionID: offer.versionID))
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
                                  days: free.map { RentalCalendar.Day(date: $0.date, available: $0.available) },
                                  mostItems: try Rentals.mostItems(db, businessID: business.id, spec: offer.spec))
        }
    }

    /// Moves a rental by date to new dates: checked again for the whole period with the booking
    /// itself left out, and re-priced for the new length, in one transaction (`Bookings.reschedule`).
    /// `scope`: a member limited to a location may not move it onto another location's items.
    public func rescheduleRental(business: Business, publicID: String, dates: RentalDates, now: Instant, actor: Actor,
                                 rules: Bookings.RescheduleRules, scope: LocationScope = .everywhere) throws -> OrderView {
        try write { db in
            let moved = try Bookings.reschedule(db, business: business, publicID: publicID, start: 0, now: now, actor: actor, rules: rules,
                                                rental: dates)
            try LocationScopes.requireResources(db, businessID: business.id, ids: moved.resources.map(\.id), scope: scope)
            return moved
        }
    }

    /// The rental terms a booking was sold under, when its offer version is rented by date.
    public func rentalTerms(businessID: BusinessID, versionID: OfferVersionID) throws -> RentalTerms? {
        try read { db in try Rentals.terms(db, businessID: businessID, versionID: versionID) }
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
