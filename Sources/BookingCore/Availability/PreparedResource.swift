/// One resource's schedule turned into sorted instant arrays for a range of days (internal).
/// A class so passing it around costs one retain, not one per array.
final class PreparedResource: Sendable {
    let id: ResourceID
    let capacity: Int
    let lastBookedAt: Instant?
    let limits: ResourceLimits
    /// Open ranges across the prepared days, merged.
    let open: [TimeRange]
    /// Per prepared day: does the resource have any hours?
    let hasHours: [Bool]
    /// Time off, maintenance and blackouts, merged.
    let blocked: [TimeRange]
    /// Busy entries sorted by blocked start, with the blocked starts and a running max of ends.
    let busy: [BusyEntry]
    let busyStarts: [Instant]
    let prefixMaxEnd: [Instant]
    /// Sorted service starts (for the bookings-per-day limit).
    let serviceStarts: [Instant]
    /// Class session starts from this resource's rules, sorted.
    let sessionStarts: [Instant]
    /// Blocked time and every busy entry's blocked range, merged: for the fast path.
    let obstacles: [TimeRange]
    /// Capacity 1, no per-day or rest limits: a start is free iff it fits `open` and misses `obstacles`.
    let isSimple: Bool

    /// Open hours of one resource over the prepared days (shared by resources with the same rules).
    struct Hours: Equatable {
        var open: [TimeRange] = []
        var hasHours: [Bool] = []
        var sessions: [Instant] = []
    }

    /// What identifies a resource's hours: resources with the same key share one `Hours`.
    struct HoursKey: Hashable {
        var rules: [WeeklyRule]
        var overlays: [DateOverlay]
    }

    static func hours(_ r: ResourceSchedule, days: [ZoneDay], offerID: OfferID, classMode: Bool) -> Hours {
        hours(days.map { day(r, $0, offerID: offerID, classMode: classMode) })
    }

    /// One local date of `r`: its open ranges and, in class mode, its session starts.
    static func day(_ r: ResourceSchedule, _ day: ZoneDay, offerID: OfferID, classMode: Bool) -> OpenHoursMemo.Day {
        let ranges = r.openRanges(on: day, offerID: offerID)
        guard classMode && !ranges.isEmpty else { return OpenHoursMemo.Day(open: ranges, sessions: []) }
        return OpenHoursMemo.Day(open: ranges, sessions: Self.sessionWallTimes(r, date: day.date, offerID: offerID)
            .compactMap { day.instant(minutes: $0) })
    }

    /// The hours over consecutive days, from each day's.
    static func hours(_ days: [OpenHoursMemo.Day]) -> Hours {
        var h = Hours()
        h.hasHours.reserveCapacity(days.count)
        for day in days {
            h.hasHours.append(!day.open.isEmpty)
            h.open += day.open
            h.sessions += day.sessions
        }
        h.open = TimeRange.normalized(h.open)
        h.sessions = Array(Set(h.sessions)).sorted()
        return h
    }

    /// `span` covers every window the engine can ask about; busy entries outside it are dropped
    /// before sorting (they cannot matter).
    init(_ r: ResourceSchedule, hours: Hours, span: TimeRange) {
        id = r.id
        capacity = Swift.max(1, r.capacity)
        lastBookedAt = r.lastBookedAt
        limits = r.limits
        open = hours.open
        hasHours = hours.hasHours
        sessionStarts = hours.sessions
        blocked = r.allBlocked
        let pad = Int64(Swift.max(0, r.limits.minRestMinutes ?? 0)) * 60
        let reach = TimeRange(start: span.start - pad, end: span.end + pad)
        var sorted = r.busy.filter { !$0.blocked.isEmpty && $0.blocked.overlaps(reach) }
        // Callers usually pass entries already ordered (ORDER BY start); sort only when needed.
        if zip(sorted, sorted.dropFirst()).contains(where: { $0.blocked.start > $1.blocked.start }) {
            sorted = Self.sortedByStart(sorted)
        }
        busy = sorted
        busyStarts = sorted.map(\.blocked.start)
        var maxEnd = Instant.min
        prefixMaxEnd = sorted.map { maxEnd = Swift.max(maxEnd, $0.blocked.end); return maxEnd }
        serviceStarts = r.limits.maxBookingsPerDay == nil ? [] : sorted.map(\.service.start).sorted()
        obstacles = TimeRange.normalized(blocked + sorted.map(\.blocked))
        isSimple = capacity == 1 && r.limits.maxBookingsPerDay == nil && (r.limits.minRestMinutes ?? 0) <= 0
    }

