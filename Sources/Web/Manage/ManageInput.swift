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

    /// An ISO 4217 code from `Currency.codes`; empty means USD.
    static func currency(_ value: String?, field: String = "currency", _ errors: inout FormErrors) -> String? {
        let text = trimmed(value).uppercased()
        if text.isEmpty { return "USD" }
        guard Currency.isKnown(text) else {
            errors.add(field, "Choose a currency from the list (ISO 4217 codes such as USD, EUR or JPY).")
            return nil
        }
        return text
    }

    /// A price in `currency`'s minor units, with as many decimals as the currency has (`Currency.parse`).
    static func price(_ value: String?, currency: String, field: String = "price", _ errors: inout FormErrors) -> Int64? {
        do { return try Currency.parse(trimmed(value), currency, field: field) } catch {
            errors.add(field, error.message)
            return nil
        }
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
        tags(list: trimmed(value).split(separator: ",").map(String.init), field: field, &errors)
    }

    /// Each tag made a slug, empty ones dropped, repeats kept once; at most 20.
    static func tags(list: [String], field: String = "tags", _ errors: inout FormErrors) -> [String]? {
        let tags = list.map { Validation.slug($0) }.filter { !$0.isEmpty }
        if tags.count > 20 { errors.add(field, "Use at most 20 tags."); return nil }
        return Array(Set(tags)).sorted()
    }

    /// An amount as a form shows it back: "45.00", "5000" (JPY), "1.250" (KWD).
    static func amount(_ minor: Int64, _ currency: String) -> String { Currency.decimal(minor, currency) }
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

extension ManageInput {
    /// A week of hours from `{prefix}opens_mon`/`{prefix}closes_mon`… fields: an empty day is closed.
    static func weeklyRules(_ form: FormData, prefix: String = "", _ errors: inout FormErrors) -> [WeeklyRule] {
        var rules: [WeeklyRule] = []
        for (index, key) in dayKeys.enumerated() {
            let opensField = "\(prefix)opens_\(key)", closesField = "\(prefix)closes_\(key)"
            let opensText = trimmed(form[opensField]), closesText = trimmed(form[closesField])
            if opensText.isEmpty && closesText.isEmpty { continue }
            let opens = wallTime(opensText, field: opensField, &errors)
            let closes = wallTime(closesText, field: closesField, &errors)
            guard let opens, let closes else { continue }
            guard opens < closes, opens.minutes < 1440 else {
                errors.add(closesField, "On \(dayNames[index]), enter a closing time after the opening time.")
                continue
            }
            rules.append(WeeklyRule(weekday: Weekday(rawValue: index + 1)!, opens: opens, closes: closes))
        }
        return rules
    }
}

/// A `<select>` option.
struct Option: Sendable, Hashable {
    let value: String
    let label: String
    let selected: Bool

    static func list(_ pairs: [(String, String)], selected: String) -> [Option] {
        pairs.map { Option(value: $0.0, label: $0.1, selected: $0.0 == selected) }
    }
}

extension Role {
    /// The roles this role may give (to a team member or an API key) as form choices.
    var grantableChoices: [(String, String)] { grantableRoles.map { ($0.rawValue, $0.rawValue.capitalized) } }
}
