import BookingCore
import Foundation
import HTTPServer
import Store

/// The booking itself for its customer: the page, cancelling, the calendar file, and the
/// account's list (CONTRACT.md `/bookings/{id}`, `/account/bookings`).
extension BookingPages {
    // MARK: The booking

    struct BookingParts {
        let business: Business
        let clock: ZoneClock
        let order: OrderView
        let spec: OfferVersionSpec?
        let summary: OrderSummary
        let location: BusinessLocation?
        let refunded: Int64
        /// The household member the booking is for, when not the customer themself.
        let memberName: String?
        let revision: Int
        /// Meeting links of its virtual resources, once booked (the Store decides).
        var meetingLinks: [String] = []
    }

    /// The booking when `token` matches or the signed-in user is its customer; 404 otherwise.
    func loadBooking(_ context: RequestContext, token: String?) throws -> (BookingParts, User?) {
        let user = try context.currentUser()
        guard let found = try context.app.database.customerBooking(publicID: try context.parameter("id"), token: token, userID: user?.id) else {
            throw WebError.notFound("We could not find that booking. Open it from the link in your confirmation, or log in to the account you booked with.")
        }
        let details = found.details, location = details.place.map(BusinessLocation.init)
        return (BookingParts(business: details.business, clock: details.clock, order: details.order, spec: details.spec,
                             summary: OrderSummary(order: details.order, business: details.business, clock: details.clock,
                                                   resources: details.resources, location: location),
                             location: location, refunded: found.refunded, memberName: found.memberName, revision: found.revision,
                             meetingLinks: details.meetingLinks), user)
    }

    func booking(_ context: RequestContext) throws -> Response {
        let token = context.request.query["token"]
        let (parts, _) = try loadBooking(context, token: token)
        let order = parts.order
        let currency = order.price.currency
        let tiers = parts.spec?.cancellationTiers ?? []
        let refund = Policies.refund(paid: order.paid, start: order.start, now: context.instant, tiers: tiers)
        let refundNow = order.paid == 0
            ? "Nothing has been paid, so there is nothing to refund."
            : "If you cancel now you get \(BookingFormat.money(refund.amount, currency)) back (\(refund.percent) % of the \(BookingFormat.money(order.paid, currency)) paid)."
        let id = PercentDecoding.encode(order.publicID)
        let tokenQuery = token.flatMap { $0.isEmpty ? nil : "?token=" + PercentDecoding.encode($0) } ?? ""
        let rescheduleRefusal = parts.spec.map { Bookings.customerRescheduleRefusal(order: order, spec: $0, now: context.instant) }
            ?? "This booking can no longer be moved."
        var page = BookingPage(
            layout: try context.layout(title: "\(order.offerName) — \(parts.business.name)", withForm: true),
            id: order.publicID, summary: parts.summary, status: BookingFormat.status(order.status),
            isCancelled: order.status == .cancelled,
            refundGiven: order.status == .cancelled
                ? (parts.refunded > 0 ? "You were refunded \(BookingFormat.money(parts.refunded, currency))." : "No refund was due.") : nil,
            customerName: order.customer.name, customerEmail: order.customer.email, memberName: parts.memberName,
            policy: BookingFormat.cancellationPolicy(tiers), icsURL: "/bookings/\(id).ics\(tokenQuery)",
            canCancel: order.status.canMove(to: .cancelled) && order.status != .held && order.end > context.instant,
            cancelAction: "/bookings/\(id)/cancel", token: token.flatMap { $0.isEmpty ? nil : $0 }, refundNow: refundNow,
            bookAgainURL: Self.offerPath(parts.business, order.offerSlug),
            rescheduleURL: rescheduleRefusal == nil ? "/bookings/\(id)/reschedule\(tokenQuery)" : nil,
            rescheduleRefusal: order.status == .cancelled ? nil : rescheduleRefusal,
            movedNotice: context.request.query["done"] == "moved" ? "Your booking was moved to the new time, and the old time was released." : nil,
            meetingLinks: parts.meetingLinks)
        page.answers = AnswerLine.lines(IntakeRules.masked(order.answers, role: .client, relation: .own))
        page.hasAnswers = !page.answers.isEmpty
        if let series = try context.app.database.seriesOfBooking(businessID: parts.business.id, bookingID: order.publicID) {
            let proof = token.flatMap { $0.isEmpty ? nil : "?booking=\(id)&token=" + PercentDecoding.encode($0) } ?? ""
            page.seriesURL = "/b/\(PercentDecoding.encode(parts.business.slug))/series/\(PercentDecoding.encode(series))" + proof
        }
        if let program = try context.app.database.programSessions(business: parts.business, orderID: order.id) {
            page.programRun = program.kind == "makeup" ? "A make-up session in \(program.runName)" : program.runName
            page.programSessions = program.entries.map { entry in
                var mark = entry.attendance.map { $0 == .attended ? "attended" : "missed" }
                if let madeUp = entry.madeUpAt { mark = "missed, made up on \(BookingFormat.longDate(parts.clock.local(madeUp).date))" }
                return ProgramSessionRow(when: BookingFormat.span(entry.start, entry.end, parts.clock), mark: mark)
            }
        }
        var response = context.app.page("booking/booking", page)
        response.headers.set("Cache-Control", "no-store")
        response.headers.set("Referrer-Policy", "no-referrer")
        return response
    }

