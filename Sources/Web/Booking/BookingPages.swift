import BookingCore
import Foundation
import HTTPServer
import Store

extension App {
    /// The customer booking pages (CONTRACT.md "Customer booking"): browse, slots, hold, checkout,
    /// the booking itself (token or owner), its calendar file, and the account's bookings.
    static func addBookingPageRoutes(to table: inout RouteTable) {
        let pages = BookingPages()
        table.add("GET", "/b/:business", pages.business)
        table.add("GET", "/b/:business/:offer", pages.slots)
        table.add("POST", "/b/:business/:offer/hold", pages.hold)
        table.add("GET", "/b/:business/checkout/:hold", pages.checkout)
        table.add("POST", "/b/:business/checkout/:hold", pages.confirm)
        table.add("GET", "/bookings/:id", pages.booking)
        table.add("GET", "/bookings/:id.ics", pages.calendar)
        table.add("POST", "/bookings/:id/cancel", pages.cancel)
        table.add("GET", "/bookings/:id/reschedule", pages.reschedulePage)
        table.add("POST", "/bookings/:id/reschedule", pages.reschedule)
        table.add("GET", "/account/bookings", requires: .signedIn, pages.accountBookings)
    }
}

struct BookingPages: Sendable {
    static let lookAheadDays = 60
    static let takenSentence = "Sorry, that time was just taken by someone else. Here are the times still free."

    static func offerPath(_ business: Business, _ offerSlug: String) -> String {
        "/b/\(PercentDecoding.encode(business.slug))/\(PercentDecoding.encode(offerSlug))"
    }

    /// The price of `minutes` at `start` for a variable-duration offer ("45.00 for 1 hour 30 min"),
    /// else the offer's price as usual. Per-hour prices follow the length.
    static func priceText(_ spec: OfferVersionSpec, minutes: Int, at start: Instant, now: Instant, clock: ZoneClock) -> String {
        guard spec.duration.isVariable else { return priceText(spec) }
        let quote = Pricing.quote(spec, start: start, end: start + Int64(minutes) * 60, partySize: 1, now: now, timeZone: clock.timeZone)
        let perPerson = if case .perPerson = spec.price { " per person" } else { "" }
        return BookingFormat.money(quote.total, quote.currency) + perPerson + " for " + BookingFormat.duration(minutes)
    }

    static func priceText(_ spec: OfferVersionSpec) -> String {
        switch spec.price {
        case .fixed(let money): BookingFormat.money(money.minorUnits, money.currency)
        case .perPerson(let money): BookingFormat.money(money.minorUnits, money.currency) + " per person"
        case .hourly(let rate, _, _): BookingFormat.money(rate.minorUnits, rate.currency) + " per hour"
        }
    }

    // MARK: Business

    func business(_ context: RequestContext) throws -> Response {
        let found = try context.app.database.publicBusiness(slug: try context.parameter("business"))
        let business = found.business, offers = found.offers
        let locations = found.locations.map(BusinessLocation.init)
        let items = offers.filter { $0.status == .live }.map { offer in
            BusinessPage.OfferItem(name: offer.name, description: offer.description,
                                   duration: BookingFormat.duration(offer.spec.duration.minMinutes),
                                   price: Self.priceText(offer.spec), url: Self.offerPath(business, offer.slug),
                                   isClass: offer.spec.mode == .class)
        }
        var page = BusinessPage(layout: try context.layout(title: "\(business.name) — book online"), name: business.name,
                                description: business.description, locations: locations, offers: items, hasOffers: !items.isEmpty)
        page.resendURL = "/b/\(PercentDecoding.encode(business.slug))/resend"
        if try !context.app.database.packages(businessID: business.id).isEmpty
            || !context.app.database.giftCardProducts(businessID: business.id).isEmpty {
            page.productsURL = PurchasePages.productsPath(business)
        }
        return context.app.page("booking/business", page)
    }

    // MARK: Slots

    func slots(_ context: RequestContext) throws -> Response {
        let query = context.request.query
        if let rental = try RentalPages().page(context, pickUp: nil, returnDate: nil) { return rental }
        return try slotsPage(context, dateText: query["date"], resource: query["resource"].flatMap { $0.isEmpty ? nil : $0 },
                             notice: nil, status: .ok, duration: try Self.chosenDuration(query["duration"]))
    }

    /// The length a customer chose for a variable-duration offer (`duration`, whole minutes); nil
    /// for none. Whether the offer allows it is the API's rule, checked with the offer.
    static func chosenDuration(_ text: String?) throws -> Int? {
        guard let text, !text.isEmpty else { return nil }
        guard text.count <= 7, let minutes = Int(text), minutes > 0 else {
            throw WebError.badRequest("That length could not be read. Choose one of the lengths offered.", field: "duration")
        }
        return minutes
    }

