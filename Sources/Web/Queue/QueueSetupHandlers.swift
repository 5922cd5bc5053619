import BookingCore
import Foundation
import HTTPServer
import Store

extension App {
    /// The owner's queue forms (`/manage/{business}/queue-setup…`), beside the estimate report.
    static func addQueueSetupRoutes(to table: inout RouteTable) {
        let setup = QueueSetupHandlers()
        table.add("GET", "/manage/:business/queue-setup", requires: .permission(.serviceTemplateManage), setup.list)
        table.add("GET", "/manage/:business/queue-setup/new", requires: .permission(.serviceTemplateManage), setup.newForm)
        table.add("POST", "/manage/:business/queue-setup/new", requires: .permission(.serviceTemplateManage), setup.create)
        table.add("GET", "/manage/:business/queue-setup/:queue", requires: .permission(.serviceTemplateManage), setup.editForm)
        table.add("POST", "/manage/:business/queue-setup/:queue", requires: .permission(.serviceTemplateManage), setup.save)
    }
}

/// An owner creates and edits walk-in queues: name and address, opening hours, who serves it, its
/// services with the minutes each is expected to take (the estimates' prior) and the party sizes
/// it takes. Forms work without JavaScript; errors follow the other manage forms (summary + field).
struct QueueSetupHandlers: Sendable {
    /// Blank service rows offered under the existing ones.
    static let blankServiceRows = 2

    struct ListPage: Sendable {
        struct Row: Sendable {
            let name: String
            let status: String
            let editURL: String
            let reportURL: String
            let liveURL: String
            let publicURL: String
        }
        let layout: Layout
        let nav: ManageNav
        let rows: [Row]
        let hasRows: Bool
        let newURL: String
        let notice: String?
    }

    struct FormPage: Sendable {
        struct ServiceRow: Sendable {
            let index: Int
            let number: Int
            let slug: String
            let name: String
            let minutes: String
            var error: String?
        }
        struct ServerOption: Sendable {
            let slug: String
            let name: String
            let checked: Bool
        }
        let layout: Layout
        let nav: ManageNav
        let heading: String
        let action: String
        let isNew: Bool
        let listURL: String
        let timeZone: String
        var name = ""
        var slug = ""
        var description = ""
        var days: [VersionForm.HourRow] = []
        var services: [ServiceRow] = []
        var serviceRows = 0
        var servers: [ServerOption] = []
        var minPartySize = "1"
        var maxPartySize = "20"
        var live = true
        var errors = FormErrors()
    }

    func list(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        let rows = try context.app.database.queues(business: business).map { queue in
            ListPage.Row(name: queue.name, status: queue.live ? "Taking people in its hours" : "Paused",
                         editURL: nav.base + "/queue-setup/" + PercentDecoding.encode(queue.slug),
                         reportURL: nav.base + "/queues/" + PercentDecoding.encode(queue.slug),
                         liveURL: StaffQueue.base(business, queue.slug),
                         publicURL: "/q/\(PercentDecoding.encode(business.slug))/\(PercentDecoding.encode(queue.slug))")
        }
        return context.app.page("manage/queues", ListPage(layout: try context.layout(title: "Queues — \(business.name)"), nav: nav,
                                                          rows: rows, hasRows: !rows.isEmpty, newURL: nav.base + "/queue-setup/new",
                                                          notice: ["created": "Queue created.", "saved": "Queue saved."][context.request.query["done"] ?? ""]))
    }

    func newForm(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        var page = try blank(context, business, nav, queue: nil)
        page.days = Self.days([])
        page.services = Self.serviceRows([])
        page.serviceRows = page.services.count
        return context.app.page("manage/queue-form", page)
    }

    func editForm(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        guard let queue = try context.app.database.queue(business: business, slug: try context.parameter("queue")) else {
            throw WebError.notFound("We could not find that queue.")
        }
        var page = try blank(context, business, nav, queue: queue)
        page.name = queue.name
        page.slug = queue.slug
        page.description = queue.description
        page.days = Self.days(queue.hours)
        page.services = Self.serviceRows(queue.services.map { ($0.slug, $0.name, String($0.priorMinutes)) })
        page.serviceRows = page.services.count
        let serving = Set(queue.servers.map(\.slug))
        page.servers = page.servers.map { .init(slug: $0.slug, name: $0.name, checked: serving.contains($0.slug)) }
        page.minPartySize = String(queue.minPartySize)
        page.maxPartySize = String(queue.maxPartySize)
        page.live = queue.live
        return context.app.page("manage/queue-form", page)
    }

