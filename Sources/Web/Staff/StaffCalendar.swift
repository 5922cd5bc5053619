import BookingCore
import Foundation
import HTTPServer
import Store

/// The staff calendar page: a day grid (one column per resource, one row per 30 minutes in the
/// business's zone) or a week table (one row per day). Every booking is masked by
/// `StaffMasking.mask` before anything here sees it.
struct StaffCalendarPage: Sendable, Hashable {
    struct Option: Sendable, Hashable {
        let value: String
        let label: String
        let selected: Bool
    }
    /// The inline check-in form of a booking block.
    struct CheckIn: Sendable {
        let action: String
        let csrf: String
        let next: String
    }
    struct Item: Sendable {
        let time: String
        let label: String
        let status: String?
        let customer: String?
        let detailURL: String?
        let checkIn: CheckIn?
        let cssClass: String
    }
    struct Cell: Sendable {
        let cssClass: String
        let stateLabel: String?
        let items: [Item]
        /// An empty cell of the day grid: "Why?" asks the check-a-time page about its start.
        var ask: AskLink? = nil
    }
    /// The "Why?" link of an empty cell: its parts are escaped once per row (the time) and once per
    /// resource (slug and name), not once per cell (6,000 cells on a large day), and written straight
    /// into the row's HTML (`write(into:)`).
    struct AskLink: Sendable {
        /// The escaped check URL up to `resource=`, for this row's date and time.
        let rowPrefix: String
        /// The row's wall time.
        let time: String
        let resource: EscapedResource

        func write(into html: inout String) {
            html += "<a class=\"ask no-print\" href=\""
            html += rowPrefix
            html += resource.slug
            html += "\" aria-label=\"Why is "
            html += time
            html += " not bookable with "
            html += resource.name
            html += "?\">Why?</a>"
        }

        var html: String {
            var text = ""
            write(into: &text)
            return text
        }
    }
    /// A resource's slug (percent-encoded) and name, HTML-escaped.
    struct EscapedResource: Sendable {
        let slug: String
        let name: String
    }
    /// A row of the day grid. Its cells are HTML built by `StaffCalendar.cellsHTML` (6,000 cells for
    /// 250 resources: rendering each through the template was most of the page's time).
    struct Row: Sendable, Hashable {
        let time: String
        let isNow: Bool
        let cellsHTML: String
    }
    struct Column: Sendable, Hashable {
        let name: String
        let kind: String
        let closed: Bool
        let hours: String
    }
    struct Day: Sendable, Hashable {
        let heading: String
        let isToday: Bool
        let url: String
        let columns: [Column]
        let rows: [Row]
    }
    struct WeekRow: Sendable, Hashable {
        let heading: String
        let isToday: Bool
        let url: String
        let cellsHTML: String
    }

    /// One link of the resource pager.
    struct PageLink: Sendable, Hashable {
        let number: Int
        let url: String
        let current: Bool
    }
    /// The resource pager: shown only when more resources match than one page holds.
    struct Pager: Sendable, Hashable {
        /// "Resources 26–50 of 250" (or "All 250 resources").
        let summary: String
        let prevURL: String?
        let nextURL: String?
        let pages: [PageLink]
        /// "Show all" (when paged) or "Show 25 at a time" (when showing all).
        let toggleURL: String
        let toggleLabel: String
        let showingAll: Bool
    }

    let layout: Layout
    let businessName: String
    let heading: String
    let isDay: Bool
    let isWeek: Bool
    let isToday: Bool
    let date: String
    let prevURL: String
    let nextURL: String
    let todayURL: String
    let dayURL: String
    let weekURL: String
    let formAction: String
    let view: String
    let kinds: [Option]
    let tags: [Option]
    /// Shown only when the business has locations.
    let locations: [Option]
    let hasLocations: Bool
    let hasResources: Bool
    let day: Day?
    let weekColumns: [Column]
    let weekRows: [WeekRow]
    let pager: Pager?
    let canBlock: Bool
    let blockAction: String
    let blockResources: [Option]
    let canWalkIn: Bool
    let walkInURL: String
    /// The phone booking form, on the calendar's day.
    let bookURL: String
    let returnURL: String
    let notice: String?
}

