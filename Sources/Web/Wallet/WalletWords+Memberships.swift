import BookingCore
import HTTPServer
import Store

/// The sentences and rows of memberships on the wallet pages, the builder and the public page.
extension WalletWords {
    /// "45.00 USD a month, 4 credits a month (unused ones roll over, up to 2), 10 % off other offers, pause up to 2 months, cancel at the end of the month".
    static func planSummary(_ plan: MembershipPlanInfo) -> String {
        let rules = plan.rules
        var parts = ["\(Currency.format(plan.pricePerMonth, plan.currency)) a month",
                     "\(rules.creditsPerPeriod) credit\(rules.creditsPerPeriod == 1 ? "" : "s") a month"
                         + (rules.rollover ? " (unused ones roll over, up to \(rules.rolloverCap))" : " (unused ones expire at the month's end)")]
        if rules.discountPercent > 0 { parts.append("\(rules.discountPercent) % off other offers") }
        parts.append(rules.maxPauseMonths > 0 ? "pause up to \(rules.maxPauseMonths) month\(rules.maxPauseMonths == 1 ? "" : "s")" : "no pausing")
        switch rules.cancelRule {
        case .endOfPeriod: parts.append("cancel any time, effective at the end of the month")
        case .notice(let days): parts.append("cancel with \(days) days' notice")
        }
        return parts.joined(separator: ", ")
    }

    /// One membership as the wallet pages list it, with the forms its viewer may use.
    struct Membership: Sendable {
        let id: String
        let name: String
        let business: String
        let summary: String
        let status: String
        let renewal: String?
        let due: String?
        let credits: String
        /// Where its forms post (`…/pause`, `…/resume`, `…/cancel`, `…/pay`).
        let actions: String
        let canPause: Bool
        let pauseMonths: [Int]
        let canResume: Bool
        let canCancel: Bool
        let canPay: Bool
        /// The member may pay by card on the page (a card membership with the first month or a month due).
        let canPayByCard: Bool
        /// How the card payments stand: the last decline and the next attempt (staff and member alike).
        let payment: String?
        /// Card money taken for a month that could not be granted, and how its refund stands.
        let refunds: [String]
    }

    static func membership(_ member: MembershipInfo, lots: [WalletEntry], actions: String, now: Instant) -> Membership {
        let clock = ZoneClock(identifier: member.timeZone) ?? ZoneClock(identifier: "UTC")!
        func day(_ instant: Instant) -> String { HumanTime.longDate(clock.local(instant).date) }
        let status: String = switch member.state {
        case .pending: member.payMethod == .card ? "Waiting for the first month's payment (by card)"
                                                 : "Waiting for the first month's payment (at the venue)"
        case .active: "Active since \(member.startedOn.map { HumanTime.longDate($0) } ?? "")"
        case .paused: "Paused" + (member.pause.flatMap { pause in
            member.startedOn.map { " until \(HumanTime.longDate(Memberships.startDate(anchor: $0, index: pause.upperBound)))" } } ?? "")
        case .ending: "Cancelled: ends at the end of \(member.endsAt.map { day($0 - 1) } ?? "")"
        case .ended: "Ended"
        case .suspended: "Suspended on \(member.endsAt.map(day) ?? ""): the card payment failed"
        }
        let current = member.periods.first { $0.range.contains(now) }
        let lot = current?.entitlementID.flatMap { id in lots.first { $0.lot.id == id } }
        let credits = lot.map { "\($0.lot.usable(at: now)) credit\($0.lot.usable(at: now) == 1 ? "" : "s") left this month, valid until \(validUntil($0.lot, clock))" }
            ?? (member.state == .paused ? "No credits while paused" : "No credits this month")
        let held = member.payMethod == .card && current?.state == "due" ? "This month's credits are held until it is paid" : nil
        let pauseFuture = member.pause.map { $0.upperBound > (member.currentIndex ?? 0) + 1 || $0.lowerBound > (member.currentIndex ?? 0) } ?? false
        let due = member.due
        let active = member.state == .active || member.state == .paused
        return Membership(
            id: String(member.id), name: member.plan.name, business: member.businessName, summary: planSummary(member.plan),
            status: status + (pauseFuture && member.state == .active ? " (a pause is planned)" : ""),
            renewal: member.nextRenewal.map { "Next month starts \(day($0))" },
            due: due.isEmpty ? nil : "\(due.count) month\(due.count == 1 ? "" : "s") \(member.payMethod == .card ? "unpaid" : "due at the venue"): "
                + Currency.format(due.reduce(0) { $0 + $1.amount }, member.plan.currency),
            credits: held ?? credits, actions: actions,
            canPause: active && member.endsAt == nil && !pauseFuture && member.plan.rules.maxPauseMonths > 0,
            pauseMonths: Array(1...Swift.max(1, member.plan.rules.maxPauseMonths)),
            canResume: pauseFuture, canCancel: (active || member.state == .pending) && member.endsAt == nil,
            canPay: member.state == .pending || !due.isEmpty,
            canPayByCard: member.payMethod == .card && (member.state == .pending || !due.isEmpty),
            payment: paymentWords(member, day: day), refunds: member.refunds.map(refundWords))
    }

    /// "$45.00 taken by card after the month was settled is being refunded." and the like.
    private static func refundWords(_ refund: MembershipRefundInfo) -> String {
        let money = Currency.format(refund.amount, refund.currency) + " taken by card after the month was settled"
        return switch refund.status {
        case "succeeded": money + " has been refunded."
        case "failed": money + " could not be refunded automatically (\(refund.error)); the business refunds it by hand."
        default: money + " is being refunded."
        }
    }

    /// "The card payment failed: Your card was declined. We try the saved card again on 5 December 2026."
    private static func paymentWords(_ member: MembershipInfo, day: (Instant) -> String) -> String? {
        guard member.payMethod == .card, member.state == .pending || !member.due.isEmpty else { return nil }
        var words = member.lastPaymentError.isEmpty ? "" : "The card payment failed: \(member.lastPaymentError)"
        if let next = member.nextChargeAt { words += (words.isEmpty ? "" : " ") + "We try the saved card again on \(day(next))." }
        return words.isEmpty ? nil : words
    }
}
