import BookingCore
import Foundation
import HTTPServer
import Store

/// The page of a `multi_day` offer rented by date: its terms, a calendar of the days a rental can
/// start, and a form with a pick-up and a return date that holds the rental (then checkout as usual).
struct RentalPages: Sendable {
    static let calendarDays = 28

    struct Page: Sendable {
        struct Week: Sendable { let days: [Day] }
        struct Day: Sendable {
            let date: String
            let label: String
            let available: Bool
            let status: String
        }

        let layout: Layout
        let businessName: String
        let businessURL: String
        let offerName: String
        let offerDescription: String
        let facts: [String]
        let zone: String
        let weeks: [Week]
        let previousURL: String?
        let nextURL: String
        let holdURL: String
        let pickUp: String
        let returnDate: String
        let today: String
        /// How many items (shown when the offer has more than one, like the 12 kayaks).
        var quantity = "1"
        var mostItems = 1
        var manyItems = false
        var errors = FormErrors()
    }

    /// The rental page, or nil when the offer is not rented by date (the slots page serves it).
    func page(_ context: RequestContext, pickUp: String?, returnDate: String?, quantity: String? = nil, errors: FormErrors = FormErrors(),
              status: HTTPStatus = .ok) throws -> Response? {
        let query = context.request.query
        let from = query["from"].flatMap(LocalDate.init)
        guard let calendar = try context.app.database.rentalCalendar(
            businessSlug: try context.parameter("business"), offerSlug: try context.parameter("offer"), from: from?.mondayOfWeek,
            days: Self.calendarDays, now: context.instant) else { return nil }
        let business = calendar.business, terms = calendar.terms, offer = calendar.offer
        let base = BookingPages.offerPath(business, offer.slug)
        // Whole weeks, Monday first; dates before today are shown as past.
        let first = (calendar.days.first?.date ?? calendar.today).mondayOfWeek
        let free = Dictionary(uniqueKeysWithValues: calendar.days.map { ($0.date, $0.available) })
        let weeks = stride(from: 0, to: Self.calendarDays + 7, by: 7).map { offset in
            Page.Week(days: (0..<7).map { day -> Page.Day in
                let date = first.adding(days: offset + day)
                let available = free[date] ?? false
                let status = date < calendar.today ? "Past" : free[date] == nil ? "" : available ? "Available" : "Unavailable"
                return Page.Day(date: date.description, label: BookingFormat.shortDate(date), available: available, status: status)
            })
        }.filter { week in week.days.contains { !$0.status.isEmpty } }
        let money = { (minor: Int64) in BookingFormat.money(minor, offer.spec.price.currency) }
        var facts = ["\(money(terms.rate)) per \(terms.unit.rawValue)",
                     "Pick up from \(terms.pickUp), return by \(terms.returnBy)",
                     "\(terms.minUnits)–\(terms.maxUnits) \(terms.unit.rawValue)s"]
        if terms.weeklyDiscountPercent > 0 { facts.append("\(terms.weeklyDiscountPercent)% off a week or longer") }
        if offer.spec.deposit != nil {
            let deposit = Pricing.deposit(offer.spec.deposit, total: terms.rate * Int64(terms.minUnits))
            facts.append("Deposit due when you book (\(money(deposit)) on the shortest rental)")
        }
        let earliest = calendar.days.first?.date ?? calendar.today
        var page = Page(
            layout: try context.layout(title: "\(offer.name) — \(business.name)", withForm: true), businessName: business.name,
            businessURL: "/b/\(PercentDecoding.encode(business.slug))", offerName: offer.name, offerDescription: offer.description,
            facts: facts, zone: business.timeZone, weeks: weeks,
            previousURL: earliest <= calendar.today ? nil : base + "?from=" + earliest.adding(days: -Self.calendarDays).description,
            nextURL: base + "?from=" + earliest.adding(days: Self.calendarDays).description, holdURL: base + "/hold",
            pickUp: pickUp ?? query["pick_up"] ?? "", returnDate: returnDate ?? query["return"] ?? "",
            today: calendar.today.description)
        page.errors = errors
        page.mostItems = calendar.mostItems
        page.manyItems = calendar.mostItems > 1
        page.quantity = String((quantity ?? query["quantity"] ?? "1").prefix(4))
        var response = context.app.page("booking/rental", page, status: status)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// Holds the rental from the page's two dates; a refused request shows the page again with why.
    func hold(_ context: RequestContext, form: FormData) throws -> Response {
        let pickUpText = form["pick_up"] ?? "", returnText = form["return"] ?? ""
        var errors = FormErrors()
        let quantityText = (form["quantity"] ?? "1").trimmingCharacters(in: .whitespaces)
        let pickUp = LocalDate(pickUpText), returnDate = LocalDate(returnText)
        let quantity = quantityText.isEmpty ? 1 : Int(quantityText)
        if pickUp == nil { errors.add("pick_up", "Enter the pick-up date, like 2027-05-14.") }
        if returnDate == nil { errors.add("return", "Enter the return date, like 2027-05-16.") }
        if quantity.map({ !(1...RentalTerms.maxQuantity).contains($0) }) ?? true {
            errors.add("quantity", "Enter how many, a whole number from 1 to \(RentalTerms.maxQuantity).")
        }
        func again(_ status: HTTPStatus) throws -> Response {
            guard let page = try page(context, pickUp: pickUpText, returnDate: returnText, quantity: quantityText, errors: errors,
                                      status: status) else {
                throw WebError.notFound()
            }
            return page
        }
        guard let pickUp, let returnDate, let quantity, errors.isEmpty else { return try again(.unprocessable) }
        let user = try context.currentUser()
        var request = BookingRequest(offerSlug: try context.parameter("offer"), start: 0,
                                     customer: CustomerDetails(name: user?.name ?? "", email: user?.email ?? "", userID: user?.id),
                                     source: "web", contactRequired: false)
        request.rental = RentalDates(pickUp: pickUp, returnDate: returnDate, quantity: quantity)
        do {
            let (business, order) = try context.app.database.hold(businessSlug: try context.parameter("business"), request: request,
                                                                  now: context.instant, actor: user.map { .user($0.id) } ?? .guest,
                                                                  visitor: context.visitor(user))
            return .redirect(to: "/b/\(PercentDecoding.encode(business.slug))/checkout/\(PercentDecoding.encode(order.publicID))")
        } catch BookingFailure.invalid(let field, let message) {
            errors.add(field == "quantity" ? "quantity" : "return", message.capitalizedFirst + ".")
            return try again(.unprocessable)
        } catch BookingFailure.slotUnavailable {
            errors.add(quantity > 1 ? "quantity" : "pick_up", quantity > 1
                ? "Sorry, \(quantity) are not free for all of those dates. Try fewer, or other dates."
                : "Sorry, nothing is free for all of those dates. The calendar shows the days a rental can start.")
            return try again(.conflict)
        } catch BookingFailure.invalidStart {
            errors.add("pick_up", "Those dates cannot be booked (closed, too soon or too far ahead). Pick days marked available.")
            return try again(.unprocessable)
        }
    }
}
