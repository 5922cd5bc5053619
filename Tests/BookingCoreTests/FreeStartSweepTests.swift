@testable import BookingCore
import Foundation  // TimeZone only.
import Testing

/// `slots()` in slot mode answers simple resources (capacity 1, no limits) from their free starts,
/// walked forward with the starts (`PreparedResource.appendFreeStarts`, `isFree`). The old path —
/// `verdict` per resource and start — is what `check(start:)` still runs: over whole busy months,
/// across both New York DST changes of 2027, every start of the grid gets the same answer both ways.
struct FreeStartSweepTests {
    /// Busy months: hosts booked every few slots with buffers, a few with capacity 2 or limits (the
    /// old path), time off, two components sometimes (host and room), buffers on the offer.
    /// `allSimple`: every resource simple, so every component's free starts are counted
    /// (`AvailabilityEngine.freeCountTimes`) and candidates checked only until enough are picked.
    static func month(_ rng: inout SplitMix64, from: LocalDate, days: Int, allSimple: Bool = false) -> (AvailabilityQuery, LocalDate, LocalDate) {
        let zone = F.newYork
        let clock = ZoneClock(zone)
        let base = clock.day(from).start
        let to = from.adding(days: days - 1)
        func busy() -> [BusyEntry] {
            var entries: [BusyEntry] = []
            var s = base - 86_400 + Int64(Int.random(in: 0..<8, using: &rng)) * 900
            let end = clock.day(to.adding(days: 2)).start
            while s < end {
                entries.append(F.busy(s, minutes: [30, 45, 60, 90].randomElement(using: &rng)!,
                                      before: [0, 0, 10].randomElement(using: &rng)!, after: [0, 5, 15].randomElement(using: &rng)!))
                s += Int64(Int.random(in: 2...14, using: &rng)) * 900
            }
            return entries
        }
        func resource(_ id: ResourceID, _ kind: ResourceKind) -> ResourceSchedule {
            let simple = allSimple || Int.random(in: 0..<5, using: &rng) > 0
            let opens = ["07:00", "08:00", "09:30", "00:00"].randomElement(using: &rng)!
            let closes = opens == "00:00" ? "23:59" : ["17:00", "20:00", "21:45"].randomElement(using: &rng)!
            return F.resource(id, kind, rules: F.rules(Weekday.allCases.filter { _ in Int.random(in: 0..<7, using: &rng) > 0 }, opens, closes),
                              busy: busy(),
                              blocked: Bool.random(using: &rng) ? [TimeRange(start: base + 5 * 86_400 + 36_000, end: base + 6 * 86_400)] : [],
                              capacity: simple ? 1 : 2, lastBookedAt: Int64.random(in: 0...50, using: &rng),
                              limits: simple ? .init() : ResourceLimits(maxBookingsPerDay: Bool.random(using: &rng) ? 6 : nil,
                                                                        minRestMinutes: Bool.random(using: &rng) ? 15 : nil))
        }
        let resources = (1...8).map { resource(ResourceID(rawValue: Int64($0)), .host) } + [resource(11, .venue), resource(12, .venue)]
        var components = [F.anyHost]
        if Bool.random(using: &rng) { components.append(F.anyRoom) }
        let spec = F.spec(minutes: [30, 45, 60].randomElement(using: &rng)!, interval: [15, 30].randomElement(using: &rng)!,
                          before: [0, 10].randomElement(using: &rng)!, after: [0, 15].randomElement(using: &rng)!,
                          notice: [0, 120].randomElement(using: &rng)!, advanceDays: 400, components: components)
        let q = F.query(spec, resources, zone: zone, now: base + Int64(Int.random(in: 0...600, using: &rng)) * 60,
                        requested: [nil, nil, nil, 3].randomElement(using: &rng)!,
                        strategy: Bool.random(using: &rng) ? .leastRecentlyBooked : .priority([4, 2]))
        return (q, from, to)
    }

    @Test(arguments: [("2027-03-01", 20, false), ("2027-10-25", 21, false), ("2027-01-07", 31, false),
                      ("2027-03-01", 20, true), ("2027-10-25", 21, true), ("2027-01-07", 31, true)])
    func slotsFromFreeStartsMatchTheFullCheckOverBusyMonthsAcrossDST(from: String, days: Int, allSimple: Bool) {
        var rng = SplitMix64(seed: UInt64(from.utf8.reduce(0) { $0 &* 31 &+ Int($1) }) &+ UInt64(days) &+ (allSimple ? 7 : 0))
        var offered = 0, refused = 0
        for _ in 0..<4 {
            let (q, from, to) = Self.month(&rng, from: F.d(from), days: days, allSimple: allSimple)
            let engine = AvailabilityEngine(query: q, from: from, to: to)
            #expect(engine.sweeps.contains(true), "the month should have simple resources")
            if allSimple { #expect(engine.freeCountBounds.last! > 0, "every component's free starts should be counted") }
            let slots = engine.slots()
            let bookable = Dictionary(uniqueKeysWithValues: slots.map { ($0.start, $0) })
            for d in 0..<days {
                let day = q.clock.day(from.adding(days: d))
                for m in stride(from: 0, to: 1440, by: q.spec.slotIntervalMinutes) {
                    guard let start = day.instant(minutes: m) else { continue }
                    let check = engine.check(start: start)
                    #expect(check.slot == bookable[start], "\(RFC3339.format(start)) \(check.reasons)")
                    if check.slot == nil { refused += 1 } else { offered += 1 }
                }
            }
        }
        #expect(offered > 200 && refused > 200, "busy months should both offer and refuse starts: \(offered) / \(refused)")
    }

    /// The free starts are exactly the starts where the fast path's two tests (fits the hours,
    /// misses the obstacles with the buffers) say free: every second-grid start of random ranges.
    @Test(arguments: 0..<4)
    func freeStartsAreWhereTheHoursFitAndNoObstacleIsMet(batch: UInt64) {
        var rng = SplitMix64(seed: 700 + batch)
        for _ in 0..<200 {
            func ranges(_ n: Int, _ width: ClosedRange<Int64>) -> [TimeRange] {
                TimeRange.normalized((0..<n).map { _ in
                    let s = Int64.random(in: 0...2_000, using: &rng)
                    return TimeRange(start: s, end: s + Int64.random(in: width, using: &rng))
                })
            }
            let open = ranges(Int.random(in: 0...5, using: &rng), 1...600)
            let obstacles = ranges(Int.random(in: 0...8, using: &rng), 1...120)
            let duration = Int64.random(in: 0...90, using: &rng)
            let before = Int64.random(in: 0...30, using: &rng), after = Int64.random(in: 0...30, using: &rng)
            var free: [TimeRange] = []
            PreparedResource.appendFreeStarts(open: open, obstacles: obstacles, duration: duration, before: before, after: after, to: &free)
            #expect(free == TimeRange.normalized(free) && !free.contains(where: \.isEmpty), "sorted, disjoint, non-empty")
            let wrong = (Int64(-200)...2_800).filter { s in
                let service = TimeRange(start: s, end: s + duration)
                let window = TimeRange(start: s - before, end: service.end + after)
                let expected = TimeRange.sortedContains(open, service) && !TimeRange.sortedOverlaps(obstacles, window)
                return free.contains { $0.contains(s) } != expected
            }
            #expect(wrong.isEmpty, "open \(open), obstacles \(obstacles), duration \(duration), buffers \(before)/\(after)")
        }
    }
}
