import BookingCore
import Foundation
import HTTPServer
import Store

/// `/staff/{business}/book`: a booking staff take for any day (a phone booking), from the calendar
/// or a customer's page. Staff pick the offer and the day (a GET form, so it works without
/// JavaScript), then one of the free times as a customer would see them but inside the minimum
/// notice (`NoticeWaiver`, as for walk-ins), the customer (a record of the business, or a name with
/// an email or phone), and whether the confirmation is emailed. A member limited to a location
/// sees and books that location's resources only (`LocationScope`).
struct StaffPhoneBookingPage: Sendable {
    typealias Option = StaffCalendarPage.Option
    struct Match: Sendable {
        let name: String
        let detail: String
        let url: String
    }
    let layout: Layout
    let businessName: String
    let action: String
    let calendarURL: String
    let offers: [Option]
    let offer: String?
    let date: String
    let today: String
    let dayLabel: String
    let slots: [Option]
    let hasSlots: Bool
    /// The customer record chosen (from their page or the search), shown by name as the viewer may see it.
    let customerID: String?
    let customerName: String?
    let query: String
    let matches: [Match]
    let searched: Bool
    let hasMatches: Bool
    let name: String
    let phone: String
    let email: String
    let sendConfirmation: Bool
    var errors = FormErrors()
}

struct StaffPhoneBooking: Sendable {
    /// The form's fields, trimmed.
    struct Fields {
        var offer = ""
        var date = ""
        var start = ""
        var customer = ""
        var query = ""
        var name = ""
        var phone = ""
        var email = ""
        var send = true

        init() {}

