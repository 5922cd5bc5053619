import BookingCore
import Foundation  // TimeZone only.
import Testing

/// `slots()`, `check(start:)` and `explain(start:)` agree on every mode and option, and class
/// sessions never oversell.
struct AvailabilityAgreementTests {
    static func scenario(_ rng: inout SplitMix64) -> (AvailabilityQuery, LocalDate, LocalDate) {
        let from = F.d(["2026-03-07", "2026-10-31", "2026-07-15"].randomElement(using: &rng)!)
        let to = from.adding(days: Int.random(in: 0...2, using: &rng))
        let zone = [F.newYork, F.berlin, F.auckland].randomElement(using: &rng)!
        let base = ZoneClock(zone).day(from).start
        let mode = [OfferMode.slot, .class, .multiDay].randomElement(using: &rng)!
        let offerID: OfferID = 1
        func rules() -> [WeeklyRule] {
            (0..<Int.random(in: 4...12, using: &rng)).map { _ in
                let o = Int.random(in: 0..<40, using: &rng)
                return WeeklyRule(weekday: Weekday.allCases.randomElement(using: &rng)!, opens: WallTime(minutes: o * 30)!,
                                  closes: WallTime(minutes: Swift.min(48, o + Int.random(in: 4...16, using: &rng)) * 30)!,
                                  offerID: Int.random(in: 0..<3, using: &rng) == 0 ? offerID : nil)
            }
        }
        func busy() -> [BusyEntry] {
            (0..<Int.random(in: 0...6, using: &rng)).map { _ in
                let s = base + Int64(Int.random(in: 0..<(4 * 96), using: &rng)) * 900
                let sameClass = mode == .class && Bool.random(using: &rng)
                return F.busy(s, minutes: [30, 60, 120].randomElement(using: &rng)!, after: [0, 15].randomElement(using: &rng)!,
                              offer: sameClass ? offerID : 2, party: Int.random(in: 1...4, using: &rng), isClass: sameClass)
            }
        }
        func resource(_ id: ResourceID, _ kind: ResourceKind) -> ResourceSchedule {
            F.resource(id, kind, rules: rules(), busy: busy(),
                       blocked: Bool.random(using: &rng) ? [TimeRange(start: base + 36_000, end: base + 39_600)] : [],
                       capacity: Int.random(in: 1...3, using: &rng), tags: Bool.random(using: &rng) ? ["x"] : [],
                       lastBookedAt: Int64.random(in: 0...5, using: &rng),
                       limits: ResourceLimits(maxBookingsPerDay: Bool.random(using: &rng) ? Int.random(in: 1...3, using: &rng) : nil,
                                              minRestMinutes: Bool.random(using: &rng) ? 30 : nil))
        }
        let resources = [1, 2, 3].map { resource($0, .host) } + [11, 12].map { resource($0, .venue) }
            + [resource(21, .asset)]
        var components = [OfferComponent(selector: .anyOf(kind: .host, tag: Bool.random(using: &rng) ? "x" : nil), role: "host")]
        if Bool.random(using: &rng) { components.append(OfferComponent(selector: .resource(11), role: "room")) }
        if Bool.random(using: &rng) { components.append(OfferComponent(selector: .anyOf(kind: .asset, tag: nil), role: "kit", required: false)) }
        var spec = F.spec(minutes: 60, mode: mode, interval: [15, 30, 60].randomElement(using: &rng)!,
                          before: [0, 15].randomElement(using: &rng)!, after: [0, 15].randomElement(using: &rng)!,
                          notice: [0, 90].randomElement(using: &rng)!, advanceDays: Int.random(in: 1...5, using: &rng),
                          seats: Int.random(in: 1...8, using: &rng), components: components)
        spec.duration = DurationSpec(minMinutes: 30, maxMinutes: mode == .multiDay ? 2880 : 120, stepMinutes: 30)
        let duration = mode == .multiDay ? [nil, 2880, 45].randomElement(using: &rng)!
            : [nil, nil, 60, 90, 45].randomElement(using: &rng)!
        let q = F.query(spec, resources, zone: zone, now: base - Int64(Int.random(in: 0...600, using: &rng)) * 60,
                        party: Int.random(in: 1...3, using: &rng), requested: [nil, nil, nil, 2, 99].randomElement(using: &rng)!,
                        duration: duration, strategy: Bool.random(using: &rng) ? .leastRecentlyBooked : .priority([3, 1]),
                        offerID: offerID)
        return (q, from, to)
    }

    @Test(arguments: 0..<6)
    func slotsCheckAndExplainAgreeForEveryMode(batch: UInt64) {
        var rng = SplitMix64(seed: 5000 + batch)
        var offered = 0
        for _ in 0..<40 {
            let (q, from, to) = Self.scenario(&rng)
            let engine = AvailabilityEngine(query: q, from: from, to: to)
            let slots = engine.slots()
            offered += slots.count
            let bookable = Dictionary(uniqueKeysWithValues: slots.map { ($0.start, $0) })
            let first = q.clock.day(from).start, last = q.clock.day(to.adding(days: 1)).start
            for start in stride(from: first, to: last, by: 15 * 60) {
                let check = engine.check(start: start)
                #expect(check.slot == bookable[start], "\(RFC3339.format(start)) \(check.reasons)")
                #expect(check.reasons.isEmpty == (bookable[start] != nil))
            }
            for slot in slots {
                #expect(Set(slot.resourceIDs).count == slot.resourceIDs.count)
                if q.spec.mode == .class { #expect(slot.seatsLeft >= q.partySize) } else { #expect(slot.seatsLeft >= 1) }
                if let wanted = q.requestedResourceID { #expect(slot.resourceIDs.contains(wanted)) }
            }
        }
        #expect(offered > 20, "the scenarios should offer slots")
    }

    /// Filling a class one booking at a time stops exactly at its seats.
    @Test func fillingAClassStopsAtItsSeats() {
        let yoga = F.spec(minutes: 60, mode: .class, seats: 7, components: [OfferComponent(selector: .resource(30), role: "studio")])
        var studio = F.resource(30, .venue, rules: F.rules([.monday], "12:00", "13:00"))
        var rng = SplitMix64(seed: 9)
        var sold = 0
        while true {
            let party = Int.random(in: 1...3, using: &rng)
            let q = F.query(yoga, [studio], party: party, offerID: 5)
            guard let slot = F.slots(q, "2026-03-02").first else {
                #expect(sold + party > 7)
                break
            }
            #expect(slot.seatsLeft == 7 - sold)
            studio.busy.append(F.busy(slot.start, minutes: 60, offer: 5, party: party, isClass: true))
            sold += party
        }
        #expect(sold <= 7 && sold >= 5)
    }
}
