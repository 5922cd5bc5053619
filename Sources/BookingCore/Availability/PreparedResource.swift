/// One resource's schedule turned into sorted instant arrays for a range of days (internal).
struct PreparedResource: Sendable {
    let id: Int64
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

    init(_ r: ResourceSchedule, days: [ZoneDay], offerID: Int64, classMode: Bool) {
        id = r.id
        capacity = Swift.max(1, r.capacity)
        lastBookedAt = r.lastBookedAt
        limits = r.limits
        var open: [TimeRange] = []
        var hasHours: [Bool] = []
        var sessions: [Instant] = []
        hasHours.reserveCapacity(days.count)
        for day in days {
            let ranges = r.openRanges(on: day, offerID: offerID)
            hasHours.append(!ranges.isEmpty)
            open += ranges
            if classMode && !ranges.isEmpty {
                sessions += Self.sessionWallTimes(r, date: day.date, offerID: offerID)
                    .compactMap { day.instant(minutes: $0) }
            }
        }
        self.open = TimeRange.normalized(open)
        self.hasHours = hasHours
        blocked = r.allBlocked
        let sorted = r.busy.filter { !$0.blocked.isEmpty }.sorted { $0.blocked.start < $1.blocked.start }
        busy = sorted
        busyStarts = sorted.map(\.blocked.start)
        var maxEnd = Instant.min
        prefixMaxEnd = sorted.map { maxEnd = Swift.max(maxEnd, $0.blocked.end); return maxEnd }
        serviceStarts = r.limits.maxBookingsPerDay == nil ? [] : sorted.map(\.service.start).sorted()
        sessionStarts = Array(Set(sessions)).sorted()
    }

    /// Class sessions start where the offer's own rules open; without such rules, where any rule opens.
    static func sessionWallTimes(_ r: ResourceSchedule, date: LocalDate, offerID: Int64) -> [Int] {
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
