import BookingCore
import Foundation
import HTTPServer
import Store

/// A series and its occurrences, for its customer (`/b/{business}/series/{id}`: signed in as the
/// series' customer, or with `booking` and `token` of one of its bookings) and for staff
/// (`/staff/{business}/series/{id}`). Each upcoming occurrence can be cancelled or moved alone
/// ("this one") or with every later one ("this and following"); the move page lists the free
/// times of a day for that occurrence. Customers follow the offer's customer rules and refund
/// tiers; staff the business's rules, with full refunds.
struct SeriesManagePages: Sendable {
    enum Side: Sendable { case customer, staff }
    let side: Side

    struct Hidden: Sendable {
        let name: String
        let value: String
    }

    struct Occurrence: Sendable {
        let number: Int
        let when: String
        let status: String
        let from: String
        let moveURL: String?
        let canCancel: Bool
        let bookingURL: String?
    }

    struct Page: Sendable {
        let layout: Layout
        let businessName: String
        let offerName: String
        let rule: String
        let customerName: String?
        let occurrences: [Occurrence]
        let cancelAction: String
        let hidden: [Hidden]
        let notice: String?
        let ended: Bool
        let backURL: String
        let backLabel: String
    }

    struct Time: Sendable {
        let id: String
        let value: String
        let label: String
    }

    struct MovePage: Sendable {
        let layout: Layout
        let businessName: String
        let offerName: String
        let seriesURL: String
        let current: String
        let from: String
        let date: String
        let dateAction: String
        let moveAction: String
        let times: [Time]
        let hasTimes: Bool
        let nextDateURL: String?
        let hidden: [Hidden]
    }

    /// The series as the viewer may see it, the base path of its pages and the guest's proof.
    private struct Loaded {
        let business: Business
        let clock: ZoneClock
        let series: SeriesSummary
        let base: String
        let hidden: [Hidden]
        let query: String
        let access: SeriesCustomerAccess?
    }

    private func customerAccess(_ context: RequestContext, _ values: (String) -> String?) throws -> SeriesCustomerAccess {
        SeriesCustomerAccess(userID: try context.currentUser()?.id, bookingID: values("booking").flatMap { $0.isEmpty ? nil : $0 },
                             token: values("token").flatMap { $0.isEmpty ? nil : $0 })
    }

    private func load(_ context: RequestContext, _ values: (String) -> String?) throws -> Loaded {
        let id = try context.parameter("series")
        switch side {
        case .staff:
            let membership = try context.requireMembership()
            guard let business = try context.app.database.business(id: membership.businessID),
                  let clock = ZoneClock(identifier: business.timeZone) else { throw WebError.notFound() }
            let series = try context.app.database.seriesSummary(business: business, publicID: id, location: membership.locationID)
            return Loaded(business: business, clock: clock, series: series,
                          base: StaffCalendar.base(business.slug) + "/series/" + PercentDecoding.encode(id), hidden: [], query: "",
                          access: nil)
        case .customer:
            let access = try customerAccess(context, values)
            guard let found = try context.app.database.customerSeries(businessSlug: try context.parameter("business"), publicID: id,
                                                                      access: access),
                  let clock = ZoneClock(identifier: found.business.timeZone) else {
                throw WebError.notFound("We could not find that series. Open it from one of its bookings, or log in to the account you booked with.")
            }
            var hidden: [Hidden] = [], query = ""
            if let booking = access.bookingID, let token = access.token {
                hidden = [Hidden(name: "booking", value: booking), Hidden(name: "token", value: token)]
                query = "booking=" + PercentDecoding.encode(booking) + "&token=" + PercentDecoding.encode(token)
            }
            return Loaded(business: found.business, clock: clock, series: found.series,
                          base: "/b/\(PercentDecoding.encode(found.business.slug))/series/\(PercentDecoding.encode(id))",
                          hidden: hidden, query: query, access: access)
        }
    }

    static func ruleText(_ series: SeriesSummary, clock: ZoneClock) -> String {
        let every = series.intervalWeeks == 1 ? "Every week" : "Every \(series.intervalWeeks) weeks"
        switch series.end {
        case .count(let count): return "\(every), \(count) times"
        case .until(let date): return "\(every) until \(BookingFormat.longDate(date))"
        case .none: return "\(every), with no end date (kept booked ahead)"
        }
    }

    private func when(_ instant: Instant, _ clock: ZoneClock) -> String {
        let local = clock.local(instant)
        return "\(BookingFormat.longDate(local.date)) at \(local.time)"
    }

    func show(_ context: RequestContext) throws -> Response {
        let loaded = try load(context) { context.request.query[$0] }
        let series = loaded.series, clock = loaded.clock, now = context.instant
        let join = loaded.query.isEmpty ? "" : "&" + loaded.query
        let occurrences = series.bookings.enumerated().map { index, order -> Occurrence in
            let changeable = order.start > now && (order.status == .confirmed || order.status == .pending)
            let from = RFC3339.format(order.start)
            let bookingURL: String? = switch side {
            case .staff: StaffCalendar.base(loaded.business.slug) + "/bookings/" + PercentDecoding.encode(order.publicID)
            case .customer: loaded.access?.userID != nil ? "/bookings/" + PercentDecoding.encode(order.publicID) : nil
            }
            return Occurrence(number: index + 1, when: when(order.start, clock), status: BookingFormat.status(order.status), from: from,
                              moveURL: changeable ? loaded.base + "/move?from=" + PercentDecoding.encode(from) + join : nil,
                              canCancel: changeable, bookingURL: bookingURL)
        }
        let notice: String? = switch context.request.query["done"] {
        case "moved": "Done: the booking was moved and its old time released."
        case "moved-following": "Done: this booking and the later ones were moved."
        case "cancelled": "Done: the booking was cancelled."
        case "cancelled-following": "Done: this booking and the later ones were cancelled."
        default: nil
        }
        var customerName: String?
        if side == .staff { customerName = try staffCustomerName(context, series) }
        let back: (String, String) = side == .staff
            ? (StaffCalendar.base(loaded.business.slug) + "/calendar", "Calendar")
            : ("/b/\(PercentDecoding.encode(loaded.business.slug))/\(PercentDecoding.encode(series.offerSlug))", "Book \(series.offerName) again")
        let page = Page(layout: try context.layout(title: "Series — \(series.offerName)", withForm: true),
                        businessName: loaded.business.name, offerName: series.offerName, rule: Self.ruleText(series, clock: clock),
                        customerName: customerName, occurrences: occurrences, cancelAction: loaded.base + "/cancel", hidden: loaded.hidden,
                        notice: notice, ended: !series.active, backURL: back.0, backLabel: back.1)
        var response = context.app.page("booking/series-manage", page)
        response.headers.set("Cache-Control", "no-store")
        response.headers.set("Referrer-Policy", "no-referrer")
        return response
    }

