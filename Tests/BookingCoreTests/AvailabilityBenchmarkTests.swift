import BookingCore
import Testing

/// Measures (prints, never asserts on time) 31 days of host+room slots among 20 hosts and 10 rooms
/// with 10,000 busy entries. Run in release: `swift test -c release --filter AvailabilityBenchmark`.
struct AvailabilityBenchmarkTests {
    static let runs = 20
    static func bigQuery() -> (AvailabilityQuery, LocalDate, LocalDate) {
        var rng = SplitMix64(seed: 42)
        let from = F.d("2026-03-01"), to = from.adding(days: 30)
        let first = F.t("2026-03-01T00:00:00Z")
        var resources = (1...20).map { F.resource(ResourceID(rawValue: Int64($0)), rules: F.rules(Weekday.allCases, "08:00", "20:00"),
                                                  lastBookedAt: Int64.random(in: 0...1000, using: &rng)) }
        resources += (1...10).map { F.resource(ResourceID(rawValue: Int64(100 + $0)), .venue, rules: F.rules(Weekday.allCases, "08:00", "20:00")) }
        for _ in 0..<10_000 {
            let i = Int.random(in: 0..<resources.count, using: &rng)
            let start = first + Int64(Int.random(in: 0..<(31 * 96), using: &rng)) * 900
            resources[i].busy.append(F.busy(start, minutes: 30, after: 15))
        }
        let spec = F.spec(minutes: 60, interval: 30, after: 15, components: [F.anyHost, F.anyRoom])
        return (F.query(spec, resources, now: first - 86_400), from, to)
    }

    @Test func thirtyOneDaysOfHostAndRoomSlots() {
        let (q, from, to) = Self.bigQuery()
        var best = Duration.seconds(100), bestSlotsOnly = Duration.seconds(100)
        var count = 0
        for _ in 0..<Self.runs {
            let clock = ContinuousClock()
            let t0 = clock.now
            let engine = AvailabilityEngine(query: q, from: from, to: to)
            let t1 = clock.now
            let slots = engine.slots()
            let t2 = clock.now
            count = slots.count
            best = min(best, t2 - t0)
            bestSlotsOnly = min(bestSlotsOnly, t2 - t1)
        }
        // One start checked alone, as inside the booking write transaction.
        let probe = from.adding(days: 10)
        let start = q.clock.instant(probe, WallTime(minutes: 14 * 60)!)!
        var bestCheck = Duration.seconds(100)
        for _ in 0..<Self.runs {
            let clock = ContinuousClock()
            let t0 = clock.now
            _ = AvailabilityEngine.check(q, start: start)
            bestCheck = min(bestCheck, clock.now - t0)
        }
        print("benchmark: one-shot check(start:) \(bestCheck) (best of \(Self.runs))")
        print("benchmark: \(count) slots over 31 days, 30 resources, 10,000 busy: "
              + "prepare+slots \(best), slots alone \(bestSlotsOnly) (best of \(Self.runs))")
        #expect(count > 0)
    }
}
