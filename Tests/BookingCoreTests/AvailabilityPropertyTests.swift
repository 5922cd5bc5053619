import BookingCore
import Foundation  // TimeZone only.
import Testing

/// Random schedules and bookings against a slow, obviously-correct checker.
struct AvailabilityPropertyTests {
    struct Scenario {
        var query: AvailabilityQuery
        var from: LocalDate
        var to: LocalDate
    }

    static let zones = [F.newYork, F.berlin, F.auckland, F.tokyo]
    static let anchorDates = ["2026-03-07", "2026-03-28", "2026-10-24", "2026-10-31", "2026-04-04", "2026-09-26", "2026-07-15"]

    static func scenario(_ rng: inout SplitMix64) -> Scenario {
        let from = F.d(anchorDates.randomElement(using: &rng)!)
        let to = from.adding(days: Int.random(in: 0...2, using: &rng))
        let zone = zones.randomElement(using: &rng)!
        let clock = ZoneClock(zone)
        let base = clock.day(from).start
        func randomRules() -> [WeeklyRule] {
            (0..<Int.random(in: 0...8, using: &rng)).map { _ in
                let o = Int.random(in: 0..<46, using: &rng)
                let c = Swift.min(48, o + Int.random(in: 1...20, using: &rng))
                return WeeklyRule(weekday: Weekday.allCases.randomElement(using: &rng)!,
                                  opens: WallTime(minutes: o * 30)!, closes: WallTime(minutes: c * 30)!)
            }
        }
        func randomRange(maxMinutes: Int) -> TimeRange {
            let s = base + Int64(Int.random(in: -12 * 60...(4 * 24 * 60), using: &rng) / 15 * 15) * 60
            return TimeRange(start: s, end: s + Int64(Int.random(in: 15...maxMinutes, using: &rng) / 15 * 15) * 60)
        }
        func randomBusy() -> [BusyEntry] {
            (0..<Int.random(in: 0...12, using: &rng)).map { _ in
                let service = randomRange(maxMinutes: 180)
                let pad = Int64(Int.random(in: 0...2, using: &rng) * 15 * 60)
                return BusyEntry(blocked: TimeRange(start: service.start - pad, end: service.end + pad),
                                 service: service, offerID: 2)
            }
        }
        func resource(_ id: ResourceID, _ kind: ResourceKind, capacity: Int) -> ResourceSchedule {
            var r = F.resource(id, kind, rules: randomRules(), busy: randomBusy(),
                               blocked: Bool.random(using: &rng) ? [randomRange(maxMinutes: 240)] : [],
                               capacity: capacity, lastBookedAt: Int64.random(in: 0...3, using: &rng))
            if Int.random(in: 0..<5, using: &rng) == 0 {
                r.overlays = [DateOverlay(date: from, kind: .closed)]
            }
            return r
        }
        let withRoom = Bool.random(using: &rng)
        var resources = (1...Int.random(in: 1...3, using: &rng)).map { resource(ResourceID(rawValue: Int64($0)), .host, capacity: 1) }
        if withRoom {
            resources += (1...Int.random(in: 1...2, using: &rng)).map {
                resource(ResourceID(rawValue: Int64(10 + $0)), .venue, capacity: Int.random(in: 1...2, using: &rng))
            }
        }
        let spec = F.spec(minutes: [30, 45, 60, 90].randomElement(using: &rng)!,
                          interval: [15, 30, 60].randomElement(using: &rng)!,
                          before: [0, 15].randomElement(using: &rng)!, after: [0, 15, 30].randomElement(using: &rng)!,
                          notice: [0, 120].randomElement(using: &rng)!, advanceDays: Int.random(in: 1...4, using: &rng),
                          components: withRoom ? [F.anyHost, F.anyRoom] : [F.anyHost])
        let now = base + Int64(Int.random(in: -24 * 60...(24 * 60), using: &rng)) * 60
        return Scenario(query: F.query(spec, resources, zone: zone, now: now), from: from, to: to)
    }

    /// The slow checker: can `r` take a booking at `start`?
    static func bruteFree(_ r: ResourceSchedule, _ q: AvailabilityQuery, start: Instant, date: LocalDate) -> Bool {
        let spec = q.spec
        let service = TimeRange(start: start, end: start + Int64(spec.duration.minMinutes) * 60)
        let window = TimeRange(start: start - Int64(spec.bufferBeforeMinutes) * 60,
                               end: service.end + Int64(spec.bufferAfterMinutes) * 60)
        let open = TimeRange.normalized((-1...1).flatMap {
            r.openRanges(on: date.adding(days: $0), clock: q.clock, offerID: q.offerID)
        })
        guard open.contains(where: { $0.contains(service) }) else { return false }
        guard !r.allBlocked.contains(where: { $0.overlaps(window) }) else { return false }
        let overlapping = r.busy.filter { $0.blocked.overlaps(window) }
        let points = [window.start] + overlapping.map(\.blocked.start)
        let busiest = points.map { p in overlapping.filter { $0.blocked.contains(p) }.count }.max() ?? 0
        return busiest < r.capacity
    }

