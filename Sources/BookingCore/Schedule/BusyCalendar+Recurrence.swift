extension BusyCalendar {
    /// An `RRULE`'s date parts (RFC 5545 §3.3.10) as numbers. Times of day come from `DTSTART`; the
    /// parts that pick hours, minutes, year days or week numbers are not read, so a rule using them
    /// yields its whole period's dates: more busy time, never less.
    struct Rule {
        var frequency: String
        var interval = 1
        var count: Int?
        var until: ICSTime?
        var months: [Int] = []              // BYMONTH 1…12
        var monthDays: [Int] = []           // BYMONTHDAY ±1…31
        var days: [(ordinal: Int?, weekday: Int)] = []   // BYDAY, e.g. 2TU, -1FR, MO (weekday 1 = Monday)
        var setPositions: [Int] = []        // BYSETPOS ±1…366
        var weekStart = 1                   // WKST

        init?(_ parts: [String: String]) {
            guard let frequency = parts["FREQ"], ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"].contains(frequency) else { return nil }
            self.frequency = frequency
            interval = max(1, Int(parts["INTERVAL"] ?? "1") ?? 1)
            count = parts["COUNT"].flatMap { Int($0) }
            until = parts["UNTIL"].flatMap { ICSTime.parse($0, zone: "UTC") }
            func numbers(_ name: String, _ range: ClosedRange<Int>) -> [Int] {
                (parts[name] ?? "").split(separator: ",").compactMap { Int($0) }.filter { $0 != 0 && range.contains(abs($0)) }
            }
            months = numbers("BYMONTH", 1...12)
            monthDays = numbers("BYMONTHDAY", 1...31)
            setPositions = numbers("BYSETPOS", 1...366)
            days = (parts["BYDAY"] ?? "").split(separator: ",").compactMap { item in
                guard let weekday = Self.weekday(item.suffix(2)) else { return nil }
                let prefix = item.dropLast(2)
                if prefix.isEmpty { return (nil, weekday) }
                guard let ordinal = Int(prefix), ordinal != 0, abs(ordinal) <= 53 else { return nil }
                return (ordinal, weekday)
            }
            weekStart = parts["WKST"].flatMap { Self.weekday(Substring($0)) } ?? 1
        }

        static func weekday(_ code: Substring) -> Int? {
            ["MO", "TU", "WE", "TH", "FR", "SA", "SU"].firstIndex(of: code.uppercased()).map { $0 + 1 }
        }

        /// The dates of the `step`-th period after the one holding `start`, in order.
        func dates(step: Int, start: LocalDate) -> [LocalDate] {
            var found: [LocalDate]
            switch frequency {
            case "DAILY":
                let date = start.adding(days: step * interval)
                found = matchesLimits(date) ? [date] : []
            case "WEEKLY":
                let weekFirst = start.adding(days: -((start.weekday.rawValue - weekStart + 7) % 7)).adding(days: 7 * step * interval)
                let weekdays = days.isEmpty ? [start.weekday.rawValue] : days.map(\.weekday)
                found = (0..<7).map { weekFirst.adding(days: $0) }
                    .filter { weekdays.contains($0.weekday.rawValue) && (months.isEmpty || months.contains($0.month)) }
            case "MONTHLY":
                let index = start.month - 1 + step * interval
                let (year, month) = (start.year + index / 12, index % 12 + 1)
                found = months.isEmpty || months.contains(month) ? inMonth(year: year, month: month, startDay: start.day) : []
            default:   // YEARLY
                let year = start.year + step * interval
                if !months.isEmpty {
                    found = months.sorted().flatMap { inMonth(year: year, month: $0, startDay: start.day) }
                } else if !monthDays.isEmpty {
                    found = (1...12).flatMap { inMonth(year: year, month: $0, startDay: start.day) }
                } else if !days.isEmpty {
                    found = inSpan(first: LocalDate(year: year, month: 1, day: 1)!, count: LocalDate.isLeap(year) ? 366 : 365)
                } else {
                    found = LocalDate(year: year, month: start.month, day: start.day).map { [$0] } ?? []
                }
            }
            return positions(found)
        }

        /// DAILY's limits: a day counts only if it is in the listed months, month days and weekdays.
        private func matchesLimits(_ date: LocalDate) -> Bool {
            (months.isEmpty || months.contains(date.month))
                && (monthDays.isEmpty || monthDays.contains { resolve($0, in: LocalDate.daysIn(month: date.month, year: date.year)) == date.day })
                && (days.isEmpty || days.contains { $0.weekday == date.weekday.rawValue })
        }

        /// A month's dates: its listed days (negative from the end), narrowed by weekday, or its
        /// weekdays (every one, or the n-th from the start or end), or the start's day of month.
        private func inMonth(year: Int, month: Int, startDay: Int) -> [LocalDate] {
            let length = LocalDate.daysIn(month: month, year: year)
            let first = LocalDate(year: year, month: month, day: 1)!
            if !monthDays.isEmpty {
                let listed = Set(monthDays.compactMap { resolve($0, in: length) }).sorted()
                    .map { first.adding(days: $0 - 1) }
                return days.isEmpty ? listed : listed.filter { date in days.contains { $0.weekday == date.weekday.rawValue } }
            }
            if !days.isEmpty { return inSpan(first: first, count: length) }
            return LocalDate(year: year, month: month, day: startDay).map { [$0] } ?? []   // the 31st skips short months
        }

        /// The BYDAY dates within `count` days from `first` (a month, or a year without BYMONTH).
        private func inSpan(first: LocalDate, count: Int) -> [LocalDate] {
            var chosen = Set<Int>()
            for (ordinal, weekday) in days {
                let offsets = (0..<count).filter { first.adding(days: $0).weekday.rawValue == weekday }
                if let ordinal {
                    let index = ordinal > 0 ? ordinal - 1 : offsets.count + ordinal
                    if offsets.indices.contains(index) { chosen.insert(offsets[index]) }
                } else {
                    chosen.formUnion(offsets)
                }
            }
            return chosen.sorted().map { first.adding(days: $0) }
        }

        /// BYSETPOS: only the listed positions of the period's dates (negative from the end).
        private func positions(_ dates: [LocalDate]) -> [LocalDate] {
            guard !setPositions.isEmpty else { return dates }
            return Set(setPositions.compactMap { position -> Int? in
                let index = position > 0 ? position - 1 : dates.count + position
                return dates.indices.contains(index) ? index : nil
            }).sorted().map { dates[$0] }
        }

        private func resolve(_ day: Int, in length: Int) -> Int? {
            let resolved = day > 0 ? day : length + day + 1
            return (1...length).contains(resolved) ? resolved : nil
        }
    }

    /// The starts of a series from its first (`rule` nil: just the first), on wall-clock dates, up
    /// to `until` (an instant), `COUNT` or `UNTIL`, whichever comes first, plus its `RDATE`s; at most
    /// 100 000 periods looked at.
    static func occurrences(_ first: ICSTime, rule parts: [String: String]?, extra: [ICSTime] = [], until end: Instant,
                            instant: (ICSTime) -> Instant) -> [ICSTime] {
        let added = extra.filter { instant($0) < end }
        guard let parts, let rule = Rule(parts) else { return [first] + added }
        let last = rule.until.map { time -> Instant in
            if case .day(let date) = time { return date.adding(days: 1).daysSinceEpoch * 86_400 - 1 }
            return instant(time)
        }
        let start = first.date
        var found: [ICSTime] = []
        var step = 0
        series: while step < 100_000 {
            let dates = rule.dates(step: step, start: start)
            for date in dates where date >= start {
                let occurrence = first.on(date)
                let at = instant(occurrence)
                if let last, at > last { break series }
                if at >= end { break series }
                found.append(occurrence)
                if let count = rule.count, found.count >= count { break series }
            }
            // A period that begins after the window ends has nothing more to give.
            if dates.isEmpty, instant(first.on(Self.periodStart(rule, step: step, start: start))) >= end { break }
            step += 1
        }
        return found + added.filter { extra in !found.contains { instant($0) == instant(extra) } }
    }

    private static func periodStart(_ rule: Rule, step: Int, start: LocalDate) -> LocalDate {
        switch rule.frequency {
        case "DAILY": start.adding(days: step * rule.interval)
        case "WEEKLY": start.adding(days: 7 * step * rule.interval - 6)
        case "MONTHLY":
            LocalDate(year: start.year + (start.month - 1 + step * rule.interval) / 12,
                      month: (start.month - 1 + step * rule.interval) % 12 + 1, day: 1)!
        default: LocalDate(year: start.year + step * rule.interval, month: 1, day: 1)!
        }
    }
}
