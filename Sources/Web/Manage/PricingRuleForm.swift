import BookingCore
import Foundation
import HTTPServer

/// The pricing-rule rows of the version form. Each row is one rule:
/// - `weekday`: on `days`, change the price by `percent` (+25 = ×1.25, −10 = ×0.9);
/// - `time_of_day`: starting in `from`–`to` (on `days` when given), change by `percent`;
/// - `date`: on `date`, change by `percent`, or charge exactly `amount` when given;
/// - `early_bird`: booked at least `number` days ahead, `percent` off;
/// - `last_minute`: booked within `number` hours of the start, change by `percent`.
struct PricingRuleRow: Sendable {
    let index: Int
    let kinds: [Option]
    let days: String
    let from: String
    let to: String
    let date: String
    let number: String
    let percent: String
    let amount: String

    static let rows = 3
    static let kindChoices = [("", "—"), ("weekday", "On weekdays"), ("time_of_day", "At a time of day"),
                              ("date", "On a date"), ("early_bird", "Early bird"), ("last_minute", "Last minute")]

    static func empty(_ i: Int) -> PricingRuleRow {
        PricingRuleRow(index: i, kinds: Option.list(kindChoices, selected: ""), days: "", from: "", to: "", date: "", number: "",
                       percent: "", amount: "")
    }

    static func rows(_ rules: [PricingRule], currency: String) -> [PricingRuleRow] {
        (0..<max(rows, rules.count)).map { i in
            guard i < rules.count else { return empty(i) }
            func pct(_ bp: Int) -> String { String((bp - 10_000) / 100) }
            func names(_ days: Set<Weekday>?) -> String {
                (days ?? []).sorted().map { ManageInput.dayKeys[$0.rawValue - 1] }.joined(separator: ",")
            }
            let row: (String, String, String, String, String, String, String, String) = switch rules[i] {
            case .weekday(let days, let bp): ("weekday", names(days), "", "", "", "", pct(bp), "")
            case .timeOfDay(let from, let to, let days, let bp): ("time_of_day", names(days), from.description, to.description, "", "", pct(bp), "")
            case .dateOverride(let date, .multiplierBasisPoints(let bp)): ("date", "", "", "", date.description, "", pct(bp), "")
            case .dateOverride(let date, .fixed(let amount)): ("date", "", "", "", date.description, "", "", ManageInput.amount(amount, currency))
            case .earlyBird(let days, let off): ("early_bird", "", "", "", "", String(days), String(off), "")
            case .lastMinute(let hours, let change): ("last_minute", "", "", "", "", String(hours), String(change), "")
            }
            return PricingRuleRow(index: i, kinds: Option.list(kindChoices, selected: row.0), days: row.1, from: row.2, to: row.3,
                                  date: row.4, number: row.5, percent: row.6, amount: row.7)
        }
    }

    /// Rows the form may carry (the page shows at least `rows`, more when a version has more rules).
    static let maxRows = 20

    static func rows(form: FormData) -> [PricingRuleRow] {
        let count = max(rows, (0..<maxRows).last { form["rule_\($0)_kind"] != nil }.map { $0 + 1 } ?? 0)
        return (0..<count).map { i in
            let f = { (name: String) in String((form["rule_\(i)_\(name)"] ?? "").prefix(60)) }
            return PricingRuleRow(index: i, kinds: Option.list(kindChoices, selected: f("kind")), days: f("days"), from: f("from"),
                                  to: f("to"), date: f("date"), number: f("number"), percent: f("percent"), amount: f("amount"))
        }
    }

    /// The rules of the rows, or errors naming the row's field at fault.
    static func parse(_ form: FormData, currency: String, errors: inout FormErrors) -> [PricingRule] {
        var rules: [PricingRule] = []
        for i in 0..<maxRows {
            let kind = ManageInput.trimmed(form["rule_\(i)_kind"])
            if kind.isEmpty { continue }
            let field = { (name: String) in "rule_\(i)_\(name)" }
            func percent(_ range: ClosedRange<Int>) -> Int? {
                ManageInput.integer(form[field("percent")], field: field("percent"), in: range, unit: "percent", &errors)
            }
            func days(required: Bool) -> Set<Weekday>?? {
                let text = ManageInput.trimmed(form[field("days")])
                if text.isEmpty {
                    if required { errors.add(field("days"), "Enter the days, for example sat,sun.") ; return nil }
                    return .some(nil)
                }
                let parsed = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                guard parsed.allSatisfy({ $0.count >= 3 && Weekday(name: $0) != nil }) else {
                    errors.add(field("days"), "Enter days as mon,tue,…,sun separated by commas.")
                    return nil
                }
                return .some(Set(parsed.compactMap { Weekday(name: $0) }))
            }
            switch kind {
            case "weekday":
                if let d = days(required: true), let d, let p = percent(-100...1000) { rules.append(.weekday(d, multiplierBasisPoints: 10_000 + p * 100)) }
            case "time_of_day":
                let d = days(required: false)
                let from = ManageInput.wallTime(form[field("from")], field: field("from"), &errors)
                let to = ManageInput.wallTime(form[field("to")], field: field("to"), &errors)
                if let from, let to, to <= from { errors.add(field("to"), "Enter an end time after the start time.") }
                if let d, let from, let to, from < to, let p = percent(-100...1000) {
                    rules.append(.timeOfDay(from: from, to: to, weekdays: d, multiplierBasisPoints: 10_000 + p * 100))
                }
            case "date":
                let date = ManageInput.date(form[field("date")], field: field("date"), &errors)
                if !ManageInput.trimmed(form[field("amount")]).isEmpty {
                    if let date, let amount = ManageInput.price(form[field("amount")], currency: currency, field: field("amount"), &errors) {
                        rules.append(.dateOverride(date, .fixed(amount)))
                    }
                } else if let p = percent(-100...1000), let date {
                    rules.append(.dateOverride(date, .multiplierBasisPoints(10_000 + p * 100)))
                }
            case "early_bird":
                let n = ManageInput.integer(form[field("number")], field: field("number"), in: 1...3650, unit: "days", &errors)
                if let n, let p = percent(1...100) { rules.append(.earlyBird(minDaysAhead: n, percentOff: p)) }
            case "last_minute":
                let n = ManageInput.integer(form[field("number")], field: field("number"), in: 1...8760, unit: "hours", &errors)
                if let n, let p = percent(-100...1000) { rules.append(.lastMinute(withinHours: n, percentChange: p)) }
            default:
                errors.add(field("kind"), "Choose a kind of price rule.")
            }
        }
        return rules
    }
}
