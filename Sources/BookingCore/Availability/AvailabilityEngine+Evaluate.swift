/// The one evaluation behind `slots()`, `check(start:)` and `explain(start:)`.
extension AvailabilityEngine {
    enum Evaluation {
        case bookable(Slot)
        case unavailable(ReasonSet)
    }

    /// What one resource says about a start.
    struct Verdict {
        var reasons: ReasonSet = []
        /// Bookings that still fit (capacity minus the busiest moment of the window).
        var remaining = 0
        /// Seats already sold in the same class session on this resource.
        var seatsTaken = 0
    }

    /// Evaluates `start` on prepared day `d`. With `collect == false` it stops at the first failure
    /// (the reasons are then incomplete); with `collect == true` it gathers every reason.
    func evaluate(start: Instant, day d: Int, aligned: Bool, collect: Bool,
                  scratch: inout Scratch) -> Evaluation {
        guard let duration = durationSeconds else { return .unavailable(.invalidDuration) }
        let spec = query.spec
        var reasons: ReasonSet = []
        if !aligned { reasons.insert(.misaligned) }
        if start < query.now + Int64(spec.minimumNoticeMinutes) * 60 { reasons.insert(.notice) }
        if start > query.now + Int64(spec.maximumAdvanceDays) * 86_400 { reasons.insert(.advance) }
        if !requestedMatched { reasons.insert(.noQualifiedResource) }
        if !collect && !reasons.isEmpty { return .unavailable(reasons) }

        let service = TimeRange(start: start, end: start + duration)
        let window = TimeRange(start: start - Int64(spec.bufferBeforeMinutes) * 60,
                               end: service.end + Int64(spec.bufferAfterMinutes) * 60)
        if let offerOpen, !fits(offerOpen, service) {
            reasons.insert(.outsideHours)
            if !collect { return .unavailable(reasons) }
        }
        let comps = spec.components
        if !collect {
            for c in componentOrder where comps[c].required && !fits(componentOpen[c], service) {
                return .unavailable(.outsideHours)
            }
        }

        let classMode = spec.mode == .class
        // Slots only (the reasons of a start that is not bookable are not wanted): simple resources
        // answer from their free starts, walked forward with the starts.
        let sweep = !collect && !sweeps.isEmpty
        if sweep {
            if start < scratch.cursorStart {
                for i in sweeps.indices { scratch.cursors[i] = freeBounds[i] }
                for c in comps.indices { scratch.countCursors[c] = freeCountBounds[c] }
            }
            scratch.cursorStart = start
        }
        var seatsLeft = Int.max
        var seatsTaken = 0
        var failed = false
        for c in componentOrder {
            // The two fields used, not a copy of the component (its selector and role retained per start).
            let need = comps[c].count, required = comps[c].required
            var picked = 0
            var freeCapacity = 0
            var candidateReasons: ReasonSet = []
            if sweep && freeCountBounds[c] < freeCountBounds[c + 1] {
                // Every candidate simple and this component's alone: the count of free ones is
                // read, and candidates are checked only until enough are picked.
                let free = freeCount(c, at: start, cursor: &scratch.countCursors[c])
                if free >= need {
                    for ri in candidates[c] {
                        if picked == need { break }
                        guard !scratch.taken[ri], isFree(ri, at: start, cursors: &scratch.cursors) else { continue }
                        scratch.chosen[chosenOffset[c] + picked] = ri
                        scratch.taken[ri] = true
                        picked += 1
                    }
                }
                freeCapacity = free
                candidateReasons = .taken
            } else {
                for ri in candidates[c] {
                    if picked == need && (!required || classMode) { break }
                    var remaining = 1, seatsTakenHere = 0
                    if sweep && sweeps[ri] {
                        // What `verdict`'s fast path answers (a free simple resource leaves 1, takes no seats).
                        guard isFree(ri, at: start, cursors: &scratch.cursors) else { candidateReasons.insert(.taken); continue }
                    } else {
                        let v = verdict(resources[ri], service: service, window: window, day: d, collect: collect)
                        guard v.reasons.isEmpty else { candidateReasons.formUnion(v.reasons); continue }
                        remaining = v.remaining
                        seatsTakenHere = v.seatsTaken
                    }
                    if scratch.taken[ri] { continue }  // already serves another component
                    freeCapacity += remaining
                    if picked < need {
                        scratch.chosen[chosenOffset[c] + picked] = ri
                        scratch.taken[ri] = true
                        picked += 1
                        if required { seatsTaken = Swift.max(seatsTaken, seatsTakenHere) }
                    }
                }
            }
            for k in picked..<need { scratch.chosen[chosenOffset[c] + k] = -1 }
            guard required else { continue }
            if picked < need {
                failed = true
                reasons.formUnion(candidateReasons.isEmpty ? .noQualifiedResource : candidateReasons)
                if !collect { break }
            } else {
                seatsLeft = Swift.min(seatsLeft, freeCapacity / need)
            }
        }
        if classMode && !failed {
            seatsLeft = spec.seats - seatsTaken
            if seatsLeft < query.partySize { reasons.insert(.noSeats) }
        }

        // Release the chosen resources; build the slot when bookable. Consecutive bookable starts
        // mostly get the same resources: they share one assignments array (a retain, where building
        // it was three allocations per slot, a third of a month's engine time).
        let bookable = !failed && reasons.isEmpty
        let repeated = bookable && scratch.lastAssignments != nil && scratch.chosen == scratch.lastChosen
        let build = bookable && !repeated
        if build { for k in scratch.chosen.indices { scratch.lastChosen[k] = scratch.chosen[k] } }
        var assignments: [ComponentAssignment] = []
        if build { assignments.reserveCapacity(comps.count) }
        for c in comps.indices {
            var ids: [ResourceID] = []
            for k in chosenOffset[c]..<chosenOffset[c + 1] {
                let ri = scratch.chosen[k]
                guard ri >= 0 else { continue }
                scratch.taken[ri] = false
                scratch.chosen[k] = -1
                if build { ids.append(resources[ri].id) }
            }
            if build && !ids.isEmpty { assignments.append(ComponentAssignment(role: comps[c].role, resourceIDs: ids)) }
        }
        guard bookable else { return .unavailable(reasons) }
        if repeated, let last = scratch.lastAssignments { assignments = last } else { scratch.lastAssignments = assignments }
        return .bookable(Slot(start: start, end: service.end, assignments: assignments,
                              seatsLeft: seatsLeft == Int.max ? 0 : seatsLeft))
    }

