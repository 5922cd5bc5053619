import BookingCore
import Foundation
import HTTPServer

/// Strict parsers for the management forms. Each returns nil and records a sentence on `errors`
/// for the field at fault.
enum ManageInput {
    /// Every IANA zone this system knows, sorted (for the `<datalist>`).
    static let timeZones: [String] = TimeZone.knownTimeZoneIdentifiers.sorted()

    static func trimmed(_ value: String?) -> String { (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }

    static func name(_ value: String?, field: String, what: String, _ errors: inout FormErrors) -> String? {
        let text = trimmed(value)
        if text.isEmpty { errors.add(field, "Enter \(what)."); return nil }
        if text.count > 120 { errors.add(field, "Use at most 120 characters for \(what)."); return nil }
        if Validation.slug(text).isEmpty {
            errors.add(field, "Use at least one letter or digit in \(what).")
            return nil
        }
        return text
    }

    static func timeZone(_ value: String?, field: String = "timezone", _ errors: inout FormErrors) -> String? {
        let text = trimmed(value)
        guard !text.isEmpty, text.count <= 64, TimeZone(identifier: text) != nil, timeZones.contains(text) || text == "UTC" else {
            errors.add(field, "Choose a time zone from the list, for example America/New_York.")
            return nil
        }
        return text
    }

    static func currency(_ value: String?, field: String = "currency", _ errors: inout FormErrors) -> String? {
        let text = trimmed(value).uppercased()
        if text.isEmpty { return "USD" }
        guard text.count == 3, text.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            errors.add(field, "Enter a three-letter currency code, for example USD or EUR.")
            return nil
        }
        return text
    }

    /// A price such as `45`, `45.5` or `45.00` in minor units (two decimals); no signs, separators or letters.
    static func price(_ value: String?, field: String = "price", _ errors: inout FormErrors) -> Int64? {
        let text = trimmed(value)
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let digits = { (s: Substring) in !s.isEmpty && s.allSatisfy { $0.isASCII && $0.isNumber } }
        guard !text.isEmpty, parts.count <= 2, digits(parts[0]), parts[0].count <= 7,
              parts.count == 1 || (digits(parts[1]) && parts[1].count <= 2),
              let whole = Int64(parts[0]) else {
            errors.add(field, "Enter a price like 45.00 (digits, and a dot before the cents).")
            return nil
        }
        var cents: Int64 = 0
        if parts.count == 2 {
            let fraction = String(parts[1])
            cents = Int64(fraction.count == 1 ? fraction + "0" : fraction) ?? 0
        }
        return whole * 100 + cents
    }

    static func integer(_ value: String?, field: String, in range: ClosedRange<Int>, unit: String,
                        _ errors: inout FormErrors) -> Int? {
        let text = trimmed(value)
        guard let v = Int(text), range.contains(v), text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") }) else {
            errors.add(field, "Enter a whole number of \(unit) from \(range.lowerBound) to \(range.upperBound).")
            return nil
        }
        return v
    }

    static func minutes(_ value: String?, field: String, in range: ClosedRange<Int>, _ errors: inout FormErrors) -> Int? {
        do { return try Validation.minutes(trimmed(value), field: field, in: range) } catch {
            errors.add(field, error.message)
            return nil
        }
    }

    static func wallTime(_ value: String?, field: String, _ errors: inout FormErrors) -> WallTime? {
        do { return try Validation.wallTime(trimmed(value), field: field) } catch {
            errors.add(field, error.message)
            return nil
        }
    }

    static func date(_ value: String?, field: String, _ errors: inout FormErrors) -> LocalDate? {
        do { return try Validation.date(trimmed(value), field: field) } catch {
            errors.add(field, error.message)
            return nil
        }
    }

    /// `mon`…`sun` values; unknown ones and an empty list are errors.
    static func days(_ values: [String], field: String = "days", _ errors: inout FormErrors) -> [Weekday]? {
        var days: [Weekday] = []
        for value in values {
            guard value.count == 3, let day = Weekday(name: value) else {
                errors.add(field, "Choose open days from Monday to Sunday.")
                return nil
            }
            days.append(day)
        }
        if days.isEmpty { errors.add(field, "Choose at least one open day."); return nil }
        return Array(Set(days)).sorted()
    }

    static let dayKeys = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    static let dayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    static func tags(_ value: String?, field: String = "tags", _ errors: inout FormErrors) -> [String]? {
        let tags = trimmed(value).split(separator: ",").map { Validation.slug(String($0)) }
            .filter { !$0.isEmpty }
        if tags.count > 20 { errors.add(field, "Use at most 20 tags."); return nil }
        return Array(Set(tags)).sorted()
    }

    static func money(_ minor: Int64) -> String {
        let sign = minor < 0 ? "-" : ""
        let v = abs(minor)
        let cents = v % 100
        return "\(sign)\(v / 100).\(cents < 10 ? "0" : "")\(cents)"
    }
}

/// One checkbox of a weekday list.
struct DayOption: Sendable {
    let key: String
    let label: String
    let checked: Bool

    static func all(checked: Set<String>) -> [DayOption] {
        zip(ManageInput.dayKeys, ManageInput.dayNames).map { DayOption(key: $0, label: $1, checked: checked.contains($0)) }
    }
}

/// A `<select>` option.
struct Option: Sendable {
    let value: String
    let label: String
    let selected: Bool

    static func list(_ pairs: [(String, String)], selected: String) -> [Option] {
        pairs.map { Option(value: $0.0, label: $0.1, selected: $0.0 == selected) }
    }
}
