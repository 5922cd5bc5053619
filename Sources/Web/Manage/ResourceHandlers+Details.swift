import BookingCore
import HTTPServer
import Store

/// A resource's name, tags, capacity (not for a host: a person is one booking at a time) and
/// location, edited after creation. The slug stays, so links and API names keep working.
struct ResourceDetailsForm: Sendable {
    var name: String
    var tags: String
    var capacity: String
    let showCapacity: Bool
    var locations: [Option]
    /// Empty: no limit.
    var maxPerDay: String
    var minRest: String

    static let unknownLocation = "Choose one of your locations, or no location."

    static func choices(_ rows: [ManageCatalog.LocationRow]) -> [(String, String)] {
        [("", "No location")] + rows.map { (String($0.id), $0.address.isEmpty ? $0.name : "\($0.name) — \($0.address)") }
    }

    /// As stored.
    init(_ loaded: AppDatabase.ResourcePage) {
        let resource = loaded.detail.resource
        name = resource.name
        tags = resource.tags.joined(separator: ", ")
        capacity = String(resource.capacity)
        showCapacity = resource.kind != .host
        locations = Option.list(Self.choices(loaded.locations), selected: loaded.locationID.map(String.init) ?? "")
        maxPerDay = loaded.limits.maxBookingsPerDay.map(String.init) ?? ""
        minRest = loaded.limits.minRestMinutes.map(String.init) ?? ""
    }

    /// The limits as entered: empty fields mean no limit.
    static func limits(_ form: FormData, _ errors: inout FormErrors) -> ResourceLimits {
        let perDay = ManageInput.trimmed(form["max_per_day"]), rest = ManageInput.trimmed(form["min_rest"])
        return ResourceLimits(
            maxBookingsPerDay: perDay.isEmpty ? nil : ManageInput.integer(perDay, field: "max_per_day", in: 1...1000, unit: "bookings", &errors),
            minRestMinutes: rest.isEmpty ? nil : ManageInput.minutes(rest, field: "min_rest", in: 0...1440, &errors))
    }
}

extension ResourceHandlers {
    func saveDetails(_ context: RequestContext) throws -> Response {
        let (business, nav, loaded) = try load(context)
        let resource = loaded.detail.resource
        let form = try context.form()
        var errors = FormErrors()
        let name = ManageInput.name(form["resource_name"], field: "resource_name", what: "a name", &errors)
        let tags = ManageInput.tags(form["resource_tags"], field: "resource_tags", &errors)
        let capacity = resource.kind == .host ? resource.capacity
            : ManageInput.integer(form["resource_capacity"], field: "resource_capacity", in: 1...10000,
                                  unit: "people or bookings", &errors)
        let limits = ResourceDetailsForm.limits(form, &errors)
        let locations = loaded.locations
        let locationText = ManageInput.trimmed(form["location"])
        var locationID: LocationID?
        if !locationText.isEmpty {
            locationID = LocationID(locationText).flatMap { id in locations.contains { $0.id == id } ? id : nil }
            if locationID == nil { errors.add("location", ResourceDetailsForm.unknownLocation) }
        }
        let refuse = { (peak: Int) in
            errors.add("resource_capacity", "\(peak) upcoming bookings overlap on \(resource.name), so the capacity "
                       + "cannot be lower than \(peak) until they are over or moved.")
        }
        let failed = { (errors: FormErrors) throws -> Response in
            var page = try detailPage(context, business, nav, loaded)
            page.details.name = String((form["resource_name"] ?? "").prefix(200))
            page.details.tags = String((form["resource_tags"] ?? "").prefix(400))
            page.details.capacity = String((form["resource_capacity"] ?? "").prefix(10))
            page.details.locations = Option.list(ResourceDetailsForm.choices(locations), selected: locationText)
            page.details.maxPerDay = String((form["max_per_day"] ?? "").prefix(10))
            page.details.minRest = String((form["min_rest"] ?? "").prefix(10))
            page.errors = errors
            return context.app.page("manage/resource", page, status: .unprocessable)
        }
        guard errors.isEmpty, let name, let tags, let capacity else {
            // The form is shown again: say as well whether the lowered capacity is below the bookings.
            if let capacity, capacity < resource.capacity {
                let peak = try context.app.database.peakOverlap(businessID: business.id, resourceID: resource.id,
                                                                now: context.instant)
                if capacity < peak { refuse(peak) }
            }
            return try failed(errors)
        }
        // The location and the capacity against the bookings are checked inside the write.
        switch try context.app.database.updateResourceDetails(
            businessID: business.id, resource: resource,
            details: .init(name: name, tags: tags, capacity: capacity, locationID: locationID, limits: limits),
            actor: try context.auditActor(), now: context.instant) {
        case .updated:
            return .redirect(to: nav.base + "/resources/" + PercentDecoding.encode(resource.slug) + "?saved=1")
        case .capacityBelowBookings(let peak):
            refuse(peak)
        case .unknownLocation:
            errors.add("location", ResourceDetailsForm.unknownLocation)
        }
        return try failed(errors)
    }
}

