public import Foundation  // TimeZone only.

/// What publishing a new version of an offer changes for customers, shown before the owner
/// confirms: the starts gained and lost over the preview days, and the price at the same times.
public struct VersionChanges: Hashable, Sendable {
    /// Starts the new version offers that the published one does not, in order.
    public let gained: [Instant]
    /// Starts the published version offers that the new one does not, in order.
    public let lost: [Instant]

    /// Compares the starts each version would offer (order and duplicates do not matter).
    public init(published: [Instant], draft: [Instant]) {
        let before = Set(published), after = Set(draft)
        gained = after.subtracting(before).sorted()
        lost = before.subtracting(after).sorted()
    }

    public var isEmpty: Bool { gained.isEmpty && lost.isEmpty }

    /// The price of one booking of the shortest length at `start` under each version, when they
    /// differ (nil when the same). Party of one; time-of-day and date rules included.
    public static func priceChange(published: OfferVersionSpec, draft: OfferVersionSpec, at start: Instant, now: Instant,
                                   timeZone: TimeZone) -> (before: PriceBreakdown, after: PriceBreakdown)? {
        let before = Pricing.quote(published, start: start, end: start + Int64(published.duration.minMinutes) * 60, partySize: 1,
                                   now: now, timeZone: timeZone)
        let after = Pricing.quote(draft, start: start, end: start + Int64(draft.duration.minMinutes) * 60, partySize: 1,
                                  now: now, timeZone: timeZone)
        return before.total == after.total && before.currency == after.currency && before.deposit == after.deposit
            ? nil : (before, after)
    }
}
