import BookingCore
import Foundation
import HTTPServer
import Store

/// The builder's catalog through the API (issue 15): resources with their weekly hours, date
/// overrides and blocked time; offers created as drafts, edited and published. Each endpoint calls
/// the Store method the builder page calls, and input goes through the builder's own checks
/// (`ManageInput`, `VersionForm.parse`), so the API and the pages cannot disagree on what is valid.
/// What a key creates records the key (migration 0130).
extension App {
    static func addCatalogRoutes(to table: inout RouteTable) {
        let resources = ResourceAPI()
        table.add("POST", "/api/v1/resources", requires: .apiKey(.providerManageOrg), resources.create)
        table.add("GET", "/api/v1/resources/:resource", requires: .apiKey(.providerManageOrg), resources.show)
        table.add("POST", "/api/v1/resources/:resource", requires: .apiKey(.providerManageOrg), resources.update)
        table.add("POST", "/api/v1/resources/:resource/hours", requires: .apiKey(.providerManageOrg), resources.saveHours)
        table.add("POST", "/api/v1/resources/:resource/closures", requires: .apiKey(.providerManageOrg), resources.addClosure)
        table.add("DELETE", "/api/v1/resources/:resource/closures/:id", requires: .apiKey(.providerManageOrg), resources.removeClosure)
        table.add("POST", "/api/v1/resources/:resource/blocks", requires: .apiKey(.providerManageOrg), resources.addBlock)
        table.add("DELETE", "/api/v1/resources/:resource/blocks/:id", requires: .apiKey(.providerManageOrg), resources.removeBlock)

        let offers = OfferAPI()
        table.add("POST", "/api/v1/offers", requires: .apiKey(.serviceTemplateManage), offers.create)
        table.add("GET", "/api/v1/offers/:offer", requires: .apiKey(.serviceTemplateManage), offers.show)
        table.add("POST", "/api/v1/offers/:offer/draft", requires: .apiKey(.serviceTemplateManage), offers.saveDraft)
        table.add("POST", "/api/v1/offers/:offer/publish", requires: .apiKey(.serviceTemplateManage), offers.publish)
        table.add("POST", "/api/v1/offers/:offer/status", requires: .apiKey(.serviceTemplateManage), offers.setStatus)
    }
}

/// The builder's form checks, answered in the API's shape: the first field at fault, named as the
/// API names it, with the builder's sentence.
enum CatalogInput {
    static func refuse(_ errors: FormErrors, fieldNames: (String) -> String) -> WebError {
        let first = errors.list.first
        return .unprocessable("validation_failed", first?.message ?? "The request is not valid.",
                              field: first.map { fieldNames($0.field) })
    }

    static let dayKeys = ManageInput.dayKeys

    /// `{"mon":{"opens":"09:00","closes":"17:00"},…}` as the form fields `{prefix}opens_mon`…; days
    /// left out are closed.
    static func hoursFields(_ json: StrictJSON, name: String, prefix: String) throws -> [String: String]? {
        guard let week = try json.object(name, allowed: Set(dayKeys)) else { return nil }
        var fields: [String: String] = [:]
        for day in dayKeys {
            fields["\(prefix)opens_\(day)"] = ""
            fields["\(prefix)closes_\(day)"] = ""
            guard let hours = try week.object(day, allowed: ["opens", "closes"]) else { continue }
            fields["\(prefix)opens_\(day)"] = try hours.requiredString("opens", maxLength: 5)
            fields["\(prefix)closes_\(day)"] = try hours.requiredString("closes", maxLength: 5)
        }
        return fields
    }

    /// `opens_mon` → `hours.mon.opens` (with the form's `prefix`), or nil for another field.
    static func hoursField(_ field: String, prefix: String) -> String? {
        for day in dayKeys {
            if field == "\(prefix)opens_\(day)" { return "hours.\(day).opens" }
            if field == "\(prefix)closes_\(day)" { return "hours.\(day).closes" }
        }
        return nil
    }

