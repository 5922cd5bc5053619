/// The availability engine: which starts of an offer are bookable, with which resources.
///
/// Build it once for a query and a range of business-local dates; `slots()`, `check(start:)` and
/// `explain(start:)` all run the same evaluation, so they always agree.
///
/// Components are filled greedily: specific-resource components first, then as listed, each
/// taking the most preferred free resources (see `AssignmentStrategy`) not already used by another
/// component. Offers whose components draw on overlapping pools (two "any host" components with
/// different tags that share hosts) may rarely miss a combination only a different choice allows.
public struct AvailabilityEngine: Sendable {
    public let query: AvailabilityQuery
    public let from: LocalDate
    public let to: LocalDate
    /// Days `from - 1 … to + k` (neighbours so services may cross midnight or span days).
    let days: [ZoneDay]
    /// Index of `to` in `days` (`from` is at 1).
    let lastDay: Int
    /// `days.count + 1` starts: `dayStarts[i] ..< dayStarts[i + 1]` is local day `i`.
    let dayStarts: [Instant]
    let resources: [PreparedResource]
    /// Components in evaluation order: specific resources first, then as listed.
    let componentOrder: [Int]
    /// Per component: qualified prepared-resource indices in assignment-preference order.
    let candidates: [[Int]]
    /// Per component: where the chosen resources go in the scratch buffer.
    let chosenOffset: [Int]
    /// Per component: the union of its candidates' open ranges (a quick reject for `slots()`).
    let componentOpen: [[TimeRange]]
    /// Seconds, nil when the requested duration is not allowed.
    let durationSeconds: Int64?
    /// Class mode: session starts of the session source's candidates, sorted.
    let sessionStarts: [Instant]
    /// False when a requested resource qualifies for no component.
    let requestedMatched: Bool
    /// The offer's own hours over the prepared days, merged; nil when the offer has none.
    let offerOpen: [TimeRange]?
    /// Slot mode: where each simple prepared resource (`PreparedResource.isSimple`) is free to
    /// start the offer — the service fits its open hours and the window with the offer's buffers
    /// misses its obstacles (`PreparedResource.appendFreeStarts`) — as sorted disjoint ranges of
    /// starts, every resource's in one array: resource `i`'s are `freeStarts[freeBounds[i] ..<
    /// freeBounds[i + 1]]`. `slots()` walks them forward with its starts (one cursor per resource,
    /// `isFree`) instead of two binary searches per resource and start. `sweeps[i]`: resource `i`
    /// has such ranges; all three are empty outside slot mode.
    let freeStarts: [TimeRange]
    let freeBounds: [Int]
    let sweeps: [Bool]
    /// Slot mode, per component whose candidates are all simple and serve no other component: how
    /// many of them are free to start at each moment, as steps — from `freeCountTimes[k]` on,
    /// `freeCountValues[k]` are free; component `c`'s steps are `freeCountBounds[c] ..<
    /// freeCountBounds[c + 1]` (empty for the other components). `slots()` reads a start's count
    /// there (one cursor per component) and checks candidates only until it has picked enough,
    /// where it checked every candidate to count the free ones (a month of a 10-host and 10-room
    /// offer: 20 checks per start).
    let freeCountTimes: [Instant]
    let freeCountValues: [Int]
    let freeCountBounds: [Int]

