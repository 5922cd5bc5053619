import BookingCore
import Foundation
import HTTPServer
import Store

/// The booking endpoints of `/api/v1` (CONTRACT.md): offers, availability, holds, confirm,
/// bookings (with Idempotency-Key), get, list, cancel.
extension App {
    static func addBookingAPIRoutes(to table: inout RouteTable) {
        table.add("GET", "/api/v1/offers", requires: .apiKey(nil)) { context in
            let principal = try context.apiPrincipal()
            let offers = try context.app.database.liveOffers(businessID: principal.business.id)
            return .json(APIModels.offersBody(offers))
        }
        table.add("GET", "/api/v1/offers/:offer/availability", requires: .apiKey(nil)) { context in
            let principal = try context.apiPrincipal()
            return try availability(context, business: principal.business)
        }
        table.add("POST", "/api/v1/holds", requires: .apiKey(.bookingCreate)) { context in
            let principal = try context.apiPrincipal()
            let request = try bookingRequest(context)
            let order = try redeeming {
                try context.app.database.hold(business: principal.business, request: request, now: context.instant,
                                              actor: .apiKey(principal.keyID))
            }
            let mask = try context.apiMask(principal)
            if let payment = try context.app.apiPayment(context, business: principal.business, hold: order, customer: request.customer,
                                                        mask: mask) {
                return payment
            }
            return .json(APIModels.bookingBody(order, mask: mask), status: .created)
        }
        table.add("POST", "/api/v1/holds/:id/confirm", requires: .apiKey(.bookingCreate)) { context in
            let principal = try context.apiPrincipal()
            let id = try context.parameter("id")
            let mask = try context.apiMask(principal)
            if let paid = try context.app.settleAPIHold(context, business: principal.business, holdID: id, actor: .apiKey(principal.keyID)) {
                return .json(APIModels.bookingBody(paid.order, mask: mask,
                                                   manageURL: paid.token.flatMap { context.manageURL(paid.order, token: $0) }),
                             status: .created)
            }
            let (order, token) = try context.app.database.confirmHold(business: principal.business, holdID: id, now: context.instant,
                                                                      actor: .apiKey(principal.keyID))
            return .json(APIModels.bookingBody(order, mask: mask, manageURL: context.manageURL(order, token: token)), status: .created)
        }
        table.add("POST", "/api/v1/bookings", requires: .apiKey(.bookingCreate), ownIdempotency: true) { context in
            let principal = try context.apiPrincipal()
            return try book(context, principal: principal)
        }
        table.add("GET", "/api/v1/bookings/:id", requires: .apiKey(.bookingViewOrg)) { context in
            let principal = try context.apiPrincipal()
            let id = try context.parameter("id")
            guard let order = try context.app.database.order(businessID: principal.business.id, publicID: id) else {
                throw BookingFailure.orderNotFound
            }
            return .json(APIModels.bookingBody(order, mask: try context.apiMask(principal)))
        }
        table.add("GET", "/api/v1/bookings", requires: .apiKey(.bookingViewOrg)) { context in
            let principal = try context.apiPrincipal()
            return try list(context, business: principal.business, mask: try context.apiMask(principal))
        }
        table.add("POST", "/api/v1/bookings/:id/cancel", requires: .apiKey(.bookingManageOrg)) { context in
            let principal = try context.apiPrincipal()
            let body = context.request.body.isEmpty ? nil : try StrictJSON(body: context.request.body, allowed: ["reason"])
            let reason = try body?.string("reason", maxLength: 500) ?? ""
            let id = try context.parameter("id")
            let cancellation = try context.app.cancelBooking(context, business: principal.business, publicID: id, reason: reason,
                                                             actor: .apiKey(principal.keyID), byBusiness: false)
            let order = cancellation.order
            return .json(APIModels.cancelBody(order, refund: cancellation.refund, mask: try context.apiMask(principal)))
        }
    }

    private static func availability(_ context: RequestContext, business: Business) throws -> Response {
        let query = context.request.query
        let zone = ZoneClock(identifier: business.timeZone)
        let today = zone.map { $0.local(context.instant).date }
        let from = try query["from"].map { try Validation.date($0, field: "from") } ?? today!
        let to = try query["to"].map { try Validation.date($0, field: "to") } ?? from.adding(days: 6)
        guard from <= to, from.days(to: to) < AvailabilityReads.maxDays else {
            throw WebError.unprocessable("validation_failed", "from must not be after to, and the range is at most \(AvailabilityReads.maxDays) days.",
                                         field: "to")
        }
        let partySize = try query["party_size"].map { try Validation.minutes($0, field: "party_size", in: 1...1000) } ?? 1
        let offerSlug = try context.parameter("offer")
        let answer = try context.app.database.availability(business: business, offerSlug: offerSlug, from: from, to: to,
                                                           now: context.instant, partySize: partySize, resourceSlug: query["resource"])
        // Requests asking the same question in the same second share the answer and its JSON.
        if let days = answer.days { return .json(APIModels.daysBody(days)) }
        return .json(answer.encoded(APIModels.slotsBody))
    }

