/// How people read dates and times in pages and emails, in English.
public enum HumanTime {
    public static let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    public static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                                "October", "November", "December"]

    /// "Monday 30 November 2026".
    public static func longDate(_ date: LocalDate) -> String {
        "\(weekdays[date.weekday.rawValue - 1]) \(date.day) \(months[date.month - 1]) \(date.year)"
    }

    /// "Monday 30 November 2026, 09:00–09:30" in the clock's zone.
    public static func span(_ start: Instant, _ end: Instant, _ clock: ZoneClock) -> String {
        let from = clock.local(start), to = clock.local(end)
        if from.date == to.date { return "\(longDate(from.date)), \(from.time)–\(to.time)" }
        return "\(longDate(from.date)), \(from.time) – \(longDate(to.date)), \(to.time)"
    }

    /// "24 hours", "1 hour", "90 minutes", "2 days".
    public static func lead(minutes: Int) -> String {
        if minutes % 1440 == 0, minutes >= 2880 { return "\(minutes / 1440) days" }
        if minutes % 60 == 0 { return minutes == 60 ? "1 hour" : "\(minutes / 60) hours" }
        return minutes == 1 ? "1 minute" : "\(minutes) minutes"
    }
}