    /// Prepares the query for slots on local dates `from…to` (inclusive) in the business zone.
    public init(query: AvailabilityQuery, from: LocalDate, to: LocalDate) {
        self.query = query
        self.from = from
        self.to = to
        let spec = query.spec
        // One day before `from`; after `to`, enough days for the longest service to end.
        let after = 1 + (spec.duration.maxMinutes + spec.bufferAfterMinutes + 1439) / 1440
        let n = to < from ? 0 : from.days(to: to) + 2 + after
        lastDay = n == 0 ? 0 : from.days(to: to) + 1
        // `n` days and the one after them (its start ends the last).
        let first = from.adding(days: -1), count = n > 0 ? n + 1 : 0
        let zoneDays = query.hoursMemo?.zoneDays(from: first, count: count, clock: query.clock)
            ?? (0..<count).map { query.clock.day(first.adding(days: $0)) }
        let days = Array(zoneDays.prefix(n))
        self.days = days
        dayStarts = zoneDays.map(\.start)
        let duration = spec.duration.resolve(query.durationMinutes).map { Int64($0) * 60 }
        durationSeconds = duration
        offerOpen = spec.hours.isEmpty ? nil : TimeRange.normalized(days.flatMap { Self.offerHours(spec).openRanges(on: $0, offerID: nil) })

        // Only resources some component can use are prepared.
        let comps = spec.components
        let usable = query.resources.filter { r in comps.contains { $0.selector.matches(r) } }
        let classMode = spec.mode == .class
        var hoursCache: [PreparedResource.HoursKey: PreparedResource.Hours] = [:]
        let span = TimeRange(start: (dayStarts.first ?? 0) - Int64(spec.bufferBeforeMinutes) * 60 - 86_400,
                             end: (dayStarts.last ?? 0) + 86_400)
        let prepared = usable.map { r in
            if let memo = query.hoursMemo {
                return PreparedResource(r, hours: memo.hours(r, days: days, offerID: query.offerID, classMode: classMode), span: span)
            }
            let key = PreparedResource.HoursKey(rules: r.weeklyRules, overlays: r.overlays)
            let hours = hoursCache[key] ?? PreparedResource.hours(r, days: days, offerID: query.offerID,
                                                                  classMode: classMode)
            hoursCache[key] = hours
            return PreparedResource(r, hours: hours, span: span)
        }
        resources = prepared
        var free: [TimeRange] = [], bounds: [Int] = [], sweeps: [Bool] = []
        let bufferBefore = Int64(spec.bufferBeforeMinutes) * 60, bufferAfter = Int64(spec.bufferAfterMinutes) * 60
        if spec.mode == .slot, let duration, bufferBefore >= 0, bufferAfter >= 0 {
            bounds.reserveCapacity(prepared.count + 1)
            bounds.append(0)
            for r in prepared {
                if r.isSimple {
                    PreparedResource.appendFreeStarts(open: r.open, obstacles: r.obstacles, duration: duration, before: bufferBefore,
                                                      after: bufferAfter, to: &free)
                }
                sweeps.append(r.isSimple)
                bounds.append(free.count)
            }
        }
        freeStarts = free
        freeBounds = bounds
        self.sweeps = sweeps

        let ranked = Self.rank(prepared, strategy: query.strategy)
        var cands: [[Int]] = comps.map { c in ranked.filter { c.selector.matches(usable[$0]) } }
        var matched = true
        var picked: [Int: [ResourceID]] = [:]  // component → requested ids it serves
        for wanted in query.requestedResourceIDs {
            if let c = comps.indices.first(where: { c in cands[c].contains { prepared[$0].id == wanted } }) {
                picked[c, default: []].append(wanted)
            } else {
                matched = false
            }
        }
        for (c, ids) in picked { cands[c] = cands[c].filter { ids.contains(prepared[$0].id) } }
        candidates = cands
        var countTimes: [Instant] = [], countValues: [Int] = [], countBounds: [Int] = [0]
        for c in cands.indices {
            let counted = !sweeps.isEmpty && !cands[c].isEmpty && cands[c].allSatisfy { ri in
                sweeps[ri] && !cands.indices.contains { $0 != c && cands[$0].contains(ri) }
            }
            if counted {
                Self.appendFreeCounts(cands[c].flatMap { free[bounds[$0] ..< bounds[$0 + 1]] }, times: &countTimes, values: &countValues)
            }
            countBounds.append(countTimes.count)
        }
        freeCountTimes = countTimes
        freeCountValues = countValues
        freeCountBounds = countBounds
        requestedMatched = matched
        componentOrder = comps.indices.filter { if case .resource = comps[$0].selector { true } else { false } }
            + comps.indices.filter { if case .resource = comps[$0].selector { false } else { true } }
        var offsets: [Int] = []
        var total = 0
        for c in comps { offsets.append(total); total += c.count }
        chosenOffset = offsets + [total]
        componentOpen = cands.map { TimeRange.normalized($0.flatMap { prepared[$0].open }) }

        // Class sessions come from the first required specific resource, else the first required component.
        if classMode {
            let source = componentOrder.first { comps[$0].required } ?? componentOrder.first
            let starts = source.map { cands[$0].flatMap { prepared[$0].sessionStarts } } ?? []
            sessionStarts = Array(Set(starts)).sorted()
        } else {
            sessionStarts = []
        }
    }

    /// Appends the steps of how many of `ranges` (several resources' free starts, each resource's
    /// disjoint) hold each moment: a step at every moment the count changes, with the count from
    /// then on (a range `[s, e)` counts for the starts `s ..< e`).
    static func appendFreeCounts(_ ranges: [TimeRange], times: inout [Instant], values: inout [Int]) {
        let starts = ranges.map(\.start).sorted(), ends = ranges.map(\.end).sorted()
        var i = 0, j = 0, count = 0
        while i < starts.count || j < ends.count {
            let t = Swift.min(i < starts.count ? starts[i] : .max, j < ends.count ? ends[j] : .max)
            while i < starts.count && starts[i] == t { count += 1; i += 1 }
            while j < ends.count && ends[j] == t { count -= 1; j += 1 }
            times.append(t)
            values.append(count)
        }
    }

    /// The offer's own hours as a schedule, so they turn into instants like a resource's.
    static func offerHours(_ spec: OfferVersionSpec) -> ResourceSchedule {
        ResourceSchedule(id: 0, kind: .host, weeklyRules: spec.hours.map {
            WeeklyRule(weekday: $0.weekday, opens: $0.opens, closes: $0.closes, validFrom: $0.validFrom, validUntil: $0.validUntil)
        })
    }

    /// Prepares for the single local date of `start` (for `check(start:)` in a write transaction).
    public init(query: AvailabilityQuery, around start: Instant) {
        let date = query.clock.local(start).date
        self.init(query: query, from: date, to: date)
    }

