/// Variable durations as customers choose them on the web: the same rule the API applies
/// (`resolve`), listed as choices for a select.
extension DurationSpec {
    /// True when customers choose the length (a range with a step).
    public var isVariable: Bool { maxMinutes > minMinutes }

    /// Every allowed length, shortest first (`min, min+step, … ≤ max`), at most `limit` of them.
    public func choices(limit: Int = 48) -> [Int] {
        guard minMinutes > 0, maxMinutes >= minMinutes else { return [] }
        return Array(stride(from: minMinutes, through: maxMinutes, by: Swift.max(1, stepMinutes)).prefix(Swift.max(1, limit)))
    }

    /// The length a form asked for: nothing (or empty) is the shortest; otherwise whole minutes
    /// the offer allows (`resolve`), nil when it does not.
    public func chosen(_ text: String?) -> Int? {
        guard let text, !text.isEmpty else { return resolve(nil) }
        guard text.count <= 7, let minutes = Int(text) else { return nil }
        return resolve(minutes)
    }
}
