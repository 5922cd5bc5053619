import BookingCore
import Foundation
import HTTPServer
import Store

/// Resources: list and add; details, weekly hours, date overrides and blocked time of one resource.
struct ResourceHandlers: Sendable {
    static let kinds: [(String, String)] = [("host", "Host (a person)"), ("venue", "Venue (a room)"),
                                            ("asset", "Asset (equipment)"), ("virtual", "Virtual (a video room)"),
                                            ("company", "Company (an outside firm that fulfils)")]

    struct ResourceRow: Sendable {
        let name: String
        let url: String
        let kind: String
        let capacity: Int
        let tags: String
    }

    struct ListPage: Sendable {
        let layout: Layout
        let nav: ManageNav
        let resources: [ResourceRow]
        var name = ""
        var capacity = "1"
        var tags = ""
        var kinds = Option.list(ResourceHandlers.kinds, selected: "host")
        var errors = FormErrors()
    }

    struct DayHours: Sendable {
        let key: String
        let label: String
        let opens: String
        let closes: String
    }

    struct OverlayView: Sendable {
        let id: Int64
        let date: String
        let text: String
    }

    struct DetailPage: Sendable {
        let layout: Layout
        let nav: ManageNav
        let name: String
        let kind: String
        let action: String
        let timeZone: String
        var days: [DayHours]
        let overlays: [OverlayView]
        let blocked: [OverlayView]
        let seasonal: [OverlayView]
        var details: ResourceDetailsForm
        /// The busy-time import, when the resource has one.
        let calendarImport: ImportView?
        var importURL: String
        /// Virtual resources: the meeting link customers get once booked (issue 20).
        var isVirtual = false
        var meetingLink = ""
        var saved = false
        var seasonDays = DayOption.all(checked: [])
        var form: [String: String] = [:]
        var errors = FormErrors()
    }

    func list(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        return context.app.page("manage/resources", try listPage(context, business, nav))
    }

    private func listPage(_ context: RequestContext, _ business: Business, _ nav: ManageNav) throws -> ListPage {
        let rows = try context.app.database.resourceList(businessID: business.id).map {
            ResourceRow(name: $0.name, url: nav.base + "/resources/" + PercentDecoding.encode($0.slug), kind: $0.kind.rawValue,
                        capacity: $0.capacity, tags: $0.tags.joined(separator: ", "))
        }
        return ListPage(layout: try context.layout(title: "Resources — \(business.name)", withForm: true), nav: nav, resources: rows)
    }

    func create(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        let form = try context.form()
        var errors = FormErrors()
        let name = ManageInput.name(form["name"], field: "name", what: "a name", &errors)
        let kind = ResourceKind(rawValue: form["kind"] ?? "").flatMap { k in Self.kinds.contains { $0.0 == k.rawValue } ? k : nil }
        if kind == nil { errors.add("kind", "Choose what kind of resource this is.") }
        let capacity = ManageInput.integer(form["capacity"], field: "capacity", in: 1...10000, unit: "people or bookings", &errors)
        let tags = ManageInput.tags(form["tags"], &errors)
        if errors.isEmpty, let name, let kind, let capacity, let tags {
            let actor = try context.actor()
            let slug = try context.app.database.createResource(businessID: business.id, name: name, kind: kind, capacity: capacity,
                                                               tags: tags, actor: actor, now: context.instant)
            return .redirect(to: nav.base + "/resources/" + PercentDecoding.encode(slug))
        }
        var page = try listPage(context, business, nav)
        page.name = String((form["name"] ?? "").prefix(200))
        page.capacity = String((form["capacity"] ?? "").prefix(10))
        page.tags = String((form["tags"] ?? "").prefix(400))
        page.kinds = Option.list(Self.kinds, selected: form["kind"] ?? "")
        page.errors = errors
        return context.app.page("manage/resources", page, status: .unprocessable)
    }

    // MARK: One resource

    /// The route's resource with everything its page shows, read at once; 404 when there is none.
    func load(_ context: RequestContext) throws -> (Business, ManageNav, AppDatabase.ResourcePage) {
        let (business, _, nav) = try context.managedBusiness()
        let slug = try context.parameter("resource")
        guard let loaded = try context.app.database.resourcePage(businessID: business.id, slug: slug) else {
            throw WebError.notFound()
        }
        return (business, nav, loaded)
    }