struct StaffCalendar: Sendable {
    static let rowSeconds: Int64 = 1800

    static func base(_ slug: String) -> String { "/staff/\(PercentDecoding.encode(slug))" }

    static func calendarURL(_ slug: String, date: LocalDate, view: String, kind: String?, tag: String?,
                            location: LocationID? = nil, page: Int = 1, all: Bool = false) -> String {
        var query = FormData(pairs: [("date", date.description), ("view", view)])
        if let kind { query.append("kind", kind) }
        if let tag { query.append("tag", tag) }
        if let location { query.append("location", location.description) }
        if all { query.append("all", "1") } else if page > 1 { query.append("page", String(page)) }
        return base(slug) + "/calendar?" + query.encoded
    }

    /// `page` (1 when absent) and `all=1` ("show all") of the calendar's query.
    static func selection(_ query: FormData, kind: String?, tag: String?, location: LocationID?) throws -> StaffCalendarSelection {
        var page = 1
        if let text = query["page"], !text.isEmpty {
            guard let number = Int(text), number >= 1, number <= 100_000 else {
                throw WebError.badRequest("That page number is not one we understand. Pages are numbered from 1.", field: "page")
            }
            page = number
        }
        let all = query["all"] == "1"
        return StaffCalendarSelection(kind: kind, tag: tag, location: location, page: page,
                                      pageSize: all ? nil : StaffCalendarSelection.defaultPageSize)
    }

    /// The pager for `found`, nil when every matching resource fits on one page.
    static func pager(_ found: StaffCalendarView, all: Bool, url: (Int, Bool) -> String) -> StaffCalendarPage.Pager? {
        let size = StaffCalendarSelection.defaultPageSize
        guard found.matching > size else { return nil }
        if all {
            return .init(summary: "All \(found.matching) resources", prevURL: nil, nextURL: nil, pages: [],
                         toggleURL: url(1, false), toggleLabel: "Show \(size) at a time", showingAll: true)
        }
        let first = (found.page - 1) * size + 1
        let last = min(found.matching, found.page * size)
        return .init(summary: "Resources \(first)–\(last) of \(found.matching)",
                     prevURL: found.page > 1 ? url(found.page - 1, false) : nil,
                     nextURL: found.page < found.pageCount ? url(found.page + 1, false) : nil,
                     pages: (1...found.pageCount).map { .init(number: $0, url: url($0, false), current: $0 == found.page) },
                     toggleURL: url(1, true), toggleLabel: "Show all \(found.matching)", showingAll: false)
    }

    static func statusLabel(_ status: BookingStatus) -> String {
        switch status {
        case .checkedIn: "Checked in"
        case .noShow: "No-show"
        default: status.rawValue.capitalizedFirst
        }
    }

    static func span(_ range: TimeRange, _ clock: ZoneClock) -> String {
        "\(clock.local(range.start).time)–\(clock.local(range.end).time)"
    }

