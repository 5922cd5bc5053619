extension BusyCalendar {
    /// The starts of a series from its first (`rule` nil: just the first), on wall-clock dates, up
    /// to `until` (an instant), `COUNT` or `UNTIL`, whichever comes first; at most 100 000 looked at.
    static func occurrences(_ first: ICSTime, rule: [String: String]?, until end: Instant,
                            instant: (ICSTime) -> Instant) -> [ICSTime] {
        guard let rule, let frequency = rule["FREQ"] else { return [first] }
        let interval = max(1, Int(rule["INTERVAL"] ?? "1") ?? 1)
        let count = rule["COUNT"].flatMap { Int($0) }
        let last = rule["UNTIL"].flatMap { ICSTime.parse($0, zone: "UTC") }.map { time -> Instant in
            if case .day(let date) = time { return date.adding(days: 1).daysSinceEpoch * 86_400 - 1 }
            return instant(time)
        }
        let weekdays = (rule["BYDAY"] ?? "").split(separator: ",").compactMap { day -> Int? in
            ["MO", "TU", "WE", "TH", "FR", "SA", "SU"].firstIndex(of: String(day.suffix(2))).map { $0 + 1 }
        }
        let start = first.date
        var found: [ICSTime] = []
        var step = 0
        while step < 100_000 {
            var dates: [LocalDate] = []
            switch frequency {
            case "DAILY":
                dates = [start.adding(days: step * interval)]
            case "WEEKLY":
                let monday = start.mondayOfWeek.adding(days: 7 * step * interval)
                dates = (weekdays.isEmpty ? [start.weekday.rawValue] : weekdays.sorted()).map { monday.adding(days: $0 - 1) }
            case "MONTHLY":
                let months = start.month - 1 + step * interval
                dates = LocalDate(year: start.year + months / 12, month: months % 12 + 1, day: start.day).map { [$0] } ?? []
            case "YEARLY":
                dates = LocalDate(year: start.year + step * interval, month: start.month, day: start.day).map { [$0] } ?? []
            default:
                return [first]
            }
            for date in dates where date >= start {
                let occurrence = first.on(date)
                let at = instant(occurrence)
                if let last, at > last { return found }
                if at >= end { return found }
                found.append(occurrence)
                if let count, found.count >= count { return found }
            }
            step += 1
        }
        return found
    }
}