    func detailPage(_ context: RequestContext, _ business: Business, _ nav: ManageNav,
                    _ loaded: AppDatabase.ResourcePage) throws -> DetailPage {
        let detail = loaded.detail
        let clock = ZoneClock(identifier: business.timeZone) ?? ZoneClock(TimeZone(identifier: "UTC")!)
        let details = ResourceDetailsForm(loaded)
        let days = zip(ManageInput.dayKeys, ManageInput.dayNames).enumerated().map { index, pair in
            let rule = detail.rules.first { $0.weekday.rawValue == index + 1 && $0.validFrom == nil && $0.validUntil == nil }
            return DayHours(key: pair.0, label: pair.1, opens: rule?.opens.description ?? "", closes: rule?.closes.description ?? "")
        }
        let overlays = detail.overlays.map { row in
            OverlayView(id: row.id, date: row.date, text: row.kind == "closed" ? "Closed" + (row.note.isEmpty ? "" : " (\(row.note))")
                        : row.kind == "special_hours" ? "Open \(row.opens?.description ?? "")–\(row.closes?.description ?? "")"
                        : "Blackout")
        }
        let blocked = detail.blocked.map { row in
            let start = clock.local(row.start), end = clock.local(row.end)
            return OverlayView(id: row.id, date: "\(start.date) \(start.time) – \(end.date) \(end.time)", text: row.reason)
        }
        let imported = try context.app.database.calendarImport(businessID: business.id, resourceID: detail.resource.id)
        let importView = imported.map { ImportView($0, clock: clock) }
        let meetingLink = try detail.resource.kind == .virtual
            ? context.app.database.meetingLink(businessID: business.id, resourceID: detail.resource.id) : nil
        return DetailPage(layout: try context.layout(title: "\(detail.resource.name) — \(business.name)", withForm: true), nav: nav,
                          name: detail.resource.name, kind: detail.resource.kind.rawValue,
                          action: nav.base + "/resources/" + PercentDecoding.encode(detail.resource.slug),
                          timeZone: business.timeZone, days: days, overlays: overlays, blocked: blocked,
                          seasonal: detail.seasonal.map { row in
                              OverlayView(id: row.id, date: "\(row.rule.validFrom?.description ?? "…") to \(row.rule.validUntil?.description ?? "…")",
                                          text: "\(ManageInput.dayNames[row.rule.weekday.rawValue - 1]) \(row.rule.opens)–\(row.rule.closes)")
                          }, details: details, calendarImport: importView, importURL: imported?.url ?? "",
                          isVirtual: detail.resource.kind == .virtual, meetingLink: meetingLink ?? "")
    }

    func show(_ context: RequestContext) throws -> Response {
        let (business, nav, loaded) = try load(context)
        var page = try detailPage(context, business, nav, loaded)
        page.saved = context.request.query["saved"] != nil
        return context.app.page("manage/resource", page)
    }

    func failed(_ context: RequestContext, _ business: Business, _ nav: ManageNav, _ loaded: AppDatabase.ResourcePage,
                        _ form: FormData, _ errors: FormErrors) throws -> Response {
        var page = try detailPage(context, business, nav, loaded)
        page.form = Dictionary(form.pairs.filter { $0.name != "_csrf" }.map { ($0.name, String($0.value.prefix(200))) },
                               uniquingKeysWith: { a, _ in a })
        if form["opens_mon"] != nil {
            page.days = page.days.map { DayHours(key: $0.key, label: $0.label, opens: form["opens_\($0.key)"] ?? "",
                                                  closes: form["closes_\($0.key)"] ?? "") }
        }
        page.seasonDays = DayOption.all(checked: Set(form.all("season_days")))
        page.errors = errors
        return context.app.page("manage/resource", page, status: .unprocessable)
    }

    /// Weekly hours: one interval per day; a day with both times empty is closed.
    func saveHours(_ context: RequestContext) throws -> Response {
        let (business, nav, loaded) = try load(context)
        let resource = loaded.detail.resource
        let form = try context.form()
        var errors = FormErrors()
        let rules = ManageInput.weeklyRules(form, &errors)
        guard errors.isEmpty else { return try failed(context, business, nav, loaded, form, errors) }
        let actor = try context.auditActor()
        // Seasonal rules are kept; the plain weekly ones are replaced.
        try context.app.database.replaceWeeklyHours(businessID: business.id, resource: resource, rules: rules, actor: actor,
                                                    now: context.instant)
        return .redirect(to: nav.base + "/resources/" + PercentDecoding.encode(resource.slug))
    }

