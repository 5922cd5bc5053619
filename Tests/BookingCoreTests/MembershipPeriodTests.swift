import BookingCore
import Testing

/// Membership periods (issue 18): month ends, leap years and DST days, in the business's zone.
struct MembershipPeriodTests {
    static let newYork = ZoneClock(identifier: "America/New_York")!
    static let rules = MembershipPlanRules(creditsPerPeriod: 4, offerIDs: [1], rollover: true, rolloverCap: 2, discountPercent: 10,
                                           maxPauseMonths: 2, cancelRule: .endOfPeriod)

    static func date(_ text: String) -> LocalDate { LocalDate(text)! }

    @Test func anchorOnTheThirtyFirstClampsToShortMonthsWithoutDrifting() {
        // Given a membership started on Jan 31 of a common year, then of a leap year
        let common = (0..<4).map { Memberships.startDate(anchor: Self.date("2027-01-31"), index: $0).description }
        let leap = (0..<3).map { Memberships.startDate(anchor: Self.date("2028-01-31"), index: $0).description }
        // Then it renews on the last day of February and goes back to the 31st in March
        #expect(common == ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"])
        #expect(leap == ["2028-01-31", "2028-02-29", "2028-03-31"])
        // And across a year end
        #expect(Memberships.startDate(anchor: Self.date("2027-11-30"), index: 3).description == "2028-02-29")
        #expect(Memberships.startDate(anchor: Self.date("2027-11-30"), index: 14).description == "2029-01-30")
    }

    @Test func periodsAreLocalMidnightsAndLastTwentyThreeOrTwentyFiveHoursOnDSTDays() {
        // Given a membership anchored on the 14th in New York (2027-03-14 springs forward)
        let march = Memberships.period(anchor: Self.date("2027-02-14"), index: 1, clock: Self.newYork)
        // Then the period starts at local midnight EST and ends at local midnight EDT a month later
        #expect(RFC3339.format(march.start) == "2027-03-14T05:00:00Z")
        #expect(RFC3339.format(march.end) == "2027-04-14T04:00:00Z")
        // And its first day is 23 hours long
        let next = Self.newYork.day(Self.date("2027-03-15")).start
        #expect(next - march.start == 23 * 3600)
        // Given one anchored on the 7th (2027-11-07 falls back): the day is 25 hours
        let november = Memberships.period(anchor: Self.date("2027-10-07"), index: 1, clock: Self.newYork)
        #expect(RFC3339.format(november.start) == "2027-11-07T04:00:00Z")
        #expect(Self.newYork.day(Self.date("2027-11-08")).start - november.start == 25 * 3600)
        #expect(RFC3339.format(november.end) == "2027-12-07T05:00:00Z")
    }

    @Test func periodsFollowEachOtherWithoutGapsAndIndexFindsThem() {
        let anchor = Self.date("2027-01-31")
        for index in 0..<30 {
            let period = Memberships.period(anchor: anchor, index: index, clock: Self.newYork)
            #expect(period.end == Memberships.period(anchor: anchor, index: index + 1, clock: Self.newYork).start)
            // The first and last second of each period belong to it
            #expect(Memberships.index(at: period.start, anchor: anchor, clock: Self.newYork) == index)
            #expect(Memberships.index(at: period.end - 1, anchor: anchor, clock: Self.newYork) == index)
        }
        #expect(Memberships.index(at: Memberships.period(anchor: anchor, index: 0, clock: Self.newYork).start - 1, anchor: anchor,
                                  clock: Self.newYork) == -1)
    }

    @Test func rolloverCarriesUpToTheCapAndNothingWithoutRollover() {
        #expect(Memberships.carried(left: 3, rules: Self.rules) == 2)
        #expect(Memberships.carried(left: 1, rules: Self.rules) == 1)
        #expect(Memberships.carried(left: 0, rules: Self.rules) == 0)
        var none = Self.rules
        none.rollover = false
        #expect(Memberships.carried(left: 3, rules: none) == 0)
    }

    @Test func cancelEndsAtPeriodEndOrAfterTheNotice() {
        let anchor = Self.date("2027-01-31")
        let now = Self.newYork.day(Self.date("2027-02-25")).start + 3600   // in period 0 (Jan 31 – Feb 28)
        let atEnd = Memberships.cancellationEnd(at: now, current: 0, anchor: anchor, rule: .endOfPeriod, clock: Self.newYork)
        #expect(atEnd == Self.newYork.day(Self.date("2027-02-28")).start)
        // With 10 days' notice, Feb 28 is too soon: it runs to the end of the next period (Mar 31)
        let notice = Memberships.cancellationEnd(at: now, current: 0, anchor: anchor, rule: .notice(days: 10), clock: Self.newYork)
        #expect(notice == Self.newYork.day(Self.date("2027-03-31")).start)
    }

    @Test func pauseIsRefusedBeyondTheMaximumOrWhenNotAllowed() {
        #expect(Memberships.pauseRefusal(months: 2, rules: Self.rules) == nil)
        #expect(Memberships.pauseRefusal(months: 3, rules: Self.rules) != nil)
        var never = Self.rules
        never.maxPauseMonths = 0
        #expect(Memberships.pauseRefusal(months: 1, rules: never) != nil)
    }

    @Test func discountIsALineOnOtherOffersOnlyAndComesOffForACredit() {
        let price = PriceBreakdown(currency: "USD", model: "fixed", lines: [.init(label: "Massage", amount: 5_000)], total: 5_000, deposit: 1_000)
        // An offer the credits do not cover gets 10 % off as a line
        let other = Memberships.discounted(price, offerID: 2, rules: Self.rules, planName: "Gold")
        #expect(other.total == 4_500)
        #expect(other.lines.last?.amount == -500)
        #expect(other.lines.last?.label.hasPrefix(Memberships.discountLabel) == true)
        // A covered offer does not
        #expect(Memberships.discounted(price, offerID: 1, rules: Self.rules, planName: "Gold") == price)
        // And the line comes back out
        #expect(Memberships.withoutDiscount(other).total == 5_000)
        #expect(Memberships.withoutDiscount(other).lines == price.lines)
    }
}