    /// Weekly hours from the JSON `hours` object through the builder's parser.
    static func weeklyRules(_ json: StrictJSON) throws -> [WeeklyRule]? {
        guard let fields = try hoursFields(json, name: "hours", prefix: "") else { return nil }
        var errors = FormErrors()
        let rules = ManageInput.weeklyRules(VersionForm.formData(fields), &errors)
        guard errors.isEmpty else { throw refuse(errors) { hoursField($0, prefix: "") ?? "hours" } }
        return rules
    }

    /// Tags as the builder keeps them: each made a slug, empty ones dropped, at most 20.
    static func tags(_ json: StrictJSON) throws -> [String]? {
        guard let list = try json.stringArray("tags", maxCount: 20) else { return nil }
        guard list.allSatisfy({ $0.unicodeScalars.count <= 60 }) else {
            throw WebError.unprocessable("validation_failed", "Each tag must be at most 60 characters.", field: "tags")
        }
        var errors = FormErrors()
        guard let tags = ManageInput.tags(list: list, &errors) else { throw refuse(errors) { _ in "tags" } }
        return tags
    }

    static func name(_ json: StrictJSON, required: Bool) throws -> String? {
        guard let raw = try json.string("name", maxLength: 120) else {
            if required { throw WebError.unprocessable("validation_failed", "name is required.", field: "name") }
            return nil
        }
        try printable(raw, field: "name")
        // As the document states it: an ASCII letter or digit (the slug is made of those).
        guard raw.unicodeScalars.contains(where: { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }) else {
            throw WebError.unprocessable("validation_failed", "Use at least one letter (A to Z) or digit in the name.", field: "name")
        }
        var errors = FormErrors()
        guard let name = ManageInput.name(raw, field: "name", what: "a name", &errors) else { throw refuse(errors) { $0 } }
        return name
    }

    /// Names and labels hold no control characters (a NUL would also cut SQLite's `length()` short).
    static func printable(_ text: String, field: String) throws {
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
            throw WebError.unprocessable("validation_failed", "\(field) must not contain control characters (tabs, line breaks…).", field: field)
        }
    }

    /// The schema's statement of `printable`.
    static let printablePattern = "^[^\\u0000-\\u001f]*$"

    static func date(_ text: String, field: String) throws -> LocalDate {
        var errors = FormErrors()
        guard let date = ManageInput.date(text, field: field, &errors) else { throw refuse(errors) { $0 } }
        return date
    }

    static func instant(_ json: StrictJSON, _ name: String) throws -> Instant {
        guard let instant = RFC3339.parse(try json.requiredString(name, maxLength: 40)) else {
            throw WebError.unprocessable("validation_failed", "\(name) must be an RFC 3339 UTC time like 2026-12-01T14:00:00Z.", field: name)
        }
        return instant
    }

    /// A row id in a path (`closures/{id}`); anything else names nothing.
    static func rowID(_ context: RequestContext) throws -> Int64 {
        guard let id = Int64(try context.parameter("id")), id > 0 else { throw CatalogJSON.notFound("closure or blocked time") }
        return id
    }
}

/// `/api/v1/resources…`: the builder's resource pages as JSON.
struct ResourceAPI: Sendable {
    /// The path's resource in the key's business, or 404.
    func load(_ context: RequestContext) throws -> (APIKeys.Principal, AppDatabase.ResourcePage) {
        let principal = try context.apiPrincipal()
        guard let page = try context.app.database.resourcePage(businessID: principal.business.id, slug: try context.parameter("resource")) else {
            throw CatalogJSON.notFound("resource")
        }
        return (principal, page)
    }

    func detail(_ context: RequestContext, _ principal: APIKeys.Principal, slug: String, status: HTTPStatus = .ok) throws -> Response {
        guard let page = try context.app.database.resourcePage(businessID: principal.business.id, slug: slug) else {
            throw CatalogJSON.notFound("resource")
        }
        return .json(CatalogJSON.resourceBody(page), status: status)
    }

