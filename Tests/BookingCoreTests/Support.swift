import BookingCore
import Foundation  // TimeZone only.

/// A tiny seeded generator so property tests are repeatable.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Shorthands for test fixtures.
enum F {
    static let newYork = TimeZone(identifier: "America/New_York")!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static let tokyo = TimeZone(identifier: "Asia/Tokyo")!
    static let auckland = TimeZone(identifier: "Pacific/Auckland")!

    static func d(_ s: String) -> LocalDate { LocalDate(s)! }
    static func w(_ s: String) -> WallTime { WallTime(s)! }
    static func t(_ s: String) -> Instant { RFC3339.parse(s)! }

    static let monSat: [Weekday] = [.monday, .tuesday, .wednesday, .thursday, .friday, .saturday]

    static func rules(_ days: [Weekday] = Weekday.allCases, _ opens: String = "09:00", _ closes: String = "17:00",
                      offerID: OfferID? = nil) -> [WeeklyRule] {
        days.map { WeeklyRule(weekday: $0, opens: w(opens), closes: w(closes), offerID: offerID) }
    }

    static func resource(_ id: ResourceID, _ kind: ResourceKind = .host, rules: [WeeklyRule] = F.rules(),
                         busy: [BusyEntry] = [], blocked: [TimeRange] = [], capacity: Int = 1,
                         tags: Set<String> = [], lastBookedAt: Instant? = nil,
                         limits: ResourceLimits = .init(), overlays: [DateOverlay] = []) -> ResourceSchedule {
        ResourceSchedule(id: id, kind: kind, tags: tags, capacity: capacity, weeklyRules: rules,
                         overlays: overlays, blocked: blocked, busy: busy, limits: limits,
                         lastBookedAt: lastBookedAt)
    }

    static func busy(_ start: Instant, minutes: Int, before: Int = 0, after: Int = 0, offer: OfferID = 99,
                     party: Int = 1, isClass: Bool = false) -> BusyEntry {
        let end = start + Int64(minutes) * 60
        return BusyEntry(blocked: TimeRange(start: start - Int64(before) * 60, end: end + Int64(after) * 60),
                         service: TimeRange(start: start, end: end), offerID: offer, partySize: party,
                         isClass: isClass)
    }

    static let anyHost = OfferComponent(selector: .anyOf(kind: .host, tag: nil), role: "host")
    static let anyRoom = OfferComponent(selector: .anyOf(kind: .venue, tag: nil), role: "room")

    static func spec(minutes: Int = 30, mode: OfferMode = .slot, interval: Int = 30, before: Int = 0,
                     after: Int = 0, notice: Int = 0, advanceDays: Int = 365, seats: Int = 1,
                     components: [OfferComponent] = [F.anyHost]) -> OfferVersionSpec {
        OfferVersionSpec(mode: mode, duration: .fixed(minutes), bufferBeforeMinutes: before,
                         bufferAfterMinutes: after, slotIntervalMinutes: interval, minimumNoticeMinutes: notice,
                         maximumAdvanceDays: advanceDays, seats: seats, price: .fixed(Money(5000, "USD")),
                         components: components)
    }

    static func query(_ spec: OfferVersionSpec, _ resources: [ResourceSchedule], zone: TimeZone = F.newYork,
                      now: Instant = F.t("2026-01-01T00:00:00Z"), party: Int = 1, requested: ResourceID? = nil,
                      duration: Int? = nil, strategy: AssignmentStrategy = .leastRecentlyBooked,
                      offerID: OfferID = 1) -> AvailabilityQuery {
        AvailabilityQuery(offerID: offerID, spec: spec, resources: resources, timeZone: zone, now: now,
                          partySize: party, requestedResourceIDs: requested.map { [$0] } ?? [], durationMinutes: duration,
                          strategy: strategy)
    }

    static func slots(_ q: AvailabilityQuery, _ from: String, _ to: String? = nil) -> [Slot] {
        AvailabilityEngine(query: q, from: d(from), to: d(to ?? from)).slots()
    }
}