    /// Candidate preference: the strategy's order, ties by least recently booked then id.
    static func rank(_ rs: [PreparedResource], strategy: AssignmentStrategy) -> [Int] {
        var position: [ResourceID: Int] = [:]
        if case .priority(let ids) = strategy {
            for (i, id) in ids.enumerated() where position[id] == nil { position[id] = i }
        }
        return rs.indices.sorted { a, b in
            let pa = position[rs[a].id] ?? Int.max, pb = position[rs[b].id] ?? Int.max
            if pa != pb { return pa < pb }
            let la = rs[a].lastBookedAt ?? Instant.min, lb = rs[b].lastBookedAt ?? Instant.min
            if la != lb { return la < lb }
            return rs[a].id < rs[b].id
        }
    }

    /// Every bookable start on `from…to`, in order.
    public func slots() -> [Slot] {
        guard durationSeconds != nil, lastDay >= 1 else { return [] }
        var scratch = Scratch(resourceCount: resources.count, chosenCount: chosenOffset.last ?? 0, cursors: Array(freeBounds.dropLast()),
                              countCursors: Array(freeCountBounds.dropLast()))
        var out: [Slot] = []
        let interval = query.spec.slotIntervalMinutes
        for d in 1...lastDay {
            if query.spec.mode == .class {
                var i = lowerBound(sessionStarts, dayStarts[d])
                while i < sessionStarts.count && sessionStarts[i] < dayStarts[d + 1] {
                    if case .bookable(let slot) = evaluate(start: sessionStarts[i], day: d, aligned: true,
                                                           collect: false, scratch: &scratch) {
                        out.append(slot)
                    }
                    i += 1
                }
            } else {
                let day = days[d]
                for m in stride(from: 0, to: 1440, by: interval) {
                    guard let start = day.instant(minutes: m) else { continue }
                    if case .bookable(let slot) = evaluate(start: start, day: d, aligned: true,
                                                           collect: false, scratch: &scratch) {
                        out.append(slot)
                    }
                }
            }
        }
        return out
    }

    /// Checks one requested start with the same rules as `slots()`: the slot (resources to assign)
    /// or every reason it is not bookable. Starts outside `from…to` are checked on their own date.
    public func check(start: Instant) -> StartCheck {
        guard let d = dayIndex(of: start), d >= 1, d <= lastDay else {
            return AvailabilityEngine(query: query, around: start).check(start: start)
        }
        var scratch = Scratch(resourceCount: resources.count, chosenCount: chosenOffset.last ?? 0, cursors: [], countCursors: [])
        switch evaluate(start: start, day: d, aligned: isAligned(start, day: d), collect: true, scratch: &scratch) {
        case .bookable(let slot): return .bookable(slot)
        case .unavailable(let reasons): return .unavailable(reasons.reasons)
        }
    }

    /// Why `start` is not bookable; empty when it is.
    public func explain(start: Instant) -> [UnavailableReason] { check(start: start).reasons }

    /// One-shot check of a single start (prepares only that local date).
    public static func check(_ query: AvailabilityQuery, start: Instant) -> StartCheck {
        AvailabilityEngine(query: query, around: start).check(start: start)
    }

    /// Index of the prepared day containing `instant`.
    func dayIndex(of instant: Instant) -> Int? {
        guard !days.isEmpty, instant >= dayStarts[0], instant < dayStarts[days.count] else { return nil }
        return lowerBound(dayStarts, instant + 1) - 1
    }

    /// On the grid (or a class session start), first occurrence of its wall time.
    func isAligned(_ start: Instant, day d: Int) -> Bool {
        if query.spec.mode == .class {
            let i = lowerBound(sessionStarts, start)
            return i < sessionStarts.count && sessionStarts[i] == start
        }
        let local = query.clock.local(start)
        return local.second == 0 && local.date == days[d].date
            && local.time.minutes % query.spec.slotIntervalMinutes == 0
            && days[d].instant(minutes: local.time.minutes) == start
    }
}

/// Reusable per-call buffers so evaluating a start allocates nothing.
struct Scratch {
    var taken: [Bool]
    var chosen: [Int]
    /// The resources chosen for the last bookable start, and its assignments: a start given the
    /// same resources shares that array.
    var lastChosen: [Int]
    var lastAssignments: [ComponentAssignment]?
    /// `slots()`: per prepared resource, its position in the engine's `freeStarts` (see `isFree`),
    /// valid for starts from `cursorStart` on (an earlier start puts them back to the beginning).
    var cursors: [Int]
    /// `slots()`: per component, its position in the engine's free counts (see `freeCount`), valid
    /// from `cursorStart` on like `cursors`.
    var countCursors: [Int]
    var cursorStart = Instant.min

    init(resourceCount: Int, chosenCount: Int, cursors: [Int], countCursors: [Int]) {
        taken = Array(repeating: false, count: resourceCount)
        chosen = Array(repeating: -1, count: chosenCount)
        lastChosen = Array(repeating: -1, count: chosenCount)
        self.cursors = cursors
        self.countCursors = countCursors
    }
}
