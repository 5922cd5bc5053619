import BookingCore
import Foundation
import HTTPServer
import Store

/// The staff calendar page: a day grid (one column per resource, one row per 30 minutes in the
/// business's zone) or a week table (one row per day). Every booking is masked by
/// `StaffMasking.mask` before anything here sees it.
struct StaffCalendarPage: Sendable {
    struct Option: Sendable {
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
    }
    /// A row of the day grid. Its cells are HTML built by `StaffCalendar.cellsHTML` (6,000 cells for
    /// 250 resources: rendering each through the template was most of the page's time).
    struct Row: Sendable {
        let time: String
        let isNow: Bool
        let cellsHTML: String
    }
    struct Column: Sendable {
        let name: String
        let kind: String
        let closed: Bool
        let hours: String
    }
    struct Day: Sendable {
        let heading: String
        let isToday: Bool
        let url: String
        let columns: [Column]
        let rows: [Row]
    }
    struct WeekRow: Sendable {
        let heading: String
        let isToday: Bool
        let url: String
        let cellsHTML: String
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
    let canBlock: Bool
    let blockAction: String
    let blockResources: [Option]
    let canWalkIn: Bool
    let walkInURL: String
    let returnURL: String
    let notice: String?
}

struct StaffCalendar: Sendable {
    static let rowSeconds: Int64 = 1800

    static func base(_ slug: String) -> String { "/staff/\(PercentDecoding.encode(slug))" }

    static func calendarURL(_ slug: String, date: LocalDate, view: String, kind: String?, tag: String?,
                            location: Int64? = nil) -> String {
        var query = FormData(pairs: [("date", date.description), ("view", view)])
        if let kind { query.append("kind", kind) }
        if let tag { query.append("tag", tag) }
        if let location { query.append("location", String(location)) }
        return base(slug) + "/calendar?" + query.encoded
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
        guard let found = try context.app.database.staffCalendar(businessID: membership.businessID, date: chosen, week: view == "week",
                                                                  now: now) else { throw WebError.notFound() }
        let business = found.business, policy = found.policy, clock = found.clock, data = found.data
        let today = found.today, date = found.date, first = found.first, last = found.last
        let layout = try context.layout(title: "Calendar — \(business.name)", withForm: true)
        // Mask every booking here, once; nothing below sees an OrderView's customer.
        var masked: [Int64: MaskedBooking] = [:]
        for order in data.orders {
            let booking = StaffMasking.mask(order, viewer: viewer, policy: policy, sensitive: data.sensitiveOffers.contains(order.offerID))
            if booking.busyOnly && !order.status.blocksTime { continue }   // a cancelled booking is not busy time
            masked[order.id] = booking
        }
        let location = try Self.location(query["location"], in: data.locations)
        let resources = data.resources.filter { resource in
            (kind == nil || resource.kind.rawValue == kind) && (tag == nil || resource.tags.contains(tag!))
                && (location == nil || data.resourceLocations[resource.id] == location)
        }
        let url = { (date: LocalDate, view: String) in
            Self.calendarURL(slug, date: date, view: view, kind: kind, tag: tag, location: location)
        }
        let returnURL = url(date, view)
        let builder = Builder(data: data, masked: masked, resources: resources, clock: clock, now: now, viewer: viewer,
                              slug: slug, returnURL: returnURL, csrf: layout.csrf)
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
        let kinds = Array(Set(data.resources.map(\.kind.rawValue))).sorted().map {
            StaffCalendarPage.Option(value: $0, label: $0.capitalizedFirst, selected: $0 == kind)
        }
        let tags = Array(Set(data.resources.flatMap(\.tags))).sorted().map {
            StaffCalendarPage.Option(value: $0, label: $0, selected: $0 == tag)
        }
        let heading = view == "week"
            ? "Week of \(BookingFormat.longDate(first))"
            : BookingFormat.longDate(date)
        let page = StaffCalendarPage(
            layout: layout, businessName: business.name,
            heading: heading, isDay: view == "day", isWeek: view == "week",
            isToday: view == "day" ? date == today : (first...last).contains(today), date: date.description,
            prevURL: url(date.adding(days: -step), view), nextURL: url(date.adding(days: step), view), todayURL: url(today, view),
            dayURL: url(date, "day"), weekURL: url(date, "week"), formAction: Self.base(slug) + "/calendar", view: view,
            kinds: kinds, tags: tags,
            locations: data.locations.map { .init(value: String($0.id), label: $0.name, selected: $0.id == location) },
            hasLocations: !data.locations.isEmpty, hasResources: !resources.isEmpty, day: day,
            weekColumns: builder.columns(for: nil), weekRows: weekRows,
            canBlock: viewer.role.can(.bookingCreate) && view == "day", blockAction: Self.base(slug) + "/block",
            blockResources: data.resources.map { .init(value: $0.slug, label: $0.name, selected: false) },
            canWalkIn: viewer.role.can(.bookingCreate), walkInURL: Self.base(slug) + "/walk-in",
            returnURL: returnURL, notice: Self.notice(query["done"]))
        var response = context.app.page("staff/calendar", page)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// The `location` filter: empty or absent is every location; anything else must be one of the business's.
    static func location(_ text: String?, in locations: [StaffLocation]) throws -> Int64? {
        guard let text, !text.isEmpty else { return nil }
        guard let id = Int64(text), locations.contains(where: { $0.id == id }) else {
            throw WebError.badRequest("That location is not one of this business's. Choose a location from the list.", field: "location")
        }
        return id
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
        default: nil
        }
    }

