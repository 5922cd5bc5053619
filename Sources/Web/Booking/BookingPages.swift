import BookingCore
import Foundation
import GRDB
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

    // MARK: Loading

    private func business(_ context: RequestContext, _ db: Database) throws -> (Business, ZoneClock) {
        guard let business = try Catalog.business(db, slug: try context.parameter("business")),
              let clock = ZoneClock(identifier: business.timeZone) else {
            throw WebError.notFound("We could not find that business. Check the link you were given.")
        }
        return (business, clock)
    }

    private func offer(_ context: RequestContext, _ db: Database, _ business: Business) throws -> OfferInfo {
        guard let offer = try Catalog.offer(db, businessID: business.id, slug: try context.parameter("offer")), offer.status == "live" else {
            throw BookingFailure.offerNotFound
        }
        return offer
    }

    /// Where a booking takes place: the location of its first booked resource that has one, else
    /// the business's first location (a business with several must not send a customer to the wrong one).
    static func location(_ db: Database, businessID: Int64, orderID: Int64) throws -> BusinessLocation? {
        if let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT l.name, l.address FROM resource_assignments a
            JOIN resources r ON r.business_id = a.business_id AND r.id = a.resource_id
            JOIN locations l ON l.business_id = r.business_id AND l.id = r.location_id
            WHERE a.business_id = ? AND a.order_id = ? ORDER BY a.id LIMIT 1
            """), arguments: [businessID, orderID]) {
            return BusinessLocation(name: row["name"], address: row["address"])
        }
        return try locations(db, businessID: businessID).first
    }

    static func locations(_ db: Database, businessID: Int64) throws -> [BusinessLocation] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT name, address FROM locations WHERE business_id = ? ORDER BY id"),
                         arguments: [businessID]).map { row in
            BusinessLocation(name: row["name"], address: row["address"])
        }
    }

    static func offerPath(_ business: Business, _ offerSlug: String) -> String {
        "/b/\(PercentDecoding.encode(business.slug))/\(PercentDecoding.encode(offerSlug))"
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
        let (business, offers, locations) = try context.app.database.pool.read { db in
            let (business, _) = try self.business(context, db)
            return (business, try Catalog.liveOffers(db, businessID: business.id), try Self.locations(db, businessID: business.id))
        }
        let items = offers.filter { $0.status == "live" }.map { offer in
            BusinessPage.OfferItem(name: offer.name, description: offer.description,
                                   duration: BookingFormat.duration(offer.spec.duration.minMinutes),
                                   price: Self.priceText(offer.spec), url: Self.offerPath(business, offer.slug),
                                   isClass: offer.spec.mode == .class)
        }
        var page = BusinessPage(layout: try context.layout(title: "\(business.name) — book online"), name: business.name,
                                description: business.description, locations: locations, offers: items, hasOffers: !items.isEmpty)
        page.resendURL = "/b/\(PercentDecoding.encode(business.slug))/resend"
        return context.app.page("booking/business", page)
    }

    // MARK: Slots

    func slots(_ context: RequestContext) throws -> Response {
        let query = context.request.query
        return try slotsPage(context, dateText: query["date"], resource: query["resource"].flatMap { $0.isEmpty ? nil : $0 },
                             notice: nil, status: .ok)
    }

    private func slotsPage(_ context: RequestContext, dateText: String?, resource: String?, notice: String?,
                           status: HTTPStatus) throws -> Response {
        let now = context.instant
        let built = try context.app.database.pool.read { db -> SlotsPageParts in
            let (business, clock) = try self.business(context, db)
            let offer = try self.offer(context, db, business)
            let today = clock.local(now).date
            var date = today
            if let dateText {
                guard let parsed = LocalDate(dateText) else {
                    throw WebError.badRequest("That date is not one we understand. Dates look like 2026-12-01 (year, month, day).",
                                              field: "date")
                }
                date = parsed
            }
            let hosts = try Self.hosts(db, business: business, offer: offer)
            if let resource, !hosts.contains(where: { $0.slug == resource }) {
                throw WebError.badRequest("That host does not offer this service. Choose another host, or “Any”.", field: "resource")
            }
            let slots = try AvailabilityReads.slots(db, business: business, offer: offer, from: date, to: date, now: now,
                                                    resourceSlug: resource)
            var next: LocalDate?
            if slots.isEmpty {
                let from = max(date.adding(days: 1), today)
                let ahead = try AvailabilityReads.slots(db, business: business, offer: offer, from: from,
                                                        to: from.adding(days: Self.lookAheadDays - 1), now: now, resourceSlug: resource)
                next = ahead.first.map { clock.local($0.start).date }
            }
            return SlotsPageParts(business: business, clock: clock, offer: offer, today: today, date: date, slots: slots,
                                  hosts: hosts, next: next)
        }
        let page = try makeSlotsPage(context, built, resource: resource, notice: notice)
        var response = context.app.page("booking/slots", page, status: status)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    private struct SlotsPageParts {
        let business: Business
        let clock: ZoneClock
        let offer: OfferInfo
        let today: LocalDate
        let date: LocalDate
        let slots: [AvailabilityReads.SlotView]
        let hosts: [ResourceInfo]
        let next: LocalDate?
    }

    /// Hosts that can serve the offer: resources of kind host picked by one of its components.
    static func hosts(_ db: Database, business: Business, offer: OfferInfo) throws -> [ResourceInfo] {
        let all = try Catalog.resources(db, businessID: business.id)
        return all.filter { resource in
            resource.kind == .host && offer.spec.components.contains { component in
                switch component.selector {
                case .resource(let id): id == resource.id
                case .anyOf(let kind, let tag): kind == .host && (tag.map { resource.tags.contains($0) } ?? true)
                }
            }
        }
    }

    private func makeSlotsPage(_ context: RequestContext, _ parts: SlotsPageParts, resource: String?,
                               notice: String?) throws -> SlotsPage {
        let business = parts.business, offer = parts.offer, clock = parts.clock
        let base = Self.offerPath(business, offer.slug)
        func url(_ date: LocalDate) -> String {
            var pairs = [(name: "date", value: date.description)]
            if let resource { pairs.append((name: "resource", value: resource)) }
            return base + "?" + FormData(pairs: pairs).encoded
        }
        let weekStart = parts.date.adding(days: 1 - parts.date.weekday.rawValue)
        let days = (0..<7).map { offset -> SlotsPage.Day in
            let day = weekStart.adding(days: offset)
            return SlotsPage.Day(weekday: BookingFormat.shortWeekday(day), date: BookingFormat.shortDate(day), url: url(day),
                                 current: day == parts.date, past: day < parts.today)
        }
        let isClass = offer.spec.mode == .class
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
        let hostViews = parts.hosts.map { SlotsPage.Host(slug: $0.slug, name: $0.name, selected: $0.slug == resource) }
        let previousStart = weekStart.adding(days: -7)
        return SlotsPage(
            layout: try context.layout(title: "\(offer.name) — \(business.name)", withForm: true),
            businessName: business.name, businessURL: "/b/\(PercentDecoding.encode(business.slug))", offerName: offer.name,
            offerDescription: offer.description, duration: BookingFormat.duration(offer.spec.duration.minMinutes),
            price: Self.priceText(offer.spec), zone: business.timeZone, dateText: BookingFormat.longDate(parts.date),
            date: parts.date.description, notice: notice, days: days,
            previousWeekURL: previousStart.adding(days: 6) < parts.today ? nil : url(max(previousStart, parts.today)),
            nextWeekURL: url(weekStart.adding(days: 7)), groups: groups, hasSlots: !groups.isEmpty,
            nextAvailableURL: parts.next.map(url), nextAvailableText: parts.next.map(BookingFormat.longDate),
            hosts: hostViews, hasHosts: hostViews.count > 1, anySelected: resource == nil, resource: resource,
            holdURL: base + "/hold", pageURL: base, isClass: isClass, firstStart: parts.slots.first.map { RFC3339.format($0.start) })
    }

    // MARK: Hold

    func hold(_ context: RequestContext) throws -> Response {
        let form = try context.form()
        guard let startText = form["start"], let start = RFC3339.parse(startText) else {
            throw WebError.badRequest("That time could not be read. Go back to the list of times and pick one again.", field: "start")
        }
        let resource = form["resource"].flatMap { $0.isEmpty ? nil : $0 }
        var partySize = 1
        if let text = form["party_size"], !text.isEmpty {
            guard let value = Int(text), (1...1000).contains(value) else {
                throw WebError.badRequest("The number of people must be a whole number, 1 or more.", field: "party_size")
            }
            partySize = value
        }
        let user = try context.currentUser()
        let now = context.instant
        var businessSlug = "", dateText: String?
        do {
            let order = try context.app.database.pool.write { db -> OrderView in
                let (business, clock) = try self.business(context, db)
                businessSlug = business.slug
                dateText = clock.local(start).date.description
                let offer = try self.offer(context, db, business)
                // Bookings.validate needs a name and email now; the real ones replace these at checkout.
                let placeholder = CustomerDetails(name: user?.name ?? "Guest", email: "guest@example.invalid", userID: user?.id)
                let request = BookingRequest(offerSlug: offer.slug, start: start, customer: placeholder, partySize: partySize,
                                             resourceSlugs: resource.map { [$0] } ?? [], source: "web")
                return try Bookings.hold(db, business: business, request: request, now: now, actor: user.map { .user($0.id) } ?? .guest)
            }
            return .redirect(to: "/b/\(PercentDecoding.encode(businessSlug))/checkout/\(PercentDecoding.encode(order.publicID))")
        } catch BookingFailure.slotUnavailable {
            return try slotsPage(context, dateText: dateText, resource: resource, notice: Self.takenSentence, status: .conflict)
        } catch BookingFailure.invalidStart {
            return try slotsPage(context, dateText: dateText, resource: resource,
                                 notice: "That time can no longer be booked. Please pick one of the times below.", status: .unprocessable)
        } catch let failure as BookingFailure {
            throw failure.webError
        }
    }

    // MARK: Checkout

    private struct HoldParts {
        let business: Business
        let clock: ZoneClock
        let order: OrderView
        let summary: OrderSummary
        let policy: String
        let offerURL: String
    }

    private func loadHold(_ context: RequestContext) throws -> HoldParts {
        try context.app.database.pool.read { db in
            let (business, clock) = try self.business(context, db)
            guard let order = try BookingReads.order(db, businessID: business.id, publicID: try context.parameter("hold")) else {
                throw WebError.notFound("We could not find that reservation. Please pick a time again.")
            }
            let spec = try Catalog.offerVersion(db, businessID: business.id, versionID: order.offerVersionID)
            let summary = OrderSummary(order: order, business: business, clock: clock,
                                       resources: try Catalog.resources(db, businessID: business.id),
                                       location: try Self.location(db, businessID: business.id, orderID: order.id))
            return HoldParts(business: business, clock: clock, order: order, summary: summary,
                             policy: BookingFormat.cancellationPolicy(spec?.cancellationTiers ?? []),
                             offerURL: Self.offerPath(business, order.offerSlug) + "?date=" + clock.local(order.start).date.description)
        }
    }

    /// Expired, or already confirmed: a page that explains and offers to pick again (409).
    private func goneResponse(_ context: RequestContext, _ parts: HoldParts) throws -> Response? {
        let order = parts.order
        let expired = order.status == .expired || (order.status == .held && (order.holdExpiresAt ?? 0) <= context.instant)
        let heading: String, message: String
        if expired {
            heading = "Your hold has expired"
            message = "We held this time for you for a few minutes, but the hold ran out before the booking was confirmed, "
                + "so the time was released and nothing was booked. Please pick a time again."
        } else if order.status == .held {
            return nil
        } else {
            heading = "This reservation is no longer open"
            message = "This time was already confirmed or cancelled. Use the link in your confirmation to see the booking, or pick a new time."
        }
        let page = HoldGonePage(layout: try context.layout(title: heading), heading: heading, message: message,
                                offerURL: parts.offerURL, offerName: order.offerName)
        return context.app.page("booking/gone", page, status: .conflict)
    }

    private func checkoutPage(_ context: RequestContext, _ parts: HoldParts, household: [HouseholdMember],
                              chosenMember: String = "") throws -> CheckoutPage {
        let expiry = parts.order.holdExpiresAt ?? context.instant
        return CheckoutPage(
            layout: try context.layout(title: "Check out — \(parts.order.offerName)", withForm: true),
            action: "/b/\(PercentDecoding.encode(parts.business.slug))/checkout/\(PercentDecoding.encode(parts.order.publicID))",
            summary: parts.summary, policy: parts.policy, holdUntil: parts.clock.local(expiry).time.description,
            holdUntilISO: RFC3339.format(expiry), holdLeft: BookingFormat.timeLeft(expiry - context.instant), offerURL: parts.offerURL,
            members: household.map { CheckoutPage.Member(id: String($0.id),
                                                          label: $0.relationship.isEmpty ? $0.name : "\($0.name) (\($0.relationship))",
                                                          checked: chosenMember == String($0.id)) },
            hasMembers: !household.isEmpty, forSelf: !household.contains { chosenMember == String($0.id) })
    }

    /// The signed-in user's household (empty for a guest).
    private func household(_ context: RequestContext, _ user: User?) throws -> [HouseholdMember] {
        guard let user else { return [] }
        return try context.app.database.household(userID: user.id)
    }

    func checkout(_ context: RequestContext) throws -> Response {
        let parts = try loadHold(context)
        if let gone = try goneResponse(context, parts) { return gone }
        let user = try context.currentUser()
        var page = try checkoutPage(context, parts, household: try household(context, user))
        if let user {
            page.name = user.name
            page.email = user.email
        }
        var response = context.app.page("booking/checkout", page)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    func confirm(_ context: RequestContext) throws -> Response {
        let parts = try loadHold(context)
        if let gone = try goneResponse(context, parts) { return gone }
        let form = try context.form()
        var errors = FormErrors()
        let rawName = form["name"] ?? "", rawEmail = form["email"] ?? "", rawPhone = form["phone"] ?? ""
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        let phone = rawPhone.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { errors.add("name", "Enter your name.") } else if name.count > 120 { errors.add("name", "Keep your name to 120 characters or fewer.") }
        let email = Validation.normalizedEmail(rawEmail)
        if rawEmail.trimmingCharacters(in: .whitespaces).isEmpty {
            errors.add("email", "Enter your email address, so we can send you the confirmation.")
        } else if email == nil {
            errors.add("email", "Enter an email address like name@example.com.")
        }
        if phone.count > 40 || !phone.allSatisfy({ $0.isNumber || " +-().".contains($0) }) {
            errors.add("phone", "Enter a phone number using digits, spaces and + - ( ), or leave it empty.")
        }
        let user = try context.currentUser()
        let household = try household(context, user)
        let memberText = (form["household_member"] ?? "").trimmingCharacters(in: .whitespaces)
        var memberID: Int64?
        if !memberText.isEmpty {
            // Only the signed-in user's own household members: anyone else's id is refused, changing nothing.
            if let id = Int64(memberText), household.contains(where: { $0.id == id }) {
                memberID = id
            } else {
                errors.add("household_member", user == nil
                           ? "Log in to book for a member of your household, or book for yourself."
                           : "Choose yourself or one of the household members listed.")
            }
        }
        if errors.isEmpty, let email {
            let customer = CustomerDetails(name: name, email: email, phone: phone, userID: user?.id, householdMemberID: memberID)
            do {
                let confirmed = try context.app.database.pool.write { db in
                    try Bookings.confirm(db, business: parts.business, holdID: parts.order.publicID, customer: customer,
                                         now: context.instant, actor: user.map { .user($0.id) } ?? .guest)
                }
                return .redirect(to: "/bookings/\(PercentDecoding.encode(confirmed.order.publicID))?token="
                                 + PercentDecoding.encode(confirmed.accessToken))
            } catch BookingFailure.holdExpired {
                let page = HoldGonePage(layout: try context.layout(title: "Your hold has expired"), heading: "Your hold has expired",
                                        message: "The hold ran out before the booking was confirmed, so the time was released and nothing was booked. Please pick a time again.",
                                        offerURL: parts.offerURL, offerName: parts.order.offerName)
                return context.app.page("booking/gone", page, status: .conflict)
            } catch BookingFailure.invalid(let field, let message) {
                errors.add(["name", "email", "phone", "household_member"].contains(field) ? field : "name", message.capitalizedFirst + ".")
            } catch let failure as BookingFailure {
                throw failure.webError
            }
        }
        var page = try checkoutPage(context, parts, household: household, chosenMember: memberText)
        page.name = String(rawName.prefix(120))
        page.email = String(rawEmail.prefix(254))
        page.phone = String(rawPhone.prefix(40))
        page.fail(errors)
        return context.app.page("booking/checkout", page, status: .unprocessable)
    }

    // MARK: The booking

    struct BookingParts {
        let business: Business
        let clock: ZoneClock
        let order: OrderView
        let spec: OfferVersionSpec?
        let summary: OrderSummary
        let location: BusinessLocation?
        let refunded: Int64
        /// The household member the booking is for, when not the customer themself.
        let memberName: String?
    }

    /// The booking when `token` matches or the signed-in user is its customer; 404 otherwise.
    func loadBooking(_ context: RequestContext, token: String?) throws -> (BookingParts, User?) {
        let user = try context.currentUser()
        let notFound = WebError.notFound("We could not find that booking. Open it from the link in your confirmation, or log in to the account you booked with.")
        let parts = try context.app.database.pool.read { db -> BookingParts in
            guard let order = try BookingReads.order(db, publicID: try context.parameter("id")),
                  let business = try Catalog.business(db, id: order.businessID),
                  let clock = ZoneClock(identifier: business.timeZone) else { throw notFound }
            var allowed = false
            if let token, !token.isEmpty, try BookingReads.tokenMatches(db, businessID: business.id, publicID: order.publicID, token: token) {
                allowed = true
            }
            if let user, let owner = order.customer.userID, owner == user.id { allowed = true }
            guard allowed else { throw notFound }
            let location = try Self.location(db, businessID: business.id, orderID: order.id)
            let refunded = try Int64.fetchOne(db, sql: """
                SELECT COALESCE(-SUM(amount), 0) FROM ledger_entries WHERE business_id = ? AND order_id = ? AND kind = 'refund'
                """, arguments: [business.id, order.id]) ?? 0
            return BookingParts(business: business, clock: clock, order: order,
                                spec: try Catalog.offerVersion(db, businessID: business.id, versionID: order.offerVersionID),
                                summary: OrderSummary(order: order, business: business, clock: clock,
                                                      resources: try Catalog.resources(db, businessID: business.id), location: location),
                                location: location, refunded: refunded,
                                memberName: try order.customer.householdMemberID.flatMap {
                                    try BookingReads.householdMemberNames(db, ids: [$0])[$0]
                                })
        }
        return (parts, user)
    }

    func booking(_ context: RequestContext) throws -> Response {
        let token = context.request.query["token"]
        let (parts, _) = try loadBooking(context, token: token)
        let order = parts.order
        let currency = order.price.currency
        let tiers = parts.spec?.cancellationTiers ?? []
        let refund = Policies.refund(paid: order.paid, start: order.start, now: context.instant, tiers: tiers)
        let refundNow = order.paid == 0
            ? "Nothing has been paid, so there is nothing to refund."
            : "If you cancel now you get \(BookingFormat.money(refund.amount, currency)) back (\(refund.percent) % of the \(BookingFormat.money(order.paid, currency)) paid)."
        let id = PercentDecoding.encode(order.publicID)
        let tokenQuery = token.flatMap { $0.isEmpty ? nil : "?token=" + PercentDecoding.encode($0) } ?? ""
        let rescheduleRefusal = parts.spec.map { Bookings.customerRescheduleRefusal(order: order, spec: $0, now: context.instant) }
            ?? "This booking can no longer be moved."
        let page = BookingPage(
            layout: try context.layout(title: "\(order.offerName) — \(parts.business.name)", withForm: true),
            id: order.publicID, summary: parts.summary, status: BookingFormat.status(order.status),
            isCancelled: order.status == .cancelled,
            refundGiven: order.status == .cancelled
                ? (parts.refunded > 0 ? "You were refunded \(BookingFormat.money(parts.refunded, currency))." : "No refund was due.") : nil,
            customerName: order.customer.name, customerEmail: order.customer.email, memberName: parts.memberName,
            policy: BookingFormat.cancellationPolicy(tiers), icsURL: "/bookings/\(id).ics\(tokenQuery)",
            canCancel: order.status.canMove(to: .cancelled) && order.status != .held && order.end > context.instant,
            cancelAction: "/bookings/\(id)/cancel", token: token.flatMap { $0.isEmpty ? nil : $0 }, refundNow: refundNow,
            bookAgainURL: Self.offerPath(parts.business, order.offerSlug),
            rescheduleURL: rescheduleRefusal == nil ? "/bookings/\(id)/reschedule\(tokenQuery)" : nil,
            rescheduleRefusal: order.status == .cancelled ? nil : rescheduleRefusal,
            movedNotice: context.request.query["done"] == "moved" ? "Your booking was moved to the new time, and the old time was released." : nil)
        var response = context.app.page("booking/booking", page)
        response.headers.set("Cache-Control", "no-store")
        response.headers.set("Referrer-Policy", "no-referrer")
        return response
    }

    func cancel(_ context: RequestContext) throws -> Response {
        let form = try context.form()
        let token = form["token"].flatMap { $0.isEmpty ? nil : $0 }
        let (parts, user) = try loadBooking(context, token: token)
        let owner = user.flatMap { user in parts.order.customer.userID == user.id ? user : nil }
        _ = try context.write { db in
            try Bookings.cancel(db, business: parts.business, publicID: parts.order.publicID, reason: "Cancelled by the customer",
                                now: context.instant, actor: owner.map { .user($0.id) } ?? .guest)
        }
        let id = PercentDecoding.encode(parts.order.publicID)
        return .redirect(to: "/bookings/\(id)" + (token.map { "?token=" + PercentDecoding.encode($0) } ?? ""))
    }

    func calendar(_ context: RequestContext) throws -> Response {
        let (parts, _) = try loadBooking(context, token: context.request.query["token"])
        let revision = try context.app.database.pool.read {
            try BookingReads.revision($0, businessID: parts.business.id, orderID: parts.order.id)
        }
        let text = BookingICS.event(order: parts.order, business: parts.business, location: parts.summary.place ?? "",
                                    sequence: revision, now: context.instant)
        var response = Response(status: .ok, headers: Headers([("Content-Type", "text/calendar; charset=utf-8")]),
                                body: Array(text.utf8))
        response.headers.set("Content-Disposition", "attachment; filename=\"booking-\(parts.order.publicID).ics\"")
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    // MARK: Account

    func accountBookings(_ context: RequestContext) throws -> Response {
        let user = try context.requireUser()
        let now = context.instant
        let (rows, members) = try context.app.database.pool.read { db in
            let rows = try BookingReads.forCustomer(db, userID: user.id)
            return (rows, try BookingReads.householdMemberNames(db, ids: rows.compactMap(\.order.customer.householdMemberID)))
        }
        var upcoming: [AccountBookingsPage.Item] = [], past: [AccountBookingsPage.Item] = []
        for (business, order) in rows {
            guard let clock = ZoneClock(identifier: business.timeZone) else { continue }
            let item = AccountBookingsPage.Item(url: "/bookings/\(PercentDecoding.encode(order.publicID))", offerName: order.offerName,
                                                businessName: business.name, when: BookingFormat.span(order.start, order.end, clock)
                                                    + " (\(business.timeZone))",
                                                status: BookingFormat.status(order.status),
                                                forName: order.customer.householdMemberID.flatMap { members[$0] })
            if order.end > now { upcoming.append(item) } else { past.append(item) }
        }
        upcoming.reverse()   // soonest first
        let page = AccountBookingsPage(layout: try context.layout(title: "Your bookings — Bizing"), upcoming: upcoming, past: past,
                                       hasUpcoming: !upcoming.isEmpty, hasPast: !past.isEmpty)
        return context.app.page("booking/account", page)
    }
}