    static func bruteSlots(_ s: Scenario) -> Set<Instant> {
        let q = s.query
        var out: Set<Instant> = []
        var date = s.from
        while date <= s.to {
            for m in stride(from: 0, to: 1440, by: q.spec.slotIntervalMinutes) {
                guard let start = q.clock.instant(date, WallTime(minutes: m)!),
                      start >= q.now + Int64(q.spec.minimumNoticeMinutes) * 60,
                      start <= q.now + Int64(q.spec.maximumAdvanceDays) * 86_400 else { continue }
                let ok = q.spec.components.allSatisfy { c in
                    q.resources.contains { c.selector.matches($0) && bruteFree($0, q, start: start, date: date) }
                }
                if ok { out.insert(start) }
            }
            date = date.adding(days: 1)
        }
        return out
    }

    @Test(arguments: 0..<8)
    func slotsMatchTheBruteForceChecker(batch: UInt64) {
        var rng = SplitMix64(seed: 1000 + batch)
        var total = 0
        defer { #expect(total > 50, "the scenarios should offer slots") }
        for _ in 0..<40 {
            let s = Self.scenario(&rng)
            let engine = AvailabilityEngine(query: s.query, from: s.from, to: s.to)
            let slots = engine.slots()
            let expected = Self.bruteSlots(s)
            let same = Set(slots.map(\.start)) == expected
            #expect(same, "engine and brute force differ")
            total += slots.count
            #expect(slots.map(\.start) == slots.map(\.start).sorted())
            // Every slot's named resources can really take it.
            for slot in slots {
                let date = s.query.clock.local(slot.start).date
                for id in slot.resourceIDs {
                    let r = s.query.resources.first { $0.id == id }!
                    let free = Self.bruteFree(r, s.query, start: slot.start, date: date)
                    #expect(free, "resource \(id) at \(RFC3339.format(slot.start))")
                }
                #expect(Set(slot.resourceIDs).count == slot.resourceIDs.count)
            }
        }
    }

    @Test(arguments: 0..<4)
    func explainAgreesWithSlots(batch: UInt64) {
        var rng = SplitMix64(seed: 2000 + batch)
        for _ in 0..<30 {
            let s = Self.scenario(&rng)
            let engine = AvailabilityEngine(query: s.query, from: s.from, to: s.to)
            let bookable = Dictionary(uniqueKeysWithValues: engine.slots().map { ($0.start, $0) })
            let first = s.query.clock.day(s.from).start, last = s.query.clock.day(s.to.adding(days: 1)).start
            var probes = Array(stride(from: first, to: last, by: 15 * 60))
            probes += (0..<50).map { _ in Int64.random(in: first..<last, using: &rng) }
            for start in probes {
                let check = engine.check(start: start)
                #expect(check.reasons.isEmpty == (bookable[start] != nil), "\(RFC3339.format(start)) \(check.reasons)")
                #expect(check.slot == bookable[start])
                // A one-shot check prepared for that date alone says the same.
                #expect(AvailabilityEngine.check(s.query, start: start).slot == bookable[start])
            }
        }
    }

    /// Book random slots one after another, as the store would: no resource ever exceeds capacity.
    @Test(arguments: 0..<4)
    func bookingEveryOfferedSlotNeverOverbooks(batch: UInt64) {
        var rng = SplitMix64(seed: 3000 + batch)
        for _ in 0..<10 {
            var s = Self.scenario(&rng)
            for _ in 0..<12 {
                let slots = AvailabilityEngine(query: s.query, from: s.from, to: s.to).slots()
                guard let slot = slots.randomElement(using: &rng) else { break }
                let spec = s.query.spec
                let entry = BusyEntry(blocked: TimeRange(start: slot.start - Int64(spec.bufferBeforeMinutes) * 60,
                                                         end: slot.end + Int64(spec.bufferAfterMinutes) * 60),
                                      service: TimeRange(start: slot.start, end: slot.end), offerID: 1)
                let date = s.query.clock.local(slot.start).date
                for id in slot.resourceIDs {
                    let i = s.query.resources.firstIndex { $0.id == id }!
                    let free = Self.bruteFree(s.query.resources[i], s.query, start: slot.start, date: date)
                    #expect(free, "resource \(id) at \(RFC3339.format(slot.start))")
                    s.query.resources[i].busy.append(entry)
                }
                let again = AvailabilityEngine.check(s.query, start: slot.start).slot?.resourceIDs
                #expect(again != slot.resourceIDs || slot.seatsLeft > 1, "same resources offered twice")
            }
        }
    }
}