    /// Is simple resource `ri` free to start at `start` (slot mode)? Moves its cursor forward past
    /// the free ranges that end at or before `start`: starts asked in order cost one or two
    /// comparisons each.
    @inline(__always)
    func isFree(_ ri: Int, at start: Instant, cursors: inout [Int]) -> Bool {
        var k = cursors[ri]
        let end = freeBounds[ri + 1]
        while k < end && freeStarts[k].end <= start { k += 1 }
        cursors[ri] = k
        return k < end && freeStarts[k].start <= start
    }

    /// How many of component `c`'s candidates are free to start at `start` (see `freeCountTimes`).
    /// Moves the component's cursor forward to the last step at or before `start`.
    @inline(__always)
    func freeCount(_ c: Int, at start: Instant, cursor: inout Int) -> Int {
        var k = cursor
        let end = freeCountBounds[c + 1]
        while k + 1 < end && freeCountTimes[k + 1] <= start { k += 1 }
        cursor = k
        return freeCountTimes[k] <= start ? freeCountValues[k] : 0
    }

    /// Does `service` fit the open ranges? Slot and class: inside one range. Multi-day: picked up in
    /// `[opens, closes)` of some range and returned in `[opens, closes]` of some range.
    @inline(__always)
    func fits(_ open: [TimeRange], _ service: TimeRange) -> Bool {
        if query.spec.mode != .multiDay { return TimeRange.sortedContains(open, service) }
        guard let a = lastStarting(open, atOrBefore: service.start), service.start < open[a].end,
              let b = lastStarting(open, atOrBefore: service.end), service.end <= open[b].end else { return false }
        return true
    }

