import BookingCore
import Foundation
import HTTPServer
import Store

/// Staff hand a rented item over and take it back with a condition note, and keep items under
/// maintenance out of availability until they clear them (`/staff/{business}/maintenance`).
struct StaffRentals: Sendable {
    /// The rental part of the staff booking page.
    struct Section: Sendable {
        struct Checkpoint: Sendable {
            let label: String
            let when: String
            let note: String
        }
        let checkpoints: [Checkpoint]
        let hasCheckpoints: Bool
        let checkOutAction: String?
        let returnAction: String?
        /// Staff move a confirmed or pending rental to other dates (re-checked and re-priced).
        var datesAction: String?
        var pickUp = ""
        var returnDate = ""
    }

    struct MaintenancePage: Sendable {
        struct Flag: Sendable {
            let resource: String
            let quantity: Int
            let note: String
            let since: String
            let clearAction: String
        }
        struct Option: Sendable {
            let slug: String
            let name: String
        }
        let layout: Layout
        let businessName: String
        let flags: [Flag]
        let hasFlags: Bool
        let resources: [Option]
        let flagAction: String
        let notice: String?
        let calendarURL: String
    }

    static func section(_ context: RequestContext, business: Business, publicID: String, status: BookingStatus, canHandle: Bool,
                        url: String, clock: ZoneClock, period: TimeRange) throws -> Section? {
        guard let checkpoints = try context.app.database.rentalCheckpoints(business: business, publicID: publicID) else { return nil }
        let views = checkpoints.map {
            Section.Checkpoint(label: $0.kind == "check_out" ? "Checked out (condition before)" : "Checked in (condition after)",
                               when: BookingFormat.localStamp($0.at, clock), note: $0.note.isEmpty ? "No note" : $0.note)
        }
        var section = Section(checkpoints: views, hasCheckpoints: !views.isEmpty,
                              checkOutAction: canHandle && status == .confirmed ? url + "/check-out" : nil,
                              returnAction: canHandle && status == .checkedIn ? url + "/return" : nil)
        if canHandle && (status == .confirmed || status == .pending) {
            section.datesAction = url + "/dates"
            section.pickUp = clock.local(period.start).date.description
            section.returnDate = clock.local(period.end).date.description
        }
        return section
    }

    /// The route's booking, when this member may handle it (else 404), with its reference.
    private func handled(_ context: RequestContext) throws -> (StaffBookingHandlers, StaffBookingHandlers.Loaded, String) {
        let handlers = StaffBookingHandlers()
        let loaded = try handlers.load(context)
        guard StaffMasking.canHandle(loaded.booking, viewer: loaded.viewer), let id = loaded.booking.publicID else {
            throw WebError.notFound("We could not find that booking.")
        }
        return (handlers, loaded, id)
    }

    /// Moves the rental to other pick-up and return dates, re-checked and re-priced in one transaction.
    func changeDates(_ context: RequestContext) throws -> Response {
        let (handlers, loaded, id) = try handled(context)
        let form = try context.request.form()
        guard let pickUp = LocalDate(form["pick_up"] ?? ""), let returnDate = LocalDate(form["return"] ?? "") else {
            throw WebError.unprocessable("validation_failed", "Enter the pick-up and return dates, like 2027-05-14.", field: "pick_up")
        }
        _ = try context.app.rescheduleRental(context, business: loaded.business, publicID: id,
                                             dates: RentalDates(pickUp: pickUp, returnDate: returnDate),
                                             actor: Actor(try context.auditActor()), rules: .business, scope: loaded.scope)
        return try handlers.next(context, loaded, done: "rescheduled")
    }

    /// Hands the item over: the booking is checked in with the condition before.
    func checkOut(_ context: RequestContext) throws -> Response {
        let (handlers, loaded, id) = try handled(context)
        let note = try context.request.form()["note"] ?? ""
        _ = try context.app.database.checkOutRental(business: loaded.business, publicID: id, note: note, now: context.instant,
                                                    actor: Actor(try context.auditActor()))
        return try handlers.next(context, loaded, done: "checked_out")
    }

    /// Takes the item back: completed, with the condition after and, when ticked, a maintenance flag.
    func checkIn(_ context: RequestContext) throws -> Response {
        let (handlers, loaded, id) = try handled(context)
        let form = try context.request.form()
        _ = try context.app.database.checkInRental(business: loaded.business, publicID: id, note: form["note"] ?? "",
                                                   needsMaintenance: form["maintenance"] == "1", now: context.instant,
                                                   actor: Actor(try context.auditActor()))
        return try handlers.next(context, loaded, done: "returned")
    }

    // MARK: Maintenance

    func maintenance(_ context: RequestContext) throws -> Response {
        let business = try Self.business(context)
        let clock = ZoneClock(identifier: business.timeZone)
        let base = StaffCalendar.base(business.slug) + "/maintenance"
        let flags = try context.app.database.maintenanceFlags(business: business).map {
            MaintenancePage.Flag(resource: $0.resourceName, quantity: $0.quantity, note: $0.note,
                                 since: BookingFormat.localStamp($0.flaggedAt, clock), clearAction: base + "/\($0.id)/clear")
        }
        let resources = try context.app.database.resources(businessID: business.id).filter { $0.kind != .host }
            .map { MaintenancePage.Option(slug: $0.slug, name: $0.name) }
        let notice: String? = switch context.request.query["done"] {
        case "flagged": "Taken out of service until cleared."
        case "cleared": "Back in service."
        default: nil
        }
        let page = MaintenancePage(
            layout: try context.layout(title: "Maintenance — \(business.name)", withForm: true), businessName: business.name,
            flags: flags, hasFlags: !flags.isEmpty, resources: resources, flagAction: base, notice: notice,
            calendarURL: StaffCalendar.base(business.slug) + "/calendar")
        var response = context.app.page("staff/maintenance", page)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    func flag(_ context: RequestContext) throws -> Response {
        let business = try Self.business(context)
        let form = try context.request.form()
        guard let quantity = Int(form["quantity"] ?? "1"), quantity >= 1 else {
            throw WebError.unprocessable("validation_failed", "Enter how many units, 1 or more.", field: "quantity")
        }
        try context.app.database.flagMaintenance(business: business, resourceSlug: form["resource"] ?? "", quantity: quantity,
                                                 note: form["note"] ?? "", now: context.instant, actor: Actor(try context.auditActor()))
        return .redirect(to: StaffCalendar.base(business.slug) + "/maintenance?done=flagged")
    }

    func clear(_ context: RequestContext) throws -> Response {
        let business = try Self.business(context)
        guard let id = MaintenanceFlagID(try context.parameter("flag")) else { throw WebError.notFound() }
        try context.app.database.clearMaintenance(business: business, flagID: id, now: context.instant,
                                                  actor: Actor(try context.auditActor()))
        return .redirect(to: StaffCalendar.base(business.slug) + "/maintenance?done=cleared")
    }

    static func business(_ context: RequestContext) throws -> Business { try context.requireStaffBusiness() }
}

extension RequestContext {
    /// The business of a staff page (see `requireStaffMembership`).
    func requireStaffBusiness() throws -> Business {
        let membership = try requireStaffMembership()
        guard let business = try app.database.business(id: membership.businessID) else { throw WebError.notFound() }
        return business
    }
}
