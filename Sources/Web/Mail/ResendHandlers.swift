import Foundation
import HTTPServer
import Store

/// `GET|POST /b/{business}/resend` (field `email`): a guest who lost their confirmation gets a new
/// one for each upcoming booking made with that email (with a new link: the old one stops
/// working). Throttled; the same answer whether or not there is a booking.
struct ResendHandlers: Sendable {
    struct Page: Sendable {
        let layout: Layout
        let action: String
        let businessName: String
        var email = ""
        var sent = false
        var errors = FormErrors()
    }

    let throttle = MailRequestThrottle()

    func form(_ context: RequestContext) throws -> Response {
        let business = try self.business(context)
        return context.app.page("booking/resend", try page(context, business))
    }

    func submit(_ context: RequestContext) throws -> Response {
        let business = try self.business(context)
        let form = try context.form()
        var page = try page(context, business)
        switch AccountInput.email(form["email"]) {
        case .invalid(let message):
            var errors = FormErrors()
            errors.add("email", message)
            page.errors = errors
            page.email = String((form["email"] ?? "").prefix(AccountInput.maxEmailLength))
            return context.app.page("booking/resend", page, status: .unprocessable)
        case .valid(let email):
            try throttle.admit(kind: "resend", email: email, context: context)
            try context.app.database.resendConfirmations(businessID: business.id, email: email, now: context.instant)
            page.email = email
            page.sent = true
            return context.app.page("booking/resend", page)
        }
    }

    private func page(_ context: RequestContext, _ business: Business) throws -> Page {
        Page(layout: try context.layout(title: "Resend my confirmation — \(business.name)", withForm: true),
             action: "/b/\(PercentEncoded.component(business.slug))/resend", businessName: business.name)
    }

    private func business(_ context: RequestContext) throws -> Business {
        guard let business = try context.app.database.business(slug: context.request.parameters["business"] ?? "") else {
            throw WebError.notFound()
        }
        return business
    }
}
