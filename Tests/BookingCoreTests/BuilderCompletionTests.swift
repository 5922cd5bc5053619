import BookingCore
import Foundation
import Testing

/// Issue 20, the builder's last rules as pure functions: the "any host" priority order, meeting
/// links, variable durations chosen on the web, and what publishing a version changes.
struct BuilderCompletionTests {
    let monday = "2026-03-02"
    func at(_ time: String) -> Instant { F.t("2026-03-02T\(time):00Z") }

    // MARK: Any host

    @Test func theCompleteOrderKeepsTheArrangedResourcesFirstAndAppendsNewOnes() {
        // 9 was removed, 4 is new, 2 is listed twice.
        #expect(AssignmentStrategy.completeOrder([3, 9, 2, 2], among: [1, 2, 3, 4]) == [3, 2, 1, 4])
        #expect(AssignmentStrategy.completeOrder([], among: [5, 1]) == [5, 1])
    }

    @Test func upAndDownSwapNeighboursAndStopAtTheEnds() {
        let order: [ResourceID] = [1, 2, 3]
        #expect(AssignmentStrategy.moving(3, .up, in: order) == [1, 3, 2])
        #expect(AssignmentStrategy.moving(1, .down, in: order) == [2, 1, 3])
        #expect(AssignmentStrategy.moving(1, .up, in: order) == order)
        #expect(AssignmentStrategy.moving(3, .down, in: order) == order)
        #expect(AssignmentStrategy.moving(7, .up, in: order) == order)
    }

    @Test func storedCodesReadBackAsTheStrategy() {
        #expect(AssignmentStrategy(code: "priority", order: [2, 1]) == .priority([2, 1]))
        #expect(AssignmentStrategy(code: "least_recently_booked", order: [2, 1]) == .leastRecentlyBooked)
        #expect(AssignmentStrategy(code: "nonsense", order: []) == .leastRecentlyBooked)
        #expect(AssignmentStrategy.priority([1]).code == "priority" && AssignmentStrategy.leastRecentlyBooked.code == "least_recently_booked")
    }

    @Test func thePriorityOrderDecidesTheHostOfEveryCheckTheSameWay() {
        // Host 1 was booked least recently: without a priority order it would get the booking.
        let hosts = [F.resource(1, lastBookedAt: 10), F.resource(2, lastBookedAt: 30), F.resource(3, lastBookedAt: 20)]
        let byRecency = AvailabilityEngine.check(F.query(F.spec(), hosts), start: at("15:00"))
        #expect(byRecency.slot?.resourceIDs == [1])
        let query = F.query(F.spec(), hosts, strategy: .priority([2, 3, 1]))
        for _ in 0..<3 { #expect(AvailabilityEngine.check(query, start: at("15:00")).slot?.resourceIDs == [2]) }
        // Once 2 is taken, the next in the order.
        let taken = [hosts[0], F.resource(2, busy: [F.busy(at("15:00"), minutes: 30)]), hosts[2]]
        #expect(AvailabilityEngine.check(F.query(F.spec(), taken, strategy: .priority([2, 3, 1])), start: at("15:00")).slot?.resourceIDs == [3])
    }

    // MARK: Meeting links

    @Test func meetingLinksAreRevealedOnlyOnceBooked() {
        #expect(MeetingLink.isRevealed(to: .confirmed) && MeetingLink.isRevealed(to: .checkedIn) && MeetingLink.isRevealed(to: .completed))
        for status in [BookingStatus.held, .pending, .cancelled, .noShow, .expired] { #expect(!MeetingLink.isRevealed(to: status)) }
    }

    @Test func meetingLinksMustBeHTTPSAddresses() {
        #expect(MeetingLink.normalized("  https://meet.example.com/abc-defg-hij ") == "https://meet.example.com/abc-defg-hij")
        #expect(MeetingLink.normalized("http://meet.example.com/x") == nil)
        #expect(MeetingLink.normalized("javascript:alert(1)") == nil)
        #expect(MeetingLink.normalized("https://") == nil)
        #expect(MeetingLink.normalized("https://user@evil.example/x") == nil)
        #expect(MeetingLink.normalized("https://meet.example.com/a b") == nil)
        #expect(MeetingLink.normalized("https://meet.example.com/\"><script>") == nil)
        #expect(MeetingLink.normalized("https://meet.example.com/" + String(repeating: "a", count: 500)) == nil)
    }

    // MARK: Variable durations

    @Test func theLengthsOfARangeAreListedShortestFirst() {
        let range = DurationSpec(minMinutes: 30, maxMinutes: 120, stepMinutes: 30)
        #expect(range.isVariable)
        #expect(range.choices() == [30, 60, 90, 120])
        #expect(DurationSpec(minMinutes: 15, maxMinutes: 1440, stepMinutes: 15).choices(limit: 3) == [15, 30, 45])
        #expect(!DurationSpec.fixed(45).isVariable && DurationSpec.fixed(45).choices() == [45])
    }

    @Test func aChosenLengthFollowsTheAPIsRule() {
        let range = DurationSpec(minMinutes: 30, maxMinutes: 120, stepMinutes: 30)
        #expect(range.chosen(nil) == 30 && range.chosen("") == 30)
        #expect(range.chosen("90") == 90)
        #expect(range.chosen("45") == nil && range.chosen("150") == nil && range.chosen("ninety") == nil && range.chosen("-30") == nil)
        #expect(range.chosen("90") == range.resolve(90))
    }

    @Test func aLongerChosenLengthNeedsALongerFreeStretch() {
        var spec = F.spec()
        spec.duration = DurationSpec(minMinutes: 30, maxMinutes: 120, stepMinutes: 30)
        let host = F.resource(1, busy: [F.busy(at("16:00"), minutes: 30)])   // 11:00 New York
        let short = Set(F.slots(F.query(spec, [host], duration: 30), monday).map(\.start))
        let long = Set(F.slots(F.query(spec, [host], duration: 120), monday).map(\.start))
        #expect(short.contains(at("15:00")) && !long.contains(at("15:00")))   // 10:00 + 2 h runs into 11:00
        #expect(long.isSubset(of: short))
        #expect(AvailabilityEngine.check(F.query(spec, [host], duration: 45), start: at("14:00")).reasons == [.invalidDuration])
    }

    // MARK: Previews

    @Test func publishingShowsTheTimesGainedAndLost() {
        let changes = VersionChanges(published: [at("14:00"), at("14:30"), at("15:00")], draft: [at("15:00"), at("14:30"), at("16:00")])
        #expect(changes.gained == [at("16:00")])
        #expect(changes.lost == [at("14:00")])
        #expect(!changes.isEmpty && VersionChanges(published: [at("14:00")], draft: [at("14:00")]).isEmpty)
    }

    @Test func aPriceChangeIsShownOnlyWhenThePriceDiffers() {
        let old = F.spec()
        var new = old
        #expect(VersionChanges.priceChange(published: old, draft: new, at: at("15:00"), now: at("00:00"), timeZone: F.newYork) == nil)
        new.price = .fixed(Money(6500, "USD"))
        let change = VersionChanges.priceChange(published: old, draft: new, at: at("15:00"), now: at("00:00"), timeZone: F.newYork)
        #expect(change?.before.total == 5000 && change?.after.total == 6500)
    }
}
