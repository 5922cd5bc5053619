/// Erasing customers some months after their last booking (issue 19), when the business asks for it.
public enum RetentionRules {
    /// The months an owner may choose.
    public static let months = 1...120
    /// How often one business's customers are looked at (seconds).
    public static let passInterval: Int64 = 3_600

    /// The date `months` calendar months before `today`; a day the earlier month lacks becomes its
    /// last day (31 March less one month is 28 or 29 February). A customer is due when every booking
    /// of theirs ended before the start of that date in the business's zone.
    public static func cutoffDate(today: LocalDate, months: Int) -> LocalDate {
        let index = today.year * 12 + (today.month - 1) - months
        let year = index / 12, month = index % 12 + 1
        var day = today.day
        while LocalDate(year: year, month: month, day: day) == nil { day -= 1 }
        return LocalDate(year: year, month: month, day: day)!
    }
}
