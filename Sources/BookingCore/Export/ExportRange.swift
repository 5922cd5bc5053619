/// The business-local dates an export covers, first and last included: at most `maxDays`, so one
/// request cannot read the whole history of a large business at once.
public struct ExportRange: Sendable, Hashable {
    public static let maxDays = 366

    public let first: LocalDate
    public let last: LocalDate

    /// From the form's `from` and `to` (YYYY-MM-DD); each problem a `ValidationError` on its field.
    public static func parse(from: String, to: String) throws(ValidationError) -> ExportRange {
        let first = try Validation.date(from, field: "from")
        let last = try Validation.date(to, field: "to")
        guard first <= last else { throw ValidationError(field: "to", message: "Choose an end date on or after the start date.") }
        guard first.days(to: last) < maxDays else {
            throw ValidationError(field: "to", message: "Export at most \(maxDays) days at a time.")
        }
        return ExportRange(first: first, last: last)
    }

    /// The instants the dates cover in `clock`'s zone: from the first day's midnight to the midnight after the last.
    public func instants(_ clock: ZoneClock) -> TimeRange {
        TimeRange(start: clock.day(first).start, end: clock.day(last.adding(days: 1)).start)
    }

    /// "2026-11-01_2026-11-30": for file names.
    public var label: String { "\(first)_\(last)" }
}