    func cancel(_ context: RequestContext) throws -> Response {
        let form = try context.form()
        let token = form["token"].flatMap { $0.isEmpty ? nil : $0 }
        let (parts, user) = try loadBooking(context, token: token)
        let owner = user.flatMap { user in parts.order.customer.userID == user.id ? user : nil }
        _ = try context.app.cancelBooking(context, business: parts.business, publicID: parts.order.publicID,
                                          reason: "Cancelled by the customer", actor: owner.map { .user($0.id) } ?? .guest,
                                          byBusiness: false)
        let id = PercentDecoding.encode(parts.order.publicID)
        return .redirect(to: "/bookings/\(id)" + (token.map { "?token=" + PercentDecoding.encode($0) } ?? ""))
    }

    func calendar(_ context: RequestContext) throws -> Response {
        let (parts, _) = try loadBooking(context, token: context.request.query["token"])
        let text = BookingICS.event(order: parts.order, business: parts.business, location: parts.summary.place ?? "",
                                    sequence: parts.revision, now: context.instant)
        var response = Response(status: .ok, headers: Headers([("Content-Type", "text/calendar; charset=utf-8")]),
                                body: Array(text.utf8))
        response.headers.set("Content-Disposition", "attachment; filename=\"booking-\(parts.order.publicID).ics\"")
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    // MARK: Account

    func accountBookings(_ context: RequestContext) throws -> Response {
        let user = try context.requireUser()
        let now = context.instant
        let (rows, members) = try context.app.database.customerBookings(userID: user.id)
        var upcoming: [AccountBookingsPage.Item] = [], past: [AccountBookingsPage.Item] = []
        for (business, order) in rows {
            guard let clock = ZoneClock(identifier: business.timeZone) else { continue }
            let item = AccountBookingsPage.Item(url: "/bookings/\(PercentDecoding.encode(order.publicID))", offerName: order.offerName,
                                                businessName: business.name, when: BookingFormat.span(order.start, order.end, clock)
                                                    + " (\(business.timeZone))",
                                                status: BookingFormat.status(order.status),
                                                forName: order.customer.householdMemberID.flatMap { members[$0] })
            if order.end > now { upcoming.append(item) } else { past.append(item) }
        }
        upcoming.reverse()   // soonest first
        let page = AccountBookingsPage(layout: try context.layout(title: "Your bookings — Bizing"), upcoming: upcoming, past: past,
                                       hasUpcoming: !upcoming.isEmpty, hasPast: !past.isEmpty)
        return context.app.page("booking/account", page)
    }
}
