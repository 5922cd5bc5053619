import BookingCore
import Store

/// How pages and the API say why a start is not bookable: one sentence per reason.
enum ExplainWords {
    /// "Blocked by time off “Dentist” 14:00–15:00". With `namesHolder` false, a booking is only
    /// "taken" (the front desk learns that a time is taken, not by whom); with `showsNotes` false
    /// (viewers without the calendar, such as a client's API key), time off is not named either.
    static func sentence(_ reason: ExplainedReason, clock: ZoneClock, day: LocalDate, namesHolder: Bool,
                         showsNotes: Bool = true) -> String {
        switch reason.detail.cause {
        case .noHours(let date, let closedDate):
            if let note = reason.closure { return note.isEmpty ? "The business is closed that day" : "The business is closed: \(note)" }
            return closedDate ? "Closed on \(HumanTime.longDate(date))" : "Closed on \(HumanTime.weekdays[date.weekday.rawValue - 1])s"
        case .hours(_, let open):
            guard !open.isEmpty else { return "No opening hours cover this time" }
            return "Outside opening hours (" + open.map { "\($0.opens)–\($0.closes)" }.joined(separator: ", ") + ")"
        case .offerHours(let date, let open):
            guard !open.isEmpty else { return "Not offered on \(HumanTime.weekdays[date.weekday.rawValue - 1])s" }
            return "Outside this service's hours (" + open.map { "\($0.opens)–\($0.closes)" }.joined(separator: ", ") + ")"
        case .blockedTime(let range):
            let what = reason.timeOff.map { note -> String in
                let kind = note.source == .timeOff ? "time off" : "a blackout"
                return note.note.isEmpty || !showsNotes ? kind : "\(kind) “\(note.note)”"
            } ?? "time off"
            let span = span(range, clock: clock, day: day)
            return reason.code == .buffer ? "The buffer reaches \(what) \(span)" : "Blocked by \(what) \(span)"
        case .booking(let entry):
            guard namesHolder, let booking = reason.booking else {
                return reason.code == .buffer ? "Too close to another booking (buffer)" : "Taken"
            }
            let label = booking.sensitive ? "Appointment" : booking.offerName
            let span = span(entry.service, clock: clock, day: day)
            return reason.code == .buffer ? "Too close to the booking \(label) \(span) (buffer)" : "Taken by the booking \(label) \(span)"
        case .dailyLimit(let max, let booked):
            return "Daily limit reached (\(booked) of \(max) bookings)"
        case .rest(let minutes, let entry):
            let between = namesHolder && reason.booking != nil ? "after or before the booking \(span(entry.service, clock: clock, day: day))" : "between bookings"
            return "Needs \(HumanTime.lead(minutes: minutes)) of rest \(between)"
        case .notice(let minutes, let earliest):
            return "Too soon: bookings need \(HumanTime.lead(minutes: minutes)) notice (bookable from \(moment(earliest, clock: clock, day: day)))"
        case .advance(let days, let latest):
            return "Too far ahead: bookable up to \(days == 1 ? "1 day" : "\(days) days") ahead (until \(moment(latest, clock: clock, day: day)))"
        case .grid(let minutes):
            return minutes == 0 ? "Not a session start" : "Not a start time (starts every \(HumanTime.lead(minutes: minutes)))"
        case .duration:
            return "This duration is not offered"
        case .seats(let seats, let left, let party):
            return "Not enough seats: \(left) of \(seats) left, \(party) wanted"
        case .noResource(let requested):
            return requested ? "That resource does not serve this offer" : "Not enough resources can serve it at once"
        }
    }

    /// "14:00–15:00" on `day`, the full span otherwise.
    static func span(_ range: TimeRange, clock: ZoneClock, day: LocalDate) -> String {
        let from = clock.local(range.start), to = clock.local(range.end)
        if from.date == day && to.date == day { return "\(from.time)–\(to.time)" }
        return HumanTime.span(range.start, range.end, clock)
    }

    /// "15:00" on `day`, "Tuesday 6 January 2026, 15:00" otherwise.
    static func moment(_ instant: Instant, clock: ZoneClock, day: LocalDate) -> String {
        let local = clock.local(instant)
        return local.date == day ? "\(local.time)" : "\(HumanTime.longDate(local.date)), \(local.time)"
    }
}
