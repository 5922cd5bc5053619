import BookingCore
import Foundation
import HTTPServer
import Store

extension StaffCalendar {
    /// Builds cells from the masked bookings, blocked time and opening hours.
    struct Builder {
        let data: StaffCalendarData
        let masked: [BookingID: MaskedBooking]
        let resources: [ResourceInfo]
        let clock: ZoneClock
        /// The start of the grid's row holding now (`Instant.min` when now is not on the page).
        let nowRow: Instant
        let viewer: StaffViewer
        let slug: String
        let returnURL: String
        let csrf: String
        /// Each resource's visible assignments and blocked time, sorted by start: a cell looks only at its own column's.
        let spansByResource: [ResourceID: [(StaffAssignmentSpan, MaskedBooking)]]
        let blocksByResource: [ResourceID: [StaffBlockedTime]]
        /// Each resource's slug and name escaped once, for the "Why?" links.
        let escaped: [ResourceID: StaffCalendarPage.EscapedResource]

        init(data: StaffCalendarData, masked: [BookingID: MaskedBooking], resources: [ResourceInfo], clock: ZoneClock, nowRow: Instant,
             viewer: StaffViewer, slug: String, returnURL: String, csrf: String) {
            self.data = data
            self.masked = masked
            self.resources = resources
            self.clock = clock
            self.nowRow = nowRow
            self.viewer = viewer
            self.slug = slug
            self.returnURL = returnURL
            self.csrf = csrf
            var spans: [ResourceID: [(StaffAssignmentSpan, MaskedBooking)]] = [:]
            for span in data.spans { if let booking = masked[span.orderID] { spans[span.resourceID, default: []].append((span, booking)) } }
            spansByResource = spans.mapValues { $0.sorted { $0.0.blocked.start < $1.0.blocked.start } }
            blocksByResource = Dictionary(grouping: data.blocked, by: \.resourceID).mapValues { $0.sorted { $0.range.start < $1.range.start } }
            escaped = Dictionary(resources.map {
                ($0.id, StaffCalendarPage.EscapedResource(slug: StaffCalendar.escape(PercentDecoding.encode($0.slug)),
                                                          name: StaffCalendar.escape($0.name)))
            }, uniquingKeysWith: { first, _ in first })
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

        /// A booking in the cell of `span`, at the span's own time: a program course's unit shows its
        /// session, and links to the session's roster (attendance is marked there, per session) rather
        /// than checking the whole course in.
        func bookingItem(_ booking: MaskedBooking, span: StaffAssignmentSpan) -> StaffCalendarPage.Item {
            let active = booking.status?.blocksTime ?? true
            let session = span.programSessionID
            var checkIn: StaffCalendarPage.CheckIn?
            if session == nil, booking.status == .confirmed, StaffMasking.canHandle(booking, viewer: viewer), let id = booking.publicID {
                checkIn = .init(action: StaffCalendar.base(slug) + "/bookings/\(PercentDecoding.encode(id))/check-in", csrf: csrf,
                                next: returnURL)
            }
            var detailURL = booking.publicID.map { StaffCalendar.base(slug) + "/bookings/\(PercentDecoding.encode($0))" }
            if let session, !booking.busyOnly, viewer.role.can(.bookingViewOrg) {
                detailURL = StaffCalendar.base(slug) + "/program-sessions/\(session)"
            }
            return .init(time: StaffCalendar.span(session == nil ? TimeRange(start: booking.start, end: booking.end) : span.service, clock),
                         label: booking.serviceLabel,
                         status: booking.status.map { status in
                             let label = StaffCalendar.statusLabel(status)
                             guard let decidesAt = booking.publicID.flatMap({ data.atRisk[$0] }) else { return label }
                             return "\(label) · at risk: below its minimum, decided \(clock.local(decidesAt).time) \(BookingFormat.shortDate(clock.local(decidesAt).date))"
                         },
                         customer: booking.customerName,
                         detailURL: detailURL,
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
            let columnFacts = resources.map { facts($0, date: date) }
            for column in columnFacts {
                column.open.forEach(widen)
                column.spans.filter { $0.0.blocked.overlaps(whole) }.forEach { widen($0.0.blocked) }
                column.blocks.filter { $0.range.overlaps(whole) }.forEach { widen($0.range) }
            }
            let lowest = low ?? clock.instant(date, WallTime(hour: 9, minute: 0)!) ?? dayStart
            let highest = high ?? clock.instant(date, WallTime(hour: 17, minute: 0)!) ?? dayEnd
            let gridStart = dayStart + (lowest - dayStart) / StaffCalendar.rowSeconds * StaffCalendar.rowSeconds
            var rows: [StaffCalendarPage.Row] = []
            var t = gridStart
            while t < highest && t < dayEnd {
                let slot = TimeRange(start: t, end: t + StaffCalendar.rowSeconds)
                let first = t == gridStart
                let time = clock.local(t).time.description
                let ask = Ask(prefix: StaffCalendar.escape(StaffCalendar.base(slug) + "/check?date=\(date)&time=\(time)&resource="), time: time)
                let cells = columnFacts.map { cell($0, slot: slot, first: first, listAll: false, ask: ask) }
                rows.append(.init(time: time, isNow: isToday && slot.contains(nowRow),
                                  cellsHTML: StaffCalendar.cellsHTML(cells)))
                t += StaffCalendar.rowSeconds
            }
            return .init(heading: BookingFormat.longDate(date), isToday: isToday, url: url, columns: columns(for: date), rows: rows)
        }

        func weekRow(_ date: LocalDate, isToday: Bool, url: String) -> StaffCalendarPage.WeekRow {
            let whole = TimeRange(start: clock.day(date).start, end: clock.day(date.adding(days: 1)).start)
            return .init(heading: BookingFormat.longDate(date), isToday: isToday, url: url,
                         cellsHTML: StaffCalendar.cellsHTML(resources.map { cell(facts($0, date: date), slot: whole, first: true, listAll: true) }))
        }

        /// One resource in one time slot: what starts in it (or, in the first row, is already running)
        /// and what covers it.
        /// A day-grid row's part of its empty cells' "Why?" links.
        struct Ask {
            let prefix: String
            let time: String
        }

        /// One resource on one date, looked up once per column rather than once per cell.
        struct ColumnFacts {
            let resource: ResourceInfo
            /// Its visible assignments and blocked time (all of them, sorted by start).
            let spans: [(StaffAssignmentSpan, MaskedBooking)]
            let blocks: [StaffBlockedTime]
            /// Its open hours that date, and whether a closure closes it.
            let open: [TimeRange]
            let closed: Bool
            let names: StaffCalendarPage.EscapedResource?
        }

        func facts(_ resource: ResourceInfo, date: LocalDate) -> ColumnFacts {
            ColumnFacts(resource: resource, spans: spansByResource[resource.id] ?? [], blocks: blocksByResource[resource.id] ?? [],
                        open: data.openHours[resource.id]?[date] ?? [], closed: data.closures[resource.id]?.contains(date) ?? false,
                        names: escaped[resource.id])
        }

        func cell(_ column: ColumnFacts, slot: TimeRange, first: Bool, listAll: Bool, ask: Ask? = nil) -> StaffCalendarPage.Cell {
            let startsHere = { (range: TimeRange) in slot.contains(range.start) || (first && range.start < slot.start && range.end > slot.start) }
            var items: [(Instant, StaffCalendarPage.Item)] = []
            let found = column.spans.filter { $0.0.blocked.overlaps(slot) }
            for (span, booking) in found {
                if startsHere(span.service) { items.append((span.service.start, bookingItem(booking, span: span))) }
                if !listAll { items += bufferItems(span, startingIn: slot, first: first).map { (span.blocked.start, $0) } }
            }
            let blocked = column.blocks.filter { $0.range.overlaps(slot) }
            for block in blocked where startsHere(block.range) { items.append((block.range.start, blockItem(block))) }
            items.sort { $0.0 < $1.0 }
            let open = column.open.contains { $0.overlaps(slot) }
            let closure = column.closed
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
            var link: StaffCalendarPage.AskLink?
            if items.isEmpty, let ask, let names = column.names {
                link = .init(rowPrefix: ask.prefix, time: ask.time, resource: names)
            }
            let cssClass = switch state {
            case "occupied": "slot occupied"
            case "blocked": "slot blocked"
            case "buffer": "slot buffer"
            case "closed": "slot closed"
            default: "slot free"
            }
            return .init(cssClass: cssClass, stateLabel: label, items: items.map(\.1), ask: link)
        }
    }
}
