public import BookingCore
import Foundation
import GRDB

/// A range of the staff calendar with what masking needs: the business's policy.
public struct StaffCalendarView: Sendable, Hashable {
    public let business: Business
    public let clock: ZoneClock
    public let policy: VisibilityPolicy
    public let today: LocalDate
    public let date: LocalDate
    public let first: LocalDate
    public let last: LocalDate
    public let data: StaffCalendarData
    /// Every resource the member may see (their location's when scoped), whatever the filter and page.
    public var visibleResources: [ResourceInfo] = []
    /// The resources matching the filter, of which `data.resources` is the page shown.
    public var matching: Int = 0
    /// The page shown (1-based) and how many there are; 1 of 1 when everything fits or all are shown.
    public var page: Int = 1
    public var pageCount: Int = 1
}

/// Which columns of the staff calendar to load: a filter, and one page of the resources matching
/// it (`pageSize` of them; nil: every one, "show all").
public struct StaffCalendarSelection: Sendable, Hashable {
    public var kind: String?
    public var tag: String?
    public var location: LocationID?
    public var page: Int
    public var pageSize: Int?

    /// A page of the day view shows at most this many resources.
    public static let defaultPageSize = 25

    public init(kind: String? = nil, tag: String? = nil, location: LocationID? = nil, page: Int = 1, pageSize: Int? = nil) {
        self.kind = kind
        self.tag = tag
        self.location = location
        self.page = page
        self.pageSize = pageSize
    }

    /// Whether a kind, tag or location filter is asked for.
    var narrows: Bool { kind != nil || tag != nil || location != nil }

    func admits(_ resource: ResourceInfo, at resourceLocation: LocationID?) -> Bool {
        (kind == nil || resource.kind.rawValue == kind) && (tag == nil || resource.tags.contains(tag!))
            && (location == nil || resourceLocation == location)
    }
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
    /// The day (or the week, Monday first, around `date`) of the calendar, as a member of `scope`
    /// sees it (`StaffCalendarData.scoped`); nil for an unknown business.
    ///
    /// `selection` filters the resources and picks one page of them (after the scope: a member limited
    /// to a location never gets another's, whatever the filter); only that page's bookings, blocked
    /// time and hours are read. A page past the last shows the last.
    public func staffCalendar(businessID: BusinessID, date: LocalDate?, week: Bool, now: Instant,
                              scope: LocationScope = .everywhere,
                              selection: StaffCalendarSelection = .init()) throws -> StaffCalendarView? {
        try read { db in
            guard let business = try Catalog.business(db, id: businessID), let clock = ZoneClock(identifier: business.timeZone) else {
                return nil
            }
            let today = clock.local(now).date
            let date = date ?? today
            let first = week ? date.adding(days: 1 - date.weekday.rawValue) : date
            let last = week ? first.adding(days: 6) : date
            // Resources and their locations from the compiled schedules (cached per schedule_version).
            let compiled = try CompiledSchedules.load(db, businessID: business.id)
            // No pass over every resource when nothing narrows them (the default page).
            let visible = scope.location == nil ? compiled.catalog : compiled.catalog.filter { compiled.locations[$0.id] == scope.location }
            let matching = selection.narrows ? visible.filter { selection.admits($0, at: compiled.locations[$0.id]) } : visible
            let size = max(1, selection.pageSize ?? max(1, matching.count))
            let pageCount = max(1, (matching.count + size - 1) / size)
            let page = min(max(1, selection.page), pageCount)
            let shown = Array(matching.dropFirst((page - 1) * size).prefix(size))
            var data = try StaffCalendarReads.load(db, business: business, from: first, through: last, only: shown)
            data.atRisk = try Sessions.atRisk(db, businessID: business.id, orders: data.orders, now: now)
            if let location = scope.location { data = data.scoped(to: location) }
            var view = StaffCalendarView(business: business, clock: clock, policy: try FieldVisibilityStore.policy(db, businessID: business.id),
                                         today: today, date: date, first: first, last: last, data: data)
            view.visibleResources = visible
            view.matching = matching.count
            view.page = page
            view.pageCount = pageCount
            return view
        }
    }

