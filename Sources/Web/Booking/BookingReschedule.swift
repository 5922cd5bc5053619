import BookingCore
import Foundation
import HTTPServer
import Store

/// Rescheduling from the confirmation page: the booking's token holder or its signed-in owner
/// picks a new free time of the same offer (`GET|POST /bookings/:id/reschedule`, fields `start`
/// and `token`). The booking keeps its id; the move and its conflict check are one transaction.
extension BookingPages {
    func reschedulePage(_ context: RequestContext) throws -> Response {
        let query = context.request.query
        return try reschedulePage(context, token: query["token"].flatMap { $0.isEmpty ? nil : $0 }, dateText: query["date"],
                                  notice: nil, status: .ok)
    }

    func reschedule(_ context: RequestContext) throws -> Response {
        let form = try context.form()
        let token = form["token"].flatMap { $0.isEmpty ? nil : $0 }
        let (parts, user) = try loadBooking(context, token: token)
        let owner = user.flatMap { parts.order.customer.userID == $0.id ? $0 : nil }
        if form["pick_up"] != nil || form["return"] != nil {
            return try moveRental(context, form: form, token: token, parts: parts, actor: owner.map { .user($0.id) } ?? .guest)
        }
        guard let startText = form["start"], let start = RFC3339.parse(startText) else {
            return try reschedulePage(context, token: token, dateText: nil,
                                      notice: "That time could not be read. Please pick one of the times below.", status: .unprocessable)
        }
        let dateText = parts.clock.local(start).date.description
        do {
            _ = try context.app.reschedule(context, business: parts.business, publicID: parts.order.publicID, start: start,
                                           actor: owner.map { .user($0.id) } ?? .guest, rules: .customer)
        } catch BookingFailure.slotUnavailable {
            return try reschedulePage(context, token: token, dateText: dateText, notice: Self.takenSentence, status: .conflict)
        } catch BookingFailure.invalidStart {
            return try reschedulePage(context, token: token, dateText: dateText,
                                      notice: "That time cannot be booked. Please pick one of the times below.", status: .unprocessable)
        } catch BookingFailure.notMovable(let reason) {
            return try reschedulePage(context, token: token, dateText: dateText, notice: reason.sentence, status: .conflict)
        } catch BookingFailure.invalid(_, let message) {
            return try reschedulePage(context, token: token, dateText: dateText, notice: message.sentence, status: .unprocessable)
        }
        var target = "/bookings/\(PercentDecoding.encode(parts.order.publicID))?"
        if let token { target += "token=\(PercentDecoding.encode(token))&" }
        return .redirect(to: target + "done=moved")
    }

    /// A rental by date moved to new pick-up and return dates (re-checked and re-priced in one transaction).
    private func moveRental(_ context: RequestContext, form: FormData, token: String?, parts: BookingParts, actor: Actor) throws -> Response {
        let pickUpText = form["pick_up"] ?? "", returnText = form["return"] ?? ""
        func again(_ notice: String, _ status: HTTPStatus) throws -> Response {
            try reschedulePage(context, token: token, dateText: nil, notice: notice, status: status,
                               rentalInput: (String(pickUpText.prefix(10)), String(returnText.prefix(10))))
        }
        guard let pickUp = LocalDate(pickUpText), let returnDate = LocalDate(returnText) else {
            return try again("Enter the pick-up and return dates, like 2027-05-14.", .unprocessable)
        }
        do {
            _ = try context.app.rescheduleRental(context, business: parts.business, publicID: parts.order.publicID,
                                                 dates: RentalDates(pickUp: pickUp, returnDate: returnDate), actor: actor, rules: .customer)
        } catch BookingFailure.slotUnavailable {
            return try again("Sorry, nothing is free for all of those dates. Please try other dates.", .conflict)
        } catch BookingFailure.invalidStart {
            return try again("Those dates cannot be booked (closed, too soon or too far ahead). Please try other dates.", .unprocessable)
        } catch BookingFailure.notMovable(let reason) {
            return try again(reason.sentence, .conflict)
        } catch BookingFailure.invalid(_, let message) {
            return try again(message.sentence, .unprocessable)
        }
        var target = "/bookings/\(PercentDecoding.encode(parts.order.publicID))?"
        if let token { target += "token=\(PercentDecoding.encode(token))&" }
        return .redirect(to: target + "done=moved")
    }

    private func reschedulePage(_ context: RequestContext, token: String?, dateText: String?, notice: String?,
                                status: HTTPStatus, rentalInput: (pickUp: String, returnDate: String)? = nil) throws -> Response {
        let (parts, _) = try loadBooking(context, token: token)
        let order = parts.order, clock = parts.clock, now = context.instant
        let refusal = parts.spec.map { Bookings.customerRescheduleRefusal(order: order, spec: $0, now: now) }
            ?? "This booking can no longer be moved."
        let today = clock.local(now).date
        var date = max(today, clock.local(order.start).date)
        if let dateText, !dateText.isEmpty {
            guard let parsed = LocalDate(dateText) else {
                throw WebError.badRequest("That date is not one we understand. Dates look like 2026-12-01 (year, month, day).", field: "date")
            }
            date = max(parsed, today)
        }
        // A rental by date is moved by its dates: no slots to list.
        let rentalTerms = parts.spec?.mode == .multiDay
            ? try context.app.database.rentalTerms(businessID: parts.business.id, versionID: order.offerVersionID) : nil
        var slots: [AvailabilityReads.SlotView] = [], next: LocalDate?
        if refusal == nil && rentalTerms == nil {
            (slots, next) = try context.app.database.rescheduleDay(business: parts.business, order: order, date: date, now: now,
                                                                   lookAheadDays: Self.lookAheadDays)
        }
        let id = PercentDecoding.encode(order.publicID)
        let base = "/bookings/\(id)/reschedule"
        func url(_ day: LocalDate) -> String {
            var pairs = [(name: "date", value: day.description)]
            if let token { pairs.insert((name: "token", value: token), at: 0) }
            return base + "?" + FormData(pairs: pairs).encoded
        }
        let views = slots.map { slot -> ReschedulePage.Slot in
            let time = clock.local(slot.start).time.description
            return ReschedulePage.Slot(time: time, start: RFC3339.format(slot.start),
                                       label: "Move to \(time) on \(BookingFormat.longDate(date))")
        }
        var page = ReschedulePage(
            layout: try context.layout(title: "Change the time — \(order.offerName)", withForm: true), summary: parts.summary,
            bookingURL: "/bookings/\(id)" + (token.map { "?token=" + PercentDecoding.encode($0) } ?? ""), notice: notice,
            refusal: refusal, canMove: refusal == nil, action: base, pageURL: base, token: token, date: date.description,
            today: today.description, dateText: BookingFormat.longDate(date),
            previousDayURL: date > today ? url(date.adding(days: -1)) : nil, nextDayURL: url(date.adding(days: 1)),
            slots: views, hasSlots: !views.isEmpty, nextAvailableURL: next.map(url), nextAvailableText: next.map(BookingFormat.longDate))
        if rentalTerms != nil {
            page.rental = ReschedulePage.RentalForm(pickUp: rentalInput?.pickUp ?? clock.local(order.start).date.description,
                                                    returnDate: rentalInput?.returnDate ?? clock.local(order.end).date.description,
                                                    today: today.description)
        }
        var response = context.app.page("booking/reschedule", page, status: status)
        response.headers.set("Cache-Control", "no-store")
        response.headers.set("Referrer-Policy", "no-referrer")
        return response
    }
}
