extension ResourceSchedule {
    /// Wall-clock hours in force on `date` for `offerID`, before conversion to instants:
    /// empty when closed. A closed overlay wins; special hours replace the weekly rules;
    /// otherwise every general rule plus the rules specific to `offerID`.
    public func wallHours(on date: LocalDate, offerID: OfferID?) -> [WallInterval] {
        var special: [WallInterval] = []
        var hasSpecial = false
        for o in overlays where o.date == date {
            switch o.kind {
            case .closed: return []
            case .specialHours(let h): hasSpecial = true; special += h
            case .blackout: break
            }
        }
        if hasSpecial { return special.filter { $0.opens < $0.closes } }
        return weeklyRules.lazy
            .filter { $0.isInForce(on: date) && $0.applies(to: offerID) }
            .map { WallInterval(opens: $0.opens, closes: $0.closes) }
    }

    /// Open instant ranges on a business-local `date` in `clock`'s zone, merged and sorted.
    /// Boundaries inside a DST gap move forward by the gap; repeated times use the first occurrence.
    public func openRanges(on date: LocalDate, clock: ZoneClock, offerID: OfferID?) -> [TimeRange] {
        openRanges(on: clock.day(date), offerID: offerID)
    }

    /// Same, with a prepared `ZoneDay`.
    public func openRanges(on day: ZoneDay, offerID: OfferID?) -> [TimeRange] {
        let hours = wallHours(on: day.date, offerID: offerID)
        if hours.isEmpty { return [] }
        let next = day.date.adding(days: 1)
        return TimeRange.normalized(hours.map { h in
            let end = h.closes.minutes == 1440
                ? day.clock.day(next).start
                : day.instantMovingForward(minutes: h.closes.minutes)
            return TimeRange(start: day.instantMovingForward(minutes: h.opens.minutes), end: end)
        })
    }

    /// Blackout ranges from the overlays plus the blocked ranges, merged.
    public var allBlocked: [TimeRange] {
        var all = blocked
        for o in overlays { if case .blackout(let r) = o.kind { all.append(r) } }
        return TimeRange.normalized(all)
    }
}
