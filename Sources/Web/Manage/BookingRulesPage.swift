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
        var autoHours = ""
        var decideApprove = true
        var offerMinutes = "30"
        var firstToConfirm = false
        let maxAutoHours = ApprovalPolicy.maximumHours
        let maxOfferMinutes = WaitlistPolicy.maximumOfferMinutes
        var saved = false
        var errors = FormErrors()
    }

    private func page(_ context: RequestContext, timing: LifecycleTiming? = nil) throws -> Page {
        let (business, _, nav) = try context.managedBusiness()
        let current = try timing ?? context.app.database.lifecycleTiming(businessID: business.id)
        let policies = try context.app.database.lifecyclePolicies(businessID: business.id)
        return Page(layout: try context.layout(title: "Booking rules — \(business.name)", withForm: true), nav: nav,
                    action: nav.base + "/booking-rules", grace: String(current.noShowGraceMinutes),
                    window: String(current.checkInWindowMinutes), autoHours: policies.approval.autoAfterHours.map(String.init) ?? "",
                    decideApprove: policies.approval.decision == .approve, offerMinutes: String(policies.waitlist.offerMinutes),
                    firstToConfirm: policies.waitlist.mode == .firstToConfirm)
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
        // A form without the approval or waitlist fields (an older page) keeps those rules as they are.
        let current = try context.app.database.lifecyclePolicies(businessID: business.id)
        let autoText = (form["approval_auto_hours"] ?? current.approval.autoAfterHours.map(String.init) ?? "").trimmingCharacters(in: .whitespaces)
        let autoHours = autoText.isEmpty ? nil : Int(autoText).flatMap { (1...ApprovalPolicy.maximumHours).contains($0) ? $0 : nil }
        if !autoText.isEmpty && autoHours == nil {
            errors.add("approval_auto_hours",
                       "Give the hours before an automatic decision as a whole number from 1 to \(ApprovalPolicy.maximumHours), or leave it empty.")
        }
        let decision = ApprovalPolicy.Decision(rawValue: form["approval_auto_decision"] ?? current.approval.decision.rawValue)
        if decision == nil { errors.add("approval_auto_decision", "Choose approve or decline.") }
        let offerMinutes = Int((form["waitlist_offer_minutes"] ?? String(current.waitlist.offerMinutes)).trimmingCharacters(in: .whitespaces))
            .flatMap { (1...WaitlistPolicy.maximumOfferMinutes).contains($0) ? $0 : nil }
        if offerMinutes == nil {
            errors.add("waitlist_offer_minutes",
                       "Give the time a freed place is held in whole minutes, from 1 to \(WaitlistPolicy.maximumOfferMinutes).")
        }
        let mode = WaitlistPolicy.Mode(rawValue: form["waitlist_mode"] ?? current.waitlist.mode.rawValue)
        if mode == nil { errors.add("waitlist_mode", "Choose in order or first to confirm.") }
        guard let grace, let window, let decision, let offerMinutes, let mode, autoText.isEmpty || autoHours != nil else {
            var model = try page(context)
            model.grace = String((form["no_show_grace_minutes"] ?? "").prefix(10))
            model.window = String((form["check_in_window_minutes"] ?? "").prefix(10))
            model.autoHours = String(autoText.prefix(10))
            model.offerMinutes = String((form["waitlist_offer_minutes"] ?? "").prefix(10))
            model.decideApprove = decision != .decline
            model.firstToConfirm = mode == .firstToConfirm
            model.errors = errors
            return context.app.page("manage/booking-rules", model, status: .unprocessable)
        }
        try context.app.database.setLifecycleTiming(LifecycleTiming(noShowGraceMinutes: grace, checkInWindowMinutes: window),
                                                    businessID: business.id, now: context.instant,
                                                    actor: Actor(try context.auditActor()))
        try context.app.database.setLifecyclePolicies(approval: ApprovalPolicy(autoAfterHours: autoHours, decision: decision),
                                                      waitlist: WaitlistPolicy(offerMinutes: offerMinutes, mode: mode), businessID: business.id,
                                                      now: context.instant, actor: Actor(try context.auditActor()))
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
