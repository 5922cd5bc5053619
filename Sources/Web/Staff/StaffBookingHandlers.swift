import BookingCore
import Foundation
import HTTPServer
import Store

/// A booking as the staff detail page shows it: built from a `MaskedBooking` only.
struct StaffBookingPage: Sendable {
    struct Slot: Sendable {
        let value: String
        let label: String
    }
    let layout: Layout
    let businessName: String
    let reference: String
    let service: String
    let when: String
    let status: String
    let resources: String
    let partySize: Int?
    let customerName: String?
    let email: String?
    let phone: String?
    let notes: String?
    let pricePaid: String?
    let householdMember: String?
    let source: String?
    let cancelReason: String?
    let calendarURL: String
    var checkInAction: String?
    var completeAction: String?
    let noShowAction: String?
    let cancelAction: String?
    var rescheduleAction: String?
    let rescheduleDate: String
    let rescheduleFormAction: String
    var rescheduleSlots: [Slot]
    var hasRescheduleSlots: Bool
    let notice: String?
    /// A charge on this booking that failed (a declined no-show fee).
    var paymentProblem: String?
    /// Disputes and refunds owed (issue 16), with "Retry the refund" for those who manage payments.
    var payments: StaffBookingPayments.Section?
    /// The customer's wallet at this business (issue 18), for those who may see it and the email.
    var walletURL: String?
    /// Rentals: hand-over and return with condition notes instead of check in / complete.
    var rental: StaffRentals.Section?
    /// The series this booking is one of (for those who manage bookings).
    var seriesURL: String?
    /// Where a virtual booking is held (issue 20), once it is booked.
    var meetingLinks: [String] = []
    /// The intake answers as the viewer may see them (issue 19).
    var answers: [AnswerLine] = []
}

/// The staff booking detail, the front-desk actions on a booking, block time and walk-ins.
struct StaffBookingHandlers: Sendable {
    /// The business, the booking masked for the viewer, the policy and the zone.
    struct Loaded {
        let business: Business
        let clock: ZoneClock
        let viewer: StaffViewer
        let booking: MaskedBooking
        let offerSlug: String
        var meetingLinks: [String] = []
        var scope: LocationScope = .everywhere
    }

    func load(_ context: RequestContext) throws -> Loaded {
        let membership = try context.requireMembership()
        let viewer = StaffViewer(membership)
        let id = try context.parameter("id")
        // Another location's booking, for a member limited to one, is as unknown as another business's.
        guard let found = try context.app.database.staffBooking(businessID: membership.businessID, publicID: id, scope: membership.scope),
              let clock = ZoneClock(identifier: found.business.timeZone) else {
            throw WebError.notFound("We could not find that booking.")
        }
        let business = found.business, order = found.order
        let booking = StaffMasking.mask(order, viewer: viewer, policy: found.policy, sensitive: found.sensitive)
        // A viewer who may only know the time is busy has no detail page to see.
        guard !booking.busyOnly else { throw WebError.notFound("We could not find that booking.") }
        return Loaded(business: business, clock: clock, viewer: viewer, booking: booking, offerSlug: order.offerSlug,
                      meetingLinks: found.meetingLinks, scope: membership.scope)
    }

    func bookingURL(_ loaded: Loaded) -> String {
        StaffCalendar.base(loaded.business.slug) + "/bookings/" + PercentDecoding.encode(loaded.booking.publicID ?? "")
    }

    // MARK: Detail