    /// A booking (not a hold, not an expired one) of the business, for the staff detail page and
    /// every action on it; nil too when it is outside the member's `scope` (another location's).
    public func staffBooking(businessID: BusinessID, publicID: String, scope: LocationScope = .everywhere) throws -> StaffBookingView? {
        try read { db in
            guard let business = try Catalog.business(db, id: businessID),
                  let order = try BookingReads.order(db, businessID: business.id, publicID: publicID),
                  order.status != .held, order.status != .expired,
                  try LocationScopes.admits(db, order: order, scope: scope) else { return nil }
            return StaffBookingView(business: business, order: order, policy: try FieldVisibilityStore.policy(db, businessID: business.id),
                                    sensitive: try StaffCalendarReads.isSensitive(db, businessID: business.id, offerID: order.offerID),
                                    meetingLinks: try MeetingLinks.revealed(db, order: order))
        }
    }

    /// Free starts on `date` a booking of `offerSlug` could be moved to by staff (none for classes,
    /// which move with their session).
    public func staffMoveSlots(business: Business, offerSlug: String, date: LocalDate, now: Instant,
                               scope: LocationScope = .everywhere) throws -> [AvailabilityReads.SlotView] {
        try read { db in
            guard let offer = try Catalog.offer(db, businessID: business.id, slug: offerSlug), offer.spec.mode != .class else { return [] }
            return try Self.scopedSlots(db, business: business, offer: offer, date: date, now: now, scope: scope)
        }
    }

    /// The day's starts of `offer` as a customer sees them, and for a member limited to a location,
    /// only starts with that location's resources: each of its resources is asked for in turn, so a
    /// start taken by "any host" elsewhere still shows with a free host here.
    static func scopedSlots(_ db: Database, business: Business, offer: OfferInfo, date: LocalDate, now: Instant,
                            scope: LocationScope) throws -> [AvailabilityReads.SlotView] {
        guard let slugs = try LocationScopes.slugs(db, businessID: business.id, scope: scope) else {
            return try AvailabilityReads.slots(db, business: business, offer: offer, from: date, to: date, now: now)
        }
        var byStart: [Instant: AvailabilityReads.SlotView] = [:]
        for slug in slugs.sorted() {
            let found = (try? AvailabilityReads.slots(db, business: business, offer: offer, from: date, to: date, now: now,
                                                      resourceSlug: slug)) ?? []
            for slot in LocationScopes.filter(found, slugs: slugs) where byStart[slot.start] == nil { byStart[slot.start] = slot }
        }
        return byStart.values.sorted { $0.start < $1.start }
    }

    /// The walk-in and phone-booking forms: the live offers and, for the chosen one, the starts of
    /// `date` (today when nil) — inside the minimum notice when `waiver` is given, at the member's
    /// location when `scope` has one. nil for an unknown business.
    public func walkInOptions(businessID: BusinessID, offerSlug: String?, date: LocalDate? = nil, waiver: NoticeWaiver?,
                              scope: LocationScope = .everywhere,
                              now: Instant) throws -> (business: Business, offers: [OfferInfo], slots: [AvailabilityReads.SlotView])? {
        try read { db in
            guard let business = try Catalog.business(db, id: businessID) else { return nil }
            let offers = try Catalog.liveOffers(db, businessID: business.id).filter { $0.status == .live }
            var slots: [AvailabilityReads.SlotView] = []
            if let offerSlug, let offer = offers.first(where: { $0.slug == offerSlug }), let clock = ZoneClock(identifier: business.timeZone) {
                let day = date ?? clock.local(now).date
                slots = try Self.scopedSlots(db, business: business, offer: waiver.map { offer.waiving($0) } ?? offer, date: day, now: now,
                                             scope: scope)
            }
            return (business, offers, slots)
        }
    }

    /// A booking made by staff (a walk-in, a phone booking) in one transaction: the booking with its
    /// events and webhooks, the customer's confirmation email only when `emailCustomer`, and for a
    /// member limited to a location, a refusal (`resourceNotFound`, nothing written) when a chosen
    /// or assigned resource is elsewhere.
    public func staffBook(business: Business, request: BookingRequest, now: Instant, actor: Actor, noticeWaiver: NoticeWaiver?,
                          scope: LocationScope = .everywhere, emailCustomer: Bool = true) throws -> (order: OrderView, accessToken: String) {
        try write { db in
            var chosen: [ResourceID] = []
            for slug in request.resourceSlugs {
                guard let id = try Catalog.resourceID(db, businessID: business.id, slug: slug) else { throw BookingFailure.resourceNotFound(slug) }
                chosen.append(id)
            }
            try LocationScopes.requireResources(db, businessID: business.id, ids: chosen, scope: scope)
            let made = try Bookings.book(db, business: business, request: request, now: now, actor: actor, noticeWaiver: noticeWaiver,
                                         emailCustomer: emailCustomer)
            try LocationScopes.requireResources(db, businessID: business.id, ids: made.order.resources.map(\.id), scope: scope)
            return made
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
