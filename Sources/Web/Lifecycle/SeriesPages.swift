import BookingCore
import Foundation
import HTTPServer
import Store

/// `/b/{business}/{offer}/series`: book the same time every week (or every N weeks) in one go. The
/// customer picks a first time of a day, how often and how many (or until when); the next page
/// lists the dates that will be booked and those that cannot be had (skipped), and only the
/// confirmation books them, all in one transaction.
struct SeriesPages: Sendable {
    struct Option: Sendable {
        let value: String
        let label: String
        let selected: Bool
    }

    struct Line: Sendable {
        let when: String
        let reason: String?
    }

    struct Page: Sendable {
        let layout: Layout
        let businessName: String
        let offerName: String
        let offerURL: String
        let action: String
        let date: String
        let starts: [Option]
        let hasStarts: Bool
        var interval = "1"
        var count = "10"
        var until = ""
        var name = ""
        var email = ""
        var phone = ""
        var preview: [Line] = []
        var skipped: [Line] = []
        var previewing = false
        var booked = false
        var hasSkipped = false
        var bookCount = 0
        var hasBookings = false
        /// The booked series' own page (its occurrences, to move or cancel).
        var seriesURL: String?
    }

    private func base(_ context: RequestContext) throws -> (business: String, offer: String, path: String) {
        let business = try context.parameter("business"), offer = try context.parameter("offer")
        return (business, offer, "/b/\(PercentDecoding.encode(business))/\(PercentDecoding.encode(offer))")
    }

    private func page(_ context: RequestContext, date: LocalDate?, chosen: Instant?) throws -> (Page, ZoneClock) {
        let (business, offer, path) = try base(context)
        let day: DayChoice = chosen.map { .dayOf($0) } ?? date.map { .date($0) } ?? .today
        let parts = try context.app.database.offerDay(businessSlug: business, offerSlug: offer, day: day, hostSlug: nil,
                                                      now: context.instant, lookAheadDays: 1)
        let starts = parts.slots.map { slot in
            Option(value: RFC3339.format(slot.start), label: parts.clock.local(slot.start).time.description, selected: slot.start == chosen)
        }
        var page = Page(layout: try context.layout(title: "Book every week — \(parts.offer.name)", withForm: true),
                        businessName: parts.business.name, offerName: parts.offer.name, offerURL: path + "?date=\(parts.date)",
                        action: path + "/series", date: BookingFormat.longDate(parts.date), starts: starts, hasStarts: !starts.isEmpty)
        if let user = try context.currentUser() { page.name = user.name; page.email = user.email }
        return (page, parts.clock)
    }

    func show(_ context: RequestContext) throws -> Response {
        let date = try context.request.query["date"].map { try Validation.date($0, field: "date") }
        return context.app.page("booking/series", try page(context, date: date, chosen: nil).0)
    }

    func submit(_ context: RequestContext) throws -> Response {
        let form = try context.form()
        guard let start = form["start"].flatMap(RFC3339.parse) else {
            throw WebError.badRequest("Choose the first time from the list.", field: "start")
        }
        var (model, clock) = try page(context, date: nil, chosen: start)
        model.interval = String((form["interval"] ?? "1").prefix(4))
        model.count = String((form["count"] ?? "").prefix(4))
        model.until = String((form["until"] ?? "").prefix(10))
        model.name = (form["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        model.email = (form["email"] ?? "").trimmingCharacters(in: .whitespaces)
        model.phone = (form["phone"] ?? "").trimmingCharacters(in: .whitespaces)
        guard let interval = Int(model.interval), (1...SeriesRule.maximumIntervalWeeks).contains(interval) else {
            throw WebError.unprocessable("validation_failed", "Repeat every 1 to \(SeriesRule.maximumIntervalWeeks) weeks.", field: "interval")
        }
        let end: SeriesRule.End
        if !model.until.isEmpty {
            end = .until(try Validation.date(model.until, field: "until"))
        } else if let count = Int(model.count) {
            end = .count(count)
        } else {
            throw WebError.unprocessable("validation_failed", "Give how many times, or the last date.", field: "count")
        }
        let user = try context.currentUser()
        let request = SeriesRequest(
            booking: BookingRequest(offerSlug: try base(context).offer, start: start,
                                    customer: CustomerDetails(name: model.name, email: Validation.normalizedEmail(model.email) ?? model.email,
                                                              phone: model.phone, userID: user?.id),
                                    source: "web"),
            rule: SeriesRule(intervalWeeks: interval, end: end), skipConflicts: true)
        let confirming = form["confirm"] == "1"
        let (business, result) = try context.app.database.bookSeries(businessSlug: try base(context).business, request: request,
                                                                     now: context.instant, actor: user.map { .user($0.id) } ?? .guest,
                                                                     preview: !confirming)
        if confirming, !result.id.isEmpty {
            var url = "/b/\(PercentDecoding.encode(business.slug))/series/\(PercentDecoding.encode(result.id))"
            if user == nil, let first = result.bookings.first, let token = result.firstToken {
                url += "?booking=" + PercentDecoding.encode(first.publicID) + "&token=" + PercentDecoding.encode(token)
            }
            model.seriesURL = url
        }
        func when(_ instant: Instant) -> String {
            let local = clock.local(instant)
            return "\(BookingFormat.longDate(local.date)) at \(local.time)"
        }
        model.preview = result.bookings.map { Line(when: when($0.start), reason: nil) }
        model.skipped = result.skipped.map { Line(when: when($0.start), reason: BookingFailure.explain([UnavailableReason(rawValue: $0.reason) ?? .taken])) }
        model.hasSkipped = !model.skipped.isEmpty
        model.bookCount = result.bookings.count
        model.hasBookings = !result.bookings.isEmpty
        model.previewing = !confirming
        model.booked = confirming
        var response = context.app.page("booking/series", model, status: confirming ? .created : .ok)
        response.headers.set("Cache-Control", "no-store")
        return response
    }
}