    func create(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        let form = try context.form()
        var errors = FormErrors()
        let setup = Self.parse(form, isNew: true, &errors)
        if errors.isEmpty, let setup {
            do {
                try context.app.database.createQueue(business: business, setup: setup, now: context.instant,
                                                     actor: Actor(try context.auditActor()))
                return .redirect(to: nav.base + "/queue-setup?done=created")
            } catch QueueFailure.invalid(let field, let message) {
                errors.add(field, message.sentence)
            }
        }
        return try again(context, business, nav, queue: nil, form: form, errors: errors)
    }

    func save(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        let slug = try context.parameter("queue")
        guard let queue = try context.app.database.queue(business: business, slug: slug) else {
            throw WebError.notFound("We could not find that queue.")
        }
        let form = try context.form()
        var errors = FormErrors()
        let setup = Self.parse(form, isNew: false, &errors)
        if errors.isEmpty, var setup {
            setup.slug = queue.slug
            do {
                try context.app.database.updateQueue(business: business, slug: queue.slug, setup: setup, now: context.instant,
                                                     actor: Actor(try context.auditActor()))
                return .redirect(to: nav.base + "/queue-setup?done=saved")
            } catch QueueFailure.invalid(let field, let message) {
                errors.add(field, message.sentence)
            }
        }
        return try again(context, business, nav, queue: queue, form: form, errors: errors)
    }

    // MARK: Form

    private func blank(_ context: RequestContext, _ business: Business, _ nav: ManageNav, queue: QueueInfo?) throws -> FormPage {
        let servers = try context.app.database.resources(businessID: business.id)
            .filter { $0.kind == .host || $0.kind == .venue }
            .map { FormPage.ServerOption(slug: $0.slug, name: $0.name, checked: false) }
        var page = FormPage(layout: try context.layout(title: (queue.map { "Edit \($0.name)" } ?? "New queue") + " — \(business.name)", withForm: true),
                            nav: nav, heading: queue.map { "Edit \($0.name)" } ?? "New queue",
                            action: nav.base + "/queue-setup/" + (queue.map { PercentDecoding.encode($0.slug) } ?? "new"), isNew: queue == nil,
                            listURL: nav.base + "/queue-setup", timeZone: business.timeZone)
        page.servers = servers
        return page
    }

    /// The form again with what was typed and why it was refused (422).
    private func again(_ context: RequestContext, _ business: Business, _ nav: ManageNav, queue: QueueInfo?, form: FormData,
                       errors: FormErrors) throws -> Response {
        var page = try blank(context, business, nav, queue: queue)
        page.name = String((form["name"] ?? "").prefix(120))
        page.slug = queue?.slug ?? String((form["slug"] ?? "").prefix(60))
        page.description = String((form["description"] ?? "").prefix(1000))
        page.days = zip(ManageInput.dayKeys, ManageInput.dayNames).map {
            VersionForm.HourRow(key: $0, label: $1, opens: String((form["opens_\($0)"] ?? "").prefix(5)), closes: String((form["closes_\($0)"] ?? "").prefix(5)))
        }
        let count = Swift.min(22, Int(form["service_rows"] ?? "") ?? 0)
        page.services = (0..<count).map { i in
            FormPage.ServiceRow(index: i, number: i + 1, slug: String((form["service_slug_\(i)"] ?? "").prefix(60)),
                                name: String((form["service_name_\(i)"] ?? "").prefix(120)), minutes: String((form["service_minutes_\(i)"] ?? "").prefix(5)),
                                error: errors["service_name_\(i)"] ?? errors["service_minutes_\(i)"])
        }
        page.serviceRows = count
        let chosen = Set(form.all("servers"))
        page.servers = page.servers.map { .init(slug: $0.slug, name: $0.name, checked: chosen.contains($0.slug)) }
        page.minPartySize = String((form["min_party_size"] ?? "").prefix(3))
        page.maxPartySize = String((form["max_party_size"] ?? "").prefix(3))
        page.live = form["status"] != "paused"
        page.errors = errors
        return context.app.page("manage/queue-form", page, status: .unprocessable)
    }