    func create(_ context: RequestContext) throws -> Response {
        let principal = try context.apiPrincipal()
        let json = try StrictJSON(body: context.request.body, allowed: ["name", "kind", "capacity", "tags", "hours"])
        let name = try CatalogInput.name(json, required: true)!
        let kindText = try json.requiredString("kind", maxLength: 20)
        guard let kind = ResourceKind(rawValue: kindText), ResourceHandlers.kinds.contains(where: { $0.0 == kindText }) else {
            throw WebError.unprocessable("validation_failed", "kind must be one of \(ResourceHandlers.kinds.map(\.0).joined(separator: ", ")).",
                                         field: "kind")
        }
        let capacity = try json.int("capacity", in: 1...10000) ?? 1
        let tags = try CatalogInput.tags(json) ?? []
        let hours = try CatalogInput.weeklyRules(json) ?? []
        let slug = try context.app.database.createResource(businessID: principal.business.id, name: name, kind: kind, capacity: capacity,
                                                           tags: tags, hours: hours, actor: .apiKey(principal.keyID), now: context.instant)
        return try detail(context, principal, slug: slug, status: .created)
    }

    func show(_ context: RequestContext) throws -> Response {
        let (_, page) = try load(context)
        return .json(CatalogJSON.resourceBody(page))
    }

    /// Name, tags, capacity and limits; fields left out keep their value.
    func update(_ context: RequestContext) throws -> Response {
        let (principal, page) = try load(context)
        let resource = page.detail.resource
        let json = try StrictJSON(body: context.request.body, allowed: ["name", "tags", "capacity", "max_bookings_per_day", "min_rest_minutes"])
        let name = try CatalogInput.name(json, required: false) ?? resource.name
        let tags = try CatalogInput.tags(json) ?? resource.tags
        let capacity = try json.int("capacity", in: 1...10000) ?? resource.capacity
        if resource.kind == .host && capacity != resource.capacity {
            throw WebError.unprocessable("validation_failed", "A host is one person: its capacity stays \(resource.capacity).", field: "capacity")
        }
        // 0 lifts a limit.
        let perDay = try json.int("max_bookings_per_day", in: 0...1000).map { $0 == 0 ? nil : Optional($0) } ?? page.limits.maxBookingsPerDay
        let rest = try json.int("min_rest_minutes", in: 0...1440).map { $0 == 0 ? nil : Optional($0) } ?? page.limits.minRestMinutes
        switch try context.app.database.updateResourceDetails(
            businessID: principal.business.id, resource: resource,
            details: .init(name: name, tags: tags, capacity: capacity, locationID: page.locationID,
                           limits: ResourceLimits(maxBookingsPerDay: perDay, minRestMinutes: rest)),
            actor: Actor.apiKey(principal.keyID).label, now: context.instant) {
        case .updated:
            return try detail(context, principal, slug: resource.slug)
        case .capacityBelowBookings(let peak):
            throw WebError.conflict("capacity_below_bookings",
                                    "\(peak) upcoming bookings overlap on \(resource.name), so the capacity cannot be lower than \(peak) until they are over or moved.",
                                    field: "capacity")
        case .unknownLocation:
            throw WebError(.internalServerError, code: "internal_error", "The resource's location is gone.")
        }
    }

    /// Replaces the weekly hours (seasonal hours stay); days left out are closed.
    func saveHours(_ context: RequestContext) throws -> Response {
        let (principal, page) = try load(context)
        let json = try StrictJSON(body: context.request.body, allowed: ["hours"])
        guard let rules = try CatalogInput.weeklyRules(json) else {
            throw WebError.unprocessable("validation_failed", "hours is required: an object of days, like {\"mon\":{\"opens\":\"09:00\",\"closes\":\"17:00\"}}.",
                                         field: "hours")
        }
        try context.app.database.replaceWeeklyHours(businessID: principal.business.id, resource: page.detail.resource, rules: rules,
                                                    actor: Actor.apiKey(principal.keyID).label, now: context.instant)
        return try detail(context, principal, slug: page.detail.resource.slug)
    }