    private func slotsPage(_ context: RequestContext, dateText: String?, resource: String?, notice: String?,
                           status: HTTPStatus, around start: Instant? = nil, duration: Int? = nil) throws -> Response {
        var day = DayChoice.today
        if let start {
            day = .dayOf(start)
        } else if let dateText {
            guard let parsed = LocalDate(dateText) else {
                throw WebError.badRequest("That date is not one we understand. Dates look like 2026-12-01 (year, month, day).",
                                          field: "date")
            }
            day = .date(parsed)
        }
        let parts: OfferDay
        do {
            parts = try context.app.database.offerDay(businessSlug: try context.parameter("business"), offerSlug: try context.parameter("offer"),
                                                      day: day, hostSlug: resource, now: context.instant, lookAheadDays: Self.lookAheadDays,
                                                      durationMinutes: duration)
        } catch BookingFailure.hostNotOffered {
            throw WebError.badRequest("That host does not offer this service. Choose another host, or “Any”.", field: "resource")
        } catch BookingFailure.soldAsProgram(let slug) {
            return .redirect(to: "/b/\(PercentDecoding.encode(try context.parameter("business")))/programs/\(PercentDecoding.encode(slug))")
        } catch BookingFailure.invalid("duration", _) {
            throw WebError.badRequest("That length is not offered for this service. Choose one of the lengths offered.", field: "duration")
        }
        let (page, csrf) = try makeSlotsPage(context, parts, resource: resource, notice: notice, duration: duration)
        // Rendered once per distinct page (`RenderedPages`): the visitor's token is joined in.
        let html = context.app.offerPages.html("booking/slots", page, csrf: csrf) { context.app.templates.render("booking/slots", $0) }
        var response = Response.html(html, status: status)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    private func makeSlotsPage(_ context: RequestContext, _ parts: OfferDay, resource: String?,
                               notice: String?, duration: Int?) throws -> (page: SlotsPage, csrf: String) {
        let business = parts.business, offer = parts.offer, clock = parts.clock
        let base = Self.offerPath(business, offer.slug)
        let minutes = offer.spec.duration.resolve(duration) ?? offer.spec.duration.minMinutes
        func url(_ date: LocalDate) -> String {
            var pairs = [(name: "date", value: date.description)]
            if let resource { pairs.append((name: "resource", value: resource)) }
            if let duration { pairs.append((name: "duration", value: String(duration))) }
            return base + "?" + FormData(pairs: pairs).encoded
        }
        let weekStart = parts.date.mondayOfWeek
        let days = (0..<7).map { offset -> SlotsPage.Day in
            let day = weekStart.adding(days: offset)
            return SlotsPage.Day(weekday: BookingFormat.shortWeekday(day), date: BookingFormat.shortDate(day), url: url(day),
                                 current: day == parts.date, past: day < parts.today)
        }
        let isClass = offer.spec.mode == .class
        var layout = try context.layout(title: "\(offer.name) — \(business.name)", withForm: true)
        // The page is kept whole with a marker for the visitor's token (`RenderedPages`).
        let csrf = layout.csrf
        layout.csrf = RenderedPages.marker
        let key = RenderedSlotLists.Key(slots: parts.slots, date: parts.date, zone: business.timeZone, isClass: isClass, holdURL: base + "/hold",
                                        resource: resource, chosenDuration: duration.map(String.init))
        // Rendered only when this list was not kept already.
        let slotListHTML = context.app.slotLists.html("booking/slot-list", key, csrf: layout.csrf) { _ in
            var morning: [SlotsPage.Slot] = [], afternoon: [SlotsPage.Slot] = [], evening: [SlotsPage.Slot] = []
            for (index, slot) in parts.slots.enumerated() {
                let time = clock.local(slot.start).time
                let seats = isClass ? slot.seatsLeft : nil
                let view = SlotsPage.Slot(
                    time: time.description, start: RFC3339.format(slot.start), seatsLeft: seats,
                    seatsText: seats.map { $0 == 1 ? "1 place left" : "\($0) places left" }, partyID: "party-\(index)", isClass: isClass,
                    label: "Book \(time.description) on \(BookingFormat.longDate(parts.date))")
                if time.minutes < 12 * 60 { morning.append(view) } else if time.minutes < 17 * 60 { afternoon.append(view) } else { evening.append(view) }
            }
            let groups = [("Morning", "morning", morning), ("Afternoon", "afternoon", afternoon), ("Evening", "evening", evening)]
                .filter { !$0.2.isEmpty }.map { SlotsPage.Group(heading: $0.0, id: $0.1, slots: $0.2) }
            return context.app.templates.render("booking/slot-list", RenderedSlotLists.Model(
                groups: groups, holdURL: key.holdURL, resource: resource, chosenDuration: key.chosenDuration, csrf: RenderedSlotLists.marker))
        }
        let hostViews = parts.hosts.map { SlotsPage.Host(slug: $0.slug, name: $0.name, selected: $0.slug == resource) }
        let previousStart = weekStart.adding(days: -7)
        var page = SlotsPage(
            layout: layout,
            businessName: business.name, businessURL: "/b/\(PercentDecoding.encode(business.slug))", offerName: offer.name,
            offerDescription: offer.description, duration: BookingFormat.duration(minutes),
            price: Self.priceText(offer.spec, minutes: minutes, at: parts.slots.first?.start ?? context.instant, now: context.instant,
                                  clock: clock), zone: business.timeZone, dateText: BookingFormat.longDate(parts.date),
            date: parts.date.description, notice: notice, days: days,
            previousWeekURL: previousStart.adding(days: 6) < parts.today ? nil : url(max(previousStart, parts.today)),
            nextWeekURL: url(weekStart.adding(days: 7)), slotListHTML: slotListHTML, hasSlots: !parts.slots.isEmpty,
            emptyReason: parts.closureNote.map { $0.isEmpty ? "Closed on this day" : "Closed: \($0)" } ?? parts.emptyDay.map(BookingFormat.emptyDay), fullyBooked: parts.emptyDay == .fullyBooked,
            weekEmpty: !parts.weekHasTimes,
            nextAvailableURL: parts.next.map(url), nextAvailableText: parts.next.map(BookingFormat.longDate),
            hosts: hostViews, hasHosts: hostViews.count > 1, anySelected: resource == nil, resource: resource,
            holdURL: base + "/hold", pageURL: base, isClass: isClass, firstStart: parts.slots.first.map { RFC3339.format($0.start) })
        page.full = parts.fullStarts.enumerated().map { index, start in
            SlotsPage.FullStart(time: clock.local(start).time.description, start: RFC3339.format(start), id: "wl-\(index)")
        }
        page.waitlistURL = base + "/waitlist"
        if offer.spec.duration.isVariable {
            page.lengths = offer.spec.duration.choices().map {
                Option(value: String($0), label: BookingFormat.duration($0), selected: $0 == minutes)
            }
            page.hasLengths = true
            page.chosenDuration = duration.map(String.init)
        }
        if let user = try context.currentUser() { page.customerName = user.name; page.customerEmail = user.email }
        return (page, csrf)
    }

    // MARK: Hold

    func hold(_ context: RequestContext) throws -> Response {
        let form = try context.form()
        if form["pick_up"] != nil || form["return"] != nil { return try RentalPages().hold(context, form: form) }
        guard let startText = form["start"], let start = RFC3339.parse(startText) else {
            throw WebError.badRequest("That time could not be read. Go back to the list of times and pick one again.", field: "start")
        }
        let resource = form["resource"].flatMap { $0.isEmpty ? nil : $0 }
        let duration = try Self.chosenDuration(form["duration"])
        var partySize = 1
        if let text = form["party_size"], !text.isEmpty {
            guard let value = Int(text), (1...1000).contains(value) else {
                throw WebError.badRequest("The number of people must be a whole number, 1 or more.", field: "party_size")
            }
            partySize = value
        }
        let user = try context.currentUser()
        do {
            // A hold needs no contact details yet: checkout asks for them.
            let customer = CustomerDetails(name: user?.name ?? "", email: user?.email ?? "", userID: user?.id)
            let request = BookingRequest(offerSlug: try context.parameter("offer"), start: start, customer: customer, partySize: partySize,
                                         resourceSlugs: resource.map { [$0] } ?? [], durationMinutes: duration, source: "web",
                                         contactRequired: false)
            let (business, order) = try context.app.database.hold(businessSlug: try context.parameter("business"), request: request,
                                                                  now: context.instant, actor: user.map { .user($0.id) } ?? .guest,
                                                                  visitor: context.visitor(user))
            return .redirect(to: "/b/\(PercentDecoding.encode(business.slug))/checkout/\(PercentDecoding.encode(order.publicID))")
        } catch BookingFailure.slotUnavailable {
            return try slotsPage(context, dateText: nil, resource: resource, notice: Self.takenSentence, status: .conflict, around: start,
                                 duration: duration)
        } catch BookingFailure.invalidStart(let reasons) {
            return try slotsPage(context, dateText: nil, resource: resource,
                                 notice: reasons.contains(.invalidDuration)
                                    ? "That length is not offered for this service. Please choose one of the lengths offered."
                                    : "That time can no longer be booked. Please pick one of the times below.", status: .unprocessable,
                                 around: start, duration: reasons.contains(.invalidDuration) ? nil : duration)
        }
    }
}
