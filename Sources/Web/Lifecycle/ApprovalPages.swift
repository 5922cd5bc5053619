import BookingCore
import Foundation
import HTTPServer
import Store

/// `/staff/{business}/approvals`: pending bookings, oldest request first, each with approve and
/// decline (with a reason) forms. Needs `booking:manage_location`; forms carry CSRF.
struct ApprovalPages: Sendable {
    struct Row: Sendable {
        let reference: String
        let detailURL: String
        let service: String
        let when: String
        let customerName: String?
        let email: String?
        let phone: String?
        let notes: String?
        let partySize: Int?
        let decidesAt: String?
        let approveAction: String
        let declineAction: String
        let reasonID: String
    }

    struct Page: Sendable {
        let layout: Layout
        let businessName: String
        let calendarURL: String
        let rows: [Row]
        let hasRows: Bool
        let automatic: String?
        let notice: String?
    }

    func queue(_ context: RequestContext) throws -> Response {
        let membership = try context.requireMembership()
        guard let business = try context.app.database.business(id: membership.businessID),
              let clock = ZoneClock(identifier: business.timeZone) else { throw WebError.notFound() }
        let (orders, policy) = try context.app.database.approvalQueue(businessID: business.id, scope: membership.scope)
        let visibility = try context.app.database.fieldVisibilityPolicy(businessID: business.id)
        let viewer = StaffViewer(membership)
        let base = StaffCalendar.base(business.slug)
        let rows = orders.enumerated().map { index, order -> Row in
            let masked = StaffMasking.mask(order, viewer: viewer, policy: visibility, sensitive: false)
            let url = base + "/bookings/" + PercentDecoding.encode(order.publicID)
            return Row(reference: order.publicID, detailURL: url, service: masked.serviceLabel,
                       when: BookingFormat.span(order.start, order.end, clock),
                       customerName: masked.customerName, email: masked.email, phone: masked.phone, notes: masked.notes,
                       partySize: masked.partySize.flatMap { $0 > 1 ? $0 : nil },
                       decidesAt: policy.decidesAt(requestedAt: order.createdAt).map { at in
                           let local = clock.local(at)
                           return "\(policy.decision == .approve ? "Approved" : "Declined") automatically at \(local.time) on \(BookingFormat.longDate(local.date))"
                       },
                       approveAction: url + "/approve", declineAction: url + "/decline", reasonID: "reason-\(index)")
        }
        let automatic = policy.autoAfterHours.map { hours in
            "Requests nobody decides are \(policy.decision == .approve ? "approved" : "declined") automatically after \(hours == 1 ? "1 hour" : "\(hours) hours")."
        }
        let notice: String? = switch context.request.query["done"] {
        case "approved": "Booking approved: the customer has been told."
        case "declined": "Booking declined: the customer has been told."
        default: nil
        }
        let page = Page(layout: try context.layout(title: "Approvals — \(business.name)", withForm: true), businessName: business.name,
                        calendarURL: base + "/calendar", rows: rows, hasRows: !rows.isEmpty, automatic: automatic, notice: notice)
        var response = context.app.page("staff/approvals", page)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    func approve(_ context: RequestContext) throws -> Response {
        let (business, id) = try target(context)
        _ = try context.app.database.approveBooking(business: business, publicID: id, now: context.instant,
                                                    actor: Actor(try context.auditActor()))
        return .redirect(to: StaffCalendar.base(business.slug) + "/approvals?done=approved")
    }

    func decline(_ context: RequestContext) throws -> Response {
        let (business, id) = try target(context)
        let reason = (try context.form()["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 500 else {
            throw WebError.unprocessable("validation_failed", "Give the customer a reason for declining (at most 500 characters).",
                                         field: "reason")
        }
        _ = try context.app.database.declineBooking(business: business, publicID: id, reason: reason, now: context.instant,
                                                    actor: Actor(try context.auditActor()))
        return .redirect(to: StaffCalendar.base(business.slug) + "/approvals?done=declined")
    }

    /// The business of the signed-in member and the booking id (scoped to that business by the store).
    private func target(_ context: RequestContext) throws -> (Business, String) {
        let membership = try context.requireMembership()
        guard let business = try context.app.database.business(id: membership.businessID) else { throw WebError.notFound() }
        let id = try context.parameter("id")
        if membership.scope.location != nil,
           try context.app.database.staffBooking(businessID: business.id, publicID: id, scope: membership.scope) == nil {
            throw WebError.notFound("We could not find that booking.")
        }
        return (business, id)
    }
}
