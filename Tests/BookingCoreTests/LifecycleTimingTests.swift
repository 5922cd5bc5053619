import BookingCore
import Testing

/// No-show only after the start plus the grace period, complete only after the start, check-in
/// from the window before the start. Times pinned; `now` is an input.
struct LifecycleTimingTests {
    let start: Instant = 1_800_000_000
    let timing = LifecycleTiming.standard

    @Test func noShowOnlyAfterTheStartAndTheGracePeriod() throws {
        // A booking 17 days ahead cannot be a no-show (it would free time still to be sold)
        #expect(throws: TooEarly.self) { try timing.check(.noShow, start: start, now: start - 17 * 86_400) }
        #expect(throws: TooEarly.self) { try timing.check(.noShow, start: start, now: start) }
        #expect(throws: TooEarly.self) { try timing.check(.noShow, start: start, now: start + 15 * 60 - 1) }
        try timing.check(.noShow, start: start, now: start + 15 * 60)
        try LifecycleTiming(noShowGraceMinutes: 0, checkInWindowMinutes: 60).check(.noShow, start: start, now: start)
    }

    @Test func completeOnlyOnceStarted() throws {
        #expect(throws: TooEarly.self) { try timing.check(.completed, start: start, now: start - 1) }
        try timing.check(.completed, start: start, now: start)
    }

    @Test func checkInFromTheWindowBeforeTheStart() throws {
        #expect(throws: TooEarly.self) { try timing.check(.checkedIn, start: start, now: start - 60 * 60 - 1) }
        try timing.check(.checkedIn, start: start, now: start - 60 * 60)
        try timing.check(.checkedIn, start: start, now: start + 3600)
    }

    @Test func otherMovesDoNotDependOnTime() throws {
        for status in [BookingStatus.confirmed, .cancelled, .pending, .expired] {
            #expect(timing.earliest(status, start: start) == nil)
            try timing.check(status, start: start, now: start - 365 * 86_400)
        }
    }

    @Test func refusalsSaySinceWhen() {
        do {
            try timing.check(.noShow, start: start, now: start)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.message == "a booking can be marked as a no-show only from 15 minutes after its start")
            #expect(error.earliest == start + 900)
        }
        #expect(throws: TooEarly.self) { try timing.check(.checkedIn, start: start, now: 0) }
    }
}