/// The busy-time import on the resource page: what the last fetch did, in a sentence.
struct ImportView: Sendable {
    let status: String
    let failing: Bool

    init(_ status: CalendarImportStatus, clock: ZoneClock) {
        func when(_ instant: Instant) -> String {
            let local = clock.local(instant)
            return "\(local.date) \(local.time)"
        }
        let busy = "\(status.busyCount) busy \(status.busyCount == 1 ? "time" : "times")"
        if let error = status.lastError {
            failing = true
            self.status = "The last fetch failed: \(error) "
                + (status.lastSuccessAt.map { "The copy fetched \(when($0)) (\(busy)) is still used." } ?? "Nothing is blocked yet.")
        } else if let success = status.lastSuccessAt {
            failing = false
            self.status = "Fetched \(when(success)): \(busy) ahead."
        } else {
            failing = false
            self.status = "Waiting for the first fetch (within a minute)."
        }
    }
}

extension ResourceHandlers {
    /// Subscribes the resource to an external calendar's busy times, or (empty) stops. The URL is
    /// checked like a webhook's (http(s), a public address unless the server allows private ones).
    func saveCalendarImport(_ context: RequestContext) throws -> Response {
        let (business, nav, loaded) = try load(context)
        let resource = loaded.detail.resource
        let form = try context.form()
        let raw = ManageInput.trimmed(form["url"])
        var url: String?
        if !raw.isEmpty {
            switch WebhookInput.url(raw, policy: context.app.webhookDestinations, purpose: "Calendar addresses",
                                    example: "https://calendar.example.com/private/basic.ics") {
            case .success(let checked): url = checked
            case .failure(let error):
                var errors = FormErrors()
                errors.add("url", error.message)
                return try failed(context, business, nav, loaded, form, errors)
            }
        }
        try context.app.database.setCalendarImport(businessID: business.id, resourceID: resource.id, url: url,
                                                   actor: try context.auditActor(), now: context.instant)
        return .redirect(to: nav.base + "/resources/" + PercentDecoding.encode(resource.slug) + "?saved=1")
    }
}

extension ResourceHandlers {
    /// A virtual resource's meeting link (empty: none). Customers get it only once booked: on their
    /// booking page and in the confirmation; never on public pages or in availability.
    func saveMeetingLink(_ context: RequestContext) throws -> Response {
        let (business, nav, loaded) = try load(context)
        let resource = loaded.detail.resource
        let form = try context.form()
        let raw = ManageInput.trimmed(form["meeting_link"])
        do {
            try context.app.database.setMeetingLink(businessID: business.id, resourceID: resource.id, url: raw.isEmpty ? nil : raw,
                                                    actor: try context.auditActor(), now: context.instant)
        } catch CatalogError.invalid(_, let message) {
            var errors = FormErrors()
            errors.add("meeting_link", message)
            var page = try detailPage(context, business, nav, loaded)
            page.meetingLink = String(raw.prefix(600))
            page.errors = errors
            return context.app.page("manage/resource", page, status: .unprocessable)
        }
        return .redirect(to: nav.base + "/resources/" + PercentDecoding.encode(resource.slug) + "?saved=1#meeting-heading")
    }
}
