/// Busy time read from an external iCalendar feed (a resource's Google, Outlook or Apple calendar):
/// every VEVENT that is neither transparent (free) nor cancelled, over a window, recurring ones
/// expanded in their own zone (`TZID`) so that a weekly 09:00 in New York stays 09:00 across the DST
/// changes. Supported recurrence: `RRULE` with `FREQ` DAILY, WEEKLY, MONTHLY and YEARLY, `INTERVAL`,
/// `COUNT`, `UNTIL`, `BYMONTH`, `BYMONTHDAY` (negative from the month's end), `BYDAY` (with ordinals
/// such as `2TU` or `-1FR` in a month or year), `BYSETPOS`, `WKST`; `RDATE`; `EXDATE`; `RECURRENCE-ID`
/// overrides (see `Rule` for the parts not read).
/// A time in an unknown zone (Outlook's Windows names) is read in `defaultZone`. Pure.
public enum BusyCalendar {
    public enum Failure: Error, Equatable, Sendable {
        /// The text has no VCALENDAR.
        case notACalendar
    }

    struct Event {
        var uid = ""
        var start: ICSTime?
        var end: ICSTime?
        var duration: Int64?
        var rule: [String: String]?
        var exceptions: [ICSTime] = []
        var recurrenceID: ICSTime?
        var additions: [ICSTime] = []
        var busy = true
    }

    /// The busy ranges overlapping `window`, by start, at most `limit` of them.
    public static func busy(_ text: String, window: TimeRange, defaultZone: String, limit: Int = 5000) throws(Failure) -> [TimeRange] {
        let lines = ICSLine.parse(text)
        guard lines.contains(where: { $0.name == "BEGIN" && $0.value.uppercased() == "VCALENDAR" }) else { throw .notACalendar }
        let events = self.events(lines, defaultZone: defaultZone)
        var zones: [String: ZoneClock] = [:]
        func clock(_ name: String) -> ZoneClock {
            if let known = zones[name] { return known }
            let found = ZoneClock(identifier: name) ?? ZoneClock(identifier: defaultZone) ?? ZoneClock(identifier: "UTC")!
            zones[name] = found
            return found
        }
        func instant(_ time: ICSTime) -> Instant {
            switch time {
            case .utc(let value): value
            case .local(let date, let seconds, let zone): clock(zone).day(date).instantMovingForward(minutes: seconds / 60) + Int64(seconds % 60)
            case .day(let date): clock(defaultZone).day(date).start
            }
        }
        // Overrides replace their instance of the series with the same UID.
        var overridden: [String: Set<Instant>] = [:]
        for event in events { if let id = event.recurrenceID { overridden[event.uid, default: []].insert(instant(id)) } }
        var ranges: [TimeRange] = []
        for event in events where event.busy {
            guard let start = event.start else { continue }
            let excluded = Set(event.exceptions.map(instant)).union(event.recurrenceID == nil ? overridden[event.uid] ?? [] : [])
            let length = event.duration ?? event.end.map { instant($0) - instant(start) } ?? (start.isDay ? 86_400 : 0)
            guard length > 0 else { continue }
            let starts = event.recurrenceID == nil ? occurrences(start, rule: event.rule, extra: event.additions, until: window.end, instant: instant) : [start]
            for first in starts {
                let from = instant(first)
                // A whole day ends at the next midnight of its zone, 23 or 25 hours later on a DST day.
                let to: Instant
                if case .day(let date) = first {
                    var days = max(1, Int((length + 43_200) / 86_400))
                    if case .day(let last)? = event.end { days = max(1, start.date.days(to: last)) }
                    to = clock(defaultZone).day(date.adding(days: days)).start
                } else {
                    to = from + length
                }
                let range = TimeRange(start: from, end: to)
                guard !excluded.contains(from), range.overlaps(window) else { continue }
                ranges.append(range)
                if ranges.count >= limit { return ranges.sorted { $0.start < $1.start } }
            }
        }
        return ranges.sorted { $0.start < $1.start }
    }

    static func events(_ lines: [ICSLine], defaultZone: String) -> [Event] {
        var events: [Event] = []
        var current: Event?
        var depth = 0   // inside a VALARM (or another component) of the VEVENT
        for line in lines {
            let value = line.value
            switch line.name {
            case "BEGIN" where value.uppercased() == "VEVENT": current = Event(); depth = 0
            case "BEGIN" where current != nil: depth += 1
            case "END" where value.uppercased() == "VEVENT":
                if let event = current { events.append(event) }
                current = nil
            case "END" where current != nil: depth -= 1
            default:
                guard current != nil, depth == 0 else { continue }
                let zone = line.parameters["TZID"] ?? defaultZone
                switch line.name {
                case "UID": current?.uid = value
                case "DTSTART": current?.start = ICSTime.parse(value, zone: zone)
                case "DTEND": current?.end = ICSTime.parse(value, zone: zone)
                case "DURATION": current?.duration = duration(value)
                case "RRULE": current?.rule = rule(value)
                case "EXDATE": current?.exceptions += value.split(separator: ",").compactMap { ICSTime.parse(String($0), zone: zone) }
                // A PERIOD's start is the occurrence; its own length is not kept (the event's is).
                case "RDATE": current?.additions += value.split(separator: ",").compactMap {
                    ICSTime.parse(String($0.split(separator: "/").first ?? $0), zone: zone)
                }
                case "RECURRENCE-ID": current?.recurrenceID = ICSTime.parse(value, zone: zone)
                case "TRANSP": if value.uppercased() == "TRANSPARENT" { current?.busy = false }
                case "STATUS": if value.uppercased() == "CANCELLED" { current?.busy = false }
                default: break
                }
            }
        }
        return events
    }

    static func rule(_ value: String) -> [String: String] {
        var parts: [String: String] = [:]
        for part in value.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { parts[pair[0].uppercased()] = pair[1].uppercased() }
        }
        return parts
    }

    /// `PT1H30M`, `P1D`, `P2W`, `-PT5M` (negative: nil): seconds.
    static func duration(_ text: String) -> Int64? {
        var seconds: Int64 = 0, number: Int64 = 0
        for ch in text.uppercased() {
            if let digit = ch.wholeNumberValue { number = number * 10 + Int64(digit); continue }
            switch ch {
            case "W": seconds += number * 604_800
            case "D": seconds += number * 86_400
            case "H": seconds += number * 3600
            case "M": seconds += number * 60
            case "S": seconds += number
            case "-": return nil
            default: break
            }
            number = 0
        }
        return seconds
    }
}

extension ICSTime {
    var isDay: Bool { if case .day = self { true } else { false } }

    var date: LocalDate {
        switch self {
        case .utc(let value): LocalDate(daysSinceEpoch: value >= 0 ? value / 86_400 : (value - 86_399) / 86_400)
        case .local(let date, _, _), .day(let date): date
        }
    }

    /// The same time of day on `date`.
    func on(_ date: LocalDate) -> ICSTime {
        switch self {
        case .utc(let value): .utc(date.daysSinceEpoch * 86_400 + ((value % 86_400) + 86_400) % 86_400)
        case .local(_, let seconds, let zone): .local(date, seconds: seconds, zone: zone)
        case .day: .day(date)
        }
    }
}
