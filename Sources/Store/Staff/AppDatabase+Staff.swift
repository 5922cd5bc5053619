public import BookingCore
import Foundation
import GRDB

/// A range of the staff calendar with what masking needs: the business's policy.
public struct StaffCalendarView: Sendable {
    public let business: Business
    public let clock: ZoneClock
    public let policy: VisibilityPolicy
    public let today: LocalDate
    public let date: LocalDate
    public let first: LocalDate
    public let last: LocalDate
    public let data: StaffCalendarData
}

/// One booking for the staff detail page, unmasked (Web masks it before any page model).
public struct StaffBookingView: Sendable {
    public let business: Business
    public let order: OrderView
    public let policy: VisibilityPolicy
    /// The offer is marked sensitive: staff see only "Appointment".
    public let sensitive: Bool
    /// The meeting links of its virtual resources, once booked (issue 20).
    public var meetingLinks: [String] = []
}

/// The front desk's reads and writes, one transaction each.
extension AppDatabase {
    /// The day (or the week, Monday first, around `date`) of the calendar; nil for an unknown business.
    public func staffCalendar(businessID: BusinessID, date: LocalDate?, week: Bool, now: Instant) throws -> StaffCalendarView? {
        try read { db in
            guard let business = try Catalog.business(db, id: businessID), let clock = ZoneClock(identifier: business.timeZone) else {
                return nil
            }
            let today = clock.local(now).date
            let date = date ?? today
            let first = week ? date.adding(days: 1 - date.weekday.rawValue) : date
            let last = week ? first.adding(days: 6) : date
            var data = try StaffCalendarReads.load(db, business: business, from: first, through: last)
            data.atRisk = try Sessions.atRisk(db, businessID: business.id, orders: data.orders, now: now)
            return StaffCalendarView(business: business, clock: clock, policy: try FieldVisibilityStore.policy(db, businessID: business.id),
                                     today: today, date: date, first: first, last: last, data: data)
        }
    }

    /// A booking (not a hold, not an expired one) of the business, for the staff detail page.
    public func staffBooking(businessID: BusinessID, publicID: String) throws -> StaffBookingView? {
        try read { db in
            guard let business = try Catalog.business(db, id: businessID),
                  let order = try BookingReads.order(db, businessID: business.id, publicID: publicID),
                  order.status != .held, order.status != .expired else { return nil }
            return StaffBookingView(business: business, order: order, policy: try FieldVisibilityStore.policy(db, businessID: business.id),
                                    sensitive: try StaffCalendarReads.isSensitive(db, businessID: business.id, offerID: order.offerID),
                                    meetingLinks: try MeetingLinks.revealed(db, order: order))
        }
    }

    /// Free starts on `date` a booking of `offerSlug` could be moved to by staff (none for classes,
    /// which move with their session).
    public func staffMoveSlots(business: Business, offerSlug: String, date: LocalDate, now: Instant) throws -> [AvailabilityReads.SlotView] {
        try read { db in
            guard let offer = try Catalog.offer(db, businessID: business.id, slug: offerSlug), offer.spec.mode != .class else { return [] }
            return try AvailabilityReads.slots(db, business: business, offer: offer, from: date, to: date, now: now)
        }
    }

    /// The walk-in form: the live offers and, for the chosen one, today's starts — inside the
    /// minimum notice when `waiver` is given. nil for an unknown business.
    public func walkInOptions(businessID: BusinessID, offerSlug: String?, waiver: NoticeWaiver?,
                              now: Instant) throws -> (business: Business, offers: [OfferInfo], slots: [AvailabilityReads.SlotView])? {
        try read { db in
            guard let business = try Catalog.business(db, id: businessID) else { return nil }
            let offers = try Catalog.liveOffers(db, businessID: business.id).filter { $0.status == .live }
            var slots: [AvailabilityReads.SlotView] = []
            if let offerSlug, let offer = offers.first(where: { $0.slug == offerSlug }), let clock = ZoneClock(identifier: business.timeZone) {
                let today = clock.local(now).date
                slots = try AvailabilityReads.slots(db, business: business, offer: waiver.map { offer.waiving($0) } ?? offer,
                                                    from: today, to: today, now: now)
            }
            return (business, offers, slots)
        }
    }

    /// Changes some of the policy's choices, keeping the others; audited.
    public func updateFieldVisibility(businessID: BusinessID, changes: [Role: [CustomerField: Visibility]], actor: String,
                                      now: Instant) throws {
        try write { db in
            var merged = try FieldVisibilityStore.policy(db, businessID: businessID).overrides
            for (role, fields) in changes { for (field, value) in fields { merged[role, default: [:]][field] = value } }
            try FieldVisibilityStore.save(db, businessID: businessID, policy: VisibilityPolicy(overrides: merged), actor: actor, now: now)
        }
    }
}
