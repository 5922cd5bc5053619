import BookingCore
import HTTPServer
import Store

/// An offer's name, description and sensitive flag: they live on the offer, not on its versions, so
/// they change at once without a new version. The slug stays, so public links keep working.
extension OfferHandlers {
    func saveDetails(_ context: RequestContext) throws -> Response {
        let loaded = try load(context)
        let form = try context.form()
        var errors = FormErrors()
        let name = ManageInput.name(form["offer_name"], field: "offer_name", what: "a name", &errors)
        let description = ManageInput.trimmed(form["offer_description"])
        if description.count > 4000 { errors.add("offer_description", "Use at most 4000 characters for the description.") }
        let sensitive = form["sensitive"] != nil
        guard errors.isEmpty, let name else {
            var page = try detailPage(context, loaded)
            page.details = .init(name: String((form["offer_name"] ?? "").prefix(200)), description: String(description.prefix(4000)),
                                 sensitive: sensitive)
            page.errors = errors
            return context.app.page("manage/offer", page, status: .unprocessable)
        }
        let actor = try context.auditActor()
        try context.app.database.updateOfferDetails(businessID: loaded.business.id, offerID: loaded.offer.id,
                                                    details: .init(name: name, description: description, sensitive: sensitive),
                                                    actor: actor, now: context.instant)
        return .redirect(to: loaded.nav.base + "/offers/" + PercentDecoding.encode(loaded.offer.slug) + "?saved=1")
    }
}