    static let bookingFields: Set<String> = ["offer", "start", "customer", "party_size", "resources", "duration_minutes", "notes",
                                             "start_date", "end_date", "redeem", "answers", "quantity"]

    /// Runs a Store call that may redeem; a refused redemption is answered with the API's code and field.
    static func redeeming<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let failure as BookingFailure {
            throw failure.apiWebError
        }
    }

    /// `redeem`: `{"credit": true}` or `{"code": "…"}`, not both; `{}` and `{"credit": false}` redeem nothing.
    static func redemption(_ json: StrictJSON) throws -> Redemption? {
        guard let redeem = try json.object("redeem", allowed: ["credit", "code"]) else { return nil }
        let credit = try redeem.bool("credit") ?? false
        let code = try redeem.string("code", maxLength: 40)
        if credit && code != nil {
            throw WebError.unprocessable("validation_failed", "redeem takes either credit or code, not both.", field: "redeem")
        }
        if let code {
            guard !PromoCodes.normalize(code).isEmpty else {
                throw WebError.unprocessable("validation_failed", "redeem.code must not be empty.", field: "redeem.code")
            }
            return .code(code)
        }
        return credit ? .credit : nil
    }

    /// A booking request from the JSON body; `allowed` narrows the fields (a waitlist entry takes fewer).
    static func bookingRequest(_ context: RequestContext, allowed: Set<String> = bookingFields) throws -> BookingRequest {
        let json = try StrictJSON(body: context.request.body, allowed: allowed)
        // A rental by date (multi_day offers with rental terms) names its dates instead of a start.
        var rental: RentalDates?
        if allowed.contains("start_date"), let pickUp = try json.string("start_date", maxLength: 10) {
            guard let first = LocalDate(pickUp), let last = LocalDate(try json.requiredString("end_date", maxLength: 10)) else {
                throw WebError.unprocessable("validation_failed", "start_date and end_date must be dates like 2026-12-04.", field: "end_date")
            }
            rental = RentalDates(pickUp: first, returnDate: last)
        }
        // Items of a capacity asset in one rental (3 of the 12 kayaks): rentals by date only.
        if allowed.contains("quantity"), let quantity = try json.int("quantity", in: 1...RentalTerms.maxQuantity) {
            guard rental != nil else {
                throw WebError.unprocessable("validation_failed", "quantity is for rentals by date: give start_date and end_date too.",
                                             field: "quantity")
            }
            rental?.quantity = quantity
        }
        let start: Instant
        if rental != nil {
            start = 0
        } else {
            guard let parsed = RFC3339.parse(try json.requiredString("start", maxLength: 40)) else {
                throw WebError.unprocessable("validation_failed", "start must be an RFC 3339 UTC time like 2026-12-01T14:00:00Z.", field: "start")
            }
            start = parsed
        }
        // Where answers are taken, they are always checked: none sent is every required one missing.
        var answers: [String: String]?
        if allowed.contains("answers") {
            answers = try json.stringMap("answers", maxCount: IntakeRules.maxQuestions, maxLength: IntakeRules.maxAnswerLength) ?? [:]
        }
        guard let customer = try json.object("customer", allowed: ["name", "email", "phone"]) else {
            throw WebError.unprocessable("validation_failed", "customer is required (name, email, optional phone).", field: "customer")
        }
        var request = BookingRequest(
            offerSlug: try json.requiredString("offer", maxLength: 60), start: start,
            customer: CustomerDetails(name: try customer.requiredString("name", maxLength: 120),
                                      email: try Validation.normalizedEmail(customer.requiredString("email", maxLength: 254)) ?? "",
                                      phone: try customer.string("phone", maxLength: 40) ?? "",
                                      notes: try json.string("notes", maxLength: 2000) ?? "", answers: answers),
            partySize: try json.int("party_size", in: 1...1000) ?? 1,
            resourceSlugs: try json.stringArray("resources", maxCount: 5) ?? [],
            durationMinutes: try json.int("duration_minutes", in: 1...525_600), source: "api", rental: rental)
        if allowed.contains("redeem") { request.redeem = try redemption(json) }
        return request
    }

    /// Books at once; with `Idempotency-Key`, the same key and body return the first answer again,
    /// and the record is written in the same transaction as the booking.
    private static func book(_ context: RequestContext, principal: APIKeys.Principal) throws -> Response {
        let idempotencyKey = try context.idempotencyKey()
        let requestHash = context.idempotencyRequestHash
        let request = try bookingRequest(context)
        let actor = Actor.apiKey(principal.keyID)
        // The answer shows the booking as the key's role may see it (`APIMask`), like every read.
        let mask = try context.apiMask(principal)
        // Paid online: a hold that becomes the booking once Stripe says the payment succeeded. The
        // hold and the PaymentIntent are two steps, so the key is claimed around both: a replay
        // answers the same hold and client secret, and no second intent is made.
        let paid = { () throws -> Response in
            let hold = try redeeming {
                try context.app.database.hold(business: principal.business, request: request, now: context.instant, actor: actor)
            }
            if let payment = try context.app.apiPayment(context, business: principal.business, hold: hold, customer: request.customer,
                                                        mask: mask) {
                return payment
            }
            let order = try context.app.database.confirmHold(business: principal.business, holdID: hold.publicID, now: context.instant,
                                                             actor: actor).order
            return .json(APIModels.bookingBody(order, mask: mask), status: .created)
        }
        guard let key = idempotencyKey else {
            // The payment check is made in the booking's own read transaction.
            guard let (order, token) = try redeeming({
                try context.app.database.bookUnlessPaidOnline(business: principal.business, request: request, now: context.instant, actor: actor)
            }) else { return try paid() }
            return .json(APIModels.bookingBody(order, mask: mask, manageURL: context.manageURL(order, token: token)), status: .created)
        }
        if try context.app.database.takesPaymentOnline(businessID: principal.business.id, offerSlug: request.offerSlug) {
            return try context.app.underIdempotencyKey(key, context, paid)
        }
        switch try context.app.database.book(business: principal.business, request: request, now: context.instant, actor: actor,
                                             apiKeyID: principal.keyID, idempotencyKey: key, requestHash: requestHash,
                                             body: { [context] order, token in
                                                 APIModels.bookingBody(order, mask: mask, manageURL: context.manageURL(order, token: token))
                                             },
                                             refusal: { failure in
                                                 let answer = JSON.error(failure.apiWebError)
                                                 return (answer.status.code, answer.body)
                                             }) {
        case .created(_, let body):
            return .json(body, status: .created)
        case .refused(let status, let body):
            return .json(body, status: HTTPStatus(status))
        case .replayed(let status, let body):
            return replay(status: status, body: body)
        }
    }

    private static func list(_ context: RequestContext, business: Business, mask: APIMask?) throws -> Response {
        let query = context.request.query
        guard let clock = ZoneClock(identifier: business.timeZone) else { throw WebError.notFound() }
        let today = clock.local(context.instant).date
        let from = try query["from"].map { try Validation.date($0, field: "from") } ?? today
        let to = try query["to"].map { try Validation.date($0, field: "to") } ?? from.adding(days: 30)
        guard from <= to, from.days(to: to) <= 366 else {
            throw WebError.unprocessable("validation_failed", "from must not be after to, and the range is at most 366 days.", field: "to")
        }
        var statuses: [BookingStatus]?
        if let text = query["status"] {
            statuses = try text.split(separator: ",").map { part in
                guard let status = BookingStatus(rawValue: String(part)) else {
                    throw WebError.unprocessable("validation_failed", "status must be one of \(BookingStatus.allCases.map(\.rawValue).joined(separator: ", ")).",
                                                 field: "status")
                }
                return status
            }
        }
        let limit = try query["limit"].map { try Validation.minutes($0, field: "limit", in: 1...200) } ?? 50
        let cursor = try query["cursor"].map { text -> APIReads.Cursor in
            guard let cursor = APICursor.decode(text) else {
                throw WebError.unprocessable("validation_failed", "cursor must be the next_cursor of a previous page.", field: "cursor")
            }
            return cursor
        }
        let page: APIReads.Page
        switch try context.app.database.bookings(business: business, from: clock.day(from).start, to: clock.day(to.adding(days: 1)).start,
                                                 statuses: statuses, offerSlug: query["offer"], resourceSlug: query["resource"],
                                                 limit: limit, after: cursor) {
        case .page(let found): page = found
        case .unknownOffer(let slug): throw WebError(.notFound, code: "not_found", "There is no offer called \(slug).", field: "offer")
        case .unknownResource(let slug): throw WebError(.notFound, code: "not_found", "There is no resource called \(slug).", field: "resource")
        }
        return .json(APIModels.bookingListBody(page.orders, next: page.next.map(APICursor.encode), mask: mask))
    }
}