        init(_ read: (String) -> String?, posted: Bool) {
            func value(_ name: String) -> String { (read(name) ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
            offer = value("offer"); date = value("date"); start = value("start"); customer = value("customer")
            query = String(value("q").prefix(100)); name = value("name"); phone = value("phone"); email = value("email")
            // An unticked box sends nothing: on a POST that means "do not send"; a GET form starts ticked.
            send = posted ? read("send") == "yes" : read("send") != "no"
        }
    }

    func form(_ context: RequestContext) throws -> Response {
        let query = context.request.query
        return try render(context, fields: Fields({ query[$0] }, posted: false), errors: FormErrors(), status: .ok)
    }

    func render(_ context: RequestContext, fields: Fields, errors: FormErrors, status: HTTPStatus) throws -> Response {
        let membership = try context.requireStaffMembership()
        let now = context.instant
        guard let business = try context.app.database.business(id: membership.businessID),
              let clock = ZoneClock(identifier: business.timeZone) else { throw WebError.notFound() }
        var errors = errors
        let today = clock.local(now).date
        var date = today
        if !fields.date.isEmpty {
            if let parsed = LocalDate(fields.date), parsed >= today { date = parsed } else {
                errors.add("date", "Enter a date from today on, like \(today.description).")
            }
        }
        guard let (_, offers, slots) = try context.app.database.walkInOptions(
            businessID: business.id, offerSlug: fields.offer.isEmpty ? nil : fields.offer, date: date,
            waiver: NoticeWaiver(role: membership.role), scope: membership.scope, now: now) else { throw WebError.notFound() }
        let customer = try Self.customer(context, fields.customer, membership: membership)
        var matches: [StaffPhoneBookingPage.Match] = []
        let searched = customer == nil && !fields.query.isEmpty
        if searched, let list = try context.app.database.customers(businessID: business.id, role: membership.role, text: fields.query,
                                                                    limit: 10) {
            let access = CustomerAccess(role: membership.role, policy: list.policy)
            matches = list.customers.map { found in
                var link = FormData(pairs: [("offer", fields.offer), ("date", date.description), ("customer", found.id.description)])
                if !fields.send { link.append("send", "no") }
                return .init(name: access.show(.name, found.name) ?? "(no name)",
                             detail: [access.show(.email, ExportCSV.visibleEmail(found.email)), access.show(.phone, found.phone)]
                                .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", "),
                             url: Self.base(business) + "?" + link.encoded)
            }
        }
        let base = Self.base(business)
        let page = StaffPhoneBookingPage(
            layout: try context.layout(title: "Book for a customer — \(business.name)", withForm: true), businessName: business.name,
            action: base,
            calendarURL: StaffCalendar.calendarURL(business.slug, date: date, view: "day", kind: nil, tag: nil),
            offers: offers.map { .init(value: $0.slug, label: $0.name, selected: $0.slug == fields.offer) },
            offer: offers.contains(where: { $0.slug == fields.offer }) ? fields.offer : nil,
            date: date.description, today: today.description, dayLabel: BookingFormat.longDate(date),
            slots: slots.map { slot in
                let value = Self.slotValue(slot)
                return .init(value: value, label: "\(clock.local(slot.start).time)–\(clock.local(slot.end).time) (\(slot.resourceSlugs.joined(separator: ", ")))",
                             selected: fields.start == value)
            },
            hasSlots: !slots.isEmpty,
            customerID: customer.map { _ in fields.customer }, customerName: customer?.shownName,
            query: fields.query, matches: matches, searched: searched, hasMatches: !matches.isEmpty,
            name: fields.name, phone: fields.phone, email: fields.email, sendConfirmation: fields.send, errors: errors)
        var response = context.app.page("staff/book", page, status: errors.isEmpty ? status : (status == .ok ? .unprocessable : status))
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    func book(_ context: RequestContext) throws -> Response {
        let membership = try context.requireStaffMembership()
        let form = try context.form()
        let fields = Fields({ form[$0] }, posted: true)
        guard let business = try context.app.database.business(id: membership.businessID),
              let clock = ZoneClock(identifier: business.timeZone) else { throw WebError.notFound() }
        var errors = FormErrors()
        if fields.offer.isEmpty { errors.add("offer", "Choose a service.") }
        let chosen = Self.parseSlot(fields.start)
        if chosen == nil { errors.add("start", "Choose one of the free times.") }
        var details: CustomerDetails?
        if !fields.customer.isEmpty {
            guard let record = try Self.customer(context, fields.customer, membership: membership) else {
                throw WebError.notFound("We could not find that customer.")
            }
            details = record.details
            if fields.send && record.details.email.hasSuffix(StaffMasking.placeholderEmailDomain) {
                errors.add("send", "This customer has no email address: untick “Email the confirmation”.")
            }
        } else {
            if fields.name.isEmpty || fields.name.count > 120 { errors.add("name", "Enter the customer's name (at most 120 characters).") }
            if !fields.email.isEmpty && !Validation.isPlausibleEmail(fields.email) {
                errors.add("email", "Enter an email address like name@example.com, or leave it empty.")
            }
            if fields.email.isEmpty && fields.phone.isEmpty { errors.add("phone", "Enter a phone number or an email address to reach the customer.") }
            if fields.send && fields.email.isEmpty && !fields.phone.isEmpty {
                errors.add("send", "There is no email address to send the confirmation to: enter one, or untick “Email the confirmation”.")
            }
            details = CustomerDetails(name: fields.name,
                                      email: fields.email.isEmpty ? "phone" + StaffMasking.placeholderEmailDomain : fields.email,
                                      phone: fields.phone)
        }
        guard errors.isEmpty, let (start, slugs) = chosen, let details else {
            return try render(context, fields: fields, errors: errors, status: .unprocessable)
        }
        do {
            // Pinned to the resources the listed time showed only for a member limited to a location:
            // everyone else books "any" as a customer would.
            let request = BookingRequest(offerSlug: fields.offer, start: start, customer: details,
                                         resourceSlugs: membership.scope.location == nil ? [] : slugs,
                                         source: WalkIn.source(start: start, now: context.instant))
            _ = try context.app.database.staffBook(business: business, request: request, now: context.instant,
                                                   actor: Actor(try context.auditActor()), noticeWaiver: NoticeWaiver(role: membership.role),
                                                   scope: membership.scope, emailCustomer: fields.send)
        } catch let failure as BookingFailure {
            let error = failure.webError
            guard error.status != .notFound else { throw error }
            errors.add(Self.field(error.field), error.message)
            return try render(context, fields: fields, errors: errors, status: error.status)
        }
        return .redirect(to: StaffCalendar.calendarURL(business.slug, date: clock.local(start).date, view: "day", kind: nil, tag: nil)
                         + "&done=booked")
    }

    // MARK: Parts

    static func base(_ business: Business) -> String { StaffCalendar.base(business.slug) + "/book" }

    /// A listed time as the form sends it: its start and, after a space, its resources.
    static func slotValue(_ slot: AvailabilityReads.SlotView) -> String {
        RFC3339.format(slot.start) + " " + slot.resourceSlugs.joined(separator: ",")
    }

    static func parseSlot(_ text: String) -> (Instant, [String])? {
        let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
        guard let first = parts.first, let start = RFC3339.parse(first) else { return nil }
        let slugs = parts.count > 1 ? parts[1].split(separator: ",").map(String.init).filter { !$0.isEmpty } : []
        return (start, slugs)
    }

    /// The form field a booking refusal names, as an input of this page (the summary links to it).
    static func field(_ name: String?) -> String {
        switch name ?? "" {
        case "name", "email", "phone", "offer": name ?? "start"
        default: "start"
        }
    }

    /// A customer record of the business: its contact details for the booking (unmasked, never
    /// sent to the page) and its name as the viewer may see it. nil when there is none; a member
    /// limited to a location still books any customer of the business.
    struct ChosenCustomer {
        let details: CustomerDetails
        let shownName: String
    }

    static func customer(_ context: RequestContext, _ text: String, membership: Membership) throws -> ChosenCustomer? {
        guard !text.isEmpty, let id = CustomerID(text),
              let record = try context.app.database.customer(businessID: membership.businessID, id: id, scope: membership.scope) else {
            return nil
        }
        let access = CustomerAccess(role: membership.role, policy: record.policy)
        let email = record.emails.first { !$0.hasSuffix(StaffMasking.placeholderEmailDomain) }
            ?? record.emails.first ?? "phone" + StaffMasking.placeholderEmailDomain
        return ChosenCustomer(details: CustomerDetails(name: record.name, email: email, phone: record.phone),
                              shownName: access.show(.name, record.name) ?? "(no name)")
    }
}