    func show(_ context: RequestContext) throws -> Response {
        let loaded = try load(context)
        let booking = loaded.booking, viewer = loaded.viewer, clock = loaded.clock
        let url = bookingURL(loaded)
        let handle = StaffMasking.canHandle(booking, viewer: viewer)
        let status = booking.status ?? .confirmed
        let bookingDate = clock.local(booking.start).date
        var date = bookingDate
        if let text = context.request.query["date"], let parsed = LocalDate(text) { date = parsed }
        var slots: [StaffBookingPage.Slot] = []
        let canMove = handle && (status == .confirmed || status == .pending)
        if canMove {
            slots = try context.app.database.staffMoveSlots(business: loaded.business, offerSlug: loaded.offerSlug, date: date,
                                                            now: context.instant, scope: loaded.scope)
                .map { .init(value: RFC3339.format($0.start), label: "\(clock.local($0.start).time) (\($0.resourceSlugs.joined(separator: ", ")))") }
        }
        var page = StaffBookingPage(
            layout: try context.layout(title: "Booking — \(loaded.business.name)", withForm: true), businessName: loaded.business.name,
            reference: booking.publicID ?? "", service: booking.serviceLabel,
            when: BookingFormat.span(booking.start, booking.end, clock), status: StaffCalendar.statusLabel(status),
            resources: booking.resourceNames.joined(separator: ", "), partySize: booking.partySize,
            customerName: booking.customerName, email: booking.email, phone: booking.phone, notes: booking.notes,
            pricePaid: booking.pricePaid, householdMember: booking.householdMember, source: booking.source,
            cancelReason: booking.cancelReason,
            calendarURL: StaffCalendar.calendarURL(loaded.business.slug, date: bookingDate, view: "day", kind: nil, tag: nil),
            checkInAction: handle && status == .confirmed ? url + "/check-in" : nil,
            completeAction: handle && status == .checkedIn ? url + "/complete" : nil,
            noShowAction: handle && status == .confirmed ? url + "/no-show" : nil,
            cancelAction: StaffMasking.canCancel(booking, viewer: viewer) && status.canMove(to: .cancelled) ? url + "/cancel" : nil,
            rescheduleAction: canMove ? url + "/reschedule" : nil, rescheduleDate: date.description, rescheduleFormAction: url,
            rescheduleSlots: slots, hasRescheduleSlots: !slots.isEmpty,
            notice: StaffCalendar.notice(context.request.query["done"]))
        page.meetingLinks = loaded.meetingLinks
        page.answers = AnswerLine.lines(booking.answers)
        if let email = booking.email, !email.isEmpty, viewer.role.can(.bookingViewOrg) {
            page.walletURL = StaffCalendar.base(loaded.business.slug) + "/wallet?email=" + PercentDecoding.encode(email)
        }
        if let reference = booking.publicID, let rental = try StaffRentals.section(
            context, business: loaded.business, publicID: reference, status: status, canHandle: handle, url: url, clock: clock,
            period: TimeRange(start: booking.start, end: booking.end)) {
            page.rental = rental
            page.checkInAction = nil
            page.completeAction = nil
            // A rental moves by its dates (the rental section's form), not to a slot.
            if rental.datesAction != nil {
                page.rescheduleAction = nil
                page.rescheduleSlots = []
                page.hasRescheduleSlots = false
            }
        }
        if let reference = booking.publicID, handle, viewer.role.can(.bookingManageLocation),
           let series = try context.app.database.seriesOfBooking(businessID: loaded.business.id, bookingID: reference) {
            page.seriesURL = StaffCalendar.base(loaded.business.slug) + "/series/" + PercentDecoding.encode(series)
        }
        if let reference = booking.publicID {
            page.paymentProblem = try context.app.database.paymentProblems(businessID: loaded.business.id)
                .first { $0.orderPublicID == reference && !$0.isRefund }?.message
            page.payments = try StaffBookingPayments.section(context, business: loaded.business, booking: booking, viewer: viewer, url: url,
                                                            clock: clock)
        }
        var response = context.app.page("staff/booking", page)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    // MARK: Actions

    /// Where to go after an action: the form's `next` when it is a staff page of this business.
    func next(_ context: RequestContext, _ loaded: Loaded, done: String) throws -> Response {
        let form = try context.request.form()
        var target = bookingURL(loaded)
        if let next = form["next"], next.hasPrefix(StaffCalendar.base(loaded.business.slug) + "/"), !next.contains("//"),
           !next.contains("\\") { target = next }
        target = target.replacingOccurrences(of: "&done=", with: "&was=")
        return .redirect(to: target + (target.contains("?") ? "&" : "?") + "done=" + done)
    }

    func transition(to next: BookingStatus, done: String) -> @Sendable (RequestContext) throws -> Response {
        { context in
            let loaded = try load(context)
            guard StaffMasking.canHandle(loaded.booking, viewer: loaded.viewer), let id = loaded.booking.publicID else {
                throw WebError.notFound("We could not find that booking.")
            }
            let actor = Actor(try context.auditActor())
            _ = try context.app.transition(context, business: loaded.business, publicID: id, to: next, actor: actor)
            return try self.next(context, loaded, done: done)
        }
    }

    func cancel(_ context: RequestContext) throws -> Response {
        let loaded = try load(context)
        guard StaffMasking.canCancel(loaded.booking, viewer: loaded.viewer), let id = loaded.booking.publicID else {
            throw WebError.notFound("We could not find that booking.")
        }
        let reason = (try context.request.form()["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 500 else {
            throw WebError.unprocessable("validation_failed", "Give a reason for cancelling (at most 500 characters).", field: "reason")
        }
        let actor = Actor(try context.auditActor())
        _ = try context.app.cancelBooking(context, business: loaded.business, publicID: id, reason: reason, actor: actor,
                                          byBusiness: true)
        return try next(context, loaded, done: "cancelled")
    }

    func reschedule(_ context: RequestContext) throws -> Response {
        let loaded = try load(context)
        guard StaffMasking.canHandle(loaded.booking, viewer: loaded.viewer), let id = loaded.booking.publicID else {
            throw WebError.notFound("We could not find that booking.")
        }
        guard let text = try context.request.form()["start"], let start = RFC3339.parse(text) else {
            throw WebError.unprocessable("validation_failed", "Choose one of the listed free times.", field: "start")
        }
        let actor = Actor(try context.auditActor())
        _ = try context.app.reschedule(context, business: loaded.business, publicID: id, start: start, actor: actor, rules: .business,
                                       scope: loaded.scope)
        return try next(context, loaded, done: "rescheduled")
    }

    // MARK: Block time

    func block(_ context: RequestContext) throws -> Response {
        let membership = try context.requireStaffMembership()
        let form = try context.request.form()
        let business = try context.app.database.business(id: membership.businessID)
        guard let business, let clock = ZoneClock(identifier: business.timeZone) else { throw WebError.notFound() }
        let date = try Validation.date(form["date"] ?? "", field: "date")
        let from = try Validation.wallTime(form["from"] ?? "", field: "from")
        let to = try Validation.wallTime(form["to"] ?? "", field: "to")
        guard let start = clock.instant(date, from), let end = clock.instant(date, to), end > start else {
            throw WebError.unprocessable("validation_failed", "The end must be after the start, on the same day.", field: "to")
        }
        let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let actor = Actor(try context.auditActor())
        try context.app.database.blockTime(business: business, resourceSlug: form["resource"] ?? "", range: TimeRange(start: start, end: end),
                                           reason: reason, now: context.instant, actor: actor, scope: membership.scope)
        var target = StaffCalendar.calendarURL(business.slug, date: date, view: "day", kind: nil, tag: nil)
        if let next = form["next"], next.hasPrefix(StaffCalendar.base(business.slug) + "/calendar"), !next.contains("done=") { target = next }
        return .redirect(to: target + "&done=blocked")
    }
}
