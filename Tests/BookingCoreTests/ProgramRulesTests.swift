import BookingCore
import Testing

/// Programs with attendance as rules (issue 17): what a run may hold, who marks attendance and
/// when, whether a missed session may be made up; and the places the waitlist keeps from the public.
struct ProgramRulesTests {
    @Test func aRunNeedsDistinctFutureSessionsAndSortsThem() {
        #expect(ProgramRules.sessionStarts([300, 100, 200], now: 50) == .success([100, 200, 300]))
        #expect(ProgramRules.sessionStarts([], now: 50) == .failure(.none))
        #expect(ProgramRules.sessionStarts([100, 100], now: 50) == .failure(.repeated))
        #expect(ProgramRules.sessionStarts([100, 40], now: 50) == .failure(.past))
        #expect(ProgramRules.sessionStarts((1...53).map { Int64($0) * 1_000 }, now: 50) == .failure(.tooMany))
    }

    @Test func attendanceIsMarkedByTheFrontDeskAndUpFromAnHourBefore() {
        #expect(ProgramRules.mayMarkAttendance(.staff) && ProgramRules.mayMarkAttendance(.manager) && ProgramRules.mayMarkAttendance(.owner))
        #expect(!ProgramRules.mayMarkAttendance(.provider) && !ProgramRules.mayMarkAttendance(.client))
        #expect(ProgramRules.canMark(sessionStart: 10_000, now: 10_000 - 3_600))
        #expect(!ProgramRules.canMark(sessionStart: 10_000, now: 10_000 - 3_601))
    }

    @Test func aMakeUpNeedsTheOwnersSwitchAnAbsenceAnotherRunAndALaterSession() {
        func refusal(allowed: Bool = true, missed: ProgramRules.Attendance? = .absent, madeUp: Bool = false, sameRun: Bool = false,
                     start: Int64 = 2_000) -> ProgramRules.MakeupRefusal? {
            ProgramRules.makeupRefusal(allowed: allowed, missed: missed, alreadyMadeUp: madeUp, sameRun: sameRun, sessionStart: start, now: 1_000)
        }
        #expect(refusal() == nil)
        #expect(refusal(allowed: false) == .notAllowed)
        #expect(refusal(missed: nil) == .notMissed && refusal(missed: .attended) == .notMissed)
        #expect(refusal(madeUp: true) == .alreadyMadeUp)
        #expect(refusal(sameRun: true) == .sameRun)
        #expect(refusal(start: 1_000) == .past)
    }

    @Test func placesOwedToTheWaitlistAreNotThePublics() {
        // 3 free, 1 kept for an open claim: a waiting party of 4 does not fit and is passed over, one of 1 does
        #expect(WaitlistPolicy.placesForPublic(free: 3, kept: 1, waiting: [4, 1]) == 1)
        #expect(WaitlistPolicy.placesForPublic(free: 5, kept: 0, waiting: []) == 5)
        #expect(WaitlistPolicy.placesForPublic(free: 1, kept: 2, waiting: [1]) == 0)
    }
}
