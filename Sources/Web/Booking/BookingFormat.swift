import BookingCore
import Foundation
import Store

/// How the customer booking pages say money, dates, times and policies.
enum BookingFormat {
    /// "2026-11-30 09:00" in the zone (RFC 3339 UTC when the zone is unknown): logs and lists.
    static func localStamp(_ instant: Instant, _ zone: ZoneClock?) -> String {
        guard let zone else { return RFC3339.format(instant) }
        let time = zone.local(instant)
        return "\(time.date) \(time.time)"
    }

    /// "$40.00", "€15.00", "¥5,000", "KWD 1.250": minor units of an ISO 4217 currency (`Currency.format`).
    static func money(_ minor: Int64, _ currency: String) -> String { Currency.format(minor, currency) }

    static let weekdays = HumanTime.weekdays
    static let months = HumanTime.months

    /// "Monday 30 November 2026".
    static func longDate(_ date: LocalDate) -> String { HumanTime.longDate(date) }

    /// "Mon" and "30 Nov" for the week strip.
    static func shortWeekday(_ date: LocalDate) -> String { String(weekdays[date.weekday.rawValue - 1].prefix(3)) }
    static func shortDate(_ date: LocalDate) -> String { "\(date.day) \(months[date.month - 1].prefix(3))" }

    /// "Monday 30 November 2026, 09:00–09:30" in the business's zone.
    static func span(_ start: Instant, _ end: Instant, _ clock: ZoneClock) -> String { HumanTime.span(start, end, clock) }

    /// Why a day has no times, in one sentence a customer reads: "Closed on Sundays", "Fully
    /// booked", "Bookings open 1 hour ahead", "Not yet bookable: from 3 March".
    static func emptyDay(_ cause: EmptyDay) -> String {
        switch cause {
        case .closedWeekday(let weekday): "Closed on \(weekdays[weekday.rawValue - 1])s"
        case .closedDate: "Closed on this day"
        case .notice(let minutes): minutes == 0 ? "No more times today" : "Bookings open \(HumanTime.lead(minutes: minutes)) ahead"
        case .notYetBookable(let from): "Not yet bookable: from \(from.day) \(months[from.month - 1])"
        case .fullyBooked: "Fully booked"
        }
    }

    static func duration(_ minutes: Int) -> String {
        if minutes < 60 { return "\(minutes) min" }
        let hours = minutes / 60, rest = minutes % 60
        let head = hours == 1 ? "1 hour" : "\(hours) hours"
        return rest == 0 ? head : "\(head) \(rest) min"
    }

    /// "10 minutes", "1 minute", "less than a minute": what is left of a hold.
    static func timeLeft(_ seconds: Int64) -> String {
        let minutes = seconds / 60
        if minutes < 1 { return "less than a minute" }
        return minutes == 1 ? "1 minute" : "\(minutes) minutes"
    }

    static func hours(_ value: Int) -> String {
        if value >= 48, value % 24 == 0 { return "\(value / 24) days" }
        return value == 1 ? "1 hour" : "\(value) hours"
    }

    /// The cancellation tiers in plain words, e.g. "Free cancellation until 24 hours before the
    /// start; 50 % refund after that; no refund after the start."
    static func cancellationPolicy(_ tiers: [CancellationTier]) -> String {
        let sorted = tiers.sorted { $0.minHoursBefore > $1.minHoursBefore }
        guard !sorted.isEmpty, sorted.contains(where: { $0.refundPercent > 0 }) else {
            return "No refund if you cancel."
        }
        var parts: [String] = []
        for (index, tier) in sorted.enumerated() {
            let percent = min(100, max(0, tier.refundPercent))
            let what: String
            switch percent {
            case 100: what = index == 0 ? "Free cancellation" : "full refund"
            case 0: what = index == 0 ? "No refund" : "no refund"
            default: what = (index == 0 ? "" : "") + "\(percent) % refund"
            }
            let until = tier.minHoursBefore > 0 ? "until \(hours(tier.minHoursBefore)) before the start" : "until the start"
            parts.append(index == 0 ? "\(what) \(until)" : "\(what) after that, \(until)")
        }
        if let last = sorted.last, last.minHoursBefore > 0 {
            parts.append("no refund after that")
        } else {
            parts.append("no refund after the start")
        }
        var sentence = parts.joined(separator: "; ")
        // "50 % refund after that, until the start" reads better without the repeated "until the start".
        sentence = sentence.replacingOccurrences(of: " after that, until the start", with: " after that")
        let first = sentence.prefix(1).uppercased() + sentence.dropFirst()
        return first + "."
    }

    static func status(_ status: BookingStatus) -> String {
        switch status {
        case .held: "On hold (not yet confirmed)"
        case .pending: "Waiting for the business to approve"
        case .confirmed: "Confirmed"
        case .checkedIn: "Checked in"
        case .completed: "Completed"
        case .cancelled: "Cancelled"
        case .noShow: "Missed (no-show)"
        case .expired: "Expired (never confirmed)"
        }
    }
}

/// A price line as shown.
struct PriceLineView: Sendable {
    let label: String
    let amount: String
}

/// The "what, when, with whom, where, how much" of an order, shared by checkout and the booking page.
struct OrderSummary: Sendable {
    let offerName: String
    let businessName: String
    let when: String
    /// The start in RFC 3339 UTC, for booking.js's note in the browser's own time zone.
    let startISO: String
    let zone: String
    let withWhom: String?
    let place: String?
    let partySize: Int?
    let lines: [PriceLineView]
    let total: String
    let deposit: String?

    init(order: OrderView, business: Business, clock: ZoneClock, resources: [ResourceInfo], location: BusinessLocation?) {
        offerName = order.offerName
        businessName = business.name
        when = BookingFormat.span(order.start, order.end, clock)
        startISO = RFC3339.format(order.start)
        zone = business.timeZone
        let kinds = Dictionary(resources.map { ($0.id, $0.kind) }, uniquingKeysWith: { a, _ in a })
        let hosts = order.resources.filter { kinds[$0.id] == .host }.map(\.name)
        let places = order.resources.filter { kinds[$0.id] != .host }.map(\.name)
        withWhom = hosts.isEmpty ? nil : hosts.joined(separator: ", ")
        let placeParts = places + [location?.text].compactMap { $0 }
        place = placeParts.isEmpty ? nil : placeParts.joined(separator: ", ")
        partySize = order.partySize > 1 ? order.partySize : nil
        let currency = order.price.currency
        lines = order.price.lines.map { PriceLineView(label: $0.label, amount: BookingFormat.money($0.amount, currency)) }
        total = BookingFormat.money(order.price.total, currency)
        deposit = order.price.deposit > 0 ? BookingFormat.money(order.price.deposit, currency) : nil
    }
}

/// A location of the business, as customers read it.
struct BusinessLocation: Sendable {
    let name: String
    let address: String
    let text: String

    init(name: String, address: String) {
        self.name = name
        self.address = address
        text = address.isEmpty ? name : "\(name), \(address)"
    }

    init(_ place: Place) { self.init(name: place.name, address: place.address) }
}
