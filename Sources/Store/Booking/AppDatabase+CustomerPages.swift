public import BookingCore
import Foundation
import GRDB

/// A place a booking happens at: a location's name and address.
public struct Place: Sendable, Hashable {
    public let name: String
    public let address: String
}

/// A business's public page: its live offers and locations.
public struct PublicBusiness: Sendable {
    public let business: Business
    public let offers: [OfferInfo]
    public let locations: [Place]
}

/// Which day a slot list shows.
public enum DayChoice: Sendable, Hashable {
    case today
    case date(LocalDate)
    /// The business-local day of an instant (a refused hold shows its own day again).
    case dayOf(Instant)
}

/// One day of an offer's free starts, with what the page around it needs.
public struct OfferDay: Sendable {
    public let business: Business
    public let clock: ZoneClock
    public let offer: OfferInfo
    public let today: LocalDate
    public let date: LocalDate
    public let slots: [AvailabilityReads.SlotView]
    /// Hosts that can serve the offer (the customer may pick one).
    public let hosts: [ResourceInfo]
    /// The first later day with a free start, when this day has none (within the look-ahead).
    public let next: LocalDate?
    /// Class sessions of this day that are booked up (bookings there and no room left): the page
    /// offers to join their waitlist.
    public let fullStarts: [Instant]
    /// Why this day has no free start (nil when it has some).
    public let emptyDay: EmptyDay?
    /// Whether the week of `date` (Monday to Sunday) has a free start; checked only for an empty day.
    public let weekHasTimes: Bool
    /// The business's closure of this date, when it is closed that date: its public note ("" for none).
    public let closureNote: String?
}

/// An order with what a customer page shows around it: its business and zone, the version it was
/// sold under, the business's resources (to tell hosts from places) and where it takes place.
public struct OrderDetails: Sendable {
    public let business: Business
    public let clock: ZoneClock
    public let order: OrderView
    public let spec: OfferVersionSpec?
    public let resources: [ResourceInfo]
    public let place: Place?
    /// The meeting links of its virtual resources, once booked (`MeetingLink.isRevealed`).
    public var meetingLinks: [String] = []
}

/// A booking as its customer sees it.
public struct CustomerBooking: Sendable {
    public let details: OrderDetails
    public let refunded: Int64
    /// The household member it is for, when not the customer themself.
    public let memberName: String?
    /// Grows with every change (the `.ics` SEQUENCE).
    public let revision: Int
}

extension AppDatabase {
    public func publicBusiness(slug: String) throws -> PublicBusiness {
        try read { db in
            let business = try Self.business(db, slug: slug)
            return PublicBusiness(business: business, offers: try Catalog.liveOffers(db, businessID: business.id).filter { $0.status == .live },
                                  locations: try Self.places(db, businessID: business.id))
        }
    }

