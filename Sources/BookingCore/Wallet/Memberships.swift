/// How a member may stop: at the end of the period they are in, or with notice (the membership then
/// ends at the first period end at least `days` days after they asked).
public enum MembershipCancelRule: Hashable, Sendable {
    case endOfPeriod
    case notice(days: Int)
}

/// A membership product's rules (issue 18): a monthly price, credits granted each period for some
/// offers (kept or not when the period ends), a discount on the other offers, pause and cancel rules.
public struct MembershipPlanRules: Hashable, Sendable {
    public var creditsPerPeriod: Int
    /// The offers a period's credits pay for (they get no member discount).
    public var offerIDs: Set<OfferID>
    /// Unused credits carried into the next period (up to `rolloverCap`) instead of expiring.
    public var rollover: Bool
    public var rolloverCap: Int
    /// 0…100 percent off the other offers of the business.
    public var discountPercent: Int
    /// How many months in a row a member may pause; 0: no pausing.
    public var maxPauseMonths: Int
    public var cancelRule: MembershipCancelRule

    public init(creditsPerPeriod: Int, offerIDs: Set<OfferID>, rollover: Bool, rolloverCap: Int, discountPercent: Int,
                maxPauseMonths: Int, cancelRule: MembershipCancelRule) {
        self.creditsPerPeriod = creditsPerPeriod
        self.offerIDs = offerIDs
        self.rollover = rollover
        self.rolloverCap = rolloverCap
        self.discountPercent = discountPercent
        self.maxPauseMonths = maxPauseMonths
        self.cancelRule = cancelRule
    }
}

/// The arithmetic of membership periods. Pure: the zone and `now` are passed in.
///
/// Period `k` of a membership anchored on local date `A` starts on the date `k` months after `A`,
/// its day clamped to the month's length (anchored on Jan 31: Feb 28 or 29, then Mar 31: the anchor
/// day is kept, never drifting), at local midnight; it ends where period `k + 1` starts. So a period
/// holds whole local days, 23 or 25 hours long across a DST change.
public enum Memberships {
    /// The first local date of period `index` (0: the anchor itself).
    public static func startDate(anchor: LocalDate, index: Int) -> LocalDate {
        let months = anchor.month - 1 + index
        let year = anchor.year + (months >= 0 ? months / 12 : (months - 11) / 12)
        let month = ((months % 12) + 12) % 12 + 1
        let day = Swift.min(anchor.day, LocalDate.daysIn(month: month, year: year))
        return LocalDate(year: year, month: month, day: day)!
    }

    /// Period `index` as instants: from its first date's local midnight to the next period's.
    public static func period(anchor: LocalDate, index: Int, clock: ZoneClock) -> TimeRange {
        TimeRange(start: clock.day(startDate(anchor: anchor, index: index)).start,
                  end: clock.day(startDate(anchor: anchor, index: index + 1)).start)
    }

    /// The index of the period holding `now` (negative before the anchor's midnight).
    public static func index(at now: Instant, anchor: LocalDate, clock: ZoneClock) -> Int {
        let today = clock.local(now).date
        var index = (today.year - anchor.year) * 12 + (today.month - anchor.month)
        // The month count is right or one too many (before the anchor day within the month).
        while startDate(anchor: anchor, index: index) > today { index -= 1 }
        while startDate(anchor: anchor, index: index + 1) <= today { index += 1 }
        return index
    }

    /// How many of `left` unused credits pass into the next period: none without rollover, else up to the cap.
    public static func carried(left: Int, rules: MembershipPlanRules) -> Int {
        guard rules.rollover, left > 0 else { return 0 }
        return Swift.min(left, Swift.max(0, rules.rolloverCap))
    }

    /// The instant a membership ends when its member cancels at `now` (within period `current`):
    /// the end of that period, or with notice the first period end at least `days` days later.
    public static func cancellationEnd(at now: Instant, current: Int, anchor: LocalDate, rule: MembershipCancelRule,
                                       clock: ZoneClock) -> Instant {
        var index = Swift.max(0, current)
        guard case .notice(let days) = rule else { return period(anchor: anchor, index: index, clock: clock).end }
        let earliest = clock.day(clock.local(now).date.adding(days: Swift.max(0, days))).start
        while period(anchor: anchor, index: index, clock: clock).end < earliest { index += 1 }
        return period(anchor: anchor, index: index, clock: clock).end
    }

    /// Why a pause is refused; nil when `months` may be paused from the next period.
    public static func pauseRefusal(months: Int, rules: MembershipPlanRules) -> String? {
        guard rules.maxPauseMonths > 0 else { return "This membership cannot be paused." }
        guard (1...rules.maxPauseMonths).contains(months) else {
            return "Pause for 1 to \(rules.maxPauseMonths) month\(rules.maxPauseMonths == 1 ? "" : "s")."
        }
        return nil
    }

    /// When the worker tries a declined renewal again, after the first attempt: 1 day, then 3 days.
    /// After the last retry fails the membership is suspended.
    public static let retryDelays: [Int64] = [86_400, 3 * 86_400]

    /// The label every member discount line starts with (a credit payment takes the line back out).
    public static let discountLabel = "Member discount"

    /// The member's discount on an offer the plan's credits do not cover, as a line of the breakdown;
    /// the price unchanged for a covered offer, a 0 % plan or a free booking.
    public static func discounted(_ price: PriceBreakdown, offerID: OfferID, rules: MembershipPlanRules,
                                  planName: String) -> PriceBreakdown {
        let percent = Int64(Swift.min(100, Swift.max(0, rules.discountPercent)))
        guard percent > 0, price.total > 0, !rules.offerIDs.contains(offerID) else { return price }
        return price.discounted(to: roundHalfUp(price.total, times: 100 - percent, over: 100),
                                label: "\(discountLabel) (\(planName)) −\(percent)%")
    }

    /// The price without its member discount line (a booking paid with a credit gets no discount).
    public static func withoutDiscount(_ price: PriceBreakdown) -> PriceBreakdown {
        var plain = price
        let lines = price.lines.filter { $0.label.hasPrefix(discountLabel) }
        guard !lines.isEmpty else { return price }
        plain.lines.removeAll { $0.label.hasPrefix(discountLabel) }
        plain.total -= lines.reduce(0) { $0 + $1.amount }
        return plain
    }
}