    /// Index of the last range starting at or before `t`.
    @inline(__always)
    func lastStarting(_ sorted: [TimeRange], atOrBefore t: Instant) -> Int? {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo &+ hi) >> 1
            if sorted[mid].start <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo > 0 ? lo - 1 : nil
    }

    /// Is a busy entry a booking of the same class session as `start`?
    @inline(__always)
    func sameSession(_ e: BusyEntry, _ start: Instant) -> Bool {
        query.spec.mode == .class && e.isClass && e.offerID == query.offerID && e.service.start == start
    }

    func verdict(_ r: PreparedResource, service: TimeRange, window: TimeRange, day d: Int,
                 collect: Bool) -> Verdict {
        var v = Verdict()
        if !collect && r.isSimple && query.spec.mode != .class {
            // Fast path, equivalent to the full one below for a capacity-1 resource without limits.
            if !fits(r.open, service) { v.reasons = .outsideHours }
            else if TimeRange.sortedOverlaps(r.obstacles, window) { v.reasons = .taken }
            else { v.remaining = 1 }
            return v
        }
        if !fits(r.open, service) { v.reasons.insert(r.hasHours[d] ? .outsideHours : .closed) }
        if !r.blocked.isEmpty && TimeRange.sortedOverlaps(r.blocked, window) {
            v.reasons.insert(TimeRange.sortedOverlaps(r.blocked, service) ? .blocked : .buffer)
        }
        if !collect && !v.reasons.isEmpty { return v }

        let start = service.start
        var count = 0
        r.forEachOverlap(window) { i in
            if sameSession(r.busy[i], start) { v.seatsTaken += r.busy[i].partySize } else { count += 1 }
        }
        var busiest = count
        if count > 1 && r.capacity > 1 { busiest = maxConcurrency(r, within: window, start: start, useService: false) }
        v.remaining = Swift.max(0, r.capacity - busiest)
        if busiest >= r.capacity {
            let serviceBusiest = collect ? maxConcurrency(r, within: service, start: start, useService: true) : busiest
            v.reasons.insert(serviceBusiest >= r.capacity ? .taken : .buffer)
        }
        if let maxPerDay = r.limits.maxBookingsPerDay, v.seatsTaken == 0,
           r.serviceStartCount(from: dayStarts[d], to: dayStarts[d + 1]) >= maxPerDay {
            v.reasons.insert(.limitReached)
        }
        if let rest = r.limits.minRestMinutes, rest > 0, count == 0 {
            let pad = Int64(rest) * 60
            var near = false
            r.forEachOverlap(TimeRange(start: window.start - pad, end: window.end + pad)) { i in
                if !sameSession(r.busy[i], start) { near = true }
            }
            if near { v.reasons.insert(.limitReached) }
        }
        return v
    }

    /// The most entries (other than this session's) in force at one moment of `range`, comparing
    /// blocked ranges, or service ranges when `useService`.
    func maxConcurrency(_ r: PreparedResource, within range: TimeRange, start: Instant, useService: Bool) -> Int {
        var best = 0
        r.forEachOverlap(range) { i in
            let a = useService ? r.busy[i].service : r.busy[i].blocked
            guard !sameSession(r.busy[i], start), a.overlaps(range) else { return }
            let p = Swift.max(a.start, range.start)
            var n = 0
            r.forEachOverlap(range) { j in
                let b = useService ? r.busy[j].service : r.busy[j].blocked
                if !sameSession(r.busy[j], start) && b.contains(p) { n += 1 }
            }
            best = Swift.max(best, n)
        }
        return best
    }
}