    /// A day of free starts of a live offer; `hostSlug` narrows to one host (refused when that host
    /// does not serve the offer). An empty day looks `lookAheadDays` ahead for the next free one.
    public func offerDay(businessSlug: String, offerSlug: String, day: DayChoice, hostSlug: String?, now: Instant,
                         lookAheadDays: Int, durationMinutes: Int? = nil) throws -> OfferDay {
        try read { db in
            let business = try Self.business(db, slug: businessSlug)
            guard let clock = ZoneClock(identifier: business.timeZone) else { throw BookingFailure.businessNotFound }
            guard let offer = try Catalog.offer(db, businessID: business.id, slug: offerSlug), offer.status == .live else {
                throw BookingFailure.offerNotFound
            }
            if offer.spec.mode == .class, try Programs.isProgram(db, businessID: business.id, offerID: offer.id) {
                throw BookingFailure.soldAsProgram(offer.slug)
            }
            let today = clock.local(now).date
            let date = switch day {
            case .today: today
            case .date(let date): date
            case .dayOf(let instant): clock.local(instant).date
            }
            let hosts = try CompiledSchedules.load(db, businessID: business.id).hosts(for: offer.spec)
            if let hostSlug, !hosts.contains(where: { $0.slug == hostSlug }) { throw BookingFailure.hostNotOffered(hostSlug) }
            // A chosen length follows the API's rule (`DurationSpec.resolve`).
            if let durationMinutes, offer.spec.duration.resolve(durationMinutes) == nil {
                throw BookingFailure.invalid(field: "duration", message: "choose one of the lengths offered")
            }
            let slots = try AvailabilityReads.slots(db, business: business, offer: offer, from: date, to: date, now: now, resourceSlug: hostSlug,
                                                    durationMinutes: durationMinutes)
            var next: LocalDate?
            var emptyDay: EmptyDay?
            var weekHasTimes = true
            if slots.isEmpty {
                let from = max(date.adding(days: 1), today)
                next = try AvailabilityReads.slots(db, business: business, offer: offer, from: from, to: from.adding(days: lookAheadDays - 1),
                                                   now: now, resourceSlug: hostSlug, durationMinutes: durationMinutes)
                    .first.map { clock.local($0.start).date }
                emptyDay = try AvailabilityReads.emptyDay(db, business: business, offer: offer, date: date, now: now,
                                                          requested: hosts.filter { $0.slug == hostSlug }.map(\.id),
                                                          durationMinutes: durationMinutes)
                let week = date.mondayOfWeek
                weekHasTimes = try !AvailabilityReads.slots(db, business: business, offer: offer, from: max(week, today),
                                                            to: week.adding(days: 6), now: now, resourceSlug: hostSlug,
                                                            durationMinutes: durationMinutes).isEmpty
            }
            let free = Set(slots.map(\.start))
            let dayStart = WallTime(minutes: 0).flatMap { clock.instant(date, $0) } ?? now
            // A class session or an appointment time that bookings of this offer took, with no room
            // left: the page offers its waitlist (not multi-day rentals, which are booked by date; not
            // an appointment time on a page narrowed to one host, where another may still be free).
            let offersWaitlist = offer.spec.mode == .class || (offer.spec.mode == .slot && hostSlug == nil)
            let booked = !offersWaitlist ? [] : try Instant.fetchAll(db.cachedStatement(sql: """
                SELECT DISTINCT starts_at FROM booking_orders WHERE business_id = ? AND offer_id = ? AND starts_at >= ? AND starts_at < ?
                  AND starts_at > ? AND status IN ('held', 'pending', 'confirmed') ORDER BY starts_at
                """), arguments: [business.id, offer.id, dayStart, dayStart + 30 * 3_600, now])
            let fullStarts = booked.filter { !free.contains($0) && clock.local($0).date == date }
            let closureNote = emptyDay == .closedDate ? try Closures.note(db, businessID: business.id, date: date) : nil
            return OfferDay(business: business, clock: clock, offer: offer, today: today, date: date, slots: slots, hosts: hosts, next: next,
                            fullStarts: fullStarts, emptyDay: emptyDay, weekHasTimes: weekHasTimes, closureNote: closureNote)
        }
    }

    /// A hold of the business `slug` by its long random id (knowing it is what lets a guest continue).
    public func heldOrder(businessSlug: String, holdID: String) throws -> OrderDetails {
        try read { db in
            let business = try Self.business(db, slug: businessSlug)
            guard let clock = ZoneClock(identifier: business.timeZone) else { throw BookingFailure.businessNotFound }
            guard let order = try BookingReads.order(db, businessID: business.id, publicID: holdID) else { throw BookingFailure.orderNotFound }
            return try Self.details(db, business: business, clock: clock, order: order)
        }
    }

