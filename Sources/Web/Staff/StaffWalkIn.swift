import BookingCore
import Foundation
import HTTPServer
import Store

/// The walk-in form: an offer, one of today's free starts, the customer's name (phone and email optional).
/// Staff book inside the offer's minimum notice (`NoticeWaiver`) but never outside opening hours,
/// in the past, or over capacity: those checks run in the booking transaction as for customers.
struct StaffWalkInPage: Sendable {
    struct Option: Sendable {
        let value: String
        let label: String
        let selected: Bool
    }
    let layout: Layout
    let businessName: String
    let action: String
    let calendarURL: String
    let offers: [Option]
    let offer: String?
    let slots: [Option]
    let hasSlots: Bool
    let name: String
    let phone: String
    let email: String
    let error: String?
}

struct StaffWalkIn: Sendable {
    func form(_ context: RequestContext) throws -> Response {
        try render(context, offer: context.request.query["offer"], fields: [:], error: nil, status: .ok)
    }

    func render(_ context: RequestContext, offer selected: String?, fields: [String: String], error: String?,
                status: HTTPStatus) throws -> Response {
        let membership = try context.requireStaffMembership()
        let now = context.instant
        // Staff may book inside the offer's minimum notice ("for now"); a role without the waiver sees the customer's starts.
        guard let (business, offers, slots) = try context.app.database.walkInOptions(
            businessID: membership.businessID, offerSlug: selected, waiver: NoticeWaiver(role: membership.role), scope: membership.scope,
            now: now) else {
            throw WebError.notFound()
        }
        guard let clock = ZoneClock(identifier: business.timeZone) else { throw WebError.notFound() }
        let base = StaffCalendar.base(business.slug)
        let page = StaffWalkInPage(
            layout: try context.layout(title: "Walk-in — \(business.name)", withForm: true), businessName: business.name,
            action: base + "/walk-in",
            calendarURL: StaffCalendar.calendarURL(business.slug, date: clock.local(now).date, view: "day", kind: nil, tag: nil),
            offers: offers.map { .init(value: $0.slug, label: $0.name, selected: $0.slug == selected) },
            offer: offers.contains(where: { $0.slug == selected }) ? selected : nil,
            slots: slots.map { slot in
                let value = membership.scope.location == nil ? RFC3339.format(slot.start) : StaffPhoneBooking.slotValue(slot)
                return .init(value: value, label: "\(clock.local(slot.start).time)–\(clock.local(slot.end).time) (\(slot.resourceSlugs.joined(separator: ", ")))",
                             selected: fields["start"] == value)
            },
            hasSlots: !slots.isEmpty, name: fields["name"] ?? "", phone: fields["phone"] ?? "", email: fields["email"] ?? "", error: error)
        var response = context.app.page("staff/walk-in", page, status: status)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    func book(_ context: RequestContext) throws -> Response {
        let membership = try context.requireStaffMembership()
        let form = try context.request.form()
        var fields: [String: String] = [:]
        for name in ["offer", "start", "name", "phone", "email"] {
            fields[name] = (form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let offer = fields["offer"] ?? ""
        do {
            guard let (start, slugs) = StaffPhoneBooking.parseSlot(fields["start"] ?? "") else {
                throw WebError.unprocessable("validation_failed", "Choose one of today's free times.", field: "start")
            }
            let business = try context.app.database.business(id: membership.businessID)
            guard let business, let clock = ZoneClock(identifier: business.timeZone) else { throw WebError.notFound() }
            guard clock.local(start).date == clock.local(context.instant).date else {
                throw WebError.unprocessable("validation_failed", "Walk-ins are for today; choose one of today's free times.", field: "start")
            }
            let email = fields["email"] ?? ""
            let customer = CustomerDetails(name: fields["name"] ?? "",
                                           email: email.isEmpty ? "walk-in" + StaffMasking.placeholderEmailDomain : email,
                                           phone: fields["phone"] ?? "")
            let source = WalkIn.source(start: start, now: context.instant)
            let actor = Actor(try context.auditActor())
            do {
                // A member limited to a location books the resources the listed time showed (`staffBook` checks them).
                _ = try context.app.database.staffBook(business: business,
                                                       request: BookingRequest(offerSlug: offer, start: start, customer: customer,
                                                                               resourceSlugs: membership.scope.location == nil ? [] : slugs,
                                                                               source: source),
                                                       now: context.instant, actor: actor, noticeWaiver: NoticeWaiver(role: membership.role),
                                                       scope: membership.scope)
            } catch let failure as BookingFailure {
                throw failure.webError
            }
            return .redirect(to: StaffCalendar.calendarURL(business.slug, date: clock.local(start).date, view: "day", kind: nil, tag: nil)
                             + "&done=walk_in")
        } catch let error as WebError where error.status != .notFound {
            return try render(context, offer: offer, fields: fields, error: error.message, status: error.status)
        }
    }
}

/// The business's field-visibility policy, edited by owners (`policy:manage`).
struct PrivacyPage: Sendable {
    struct Choice: Sendable {
        let value: String
        let label: String
        let selected: Bool
    }
    struct FieldRow: Sendable {
        let label: String
        let name: String
        let choices: [Choice]
    }
    struct RoleBlock: Sendable {
        let role: String
        let rows: [FieldRow]
    }
    let layout: Layout
    let businessName: String
    let action: String
    let roles: [RoleBlock]
    let saved: Bool
}

struct PrivacyHandlers: Sendable {
    static let fieldLabels: [CustomerField: String] = [
        .name: "Name", .email: "Email", .phone: "Phone", .notes: "Notes", .pricePaid: "Price paid",
        .householdMember: "Household member", .source: "Booking source",
    ]

    func show(_ context: RequestContext) throws -> Response {
        let membership = try context.requireMembership()
        let policy = try context.app.database.fieldVisibilityPolicy(businessID: membership.businessID)
        let roles = FieldVisibilityStore.editableRoles.map { role in
            PrivacyPage.RoleBlock(role: role.rawValue.capitalizedFirst, rows: CustomerField.allCases.map { field in
                let current = policy.visibility(role, field)
                return PrivacyPage.FieldRow(label: Self.fieldLabels[field] ?? field.rawValue, name: "\(role.rawValue).\(field.rawValue)",
                                            choices: Visibility.allCases.reversed().map {
                                                .init(value: $0.rawValue, label: $0.rawValue.capitalizedFirst, selected: $0 == current)
                                            })
            })
        }
        let page = PrivacyPage(layout: try context.layout(title: "Privacy — \(membership.businessName)", withForm: true),
                               businessName: membership.businessName,
                               action: "/manage/\(PercentDecoding.encode(membership.businessSlug))/privacy", roles: roles,
                               saved: context.request.query["saved"] == "1")
        return context.app.page("staff/privacy", page)
    }

    func save(_ context: RequestContext) throws -> Response {
        let membership = try context.requireMembership()
        let form = try context.request.form()
        var overrides: [Role: [CustomerField: Visibility]] = [:]
        for role in FieldVisibilityStore.editableRoles {
            for field in CustomerField.allCases {
                guard let text = form["\(role.rawValue).\(field.rawValue)"] else { continue }
                guard let visibility = Visibility(rawValue: text) else {
                    throw WebError.unprocessable("validation_failed", "Choose full, masked or hidden.", field: "\(role.rawValue).\(field.rawValue)")
                }
                overrides[role, default: [:]][field] = visibility
            }
        }
        let actor = try context.auditActor()
        try context.app.database.updateFieldVisibility(businessID: membership.businessID, changes: overrides, actor: actor,
                                                       now: context.instant)
        return .redirect(to: "/manage/\(PercentDecoding.encode(membership.businessSlug))/privacy?saved=1")
    }
}

extension App {
    /// The staff calendar, booking detail and front-desk actions, walk-ins, block time, and the
    /// field-visibility policy (issue 7).
    static func addStaffRoutes(to table: inout RouteTable) {
        let calendar = StaffCalendar()
        let bookings = StaffBookingHandlers()
        let walkIn = StaffWalkIn()
        let privacy = PrivacyHandlers()
        table.add("GET", "/staff/:business/calendar", requires: .permission(.calendarView), calendar.show)
        table.add("GET", "/staff/:business/bookings/:id", requires: .permission(.calendarView), bookings.show)
        table.add("POST", "/staff/:business/bookings/:id/check-in", requires: .permission(.bookingCheckIn),
                  bookings.transition(to: .checkedIn, done: "checked_in"))
        table.add("POST", "/staff/:business/bookings/:id/complete", requires: .permission(.bookingCheckIn),
                  bookings.transition(to: .completed, done: "completed"))
        table.add("POST", "/staff/:business/bookings/:id/no-show", requires: .permission(.bookingCheckIn),
                  bookings.transition(to: .noShow, done: "no_show"))
        table.add("POST", "/staff/:business/bookings/:id/cancel", requires: .permission(.bookingManageLocation), bookings.cancel)
        table.add("POST", "/staff/:business/bookings/:id/reschedule", requires: .permission(.bookingCheckIn), bookings.reschedule)
        // Money goes out: only those who manage the business's payments (the payments page's permission).
        table.add("POST", "/staff/:business/bookings/:id/refunds/retry", requires: .permission(.orgManage), bookings.retryRefund)
        let rentals = StaffRentals()
        table.add("POST", "/staff/:business/bookings/:id/check-out", requires: .permission(.bookingCheckIn), rentals.checkOut)
        table.add("POST", "/staff/:business/bookings/:id/return", requires: .permission(.bookingCheckIn), rentals.checkIn)
        table.add("POST", "/staff/:business/bookings/:id/dates", requires: .permission(.bookingCheckIn), rentals.changeDates)
        table.add("GET", "/staff/:business/maintenance", requires: .permission(.calendarView), rentals.maintenance)
        table.add("POST", "/staff/:business/maintenance", requires: .permission(.bookingCheckIn), rentals.flag)
        table.add("POST", "/staff/:business/maintenance/:flag/clear", requires: .permission(.bookingCheckIn), rentals.clear)
        table.add("POST", "/staff/:business/block", requires: .permission(.bookingCreate), bookings.block)
        table.add("GET", "/staff/:business/walk-in", requires: .permission(.bookingCreate), walkIn.form)
        table.add("POST", "/staff/:business/walk-in", requires: .permission(.bookingCreate), walkIn.book)
        let phone = StaffPhoneBooking()
        table.add("GET", "/staff/:business/book", requires: .permission(.bookingCreate), phone.form)
        table.add("POST", "/staff/:business/book", requires: .permission(.bookingCreate), phone.book)
        table.add("GET", "/manage/:business/privacy", requires: .permission(.policyManage), privacy.show)
        table.add("POST", "/manage/:business/privacy", requires: .permission(.policyManage), privacy.save)
    }
}

extension RequestContext {
    /// The membership of a staff page: routes check their own permission centrally; a client, who
    /// may create bookings but has no calendar, gets the same 404 as anyone without access.
    func requireStaffMembership() throws -> Membership {
        let membership = try requireMembership()
        guard membership.role.can(.calendarView) else { throw WebError.notFound() }
        return membership
    }
}