    /// Appends to `out` the starts `s` at which a simple resource is free for a service of
    /// `duration` seconds with buffers `before` and `after` — exactly the starts where `verdict`'s
    /// fast path says free: the service `[s, s + duration)` lies inside one range of `open`, and the
    /// window `[s - before, s + duration + after)` overlaps no range of `obstacles` (both
    /// normalized, so a start's window meets obstacle `o` iff `o.start - duration - after < s <
    /// o.end + before`). Sorted, disjoint, non-empty ranges; nothing when `duration` is not positive
    /// (no service fits then).
    static func appendFreeStarts(open: [TimeRange], obstacles: [TimeRange], duration: Int64, before: Int64, after: Int64,
                                 to out: inout [TimeRange]) {
        guard duration > 0 else { return }
        var j = 0
        for range in open {
            var lo = range.start
            let hi = range.end - duration + 1  // the service ends by range.end
            while lo < hi {
                // The first obstacle whose refused starts reach past `lo` (both their ends and
                // starts increase with the obstacles).
                while j < obstacles.count && obstacles[j].end + before <= lo { j += 1 }
                guard j < obstacles.count, obstacles[j].start - duration - after + 1 < hi else {
                    out.append(TimeRange(start: lo, end: hi))
                    break
                }
                let refusedFrom = obstacles[j].start - duration - after + 1
                if refusedFrom > lo { out.append(TimeRange(start: lo, end: refusedFrom)) }
                lo = obstacles[j].end + before
            }
        }
    }

    /// Sorts by blocked start, stable. Sorting packed integer keys is much faster than sorting the
    /// 56-byte entries with a closure.
    static func sortedByStart(_ entries: [BusyEntry]) -> [BusyEntry] {
        guard let low = entries.lazy.map(\.blocked.start).min(), let high = entries.lazy.map(\.blocked.start).max(),
              entries.count < 1 << 20, high - low < 1 << 42 else {
            return entries.sorted { $0.blocked.start < $1.blocked.start }
        }
        var keys = entries.indices.map { (entries[$0].blocked.start - low) << 20 | Int64($0) }
        keys.sort()
        return keys.map { entries[Int($0 & 0xFFFFF)] }
    }

    /// Class sessions start where the offer's own rules open; without such rules, where any rule opens.
    static func sessionWallTimes(_ r: ResourceSchedule, date: LocalDate, offerID: OfferID) -> [Int] {
        let hasSpecial = r.overlays.contains {
            if case .specialHours = $0.kind { return $0.date == date } else { return false }
        }
        if !hasSpecial {
            let own = r.weeklyRules.filter { $0.offerID == offerID && $0.isInForce(on: date) }
            if !own.isEmpty { return own.map(\.opens.minutes) }
        }
        return r.wallHours(on: date, offerID: offerID).map(\.opens.minutes)
    }

    /// Calls `body` with the index of every busy entry whose blocked range overlaps `window`.
    @inline(__always)
    func forEachOverlap(_ window: TimeRange, _ body: (Int) -> Void) {
        var lo = 0, hi = busyStarts.count
        while lo < hi {  // first entry starting at or after window.end
            let mid = (lo &+ hi) >> 1
            if busyStarts[mid] < window.end { lo = mid + 1 } else { hi = mid }
        }
        var i = lo - 1
        while i >= 0 && prefixMaxEnd[i] > window.start {
            if busy[i].blocked.end > window.start { body(i) }
            i -= 1
        }
    }

    /// Number of service starts in `[from, to)`.
    func serviceStartCount(from: Instant, to: Instant) -> Int {
        lowerBound(serviceStarts, to) - lowerBound(serviceStarts, from)
    }
}

/// First index whose value is `>= value` in a sorted array.
@inline(__always)
func lowerBound(_ a: [Instant], _ value: Instant) -> Int {
    var lo = 0, hi = a.count
    while lo < hi {
        let mid = (lo &+ hi) >> 1
        if a[mid] < value { lo = mid + 1 } else { hi = mid }
    }
    return lo
}
