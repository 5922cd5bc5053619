import BookingCore
import Foundation
import HTTPServer
import Store

/// `GET|POST /setup`: the quick setup (CONTRACT.md). One form, one transaction.
struct SetupHandlers: Sendable {
    struct Page: Sendable {
        let layout: Layout
        var businessName = ""
        var timezone = "America/New_York"
        var serviceName = ""
        var duration = "30"
        var price = ""
        var currency = "USD"
        var opens = "09:00"
        var closes = "17:00"
        var days = DayOption.all(checked: ["mon", "tue", "wed", "thu", "fri"])
        let zones = ManageInput.timeZones
        let currencies = Currency.codes
        var errors = FormErrors()
        /// Field → message, for the messages next to each field.

        mutating func fail(_ errors: FormErrors) {
            self.errors = errors
        }
    }

    static let signupPath = "/signup?next=%2Fsetup"

    func show(_ context: RequestContext) throws -> Response {
        guard try context.currentUser() != nil else { return .redirect(to: Self.signupPath) }
        let page = Page(layout: try context.layout(title: "Set up your business — Bizing", withForm: true))
        return context.app.page("manage/setup", page)
    }

    func submit(_ context: RequestContext) throws -> Response {
        guard let user = try context.currentUser() else { return .redirect(to: Self.signupPath) }
        let form = try context.form()
        var errors = FormErrors()
        let businessName = ManageInput.name(form["business_name"], field: "business_name", what: "the name of your business", &errors)
        let timeZone = ManageInput.timeZone(form["timezone"], &errors)
        let serviceName = ManageInput.name(form["service_name"], field: "service_name", what: "the name of your service", &errors)
        let duration = ManageInput.minutes(form["duration_minutes"], field: "duration_minutes", in: 5...720, &errors)
        let currency = ManageInput.currency(form["currency"], &errors)
        let price = ManageInput.price(form["price"], currency: currency ?? "USD", &errors)
        let days = ManageInput.days(form.all("days"), &errors)
        let opens = ManageInput.wallTime(form["opens"], field: "opens", &errors)
        let closes = ManageInput.wallTime(form["closes"], field: "closes", &errors)
        if let opens, let closes, closes <= opens {
            errors.add("closes", "Enter a closing time after the opening time.")
        }
        if let opens, let closes, let duration, closes > opens, closes.minutes - opens.minutes < duration {
            errors.add("duration_minutes", "The service must fit between the opening and closing times.")
        }
        if errors.isEmpty, let businessName, let timeZone, let serviceName, let duration, let price, let currency,
           let days, let opens, let closes {
            let input = QuickSetup.Input(businessName: businessName, timeZone: timeZone, currency: currency,
                                         serviceName: serviceName, durationMinutes: duration, priceMinorUnits: price,
                                         days: days, opens: opens, closes: closes)
            let now = context.instant
            let result = try context.app.database.quickSetup(input, userID: user.id, userName: user.name, now: now)
            return .redirect(to: "/manage/\(PercentDecoding.encode(result.slug))/")
        }
        var page = Page(layout: try context.layout(title: "Set up your business — Bizing", withForm: true))
        page.businessName = String((form["business_name"] ?? "").prefix(200))
        page.timezone = String((form["timezone"] ?? "").prefix(64))
        page.serviceName = String((form["service_name"] ?? "").prefix(200))
        page.duration = String((form["duration_minutes"] ?? "").prefix(10))
        page.price = String((form["price"] ?? "").prefix(20))
        page.currency = String((form["currency"] ?? "").prefix(3))
        page.opens = String((form["opens"] ?? "").prefix(5))
        page.closes = String((form["closes"] ?? "").prefix(5))
        page.days = DayOption.all(checked: Set(form.all("days")))
        page.fail(errors)
        return context.app.page("manage/setup", page, status: .unprocessable)
    }
}
