import Testing
@testable import BookingCore

/// The pure rules of issue 17: repeating series across DST changes, automatic approval decisions,
/// and which waiting parties are worth offering a freed place.
struct LifecycleRulesTests {
    let newYork = ZoneClock(identifier: "America/New_York")!

    func local(_ instant: Instant) -> String {
        let l = newYork.local(instant)
        return "\(l.date) \(l.time)"
    }

    @Test func aWeeklySeriesAcrossTheSpringDSTChangeKeepsItsWallClockTime() {
        // Tuesday 2027-03-09 10:00 EST; DST starts Sunday 2027-03-14
        let first = newYork.instant(LocalDate("2027-03-09")!, WallTime(hour: 10, minute: 0)!)!
        let starts = SeriesRule(end: .count(3)).occurrences(first: first, clock: newYork)
        #expect(starts.map(local) == ["2027-03-09 10:00", "2027-03-16 10:00", "2027-03-23 10:00"])
        #expect(starts[1] - starts[0] == 7 * 86_400 - 3_600)   // an hour less in UTC
    }

    @Test func aSeriesAcrossTheAutumnDSTChangeKeepsItsWallClockTimeEveryOtherWeek() {
        // Monday 2027-11-01 18:00 EDT; DST ends Sunday 2027-11-07
        let first = newYork.instant(LocalDate("2027-11-01")!, WallTime(hour: 18, minute: 0)!)!
        let starts = SeriesRule(intervalWeeks: 2, end: .until(LocalDate("2027-11-29")!)).occurrences(first: first, clock: newYork)
        #expect(starts.map(local) == ["2027-11-01 18:00", "2027-11-15 18:00", "2027-11-29 18:00"])
        #expect(starts[1] - starts[0] == 14 * 86_400 + 3_600)
    }

    @Test func aStandingReservationRunsToTheHorizonAndContinuesAfterTheLastDateTried() {
        let first = newYork.instant(LocalDate("2027-03-01")!, WallTime(hour: 9, minute: 0)!)!
        let rule = SeriesRule(end: .none)
        #expect(rule.occurrences(first: first, clock: newYork, through: LocalDate("2027-03-29")!).count == 5)
        let next = rule.occurrences(first: first, clock: newYork, through: LocalDate("2027-04-12")!, after: LocalDate("2027-03-29")!)
        #expect(next.map(local) == ["2027-04-05 09:00", "2027-04-12 09:00"])
        // Never more than the maximum at once
        #expect(rule.occurrences(first: first, clock: newYork).count == SeriesRule.maximumCount)
    }

    @Test func seriesRulesOutsideTheirLimitsSayWhichField() {
        let monday = LocalDate("2027-03-01")!
        #expect(SeriesRule(intervalWeeks: 0, end: .count(2)).problem(first: monday)?.field == "interval")
        #expect(SeriesRule(end: .count(105)).problem(first: monday)?.field == "count")
        #expect(SeriesRule(end: .until(LocalDate("2027-02-28")!)).problem(first: monday)?.field == "until")
        #expect(SeriesRule(end: .until(LocalDate("2029-03-01")!)).problem(first: monday)?.field == "until")
        #expect(SeriesRule(end: .count(10)).problem(first: monday) == nil)
    }

    @Test func anAutomaticApprovalDecisionIsDueExactlyItsHoursAfterTheRequest() {
        let policy = ApprovalPolicy(autoAfterHours: 6, decision: .decline)
        #expect(policy.decidesAt(requestedAt: 1_000) == Instant(22_600))
        #expect(policy.dueBefore(now: 22_600) == Instant(1_000))
        #expect(policy.decidedStatus == .cancelled)
        #expect(ApprovalPolicy.manual.decidesAt(requestedAt: 1_000) == nil)
        #expect(ApprovalPolicy(autoAfterHours: 1).decidedStatus == .confirmed)
    }

    @Test func aWaitingPartyAsLargeAsOneThatDidNotFitIsPassedOver() {
        #expect(WaitlistPolicy.worthTrying(partySize: 3, smallestMisfit: nil))
        #expect(!WaitlistPolicy.worthTrying(partySize: 3, smallestMisfit: 3))
        #expect(WaitlistPolicy.worthTrying(partySize: 1, smallestMisfit: 2))
        #expect(WaitlistPolicy.standard.holdExpiry(now: 100) == 100 + 30 * 60)
    }
}