    /// A date override: closed all day, or special hours replacing the weekly ones.
    func addOverride(_ context: RequestContext) throws -> Response {
        let (business, nav, loaded) = try load(context)
        let resource = loaded.detail.resource
        let form = try context.form()
        var errors = FormErrors()
        let date = ManageInput.date(form["date"], field: "date", &errors)
        let kind = form["override_kind"] ?? ""
        var overlay: DateOverlay.Kind?
        switch kind {
        case "closed": overlay = .closed
        case "special_hours":
            let opens = ManageInput.wallTime(form["override_opens"], field: "override_opens", &errors)
            let closes = ManageInput.wallTime(form["override_closes"], field: "override_closes", &errors)
            if let opens, let closes {
                if opens < closes { overlay = .specialHours([WallInterval(opens: opens, closes: closes)]) }
                else { errors.add("override_closes", "Enter a closing time after the opening time.") }
            }
        default: errors.add("override_kind", "Choose closed or special hours.")
        }
        let note = ManageInput.trimmed(form["note"])
        if note.count > 200 { errors.add("note", "Use at most 200 characters for the note.") }
        guard errors.isEmpty, let date, let overlay else { return try failed(context, business, nav, loaded, form, errors) }
        let actor = try context.actor()
        try context.app.database.addDateOverride(businessID: business.id, resourceID: resource.id,
                                                 overlay: DateOverlay(date: date, kind: overlay), note: note, actor: actor,
                                                 now: context.instant)
        return .redirect(to: nav.base + "/resources/" + PercentDecoding.encode(resource.slug))
    }

    /// Blocked time (time off, maintenance) between two local date-times of the business.
    func addBlock(_ context: RequestContext) throws -> Response {
        let (business, nav, loaded) = try load(context)
        let resource = loaded.detail.resource
        let form = try context.form()
        var errors = FormErrors()
        let clock = ZoneClock(identifier: business.timeZone) ?? ZoneClock(TimeZone(identifier: "UTC")!)
        let fromDate = ManageInput.date(form["from_date"], field: "from_date", &errors)
        let fromTime = ManageInput.wallTime(form["from_time"], field: "from_time", &errors)
        let toDate = ManageInput.date(form["to_date"], field: "to_date", &errors)
        let toTime = ManageInput.wallTime(form["to_time"], field: "to_time", &errors)
        let reason = ManageInput.trimmed(form["reason"])
        if reason.count > 200 { errors.add("reason", "Use at most 200 characters for the reason.") }
        var range: TimeRange?
        if let fromDate, let fromTime, let toDate, let toTime {
            let start = clock.day(fromDate).instantMovingForward(minutes: fromTime.minutes)
            let end = clock.day(toDate).instantMovingForward(minutes: toTime.minutes)
            if end > start { range = TimeRange(start: start, end: end) }
            else { errors.add("to_time", "Enter an end after the start.") }
        }
        guard errors.isEmpty, let range else { return try failed(context, business, nav, loaded, form, errors) }
        let actor = try context.actor()
        try context.app.database.addBlockedTime(businessID: business.id, resourceID: resource.id, range: range, reason: reason,
                                                actor: actor, now: context.instant)
        return .redirect(to: nav.base + "/resources/" + PercentDecoding.encode(resource.slug))
    }

    /// Seasonal hours: on the chosen days, these hours between two dates (in addition to the weekly ones).
    func addSeasonal(_ context: RequestContext) throws -> Response {
        let (business, nav, loaded) = try load(context)
        let resource = loaded.detail.resource
        let form = try context.form()
        var errors = FormErrors()
        let days = ManageInput.days(form.all("season_days"), field: "season_days", &errors)
        let opens = ManageInput.wallTime(form["season_opens"], field: "season_opens", &errors)
        let closes = ManageInput.wallTime(form["season_closes"], field: "season_closes", &errors)
        if let opens, let closes, closes <= opens { errors.add("season_closes", "Enter a closing time after the opening time.") }
        let from = ManageInput.date(form["season_from"], field: "season_from", &errors)
        let until = ManageInput.date(form["season_until"], field: "season_until", &errors)
        if let from, let until, until < from { errors.add("season_until", "Enter a last day on or after the first day.") }
        guard errors.isEmpty, let days, let opens, let closes, let from, let until else {
            return try failed(context, business, nav, loaded, form, errors)
        }
        let rules = days.map { WeeklyRule(weekday: $0, opens: opens, closes: closes, validFrom: from, validUntil: until) }
        let actor = try context.auditActor()
        try context.app.database.addSeasonalHours(businessID: business.id, resourceID: resource.id, rules: rules, actor: actor,
                                                  now: context.instant)
        return .redirect(to: nav.base + "/resources/" + PercentDecoding.encode(resource.slug))
    }

    /// Removes an override, a blocked time or a seasonal rule (`:what` in the path).
    func removeItem(_ context: RequestContext) throws -> Response {
        let (business, nav, loaded) = try load(context)
        let resource = loaded.detail.resource
        let what = try context.parameter("what")
        guard let id = Int64(try context.parameter("id")) else { throw WebError.notFound() }
        let actor = try context.auditActor()
        let removed = try context.app.database.removeScheduleItem(businessID: business.id, resourceID: resource.id, what: what,
                                                                  id: id, actor: actor, now: context.instant)
        guard removed else { throw WebError.notFound() }
        return .redirect(to: nav.base + "/resources/" + PercentDecoding.encode(resource.slug))
    }
}