    static func days(_ rules: [WeeklyRule]) -> [VersionForm.HourRow] {
        zip(ManageInput.dayKeys, ManageInput.dayNames).enumerated().map { index, day in
            let rule = rules.first { $0.weekday.rawValue == index + 1 }
            return VersionForm.HourRow(key: day.0, label: day.1, opens: rule.map { "\($0.opens)" } ?? "", closes: rule.map { "\($0.closes)" } ?? "")
        }
    }

    /// The existing services, then blank rows for new ones.
    static func serviceRows(_ existing: [(slug: String, name: String, minutes: String)]) -> [FormPage.ServiceRow] {
        let all = existing + Array(repeating: (slug: "", name: "", minutes: ""), count: blankServiceRows)
        return all.enumerated().map { FormPage.ServiceRow(index: $0, number: $0 + 1, slug: $1.slug, name: $1.name, minutes: $1.minutes) }
    }

    /// The queue the form describes, or nil with a sentence per field at fault.
    static func parse(_ form: FormData, isNew: Bool, _ errors: inout FormErrors) -> QueueSetup? {
        let name = ManageInput.name(form["name"], field: "name", what: "a name for the queue", &errors)
        var slug = ""
        if isNew {
            let typed = ManageInput.trimmed(form["slug"])
            slug = typed.isEmpty ? Validation.slug(name ?? "") : typed
            if !typed.isEmpty && Validation.slug(typed) != typed {
                errors.add("slug", "Use only lower-case letters, digits and hyphens in the web address, like walk-ins.")
            } else if slug == "new" {
                errors.add("slug", "Choose another web address: “new” is taken by this page.")
            }
        }
        let description = ManageInput.trimmed(form["description"])
        if description.count > 1000 { errors.add("description", "Use at most 1000 characters for the description.") }
        let hours = ManageInput.weeklyRules(form, &errors)
        if hours.isEmpty && errors.isEmpty { errors.add("hours", "Enter opening hours on at least one day.") }
        var services: [QueueSetup.Service] = []
        for i in 0..<Swift.min(22, Int(form["service_rows"] ?? "") ?? 0) {
            let serviceName = ManageInput.trimmed(form["service_name_\(i)"]), minutesText = ManageInput.trimmed(form["service_minutes_\(i)"])
            // A blank row is left out; an existing service whose name is cleared is removed.
            if serviceName.isEmpty && (minutesText.isEmpty || !(form["service_slug_\(i)"] ?? "").isEmpty) { continue }
            if serviceName.isEmpty { errors.add("service_name_\(i)", "Enter a name for service \(i + 1), or clear its minutes."); continue }
            guard let minutes = ManageInput.integer(minutesText, field: "service_minutes_\(i)", in: 1...1440, unit: "minutes", &errors) else { continue }
            services.append(QueueSetup.Service(slug: ManageInput.trimmed(form["service_slug_\(i)"]), name: serviceName, priorMinutes: minutes))
        }
        if services.isEmpty && errors.isEmpty { errors.add("services", "Add at least one service with the minutes it usually takes.") }
        let servers = form.all("servers")
        if servers.isEmpty { errors.add("servers", "Choose who serves this queue.") }
        let smallest = ManageInput.integer(form["min_party_size"], field: "min_party_size", in: 1...20, unit: "people", &errors)
        let largest = ManageInput.integer(form["max_party_size"], field: "max_party_size", in: 1...20, unit: "people", &errors)
        if let smallest, let largest, largest < smallest {
            errors.add("max_party_size", "Enter a largest party of at least the smallest (\(smallest)).")
        }
        guard errors.isEmpty, let name, let smallest, let largest else { return nil }
        return QueueSetup(slug: slug, name: name, description: description, hours: hours, services: services, serverSlugs: servers,
                          minPartySize: smallest, maxPartySize: largest, live: form["status"] != "paused")
    }
}
