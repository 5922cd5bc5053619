/// Why a day offers no times, in the terms a customer needs: one cause for the whole day.
public enum EmptyDay: Hashable, Sendable {
    /// No resource that could serve the offer has hours on that weekday (no weekly rule).
    case closedWeekday(Weekday)
    /// Closed that date (a closed date, or hours that leave no room for the service).
    case closedDate
    /// Every time left that day is within the minimum notice (or already past).
    case notice(minutes: Int)
    /// Every time that day is beyond the maximum advance: bookable from `from` (business-local).
    case notYetBookable(from: LocalDate)
    /// Open, in range, and every time is taken (or blocked, or at its limit).
    case fullyBooked
}

extension AvailabilityEngine {
    /// Why `date` (one of `from…to`) has no slots; nil when it has some.
    ///
    /// Every start on the day's grid (class sessions in class mode) is explained: starts no
    /// candidate could serve for its hours are "closed"; of the others, when all are beyond the
    /// advance the day is not yet bookable, when all are too soon (or too far) the notice is the
    /// cause, and otherwise the day is fully booked.
    public func emptyDay(_ date: LocalDate) -> EmptyDay? {
        guard let d = days.firstIndex(where: { $0.date == date }), d >= 1, d <= lastDay else {
            return AvailabilityEngine(query: query, from: date, to: date).emptyDay(date)
        }
        let spec = query.spec
        var starts: [Instant]
        if spec.mode == .class {
            starts = sessionStarts.filter { $0 >= dayStarts[d] && $0 < dayStarts[d + 1] }
        } else {
            starts = stride(from: 0, to: 1440, by: spec.slotIntervalMinutes).compactMap { days[d].instant(minutes: $0) }
        }
        // A start is open when every required component has a candidate whose hours fit it.
        let hoursOnly: Set<UnavailableReason> = [.closed, .outsideHours]
        let roles = Set(spec.components.filter(\.required).map(\.role))
        var open: [Explanation] = []
        for start in starts {
            let e = explanation(start: start)
            if e.isBookable { return nil }
            let fits = e.offerReasons.allSatisfy { $0.code != .misaligned && $0.code != .outsideHours } && !roles.isEmpty && roles.allSatisfy { role in
                e.resources.contains { r in r.role == role && !r.reasons.contains { hoursOnly.contains($0.code) } }
            }
            if fits { open.append(e) }
        }
        guard let first = open.first else {
            let closedThatDate = query.resources.contains { r in
                spec.components.contains { $0.selector.matches(r) } && r.overlays.contains { $0.date == date && $0.kind == .closed }
            }
            let anyRule = query.resources.contains { r in
                spec.components.contains { $0.selector.matches(r) }
                    && r.weeklyRules.contains { $0.isInForce(on: date) && $0.applies(to: query.offerID) }
            }
            let offerDay = spec.hours.isEmpty || !Self.offerHours(spec).wallHours(on: date, offerID: nil).isEmpty
            return (closedThatDate || anyRule) && offerDay ? .closedDate : .closedWeekday(date.weekday)
        }
        func has(_ e: Explanation, _ code: UnavailableReason) -> Bool { e.offerReasons.contains { $0.code == code } }
        if open.allSatisfy({ has($0, .advance) }) {
            let opens = first.start - Int64(spec.maximumAdvanceDays) * 86_400
            return .notYetBookable(from: query.clock.local(opens).date)
        }
        if open.allSatisfy({ has($0, .notice) || has($0, .advance) }) { return .notice(minutes: spec.minimumNoticeMinutes) }
        return .fullyBooked
    }
}