    func show(_ context: RequestContext) throws -> Response {
        let membership = try context.requireMembership()
        let viewer = StaffViewer(membership)
        let query = context.request.query
        let view = query["view"] == "week" ? "week" : "day"
        let kind = query["kind"].flatMap { $0.isEmpty ? nil : $0 }
        let tag = query["tag"].flatMap { $0.isEmpty ? nil : $0 }
        let now = context.instant
        let slug = membership.businessSlug

        var chosen: LocalDate?
        if let text = query["date"], !text.isEmpty {
            guard let parsed = LocalDate(text) else {
                throw WebError.badRequest("That date is not one we understand. Dates look like 2026-12-01 (year, month, day).", field: "date")
            }
            chosen = parsed
        }
        let asked = try Self.locationID(query["location"])
        let all = query["all"] == "1"
        let selection = try Self.selection(query, kind: kind, tag: tag, location: asked)
        guard let found = try context.app.database.staffCalendar(businessID: membership.businessID, date: chosen, week: view == "week",
                                                                  now: now, scope: membership.scope, selection: selection) else {
            throw WebError.notFound()
        }
        var layout = try context.layout(title: "Calendar — \(found.business.name)", withForm: true)
        // The page is kept whole with a marker for the member's token (`RenderedPages`), check-in forms too.
        let csrf = layout.csrf
        layout.csrf = RenderedPages.marker
        let inputs = Inputs(found: found, viewer: viewer, layout: layout, slug: slug, view: view, kind: kind, tag: tag,
                            location: try Self.location(asked, in: found.data.locations), all: all, notice: Self.notice(query["done"]),
                            nowRow: view == "day" ? Self.row(of: now, on: found.date, found.clock) : nil)
        // Kept per inputs: on a kept page neither the grid nor the page model is built.
        let html = context.app.calendarPages.html("staff/calendar", keyedBy: inputs, csrf: csrf) {
            context.app.templates.render("staff/calendar", Self.page(inputs))
        }
        var response = Response.html(html)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// Everything the calendar page is built from, and the key of the kept page (`RenderedPages`).
    ///
    /// `page(_:)` sees nothing else (not the request, not the clock), so the page is a function of
    /// these values: any change of what it shows — a booking, its status or customer, blocked time,
    /// hours, a resource added, renamed or archived, the member's role, scope or name, the query, the
    /// row of "now" — is a change here, and no kept page is ever stale. Hashing these (the store's
    /// reads: ~50 orders, 25 resources' spans and hours, the catalogue) costs a fraction of hashing
    /// the built page (its rows' HTML), and a kept page costs neither the grid nor the model.
    struct Inputs: Sendable, Hashable {
        let found: StaffCalendarView
        let viewer: StaffViewer
        /// With `RenderedPages.marker` for the member's token.
        let layout: Layout
        let slug: String
        let view: String
        let kind: String?
        let tag: String?
        /// The location filter, checked against the member's locations.
        let location: LocationID?
        let all: Bool
        let notice: String?
        /// The start of the day grid's row holding the time of the request, nil when the request is
        /// not on the page's day or the page is the week: the page's only use of "now".
        let nowRow: Instant?
    }

    /// The start of the half-hour row of `date`'s grid that holds `now` (the grid's rows start at
    /// whole multiples of `rowSeconds` after the day's start), nil when `now` is another date.
    static func row(of now: Instant, on date: LocalDate, _ clock: ZoneClock) -> Instant? {
        let day = TimeRange(start: clock.day(date).start, end: clock.day(date.adding(days: 1)).start)
        guard day.contains(now) else { return nil }
        return day.start + (now - day.start) / rowSeconds * rowSeconds
    }

    /// The page for `inputs`, and only from them.
    static func page(_ inputs: Inputs) -> StaffCalendarPage {
        let found = inputs.found, viewer = inputs.viewer, view = inputs.view, slug = inputs.slug
        let kind = inputs.kind, tag = inputs.tag, location = inputs.location, all = inputs.all
        let policy = found.policy, clock = found.clock, data = found.data
        let today = found.today, date = found.date, first = found.first, last = found.last
        // Mask every booking here, once; nothing below sees an OrderView's customer.
        var masked: [BookingID: MaskedBooking] = [:]
        for order in data.orders {
            let booking = StaffMasking.mask(order, viewer: viewer, policy: policy, sensitive: data.sensitiveOffers.contains(order.offerID))
            if booking.busyOnly && !order.status.blocksTime { continue }   // a cancelled booking is not busy time
            masked[order.id] = booking
        }
        // Filtered and paged by the store (only this page's bookings were read).
        let resources = data.resources
        let url = { (date: LocalDate, view: String) in
            Self.calendarURL(slug, date: date, view: view, kind: kind, tag: tag, location: location, page: found.page, all: all)
        }
        let returnURL = url(date, view)
        // A row holds "now" exactly when it holds the start of now's row (rows are whole multiples of rowSeconds from the day's start).
        let builder = Builder(data: data, masked: masked, resources: resources, clock: clock, nowRow: inputs.nowRow ?? .min, viewer: viewer,
                              slug: slug, returnURL: returnURL, csrf: inputs.layout.csrf)
        var day: StaffCalendarPage.Day?
        var weekRows: [StaffCalendarPage.WeekRow] = []
        if view == "day" {
            day = builder.day(date, isToday: date == today, url: url(date, "day"))
        } else {
            weekRows = (0..<7).map { offset in
                let d = first.adding(days: offset)
                return builder.weekRow(d, isToday: d == today, url: url(d, "day"))
            }
        }
        let step = view == "week" ? 7 : 1
        let kinds = Array(Set(found.visibleResources.map(\.kind.rawValue))).sorted().map {
            StaffCalendarPage.Option(value: $0, label: $0.capitalizedFirst, selected: $0 == kind)
        }
        let tags = Array(Set(found.visibleResources.flatMap(\.tags))).sorted().map {
            StaffCalendarPage.Option(value: $0, label: $0, selected: $0 == tag)
        }
        let heading = view == "week"
            ? "Week of \(BookingFormat.longDate(first))"
            : BookingFormat.longDate(date)
        return StaffCalendarPage(
            layout: inputs.layout, businessName: found.business.name,
            heading: heading, isDay: view == "day", isWeek: view == "week",
            isToday: view == "day" ? date == today : (first...last).contains(today), date: date.description,
            prevURL: url(date.adding(days: -step), view), nextURL: url(date.adding(days: step), view), todayURL: url(today, view),
            dayURL: url(date, "day"), weekURL: url(date, "week"), formAction: Self.base(slug) + "/calendar", view: view,
            kinds: kinds, tags: tags,
            locations: data.locations.map { .init(value: String($0.id), label: $0.name, selected: $0.id == location) },
            hasLocations: !data.locations.isEmpty, hasResources: !resources.isEmpty, day: day,
            weekColumns: builder.columns(for: nil), weekRows: weekRows,
            pager: Self.pager(found, all: all) { page, all in
                Self.calendarURL(slug, date: date, view: view, kind: kind, tag: tag, location: location, page: page, all: all)
            },
            canBlock: viewer.role.can(.bookingCreate) && view == "day", blockAction: Self.base(slug) + "/block",
            blockResources: found.visibleResources.map { .init(value: $0.slug, label: $0.name, selected: false) },
            canWalkIn: viewer.role.can(.bookingCreate), walkInURL: Self.base(slug) + "/walk-in",
            bookURL: Self.base(slug) + "/book?date=" + (date < today ? today : date).description,
            returnURL: returnURL, notice: inputs.notice)
    }

    /// The `location` filter as asked, before the business's locations are known (nil: every location).
    static func locationID(_ text: String?) throws -> LocationID? {
        guard let text, !text.isEmpty else { return nil }
        guard let id = LocationID(text) else { throw unknownLocation }
        return id
    }

    /// The `location` filter: absent is every location; anything else must be one of `locations` (the member's: a member limited to a location has only theirs).
    static func location(_ id: LocationID?, in locations: [StaffLocation]) throws -> LocationID? {
        guard let id else { return nil }
        guard locations.contains(where: { $0.id == id }) else { throw unknownLocation }
        return id
    }

    static var unknownLocation: WebError {
        WebError.badRequest("That location is not one of this business's. Choose a location from the list.", field: "location")
    }

    static func notice(_ done: String?) -> String? {
        switch done {
        case "checked_in": "Checked in."
        case "completed": "Marked as completed."
        case "no_show": "Marked as a no-show."
        case "cancelled": "Booking cancelled."
        case "rescheduled": "Booking moved."
        case "blocked": "Time blocked."
        case "walk_in": "Walk-in booked."
        case "booked": "Booking made."
        case "checked_out": "Handed over. The condition is noted."
        case "returned": "Returned. The condition is noted."
        case "refunded": "Refund made through Stripe."
        case "refund_failed": "Stripe did not make the refund; the reason is below. It is still owed."
        case "refund_not_owed": "That refund is not owed any more: it was made already."
        default: nil
        }
    }
}
