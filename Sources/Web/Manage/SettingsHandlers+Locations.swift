import BookingCore
import HTTPServer
import Store

/// Locations in the business settings: add, rename (and re-address), remove when nothing uses them.
extension SettingsHandlers {
    /// A location's name and address from `location_name` / `location_address`; errors under `prefix_name`, `prefix_address`.
    private func parse(_ form: FormData, prefix: String, _ errors: inout FormErrors) -> (String, String)? {
        let name = ManageInput.trimmed(form["location_name"])
        let address = ManageInput.trimmed(form["location_address"])
        if name.isEmpty { errors.add("\(prefix)_name", "Enter a name for the location, for example Main street.") }
        else if name.count > 120 { errors.add("\(prefix)_name", "Use at most 120 characters for the location's name.") }
        if address.count > 500 { errors.add("\(prefix)_address", "Use at most 500 characters for the address.") }
        return errors.isEmpty ? (name, address) : nil
    }

    private func locationID(_ context: RequestContext) throws -> LocationID {
        guard let id = LocationID(try context.parameter("location")) else { throw WebError.notFound() }
        return id
    }

    func addLocation(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        let form = try context.form()
        var errors = FormErrors()
        guard let (name, address) = parse(form, prefix: "location", &errors) else {
            var page = try page(context, business, nav, errors: errors)
            page.locationName = String((form["location_name"] ?? "").prefix(200))
            page.locationAddress = String((form["location_address"] ?? "").prefix(600))
            return context.app.page("manage/settings", page, status: .unprocessable)
        }
        let actor = try context.auditActor()
        try context.app.database.addLocation(businessID: business.id, name: name, address: address, actor: actor,
                                             now: context.instant)
        return .redirect(to: nav.base + "/settings?saved=1#locations-heading")
    }

    func updateLocation(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        let id = try locationID(context)
        let form = try context.form()
        var errors = FormErrors()
        guard let (name, address) = parse(form, prefix: "location_\(id)", &errors) else {
            let locations = try context.app.database.businessLocations(businessID: business.id)
            guard locations.contains(where: { $0.id == id }) else { throw WebError.notFound() }
            let page = try page(context, business, nav, errors: errors,
                                edited: (id, String((form["location_name"] ?? "").prefix(200)),
                                         String((form["location_address"] ?? "").prefix(600))),
                                locations: locations)
            return context.app.page("manage/settings", page, status: .unprocessable)
        }
        let actor = try context.auditActor()
        let updated = try context.app.database.updateLocation(businessID: business.id, id: id, name: name, address: address,
                                                              actor: actor, now: context.instant)
        guard updated else { throw WebError.notFound() }
        return .redirect(to: nav.base + "/settings?saved=1#locations-heading")
    }

    func removeLocation(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        let id = try locationID(context)
        let actor = try context.auditActor()
        let outcome = try context.app.database.removeLocation(businessID: business.id, id: id, actor: actor,
                                                              now: context.instant)
        switch outcome {
        case .removed:
            return .redirect(to: nav.base + "/settings?saved=1#locations-heading")
        case .notFound:
            throw WebError.notFound()
        case .inUse(let users):
            var errors = FormErrors()
            errors.add("location_\(id)_name", "This location is still used by \(users.joined(separator: ", ")). "
                       + "Move them to another location (or none) first, then remove it.")
            return context.app.page("manage/settings", try page(context, business, nav, errors: errors), status: .conflict)
        }
    }
}
