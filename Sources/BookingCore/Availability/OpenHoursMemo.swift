import Foundation  // TimeZone only (its identifier).
import Synchronization

/// Resources' open hours per business-local date, kept across engines: a month of availability
/// then turns each resource's wall-clock rules into instants once per date, not on every request
/// (a different month each request still shares all but its newest dates with the ones before).
///
/// Never stale, whoever passes it in: a resource's days are used only while its weekly rules and
/// overlays are equal to the ones they were computed from (equal arrays sharing storage, as
/// schedules copied from one compiled template do, compare in one step) and the zone has the same
/// identifier; a day is the whole answer for its date (`PreparedResource.day`), so a DST day is as
/// right as any other. The owner (the Store's compiled schedules) keeps one per schedule version.
/// Bounded: past `maxDays` kept days (or zone days) the tables are emptied and filled again.
public final class OpenHoursMemo: Sendable {
    /// One resource's hours on one local date (see `PreparedResource.day`).
    struct Day: Sendable, Equatable {
        let open: [TimeRange]
        let sessions: [Instant]
    }

    struct Key: Hashable, Sendable {
        let resource: ResourceID
        let offerID: OfferID
        let classMode: Bool
    }

    /// A resource's days, by days since the epoch, and what they were computed from.
    struct Entry: Sendable {
        let rules: [WeeklyRule]
        let overlays: [DateOverlay]
        let zone: String
        var days: [Int64: Day] = [:]

        func matches(_ r: ResourceSchedule, zone: String) -> Bool {
            self.zone == zone && rules == r.weeklyRules && overlays == r.overlays
        }
    }

    struct Table: Sendable {
        var entries: [Key: Entry] = [:]
        var dayCount = 0
        var zone = ""
        var zoneDays: [Int64: ZoneDay] = [:]
    }

    private let table = Mutex(Table())
    /// Most resource days kept (about 100 bytes each), and most zone days.
    public let maxDays: Int

    public init(maxDays: Int = 20_000) { self.maxDays = maxDays }

    /// How many resource days and zone days are kept (for tests).
    var kept: (days: Int, zoneDays: Int) { table.withLock { ($0.dayCount, $0.zoneDays.count) } }

    /// The conversion tables of `count` consecutive dates from `first` in `clock`'s zone.
    func zoneDays(from first: LocalDate, count: Int, clock: ZoneClock) -> [ZoneDay] {
        guard count > 0 else { return [] }
        let zone = clock.timeZone.identifier, base = first.daysSinceEpoch
        let known = table.withLock { $0.zone == zone ? $0.zoneDays : [:] }
        var out: [ZoneDay] = []
        out.reserveCapacity(count)
        var missed: [ZoneDay] = []
        for i in 0..<count {
            if let day = known[base + Int64(i)] {
                out.append(day)
            } else {
                let day = clock.day(LocalDate(daysSinceEpoch: base + Int64(i)))
                out.append(day)
                missed.append(day)
            }
        }
        if !missed.isEmpty && missed.count <= maxDays {
            table.withLock { t in
                if t.zone != zone || t.zoneDays.count + missed.count > maxDays {
                    t.zone = zone
                    t.zoneDays = [:]
                }
                for day in missed { t.zoneDays[day.date.daysSinceEpoch] = day }
            }
        }
        return out
    }

    /// `r`'s hours over `days` (consecutive), as `PreparedResource.hours` computes them.
    func hours(_ r: ResourceSchedule, days: [ZoneDay], offerID: OfferID, classMode: Bool) -> PreparedResource.Hours {
        guard let first = days.first else { return PreparedResource.Hours() }
        let key = Key(resource: r.id, offerID: offerID, classMode: classMode)
        let zone = first.clock.timeZone.identifier
        let known = table.withLock { t -> [Int64: Day] in
            guard let entry = t.entries[key], entry.matches(r, zone: zone) else { return [:] }
            return entry.days
        }
        var computed: [(Int64, Day)] = []
        let hours = PreparedResource.hours(days.map { day in
            let n = day.date.daysSinceEpoch
            if let known = known[n] { return known }
            let fresh = PreparedResource.day(r, day, offerID: offerID, classMode: classMode)
            computed.append((n, fresh))
            return fresh
        })
        if !computed.isEmpty && computed.count <= maxDays {
            table.withLock { t in
                if t.dayCount + computed.count > maxDays {
                    t.entries = [:]
                    t.dayCount = 0
                }
                var entry = t.entries.removeValue(forKey: key) ?? Entry(rules: r.weeklyRules, overlays: r.overlays, zone: zone)
                if !entry.matches(r, zone: zone) {
                    t.dayCount -= entry.days.count
                    entry = Entry(rules: r.weeklyRules, overlays: r.overlays, zone: zone)
                }
                for (n, day) in computed where entry.days.updateValue(day, forKey: n) == nil { t.dayCount += 1 }
                t.entries[key] = entry
            }
        }
        return hours
    }
}
