import BookingCore
import Foundation
import HTTPServer
import Store

/// `/manage/{business}/offers/{offer}/rental`: the rental terms of a multi-day offer (pick-up and
/// return times, a price per night or per day, the weekly discount, the shortest and longest
/// rental, the turnover between a return and the next pick-up, the deposit). Saving publishes a
/// new version; bookings already sold keep theirs.
struct RentalTermsHandlers: Sendable {
    struct Page: Sendable {
        let layout: Layout
        let nav: ManageNav
        let offerName: String
        let offerURL: String
        let publicURL: String
        let action: String
        let currency: String
        let timeZone: String
        var values: [String: String] = [:]
        var units: [Option] = []
        var depositKinds: [Option] = []
        var saved = false
        var isNew = false
        var errors = FormErrors()
    }

    private func load(_ context: RequestContext) throws -> (Business, ManageNav, OfferInfo, RentalTerms?) {
        let (business, _, nav) = try context.managedBusiness()
        guard let found = try context.app.database.rentalSetup(business: business, offerSlug: try context.parameter("offer")) else {
            throw WebError.notFound("There is no published multi-day offer by that name. Publish a version from the offer page first.")
        }
        return (business, nav, found.offer, found.terms)
    }

    private func page(_ context: RequestContext, _ business: Business, _ nav: ManageNav, _ offer: OfferInfo) throws -> Page {
        let offerURL = nav.base + "/offers/" + PercentDecoding.encode(offer.slug)
        return Page(layout: try context.layout(title: "Rental terms — \(offer.name)", withForm: true), nav: nav, offerName: offer.name,
                    offerURL: offerURL, publicURL: "/b/\(PercentDecoding.encode(business.slug))/\(PercentDecoding.encode(offer.slug))",
                    action: offerURL + "/rental", currency: offer.spec.price.currency, timeZone: business.timeZone)
    }

    static func choices(_ values: [String: String]) -> (units: [Option], deposits: [Option]) {
        (Option.list([("day", "Per day (Friday to Sunday is 3 days)"), ("night", "Per night (Friday to Sunday is 2 nights)")],
                     selected: values["unit"] ?? "day"),
         Option.list([("none", "No deposit"), ("percent", "A percent of the total"), ("fixed", "A fixed amount")],
                     selected: values["deposit_kind"] ?? "none"))
    }

    func show(_ context: RequestContext) throws -> Response {
        let (business, nav, offer, terms) = try load(context)
        var page = try page(context, business, nav, offer)
        let currency = offer.spec.price.currency
        let t = terms ?? RentalTerms(pickUp: WallTime(hour: 9, minute: 0)!, returnBy: WallTime(hour: 17, minute: 0)!, unit: .day, rate: 0)
        var values = ["pick_up_time": "\(t.pickUp)", "return_time": "\(t.returnBy)", "unit": t.unit.rawValue,
                      "rate": ManageInput.amount(t.rate, currency), "weekly_discount": String(t.weeklyDiscountPercent),
                      "min_units": String(t.minUnits), "max_units": String(t.maxUnits),
                      "turnover": String(offer.spec.bufferAfterMinutes), "deposit_kind": "none"]
        switch offer.spec.deposit {
        case .percent(let p): values["deposit_kind"] = "percent"; values["deposit_percent"] = String(p)
        case .fixed(let amount): values["deposit_kind"] = "fixed"; values["deposit_amount"] = ManageInput.amount(amount, currency)
        case nil: break
        }
        page.values = values
        (page.units, page.depositKinds) = Self.choices(values)
        page.saved = context.request.query["saved"] != nil
        page.isNew = terms == nil
        return context.app.page("manage/rental-terms", page)
    }

    func save(_ context: RequestContext) throws -> Response {
        let (business, nav, offer, terms) = try load(context)
        let form = try context.form()
        var errors = FormErrors()
        if let setup = Self.parse(form, currency: offer.spec.price.currency, &errors) {
            do {
                try context.app.database.publishRentalSetup(business: business, offerSlug: offer.slug, setup: setup, now: context.instant,
                                                            actor: Actor(try context.auditActor()))
                return .redirect(to: nav.base + "/offers/" + PercentDecoding.encode(offer.slug) + "/rental?saved=1")
            } catch BookingFailure.invalid(let field, let message) {
                errors.add(field, message.sentence)
            }
        }
        var page = try page(context, business, nav, offer)
        let fields = ["pick_up_time", "return_time", "unit", "rate", "weekly_discount", "min_units", "max_units", "turnover",
                      "deposit_kind", "deposit_percent", "deposit_amount"]
        page.values = Dictionary(uniqueKeysWithValues: fields.map { ($0, String((form[$0] ?? "").prefix(20))) })
        (page.units, page.depositKinds) = Self.choices(page.values)
        page.isNew = terms == nil
        page.errors = errors
        return context.app.page("manage/rental-terms", page, status: .unprocessable)
    }

    /// The setup the form describes, or nil with a sentence per field at fault.
    static func parse(_ form: FormData, currency: String, _ errors: inout FormErrors) -> RentalSetup? {
        let pickUp = ManageInput.wallTime(form["pick_up_time"], field: "pick_up_time", &errors)
        let returnBy = ManageInput.wallTime(form["return_time"], field: "return_time", &errors)
        let unit = RentalTerms.Unit(rawValue: form["unit"] ?? "")
        if unit == nil { errors.add("unit", "Choose whether the price is per day or per night.") }
        let rate = ManageInput.price(form["rate"], currency: currency, field: "rate", &errors)
        let discount = ManageInput.integer(form["weekly_discount"], field: "weekly_discount", in: 0...100, unit: "percent", &errors)
        let shortest = ManageInput.integer(form["min_units"], field: "min_units", in: 1...365, unit: "days or nights", &errors)
        let longest = ManageInput.integer(form["max_units"], field: "max_units", in: 1...365, unit: "days or nights", &errors)
        if let shortest, let longest, longest < shortest {
            errors.add("max_units", "Enter a longest rental of at least the shortest (\(shortest)).")
        }
        let turnover = ManageInput.integer(form["turnover"], field: "turnover", in: 0...10_080, unit: "minutes", &errors)
        var deposit: RentalSetup.Deposit?
        switch form["deposit_kind"] ?? "" {
        case "none": deposit = RentalSetup.Deposit.none
        case "percent":
            deposit = ManageInput.integer(form["deposit_percent"], field: "deposit_percent", in: 1...100, unit: "percent", &errors).map { .percent($0) }
        case "fixed":
            deposit = ManageInput.price(form["deposit_amount"], currency: currency, field: "deposit_amount", &errors).map { .fixed($0) }
        default: errors.add("deposit_kind", "Choose no deposit, a percent or a fixed amount.")
        }
        guard errors.isEmpty, let pickUp, let returnBy, let unit, let rate, let discount, let shortest, let longest, let turnover,
              let deposit else { return nil }
        return RentalSetup(terms: RentalTerms(pickUp: pickUp, returnBy: returnBy, unit: unit, rate: rate, weeklyDiscountPercent: discount,
                                              minUnits: shortest, maxUnits: longest),
                           turnoverMinutes: turnover, deposit: deposit)
    }
}
