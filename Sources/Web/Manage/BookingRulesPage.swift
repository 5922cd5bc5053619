import BookingCore
import Foundation
import HTTPServer
import Store

/// `/manage/{business}/booking-rules`: when bookings may be marked as no-shows and checked in
/// (`LifecycleTiming`). Needs `policy:manage`; the form carries CSRF; the store audits the change.
struct BookingRulesPage: Sendable {
    struct Page: Sendable {
        let layout: Layout
        let nav: ManageNav
        let action: String
        var grace: String
        var window: String
        let maxGrace = LifecycleTiming.maximumGraceMinutes
        let maxWindow = LifecycleTiming.maximumCheckInWindowMinutes
        var saved = false
        var errors = FormErrors()
    }

    private func page(_ context: RequestContext, timing: LifecycleTiming? = nil) throws -> Page {
        let (business, _, nav) = try context.managedBusiness()
        let current = try timing ?? context.app.database.lifecycleTiming(businessID: business.id)
        return Page(layout: try context.layout(title: "Booking rules — \(business.name)", withForm: true), nav: nav,
                    action: nav.base + "/booking-rules", grace: String(current.noShowGraceMinutes),
                    window: String(current.checkInWindowMinutes))
    }

    func show(_ context: RequestContext) throws -> Response {
        var model = try page(context)
        model.saved = context.request.query["saved"] != nil
        return context.app.page("manage/booking-rules", model)
    }

    func save(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        let form = try context.form()
        var errors = FormErrors()
        let grace = Int((form["no_show_grace_minutes"] ?? "").trimmingCharacters(in: .whitespaces))
            .flatMap { (0...LifecycleTiming.maximumGraceMinutes).contains($0) ? $0 : nil }
        let window = Int((form["check_in_window_minutes"] ?? "").trimmingCharacters(in: .whitespaces))
            .flatMap { (0...LifecycleTiming.maximumCheckInWindowMinutes).contains($0) ? $0 : nil }
        if grace == nil {
            errors.add("no_show_grace_minutes", "Give the grace period in whole minutes, from 0 to \(LifecycleTiming.maximumGraceMinutes).")
        }
        if window == nil {
            errors.add("check_in_window_minutes",
                       "Give the check-in window in whole minutes, from 0 to \(LifecycleTiming.maximumCheckInWindowMinutes).")
        }
        guard let grace, let window else {
            var model = try page(context)
            model.grace = String((form["no_show_grace_minutes"] ?? "").prefix(10))
            model.window = String((form["check_in_window_minutes"] ?? "").prefix(10))
            model.errors = errors
            return context.app.page("manage/booking-rules", model, status: .unprocessable)
        }
        try context.app.database.setLifecycleTiming(LifecycleTiming(noShowGraceMinutes: grace, checkInWindowMinutes: window),
                                                    businessID: business.id, now: context.instant,
                                                    actor: Actor(try context.auditActor()))
        return .redirect(to: nav.base + "/booking-rules?saved=1")
    }
}

extension App {
    static func addBookingRulesRoutes(to table: inout RouteTable) {
        let page = BookingRulesPage()
        table.add("GET", "/manage/:business/booking-rules", requires: .permission(.policyManage), page.show)
        table.add("POST", "/manage/:business/booking-rules", requires: .permission(.policyManage), page.save)
    }
}