    /// A date override: closed all day, or special hours instead of the weekly ones.
    func addClosure(_ context: RequestContext) throws -> Response {
        let (principal, page) = try load(context)
        let json = try StrictJSON(body: context.request.body, allowed: ["date", "kind", "opens", "closes", "note"])
        let date = try CatalogInput.date(try json.requiredString("date", maxLength: 10), field: "date")
        let note = ManageInput.trimmed(try json.string("note", maxLength: 200))
        let kind: DateOverlay.Kind
        switch try json.string("kind", maxLength: 20) ?? "closed" {
        case "closed":
            // Times sent with a closed day are refused, not dropped: the caller meant something else.
            if let field = ["opens", "closes"].first(where: json.has) {
                throw WebError.unprocessable("validation_failed",
                                             "A day closed all day has no hours: leave out opens and closes, or send kind special_hours.",
                                             field: field)
            }
            kind = .closed
        case "special_hours":
            var errors = FormErrors()
            let opens = ManageInput.wallTime(try json.requiredString("opens", maxLength: 5), field: "opens", &errors)
            let closes = ManageInput.wallTime(try json.requiredString("closes", maxLength: 5), field: "closes", &errors)
            guard errors.isEmpty, let opens, let closes else { throw CatalogInput.refuse(errors) { $0 } }
            guard opens < closes else {
                throw WebError.unprocessable("validation_failed", "Enter a closing time after the opening time.", field: "closes")
            }
            kind = .specialHours([WallInterval(opens: opens, closes: closes)])
        default:
            throw WebError.unprocessable("validation_failed", "kind must be closed or special_hours.", field: "kind")
        }
        let id = try context.app.database.addDateOverride(businessID: principal.business.id, resourceID: page.detail.resource.id,
                                                          overlay: DateOverlay(date: date, kind: kind), note: note,
                                                          actor: .apiKey(principal.keyID), now: context.instant)
        guard let added = try context.app.database.resourcePage(businessID: principal.business.id, slug: page.detail.resource.slug)?
            .detail.overlays.first(where: { $0.id == id }) else { throw CatalogJSON.notFound("closure") }
        return .json(CatalogJSON.closureBody(added), status: .created)
    }

    /// Blocked time (time off, maintenance) between two instants.
    func addBlock(_ context: RequestContext) throws -> Response {
        let (principal, page) = try load(context)
        let json = try StrictJSON(body: context.request.body, allowed: ["start", "end", "reason"])
        let start = try CatalogInput.instant(json, "start"), end = try CatalogInput.instant(json, "end")
        guard end > start else { throw WebError.unprocessable("validation_failed", "Enter an end after the start.", field: "end") }
        let reason = ManageInput.trimmed(try json.string("reason", maxLength: 200))
        let id = try context.app.database.addBlockedTime(businessID: principal.business.id, resourceID: page.detail.resource.id,
                                                         range: TimeRange(start: start, end: end), reason: reason,
                                                         actor: .apiKey(principal.keyID), now: context.instant)
        guard let added = try context.app.database.resourcePage(businessID: principal.business.id, slug: page.detail.resource.slug)?
            .detail.blocked.first(where: { $0.id == id }) else { throw CatalogJSON.notFound("blocked time") }
        return .json(CatalogJSON.blockBody(added), status: .created)
    }

    func removeClosure(_ context: RequestContext) throws -> Response { try remove(context, what: "override") }
    func removeBlock(_ context: RequestContext) throws -> Response { try remove(context, what: "block") }

    private func remove(_ context: RequestContext, what: String) throws -> Response {
        let (principal, page) = try load(context)
        guard try context.app.database.removeScheduleItem(businessID: principal.business.id, resourceID: page.detail.resource.id, what: what,
                                                          id: try CatalogInput.rowID(context), actor: Actor.apiKey(principal.keyID).label,
                                                          now: context.instant) else {
            throw CatalogJSON.notFound(what == "block" ? "blocked time" : "closure")
        }
        return Response(status: .noContent)
    }
}