    /// The booking `publicID` for the holder of its guest `token` or its signed-in customer
    /// `userID`; nil for anyone else (the same answer as for a booking that does not exist).
    public func customerBooking(publicID: String, token: String?, userID: UserID?) throws -> CustomerBooking? {
        try read { db in
            guard let order = try BookingReads.order(db, publicID: publicID),
                  let business = try Catalog.business(db, id: order.businessID),
                  let clock = ZoneClock(identifier: business.timeZone) else { return nil }
            var byToken = false
            if let token, !token.isEmpty {
                byToken = try BookingReads.tokenMatches(db, businessID: business.id, publicID: order.publicID, token: token)
            }
            let byOwner = userID != nil && order.customer.userID == userID
            guard byToken || byOwner else { return nil }
            let refunded = try Int64.fetchOne(db, sql: """
                SELECT COALESCE(-SUM(amount), 0) FROM ledger_entries WHERE business_id = ? AND order_id = ? AND kind = 'refund'
                """, arguments: [business.id, order.id]) ?? 0
            return CustomerBooking(
                details: try Self.details(db, business: business, clock: clock, order: order), refunded: refunded,
                memberName: try order.customer.householdMemberID.flatMap { try BookingReads.householdMemberNames(db, ids: [$0])[$0] },
                revision: try BookingReads.revision(db, businessID: business.id, orderID: order.id))
        }
    }

    /// The signed-in customer's bookings (theirs and their household's), newest first, with the
    /// names of the household members they are for.
    public func customerBookings(userID: UserID) throws -> (bookings: [(business: Business, order: OrderView)], memberNames: [HouseholdMemberID: String]) {
        try read { db in
            let rows = try BookingReads.forCustomer(db, userID: userID)
            return (rows, try BookingReads.householdMemberNames(db, ids: rows.compactMap(\.order.customer.householdMemberID)))
        }
    }

    /// Free starts a booking could move to on `date`, and the next day with one when there is none.
    public func rescheduleDay(business: Business, order: OrderView, date: LocalDate, now: Instant,
                              lookAheadDays: Int) throws -> (slots: [AvailabilityReads.SlotView], next: LocalDate?) {
        try read { db in
            let slots = try AvailabilityReads.rescheduleSlots(db, business: business, order: order, from: date, to: date, now: now)
            guard slots.isEmpty, let clock = ZoneClock(identifier: business.timeZone) else { return (slots, nil) }
            let from = date.adding(days: 1)
            let ahead = try AvailabilityReads.rescheduleSlots(db, business: business, order: order, from: from,
                                                              to: from.adding(days: lookAheadDays - 1), now: now)
            return (slots, ahead.first.map { clock.local($0.start).date })
        }
    }

    static func details(_ db: Database, business: Business, clock: ZoneClock, order: OrderView) throws -> OrderDetails {
        OrderDetails(business: business, clock: clock, order: order,
                     spec: try Catalog.offerVersion(db, businessID: business.id, versionID: order.offerVersionID),
                     resources: try Catalog.resources(db, businessID: business.id),
                     place: try place(db, businessID: business.id, orderID: order.id),
                     meetingLinks: try MeetingLinks.revealed(db, order: order))
    }

    static func business(_ db: Database, slug: String) throws -> Business {
        guard let business = try Catalog.business(db, slug: slug) else { throw BookingFailure.businessNotFound }
        return business
    }

    /// Where a booking takes place: the location of its first booked resource that has one, else
    /// the business's first location (a business with several must not send a customer to the wrong one).
    static func place(_ db: Database, businessID: BusinessID, orderID: BookingID) throws -> Place? {
        if let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT l.name, l.address FROM resource_assignments a
            JOIN resources r ON r.business_id = a.business_id AND r.id = a.resource_id
            JOIN locations l ON l.business_id = r.business_id AND l.id = r.location_id
            WHERE a.business_id = ? AND a.order_id = ? ORDER BY a.id LIMIT 1
            """), arguments: [businessID, orderID]) {
            return Place(name: row["name"], address: row["address"])
        }
        return try places(db, businessID: businessID).first
    }

    static func places(_ db: Database, businessID: BusinessID) throws -> [Place] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT name, address FROM locations WHERE business_id = ? ORDER BY id"),
                         arguments: [businessID]).map { Place(name: $0["name"], address: $0["address"]) }
    }
}

extension OfferVersionSpec {
    /// Whether one of the version's components could be served by `resource`.
    func canUse(_ resource: ResourceInfo) -> Bool {
        components.contains { component in
            switch component.selector {
            case .resource(let id): id == resource.id
            case .anyOf(let kind, let tag): kind == resource.kind && (tag.map { resource.tags.contains($0) } ?? true)
            }
        }
    }
}
