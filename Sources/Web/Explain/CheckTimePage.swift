import BookingCore
import Foundation
import HTTPServer
import Store

/// "Check a time" (owners and staff): for an offer, a date, a time and optionally a resource,
/// every candidate resource with every reason it cannot serve that start, in words, each linked to
/// the rule behind it where the viewer may open it. Reached from the offer's page and from any
/// empty cell of the staff calendar.
struct CheckTimePage: Sendable {
    struct Line: Sendable {
        let text: String
        let link: String?
    }

    struct Block: Sendable {
        let name: String
        let role: String
        let free: Bool
        let reasons: [Line]
        /// "Dana Doctor: blocked by time off 14:00–15:00" in one line.
        let summary: String
    }

    struct Model: Sendable {
        let layout: Layout
        let errors: FormErrors
        let action: String
        let offers: [Option]
        let date: String
        let time: String
        let resources: [Option]
        let asked: Bool
        let bookable: Bool
        let verdict: String
        let offerReasons: [Line]
        let hasOfferReasons: Bool
        let blocks: [Block]
        let calendarLink: String
    }

    /// `GET /staff/{business}/check?offer=&date=&time=&resource=`: the form, and with all of it the answer.
    func show(_ context: RequestContext) throws -> Response {
        let membership = try context.requireStaffMembership()
        let query = context.request.query
        let business = PercentDecoding.encode(membership.businessSlug)
        func given(_ name: String) -> String? { query[name].flatMap { $0.isEmpty ? nil : $0 } }
        let offers = try context.app.database.liveOffers(businessID: membership.businessID)
        let offerSlug = given("offer") ?? (offers.count == 1 ? offers[0].slug : nil)
        let resourceSlug = given("resource")
        let dateText = query["date"] ?? "", timeText = query["time"] ?? ""
        var errors = FormErrors()
        var date: LocalDate?, time: WallTime?
        let asked = !dateText.isEmpty || !timeText.isEmpty
        if asked {
            if offerSlug == nil { errors.add("offer", "Choose a service.") }
            date = ManageInput.date(dateText, field: "date", &errors)
            time = ManageInput.wallTime(timeText, field: "time", &errors)
            if time == .endOfDay { errors.add("time", "Enter a time before 24:00."); time = nil }
        }
        let viewer = StaffViewer(membership)
        var explanation: StartExplanation?
        if let offerSlug, let date, let time, errors.isEmpty {
            do {
                explanation = try context.app.database.explainStart(
                    businessID: membership.businessID, offerSlug: offerSlug, at: .local(date, time), resourceSlug: resourceSlug,
                    now: context.instant, unlisted: true, scope: membership.scope)
            } catch BookingFailure.invalid(let field, let message) {
                errors.add(field, message.capitalizedFirst + ".")
            } catch BookingFailure.resourceNotFound {
                errors.add("resource", "Choose one of the listed resources.")
            } catch BookingFailure.offerNotFound {
                errors.add("offer", "Choose one of the listed services.")
            }
        }
        let timeZone = try context.app.database.business(id: membership.businessID)?.timeZone ?? "UTC"
        let day = date ?? (ZoneClock(identifier: timeZone) ?? ZoneClock(identifier: "UTC")!).local(context.instant).date
        let links = Links(business: business, offer: offerSlug ?? "", role: membership.role)
        func line(_ reason: ExplainedReason, resource: ResourceInfo?, clock: ZoneClock) -> Line {
            let relation: BookingRelation = resource.map { $0.id == viewer.resourceID } == true ? .assigned : .other
            let names = BookingAccess(role: viewer.role, relation: relation).namesHolder
            return Line(text: ExplainWords.sentence(reason, clock: clock, day: day, namesHolder: names),
                        link: links.link(reason, resource: resource, namesHolder: names))
        }
        let blocks = (explanation?.resources ?? []).map { r in
            let reasons = r.reasons.map { line($0, resource: r.resource, clock: explanation!.clock) }
            let summary = r.resource.name + ": " + (reasons.isEmpty ? "free" : reasons.map(\.text).joined(separator: "; "))
            return Block(name: r.resource.name, role: r.role, free: r.reasons.isEmpty, reasons: reasons, summary: summary)
        }
        let offerReasons = (explanation?.offerReasons ?? []).map { line($0, resource: nil, clock: explanation!.clock) }
        var verdict = ""
        if let explanation, let time {
            let when = "\(explanation.offer.name), \(HumanTime.longDate(day)) at \(time)"
            verdict = explanation.bookable ? "\(when) is bookable." : "\(when) is not bookable."
        }
        let resources = try context.app.database.resources(businessID: membership.businessID, scope: membership.scope)
        let model = Model(
            layout: try context.layout(title: "Check a time — \(membership.businessName)"), errors: errors,
            action: "/staff/\(business)/check",
            offers: offers.map { Option(value: $0.slug, label: $0.name, selected: $0.slug == offerSlug) },
            date: asked ? dateText : "\(day)", time: timeText,
            resources: [Option(value: "", label: "Any", selected: resourceSlug == nil)]
                + resources.map { Option(value: $0.slug, label: $0.name, selected: $0.slug == resourceSlug) },
            asked: explanation != nil, bookable: explanation?.bookable ?? false, verdict: verdict,
            offerReasons: offerReasons, hasOfferReasons: !offerReasons.isEmpty, blocks: blocks,
            calendarLink: "/staff/\(business)/calendar?date=\(day)")
        return context.app.page("staff/check-time", model, status: errors.isEmpty ? .ok : .unprocessable)
    }

    /// Where the rule behind a reason is edited, when the viewer may open it.
    struct Links {
        let business: String
        let offer: String
        let role: Role

        func link(_ reason: ExplainedReason, resource: ResourceInfo?, namesHolder: Bool) -> String? {
            let resourcePage = resource.flatMap { r in
                role.can(.providerManageOrg) ? "/manage/\(business)/resources/\(PercentDecoding.encode(r.slug))" : nil
            }
            let offerPage = role.can(.serviceTemplateManage) ? "/manage/\(business)/offers/\(PercentDecoding.encode(offer))" : nil
            switch reason.detail.cause {
            case .booking, .rest:
                guard namesHolder, let booking = reason.booking else { return nil }
                return "/staff/\(business)/bookings/\(PercentDecoding.encode(booking.publicID))"
            case .blockedTime:
                guard let page = resourcePage else { return nil }
                return reason.timeOff.map { "\(page)#\($0.source == .timeOff ? "block" : "override")-\($0.id)" } ?? "\(page)#blocks-heading"
            case .noHours(_, let closedDate):
                if reason.closure != nil { return role.can(.orgManage) ? "/manage/\(business)/closures" : nil }
                return resourcePage.map { $0 + (closedDate ? "#overrides-heading" : "#hours-heading") }
            case .hours:
                return resourcePage.map { $0 + "#hours-heading" }
            case .dailyLimit:
                return resourcePage.map { $0 + "#details-heading" }
            case .notice, .advance, .grid, .duration, .seats, .noResource, .offerHours:
                return offerPage
            }
        }
    }
}