    /// Builds cells from the masked bookings, blocked time and opening hours.
    struct Builder {
        let data: StaffCalendarData
        let masked: [Int64: MaskedBooking]
        let resources: [ResourceInfo]
        let clock: ZoneClock
        let now: Instant
        let viewer: StaffViewer
        let slug: String
        let returnURL: String
        let csrf: String
        /// Each resource's visible assignments and blocked time, sorted by start: a cell looks only at its own column's.
        let spansByResource: [Int64: [(StaffAssignmentSpan, MaskedBooking)]]
        let blocksByResource: [Int64: [StaffBlockedTime]]

        init(data: StaffCalendarData, masked: [Int64: MaskedBooking], resources: [ResourceInfo], clock: ZoneClock, now: Instant,
             viewer: StaffViewer, slug: String, returnURL: String, csrf: String) {
            self.data = data
            self.masked = masked
            self.resources = resources
            self.clock = clock
            self.now = now
            self.viewer = viewer
            self.slug = slug
            self.returnURL = returnURL
            self.csrf = csrf
            var spans: [Int64: [(StaffAssignmentSpan, MaskedBooking)]] = [:]
            for span in data.spans { if let booking = masked[span.orderID] { spans[span.resourceID, default: []].append((span, booking)) } }
            spansByResource = spans.mapValues { $0.sorted { $0.0.blocked.start < $1.0.blocked.start } }
            blocksByResource = Dictionary(grouping: data.blocked, by: \.resourceID).mapValues { $0.sorted { $0.range.start < $1.range.start } }
        }

        func columns(for date: LocalDate?) -> [StaffCalendarPage.Column] {
            resources.map { resource in
                let closed = date.map { data.closures[resource.id]?.contains($0) ?? false } ?? false
                let hours = date.map { d in
                    let open = data.openHours[resource.id]?[d] ?? []
                    return open.isEmpty ? "Closed" : open.map { StaffCalendar.span($0, clock) }.joined(separator: ", ")
                } ?? ""
                return .init(name: resource.name, kind: resource.kind.rawValue, closed: closed, hours: hours)
            }
        }

        func spans(_ resource: ResourceInfo, _ range: TimeRange) -> [(StaffAssignmentSpan, MaskedBooking)] {
            (spansByResource[resource.id] ?? []).filter { $0.0.blocked.overlaps(range) }
        }

        func blocks(_ resource: ResourceInfo, _ range: TimeRange) -> [StaffBlockedTime] {
            (blocksByResource[resource.id] ?? []).filter { $0.range.overlaps(range) }
        }

        func bookingItem(_ booking: MaskedBooking) -> StaffCalendarPage.Item {
            let active = booking.status?.blocksTime ?? true
            var checkIn: StaffCalendarPage.CheckIn?
            if booking.status == .confirmed, StaffMasking.canHandle(booking, viewer: viewer), let id = booking.publicID {
                checkIn = .init(action: StaffCalendar.base(slug) + "/bookings/\(PercentDecoding.encode(id))/check-in", csrf: csrf,
                                next: returnURL)
            }
            return .init(time: StaffCalendar.span(TimeRange(start: booking.start, end: booking.end), clock),
                         label: booking.serviceLabel, status: booking.status.map(StaffCalendar.statusLabel),
                         customer: booking.customerName,
                         detailURL: booking.publicID.map { StaffCalendar.base(slug) + "/bookings/\(PercentDecoding.encode($0))" },
                         checkIn: checkIn,
                         cssClass: booking.busyOnly ? "booking busy" : (active ? "booking" : "booking inactive"))
        }

        func blockItem(_ block: StaffBlockedTime) -> StaffCalendarPage.Item {
            .init(time: StaffCalendar.span(block.range, clock),
                  label: block.reason.isEmpty ? "Blocked" : "Blocked: \(block.reason)", status: nil, customer: nil, detailURL: nil,
                  checkIn: nil, cssClass: "block")
        }

