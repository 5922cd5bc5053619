public import Foundation  // TimeZone only.

/// Quotes prices for an offer version. Pure: `now` and the zone are passed in.
///
/// Order: the base price (or a date's fixed override), then every matching rule in the order
/// listed. Each adjustment rounds the new subtotal half-up and its line is the difference, so any
/// rounding remainder sits in the line that caused it and the lines always sum to the total.
public enum Pricing {
    public static func quote(_ spec: OfferVersionSpec, start: Instant, end: Instant, partySize: Int,
                             now: Instant, timeZone: TimeZone) -> PriceBreakdown {
        let local = ZoneClock(timeZone).local(start)
        let party = Int64(Swift.max(1, partySize))
        var lines: [PriceBreakdown.Line] = []
        var running: Int64

        let minutes = Int64(Swift.max(0, end - start) / 60)
        switch spec.price {
        case .fixed(let m):
            running = m.minorUnits
            lines.append(.init(label: "Price", amount: running))
        case .perPerson(let m):
            running = m.minorUnits * party
            lines.append(.init(label: "\(party) × per person", amount: running))
        case .hourly(let rate, let increment, let minimum):
            let inc = Int64(Swift.max(1, increment))
            let charged = Swift.max(Int64(minimum), (minutes + inc - 1) / inc * inc)
            running = roundHalfUp(rate.minorUnits, times: charged, over: 60)
            lines.append(.init(label: "\(charged) min at hourly rate", amount: running))
        }

        for rule in spec.pricingRules {
            if case .dateOverride(let date, .fixed(let amount)) = rule, date == local.date {
                lines.append(.init(label: "Special price \(date)", amount: amount - running))
                running = amount
                break
            }
        }

        func apply(_ label: String, basisPoints: Int64) {
            let next = roundHalfUp(running, times: Swift.max(0, basisPoints), over: 10_000)
            lines.append(.init(label: label, amount: next - running))
            running = next
        }
        let ahead = start - now
        for rule in spec.pricingRules {
            switch rule {
            case .timeOfDay(let from, let to, let weekdays, let bp):
                if from <= local.time && local.time < to && (weekdays?.contains(local.date.weekday) ?? true) {
                    apply("Time of day \(from)–\(to)", basisPoints: Int64(bp))
                }
            case .weekday(let weekdays, let bp):
                if weekdays.contains(local.date.weekday) { apply("Weekday", basisPoints: Int64(bp)) }
            case .dateOverride(let date, .multiplierBasisPoints(let bp)):
                if date == local.date { apply("Special date \(date)", basisPoints: Int64(bp)) }
            case .dateOverride:
                break
            case .earlyBird(let days, let pct):
                if ahead >= Int64(days) * 86_400 { apply("Early bird −\(pct)%", basisPoints: 10_000 - Int64(pct) * 100) }
            case .lastMinute(let hours, let pct):
                if ahead >= 0 && ahead < Int64(hours) * 3600 {
                    apply("Last minute \(pct >= 0 ? "+" : "")\(pct)%", basisPoints: 10_000 + Int64(pct) * 100)
                }
            }
        }

        return PriceBreakdown(currency: spec.price.currency, model: spec.price.name, lines: lines,
                              total: running, deposit: deposit(spec.deposit, total: running))
    }

    /// What `rule` makes due up front on `total` (never more than the total).
    public static func deposit(_ rule: DepositRule?, total: Int64) -> Int64 {
        switch rule {
        case nil: return 0
        case .percent(let p)?: return roundHalfUp(total, times: Int64(Swift.min(100, Swift.max(0, p))), over: 100)
        case .fixed(let amount)?: return Swift.min(total, Swift.max(0, amount))
        }
    }
}