    /// The customer's name as the staff viewer may see it (the business's field-visibility policy).
    private func staffCustomerName(_ context: RequestContext, _ series: SeriesSummary) throws -> String? {
        let membership = try context.requireMembership()
        guard let first = series.bookings.first else { return nil }
        let policy = try context.app.database.fieldVisibilityPolicy(businessID: membership.businessID)
        return StaffMasking.mask(first, viewer: StaffViewer(membership), policy: policy, sensitive: false).customerName
    }

    func moveForm(_ context: RequestContext) throws -> Response {
        let loaded = try load(context) { context.request.query[$0] }
        guard let from = context.request.query["from"].flatMap(RFC3339.parse),
              let order = loaded.series.bookings.first(where: { $0.start == from && $0.start > context.instant }) else {
            throw WebError.badRequest("Choose an upcoming booking of the series to move.", field: "from")
        }
        let clock = loaded.clock
        let date = try context.request.query["date"].flatMap { $0.isEmpty ? nil : $0 }.map { try Validation.date($0, field: "date") }
            ?? clock.local(order.start).date
        let day = try context.app.database.rescheduleDay(business: loaded.business, order: order, date: date, now: context.instant,
                                                         lookAheadDays: 14)
        let times = day.slots.filter { $0.start != order.start }.enumerated().map { index, slot in
            Time(id: "time-\(index)", value: RFC3339.format(slot.start), label: clock.local(slot.start).time.description)
        }
        let fromText = RFC3339.format(from)
        let proof = loaded.query.isEmpty ? "" : "&" + loaded.query
        let page = MovePage(
            layout: try context.layout(title: "Move a booking of the series — \(loaded.series.offerName)", withForm: true),
            businessName: loaded.business.name, offerName: loaded.series.offerName,
            seriesURL: loaded.base + (loaded.query.isEmpty ? "" : "?" + loaded.query), current: when(order.start, clock), from: fromText,
            date: date.description, dateAction: loaded.base + "/move", moveAction: loaded.base + "/move", times: times,
            hasTimes: !times.isEmpty,
            nextDateURL: day.next.map { loaded.base + "/move?from=" + PercentDecoding.encode(fromText) + "&date=\($0)" + proof },
            hidden: loaded.hidden)
        var response = context.app.page("booking/series-move", page)
        response.headers.set("Cache-Control", "no-store")
        response.headers.set("Referrer-Policy", "no-referrer")
        return response
    }

    func move(_ context: RequestContext) throws -> Response {
        let form = try context.form()
        guard let from = form["from"].flatMap(RFC3339.parse) else {
            throw WebError.badRequest("Choose an upcoming booking of the series to move.", field: "from")
        }
        guard let to = form["start"].flatMap(RFC3339.parse) else {
            throw WebError.badRequest("Choose the new time from the list.", field: "start")
        }
        let following = form["scope"] == "following"
        return try apply(context, form: form, change: .move(from: from, to: to, following: following),
                         done: following ? "moved-following" : "moved")
    }

    func cancel(_ context: RequestContext) throws -> Response {
        let form = try context.form()
        guard let from = form["from"].flatMap(RFC3339.parse) else {
            throw WebError.badRequest("Choose an upcoming booking of the series to cancel.", field: "from")
        }
        let following = form["scope"] == "following"
        return try apply(context, form: form, change: .cancel(from: from, following: following),
                         done: following ? "cancelled-following" : "cancelled")
    }

    private func apply(_ context: RequestContext, form: FormData, change: SeriesChange, done: String) throws -> Response {
        let id = try context.parameter("series")
        switch side {
        case .staff:
            let membership = try context.requireMembership()
            guard let business = try context.app.database.business(id: membership.businessID) else { throw WebError.notFound() }
            _ = try context.app.database.changeSeries(business: business, publicID: id, change: change, now: context.instant,
                                                      actor: Actor(try context.auditActor()), location: membership.locationID)
            return .redirect(to: StaffCalendar.base(business.slug) + "/series/" + PercentDecoding.encode(id) + "?done=" + done)
        case .customer:
            let access = try customerAccess(context) { form[$0] }
            let (business, _) = try context.app.database.changeCustomerSeries(
                businessSlug: try context.parameter("business"), publicID: id, access: access, change: change, now: context.instant,
                actor: access.userID.map { .user($0) } ?? .guest)
            var target = "/b/\(PercentDecoding.encode(business.slug))/series/\(PercentDecoding.encode(id))?done=" + done
            if let booking = access.bookingID, let token = access.token {
                target += "&booking=" + PercentDecoding.encode(booking) + "&token=" + PercentDecoding.encode(token)
            }
            return .redirect(to: target)
        }
    }
}