        func bufferItems(_ span: StaffAssignmentSpan, startingIn slot: TimeRange, first: Bool) -> [StaffCalendarPage.Item] {
            var items: [StaffCalendarPage.Item] = []
            let parts = [TimeRange(start: span.blocked.start, end: span.service.start), TimeRange(start: span.service.end, end: span.blocked.end)]
            for part in parts where !part.isEmpty && (slot.contains(part.start) || (first && part.start < slot.start && part.end > slot.start)) {
                items.append(.init(time: StaffCalendar.span(part, clock), label: "Buffer", status: nil, customer: nil, detailURL: nil,
                                   checkIn: nil, cssClass: "buffer"))
            }
            return items
        }

        func day(_ date: LocalDate, isToday: Bool, url: String) -> StaffCalendarPage.Day {
            let dayStart = clock.day(date).start, dayEnd = clock.day(date.adding(days: 1)).start
            let whole = TimeRange(start: dayStart, end: dayEnd)
            var low: Instant?, high: Instant?
            func widen(_ range: TimeRange) {
                guard let r = range.intersection(whole) else { return }
                low = min(low ?? r.start, r.start)
                high = max(high ?? r.end, r.end)
            }
            for resource in resources {
                (data.openHours[resource.id]?[date] ?? []).forEach(widen)
                spans(resource, whole).forEach { widen($0.0.blocked) }
                blocks(resource, whole).forEach { widen($0.range) }
            }
            let lowest = low ?? clock.instant(date, WallTime(hour: 9, minute: 0)!) ?? dayStart
            let highest = high ?? clock.instant(date, WallTime(hour: 17, minute: 0)!) ?? dayEnd
            let gridStart = dayStart + (lowest - dayStart) / StaffCalendar.rowSeconds * StaffCalendar.rowSeconds
            var rows: [StaffCalendarPage.Row] = []
            var t = gridStart
            while t < highest && t < dayEnd {
                let slot = TimeRange(start: t, end: t + StaffCalendar.rowSeconds)
                let first = t == gridStart
                let cells = resources.map { cell($0, date: date, slot: slot, first: first, listAll: false) }
                rows.append(.init(time: clock.local(t).time.description, isNow: isToday && slot.contains(now),
                                  cellsHTML: StaffCalendar.cellsHTML(cells)))
                t += StaffCalendar.rowSeconds
            }
            return .init(heading: BookingFormat.longDate(date), isToday: isToday, url: url, columns: columns(for: date), rows: rows)
        }

        func weekRow(_ date: LocalDate, isToday: Bool, url: String) -> StaffCalendarPage.WeekRow {
            let whole = TimeRange(start: clock.day(date).start, end: clock.day(date.adding(days: 1)).start)
            return .init(heading: BookingFormat.longDate(date), isToday: isToday, url: url,
                         cellsHTML: StaffCalendar.cellsHTML(resources.map { cell($0, date: date, slot: whole, first: true, listAll: true) }))
        }

        /// One resource in one time slot: what starts in it (or, in the first row, is already running)
        /// and what covers it.
        func cell(_ resource: ResourceInfo, date: LocalDate, slot: TimeRange, first: Bool, listAll: Bool) -> StaffCalendarPage.Cell {
            let startsHere = { (range: TimeRange) in slot.contains(range.start) || (first && range.start < slot.start && range.end > slot.start) }
            var items: [(Instant, StaffCalendarPage.Item)] = []
            let found = spans(resource, slot)
            for (span, booking) in found {
                if startsHere(span.service) { items.append((span.service.start, bookingItem(booking))) }
                if !listAll { items += bufferItems(span, startingIn: slot, first: first).map { (span.blocked.start, $0) } }
            }
            let blocked = blocks(resource, slot)
            for block in blocked where startsHere(block.range) { items.append((block.range.start, blockItem(block))) }
            items.sort { $0.0 < $1.0 }
            let open = (data.openHours[resource.id]?[date] ?? []).contains { $0.overlaps(slot) }
            let closure = data.closures[resource.id]?.contains(date) ?? false
            var state = "free", label: String?
            if listAll {
                let closed = closure || !open
                return .init(cssClass: closed ? "slot closed" : "slot day", stateLabel: closed && items.isEmpty ? "Closed" : nil,
                             items: items.map(\.1))
            }
            if found.contains(where: { ($0.1.status?.blocksTime ?? true) && $0.0.service.overlaps(slot) }) {
                state = "occupied"; label = "continues"
            } else if !blocked.isEmpty {
                state = "blocked"; label = "Blocked"
            } else if found.contains(where: { ($0.1.status?.blocksTime ?? true) && $0.0.blocked.overlaps(slot) }) {
                state = "buffer"; label = "Buffer"
            } else if closure {
                state = "closed"; label = "Closed"
            } else if !open {
                state = "closed"
            }
            if !items.isEmpty, state == "occupied" || state == "blocked" || state == "buffer" { label = nil }
            return .init(cssClass: "slot \(state)", stateLabel: label, items: items.map(\.1))
        }
    }
}
