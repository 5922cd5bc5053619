import BookingCore
import Crypto
public import Foundation
import GRDB

/// Booking writes. Each public function runs inside the caller's write transaction: the availability
/// check and the inserts happen in one transaction, so no resource is ever given overlapping time
/// beyond its capacity, whatever the concurrency (SQLite has one writer at a time).
public enum Bookings {
    /// Holds a start: an order in status `held` that blocks the slot until `hold minutes` pass.
    static func hold(_ db: Database, business: Business, request: BookingRequest, now: Instant,
                            actor: Actor) throws -> OrderView {
        let held = try create(db, business: business, request: request, now: now, actor: actor, confirm: false).order
        guard let redemption = request.redeem else { return held }
        return try Redemptions.apply(db, business: business, order: held, redemption, now: now, actor: actor)
    }

    /// Books at once (checked and confirmed in one transaction). Returns the order and the guest
    /// access token (shown once; only its hash is stored). `noticeWaiver` (staff walk-ins only)
    /// lifts the offer's minimum notice and nothing else.
    static func book(_ db: Database, business: Business, request: BookingRequest, now: Instant,
                            actor: Actor, noticeWaiver: NoticeWaiver? = nil,
                            emailCustomer: Bool = true) throws -> (order: OrderView, accessToken: String) {
        if let redemption = request.redeem {
            // Held, redeemed and confirmed in this one transaction: the confirmation (its email and
            // events) carries the discounted price, and a refused redemption books nothing.
            let held = try create(db, business: business, request: request, now: now, actor: actor, confirm: false,
                                  noticeWaiver: noticeWaiver).order
            let redeemed = try Redemptions.apply(db, business: business, order: held, redemption, now: now, actor: actor)
            return try confirm(db, business: business, holdID: redeemed.publicID, now: now, actor: actor)
        }
        let created = try create(db, business: business, request: request, now: now, actor: actor, confirm: true,
                                 noticeWaiver: noticeWaiver, emailCustomer: emailCustomer)
        return (created.order, created.token ?? "")
    }

    /// Holds a freed place for a waiting customer until `expiry` (the waitlist's offer time, not the
    /// offer's hold minutes). Called by the waitlist's promotion, inside the release's transaction.
    static func holdForWaitlist(_ db: Database, business: Business, request: BookingRequest, expiry: Instant,
                                now: Instant) throws -> OrderView {
        try create(db, business: business, request: request, now: now, actor: .system, confirm: false, holdExpiry: expiry,
                   settlingWaitlist: false).order
    }

    private static func create(_ db: Database, business: Business, request: BookingRequest, now: Instant, actor: Actor,
                               confirm: Bool, noticeWaiver: NoticeWaiver? = nil, holdExpiry: Instant? = nil,
                               settlingWaitlist: Bool = true, emailCustomer: Bool = true) throws -> (order: OrderView, token: String?) {
        let draft = try self.draft(db, business: business, request: request, now: now, actor: actor, confirm: confirm,
                                   noticeWaiver: noticeWaiver, holdExpiry: holdExpiry, waitlist: settlingWaitlist ? .settle : .skip,
                                   emailCustomer: emailCustomer)
        let orderID = try insert(db, draft)
        guard let order = try BookingReads.order(db, businessID: business.id, orderID: orderID) else { throw BookingFailure.orderNotFound }
        return (order, draft.token)
    }

    /// A new order worked out in full — offer, spec, the engine's slot, price, identifiers, token hash,
    /// encoded price and audit details — before anything is written: `insert` only writes it. A
    /// booking through `AppDatabase.book` makes its draft in a read transaction, outside the writer's
    /// serial section, and the writer commits it after `stillFree` (or books afresh when it is not).
    struct Draft: Sendable {
        let business: Business
        let offer: OfferInfo
        let spec: OfferVersionSpec
        let request: BookingRequest
        let slot: Slot
        let price: PriceBreakdown
        let priceJSON: String
        let status: BookingStatus
        let holdExpiresAt: Instant?
        let token: String?
        let tokenHash: Data?
        let publicID: String
        let answers: String
        let units: Int
        let actor: Actor
        let now: Instant
        let confirm: Bool
        let emailCustomer: Bool
        let auditDetails: String
        /// `businesses.schedule_version` the slot was found at (rules, overlays, blocked time, resources).
        let scheduleVersion: Int64
        /// The slot's resources as the answer shows them, read with the draft (outside the writer
        /// only; a rename or a new slug changes `schedule_version`, so `stillFree` sees it).
        var assigned: [OrderView.AssignedResource]? = nil
        /// The messages the booking writes (`Outbox.createdMessages`), worked out with the draft outside
        /// the writer, so the writer only inserts them; nil inside it (written by `Outbox.bookingCreated`).
        var messages: [Outbox.Message]? = nil

        /// The order this draft writes, as `BookingReads.order` would read it back after the commit:
        /// everything in it is the draft's own (the offer's slug and name are rechecked by
        /// `stillFree`); nil when the resources were not read with the draft. A test compares the
        /// two for every kind of booking the draft makes.
        func order(id: BookingID) throws -> OrderView? {
            guard let assigned else { return nil }
            let customer = request.customer
            var order = OrderView(
                id: id, publicID: publicID, businessID: business.id, offerID: offer.id, offerSlug: offer.slug, offerName: offer.name,
                offerVersionID: offer.versionID, status: status, start: slot.start, end: slot.end, resources: assigned,
                partySize: request.partySize,
                customer: CustomerDetails(name: customer.name, email: customer.email, phone: customer.phone, userID: customer.userID,
                                          householdMemberID: customer.householdMemberID, notes: customer.notes),
                price: price, holdExpiresAt: holdExpiresAt, source: request.source, createdAt: now, cancelReason: "", paid: 0,
                refunded: 0, paymentDue: 0)
            order.answers = try IntakeAnswers.decode(answers)
            return order
        }
    }

    /// The slot's resources in the order `assign` writes them (each once), with their slugs and names.
    static func assignedResources(_ db: Database, businessID: BusinessID, slot: Slot) throws -> [OrderView.AssignedResource] {
        var out: [OrderView.AssignedResource] = []
        for assignment in slot.assignments {
            for resourceID in assignment.resourceIDs {
                guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT slug, name FROM resources WHERE business_id = ? AND id = ?"),
                                                 arguments: [businessID, resourceID]) else { throw BookingFailure.orderNotFound }
                let resource = OrderView.AssignedResource(id: resourceID, slug: row[0], name: row[1], role: assignment.role)
                if !out.contains(resource) { out.append(resource) }
            }
        }
        return out
    }

    /// What a draft does about those waiting for its start.
    enum WaitlistStep {
        /// Offer them freed places first (a write: inside the writer only).
        case settle
        /// Nothing (the waitlist's own promotion).
        case skip
        /// Outside the writer: a start anyone waits for needs the writer (`NeedsTheWriter`).
        case mustBeEmpty
    }

    /// A draft made outside the writer cannot be checked there by `stillFree` alone (a class, a
    /// rental, a resource with capacity or limits, someone waiting): the writer books it in full.
    struct NeedsTheWriter: Error {}

    static func draft(_ db: Database, business: Business, request: BookingRequest, now: Instant, actor: Actor, confirm: Bool,
                      noticeWaiver: NoticeWaiver? = nil, holdExpiry: Instant? = nil, waitlist: WaitlistStep,
                      emailCustomer: Bool = true) throws -> Draft {
        let outsideTheWriter = waitlist == .mustBeEmpty
        guard let offer = try Catalog.offer(db, businessID: business.id, slug: request.offerSlug), offer.status == .live else {
            throw BookingFailure.offerNotFound
        }
        guard let zone = TimeZone(identifier: business.timeZone) else { throw BookingFailure.invalid(field: "timezone", message: "unknown") }
        if outsideTheWriter && (offer.spec.mode != .slot || request.rental != nil) { throw NeedsTheWriter() }
        // A program's sessions are sold as a whole course (`Programs.enrol`), never one by one.
        if offer.spec.mode == .class, try Programs.isProgram(db, businessID: business.id, offerID: offer.id) {
            throw BookingFailure.soldAsProgram(offer.slug)
        }
        var request = request
        var spec = offer.spec
        var rentalPrice: PriceBreakdown?
        var units = 1
        if let dates = request.rental {
            // A rental by date: its terms turn the dates into instants, a duration and a price. It
            // takes `quantity` units of the item's capacity; the order's party size is that count.
            guard request.partySize == 1 || request.partySize == dates.quantity else {
                throw BookingFailure.invalid(field: "party_size", message: "a rental counts items, not people: give the quantity instead")
            }
            let plan = try Rentals.plan(db, business: business, offer: offer, dates: dates, zone: zone)
            request.start = plan.period.start
            request.durationMinutes = nil
            request.partySize = dates.quantity
            units = dates.quantity
            spec = plan.spec
            rentalPrice = plan.price
        } else if spec.mode == .multiDay, try Rentals.terms(db, businessID: business.id, versionID: offer.versionID) != nil {
            throw BookingFailure.invalid(field: "start_date", message: "choose a pick-up date and a return date")
        }
        // Those waiting for this start come first: a place freed by a lapsed hold is offered to them
        // before this request is checked, so the public never takes a place a waiting customer is owed.
        // Seats kept for open first-to-confirm claims count as taken for everyone else.
        var keptSeats = 0
        switch waitlist {
        case .settle:
            keptSeats = try Waitlists.settle(db, business: business, offerID: offer.id, start: request.start, now: now)
            if keptSeats > 0 && spec.mode != .class { throw BookingFailure.slotUnavailable([.taken]) }
        case .mustBeEmpty:
            if try Waitlists.anyoneWaiting(db, businessID: business.id, offerID: offer.id, start: request.start) { throw NeedsTheWriter() }
        case .skip:
            break
        }
        // A class session called off for too few people takes no more bookings.
        if offer.spec.mode == .class, offer.spec.minimumParticipants > 0,
           try Sessions.isCancelled(db, businessID: business.id, offerID: offer.id, start: request.start) {
            throw BookingFailure.slotUnavailable([.noSeats])
        }
        try validate(request, spec: spec)
        let answers = try IntakeAnswers.stored(request.customer, spec: spec) ?? "[]"
        var requested: [ResourceID] = []
        for slug in request.resourceSlugs {
            guard let id = try Catalog.resourceID(db, businessID: business.id, slug: slug) else {
                throw BookingFailure.resourceNotFound(slug)
            }
            requested.append(id)
        }
        // Outside the writer every resource is of capacity 1 without limits (checked below: else the
        // writer books it in full), so only busy time overlapping this booking's blocked interval
        // (the longest duration with its buffers) can refuse it: only that is read, as `stillFree`
        // rechecks it — not a week around the start, which cost a row per booking nearby.
        let longestService = TimeRange(start: request.start, end: request.start + Int64(spec.duration.maxMinutes) * 60)
        let window = outsideTheWriter ? spec.blockedRange(for: longestService)
            : TimeRange(start: request.start - 3 * 86_400, end: request.start + 4 * 86_400
                        + Int64(spec.duration.maxMinutes + spec.bufferAfterMinutes) * 60)
        let loaded = try ScheduleLoader.load(db, businessID: business.id, spec: spec, window: window, now: now)
        // Read in the same transaction as the schedules, so it is the version they were compiled at.
        let scheduleVersion = try CompiledSchedules.version(db, businessID: business.id)
        var schedules = loaded.schedules
        // The writer's check compares blocked intervals only: right for capacity 1 without limits.
        if outsideTheWriter && !schedules.allSatisfy({ $0.capacity == 1 && $0.limits.maxBookingsPerDay == nil && ($0.limits.minRestMinutes ?? 0) <= 0 }) {
            throw NeedsTheWriter()
        }
        let strategy = loaded.strategy
        if units > 1 {
            let end = request.start + Int64(spec.duration.maxMinutes) * 60
            schedules = Rentals.reserving(schedules, quantity: units, blocked: spec.blockedRange(for: TimeRange(start: request.start, end: end)))
        }
        let query = AvailabilityQuery(offerID: offer.id, spec: noticeWaiver?.apply(to: spec) ?? spec, resources: schedules, timeZone: zone, now: now,
                                      partySize: request.partySize + keptSeats, requestedResourceIDs: requested,
                                      durationMinutes: request.durationMinutes, strategy: strategy)
        let slot: Slot
        switch AvailabilityEngine.check(query, start: request.start) {
        case .bookable(let found): slot = found
        case .unavailable(let reasons): throw BookingFailure.from(reasons)
        }
        // An active member gets their plan's discount on offers its credits do not cover (a price line).
        let price = try MembershipLedger.discount(
            db, business: business, offerID: offer.id, userID: request.customer.userID, email: request.customer.email,
            price: rentalPrice ?? Pricing.quote(spec, start: slot.start, end: slot.end, partySize: request.partySize, now: now, timeZone: zone),
            now: now)
        let status = spec.initialStatus(holding: !confirm)
        let token = confirm ? Tokens.secret() : nil
        var draft = Draft(business: business, offer: offer, spec: spec, request: request, slot: slot, price: price,
                     priceJSON: try SpecRow.json(price), status: status,
                     holdExpiresAt: confirm ? nil : holdExpiry ?? spec.holdExpiry(now: now), token: token, tokenHash: token.map(Tokens.hash),
                     publicID: Tokens.publicID(prefix: "bk"), answers: answers, units: units, actor: actor, now: now, confirm: confirm,
                     emailCustomer: emailCustomer,
                     auditDetails: AuditLog.encode(["offer": offer.slug, "start": RFC3339.format(slot.start), "status": status.rawValue]),
                     scheduleVersion: scheduleVersion)
        // Outside the writer the answer is made from the draft, not read back after the commit.
        if outsideTheWriter {
            draft.assigned = try assignedResources(db, businessID: business.id, slot: slot)
            if confirm {
                draft.messages = try Outbox.createdMessages(db, businessID: business.id,
                                                            providers: .ofResources(slot.assignments.flatMap(\.resourceIDs)),
                                                            status: status, start: slot.start, customer: request.customer, token: token, now: now,
                                                            emailCustomer: emailCustomer)
            }
        }
        return draft
    }

    /// Writes a draft: the order, its unit and assignments, its events, emails and audit entry.
    static func insert(_ db: Database, _ draft: Draft) throws -> BookingID {
        let businessID = draft.business.id, now = draft.now, actor = draft.actor, slot = draft.slot
        let (orderID, publicID) = try insertOrder(db, businessID: businessID, offer: draft.offer, request: draft.request, status: draft.status,
                                                  span: TimeRange(start: slot.start, end: slot.end), price: draft.price,
                                                  holdExpiresAt: draft.holdExpiresAt, token: draft.token, answers: draft.answers,
                                                  actor: actor, now: now, publicID: draft.publicID, priceJSON: draft.priceJSON,
                                                  tokenHash: draft.tokenHash)
        try insertUnit(db, businessID: businessID, orderID: orderID, offerID: draft.offer.id, spec: draft.spec, slot: slot,
                       partySize: draft.request.partySize, holdExpiresAt: draft.holdExpiresAt, units: draft.units)
        try recordEvent(db, businessID: businessID, orderID: orderID, from: nil, to: .held, at: now, actor: actor)
        if draft.confirm {
            if draft.status != .held {
                try recordEvent(db, businessID: businessID, orderID: orderID, from: .held, to: draft.status, at: now, actor: actor)
            }
            if let messages = draft.messages {
                try Outbox.insert(db, messages, businessID: businessID, orderID: orderID, now: now)
            } else {
                try Outbox.bookingCreated(db, businessID: businessID, orderID: orderID, status: draft.status, start: slot.start,
                                          customer: draft.request.customer, token: draft.token, now: now, emailCustomer: draft.emailCustomer)
            }
        }
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor.label,
                            action: draft.confirm ? "booking.create" : "booking.hold", subject: "booking:\(publicID)",
                            encodedDetails: draft.auditDetails)
        return orderID
    }

    /// Whether a resource has a blocking assignment over an interval, bounded below by its longest
    /// span as ScheduleLoader reads busy time (answered from `resource_assignments_busy` alone: 0180).
    static let stillFreeSQL = """
        SELECT 1 FROM resource_assignments INDEXED BY resource_assignments_busy
        WHERE business_id = ? AND resource_id = ? AND blocks = 1
          AND blocked_from >= ? - (SELECT max_busy_seconds FROM resources WHERE business_id = ? AND id = ?)
          AND blocked_from < ? AND blocked_to > ? AND (hold_expires_at IS NULL OR hold_expires_at > ?)
        LIMIT 1
        """

    /// Inside the writer: whether a draft made outside it may still be written as it is. Rereads,
    /// by index, what could have changed since its read transaction: the business's schedules
    /// (`schedule_version`), the offer's live version, anyone now waiting for the start, and every
    /// chosen resource's blocking assignments overlapping the slot's blocked interval. Every
    /// resource is of capacity 1 without limits (else `NeedsTheWriter`), so no overlap means free.
    static func stillFree(_ db: Database, _ draft: Draft) throws -> Bool {
        let businessID = draft.business.id
        guard try CompiledSchedules.version(db, businessID: businessID) == draft.scheduleVersion,
              try OfferVersionID.fetchOne(db.cachedStatement(sql: """
                SELECT v.id FROM offers o JOIN offer_versions v ON v.business_id = o.business_id AND v.offer_id = o.id
                WHERE o.business_id = ? AND o.id = ? AND o.status = 'live' AND v.status = 'published' AND o.slug = ? AND o.name = ?
                ORDER BY v.version DESC LIMIT 1
                """), arguments: [businessID, draft.offer.id, draft.offer.slug, draft.offer.name]) == draft.offer.versionID,
              try !Waitlists.anyoneWaiting(db, businessID: businessID, offerID: draft.offer.id, start: draft.request.start) else {
            return false
        }
        let blocked = draft.spec.blockedRange(for: TimeRange(start: draft.slot.start, end: draft.slot.end))
        for assignment in draft.slot.assignments {
            for resourceID in assignment.resourceIDs {
                // Bounded below by the resource's longest span, as ScheduleLoader reads busy time.
                if try Bool.fetchOne(db.cachedStatement(sql: stillFreeSQL),
                                     arguments: [businessID, resourceID, blocked.start, businessID, resourceID, blocked.end, blocked.start,
                                                 draft.now]) == true {
                    return false
                }
            }
        }
        return true
    }

    /// What the writer did with a draft made outside it.
    enum Committed {
        /// Written as drafted (the caller makes the answer from the draft, or reads it back after the commit).
        case inserted(BookingID, token: String?)
        /// Something changed since the draft: booked afresh inside the writer (or refused by the throw).
        case booked(OrderView, token: String)
    }

    /// Inside the writer: the draft when it is still free, else the full booking (`book`) at this moment.
    static func commit(_ db: Database, _ draft: Draft, noticeWaiver: NoticeWaiver?) throws -> Committed {
        if try stillFree(db, draft) { return .inserted(try insert(db, draft), token: draft.token) }
        let booked = try book(db, business: draft.business, request: draft.request, now: draft.now, actor: draft.actor,
                              noticeWaiver: noticeWaiver, emailCustomer: draft.emailCustomer)
        return .booked(booked.order, token: booked.accessToken)
    }

    /// Inserts an order (`span` is its first unit's service time) and records the API key that made
    /// it; its units follow (`insertUnit`). Every writer of new orders goes through here.
    static func insertOrder(_ db: Database, businessID: BusinessID, offer: OfferInfo, request: BookingRequest, status: BookingStatus,
                            span: TimeRange, price: PriceBreakdown, holdExpiresAt: Instant?, token: String?,
                            answers: String = "[]", actor: Actor, now: Instant, publicID: String = Tokens.publicID(prefix: "bk"),
                            priceJSON: String? = nil, tokenHash: Data? = nil) throws -> (id: BookingID, publicID: String) {
        // booking_orders.api_key_id (0002): what a key creates records the key.
        try db.cachedStatement(sql: """
            INSERT INTO booking_orders (business_id, public_id, offer_id, offer_version_id, status, customer_user_id,
              household_member_id, customer_name, customer_email, customer_phone, notes, party_size, source, starts_at, ends_at,
              price_total, price_deposit, currency, price_breakdown, hold_expires_at, access_token_hash, created_at, updated_at,
              intake_answers, api_key_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                businessID, publicID, offer.id, offer.versionID, status.rawValue, request.customer.userID,
                request.customer.householdMemberID, request.customer.name, request.customer.email, request.customer.phone,
                request.customer.notes, request.partySize, request.source, span.start, span.end, price.total, price.deposit,
                price.currency, try priceJSON ?? SpecRow.json(price), holdExpiresAt, tokenHash ?? token.map(Tokens.hash), now, now, answers,
                actor.apiKeyID,
            ])
        return (BookingID(rawValue: db.lastInsertedRowID), publicID)
    }

    /// Inserts one fulfillment unit of an order for the engine's `slot` (its blocked interval from
    /// the version's buffers) and its resource assignments; answers the unit's id.
    @discardableResult
    static func insertUnit(_ db: Database, businessID: BusinessID, orderID: BookingID, offerID: OfferID, spec: OfferVersionSpec,
                           slot: Slot, partySize: Int, holdExpiresAt: Instant?, units: Int = 1) throws -> Int64 {
        let blocked = spec.blockedRange(for: TimeRange(start: slot.start, end: slot.end))
        try db.cachedStatement(sql: """
            INSERT INTO fulfillment_units (business_id, order_id, starts_at, ends_at, blocked_from, blocked_to) VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [businessID, orderID, slot.start, slot.end, blocked.start, blocked.end])
        let unitID = db.lastInsertedRowID
        try assign(db, businessID: businessID, unitID: unitID, orderID: orderID, offerID: offerID, slot: slot, blocked: blocked,
                   isClass: spec.mode == .class, partySize: partySize, holdExpiresAt: holdExpiresAt, units: units)
        return unitID
    }

    /// Writes the slot's resource assignments for an order's unit, and keeps each resource's longest
    /// blocked span current: availability bounds its scans with it, so an assignment longer than the
    /// recorded span would be missed by the next check. Every writer of assignments goes through here.
    /// `units`: how much of each resource's capacity the order takes (a rental of 3 kayaks: 3, 0135).
    static func assign(_ db: Database, businessID: BusinessID, unitID: Int64, orderID: BookingID, offerID: OfferID, slot: Slot,
                       blocked: TimeRange, isClass: Bool, partySize: Int, holdExpiresAt: Instant?, units: Int = 1) throws {
        for assignment in slot.assignments {
            for resourceID in assignment.resourceIDs {
                try db.cachedStatement(sql: """
                    INSERT INTO resource_assignments (business_id, unit_id, order_id, resource_id, role, offer_id, is_class, party_size,
                      starts_at, ends_at, blocked_from, blocked_to, hold_expires_at, units)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [businessID, unitID, orderID, resourceID, assignment.role, offerID, isClass,
                                     partySize, slot.start, slot.end, blocked.start, blocked.end, holdExpiresAt, units])
                // Read before written: the UPDATE, even when it changes nothing, sets up a temporary
                // b-tree for its triggers; the span is seldom a new longest one.
                let longest = try Int64.fetchOne(db.cachedStatement(sql: """
                    SELECT max_busy_seconds FROM resources WHERE business_id = ? AND id = ?
                    """), arguments: [businessID, resourceID])
                if let longest, longest < blocked.duration {
                    try db.cachedStatement(sql: """
                        UPDATE resources SET max_busy_seconds = ? WHERE business_id = ? AND id = ? AND max_busy_seconds < ?
                        """).execute(arguments: [blocked.duration, businessID, resourceID, blocked.duration])
                }
            }
        }
    }

    static func validate(_ request: BookingRequest, spec: OfferVersionSpec) throws {
        let maxParty = spec.mode == .class ? spec.seats : 100
        guard (1...max(1, maxParty)).contains(request.partySize) else {
            throw BookingFailure.invalid(field: "party_size", message: "must be between 1 and \(max(1, maxParty))")
        }
        guard request.resourceSlugs.count <= 5 else {
            throw BookingFailure.invalid(field: "resources", message: "choose at most five resources")
        }
        let name = request.customer.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (request.contactRequired ? 1...120 : 0...120).contains(name.unicodeScalars.count) else {
            throw BookingFailure.invalid(field: "name", message: "enter a name of 1 to 120 characters")
        }
        guard (!request.contactRequired && request.customer.email.isEmpty)
                || (Validation.isPlausibleEmail(request.customer.email) && request.customer.email.count <= 254) else {
            throw BookingFailure.invalid(field: "email", message: "enter an email address like name@example.com")
        }
        guard request.customer.phone.unicodeScalars.count <= 40,
              request.customer.phone.allSatisfy({ $0.isNumber || " +-().".contains($0) }) else {
            throw BookingFailure.invalid(field: "phone", message: "enter a phone number using digits, spaces and + - ( )")
        }
        guard request.customer.notes.unicodeScalars.count <= 2000 else {
            throw BookingFailure.invalid(field: "notes", message: "keep notes under 2000 characters")
        }
    }

    static func recordEvent(_ db: Database, businessID: BusinessID, orderID: BookingID, from: BookingStatus?, to: BookingStatus,
                            at: Instant, actor: Actor, reason: String = "") throws {
        try db.cachedStatement(sql: """
            INSERT INTO booking_events (business_id, order_id, from_status, to_status, at, actor, reason) VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [businessID, orderID, from?.rawValue, to.rawValue, at, actor.label, reason])
        for type in DomainEventType.announcing(from: from, to: to) {
            try DomainEvents.emit(db, businessID: businessID, type: type, orderID: orderID, now: at)
        }
    }
}

/// Long random identifiers and secrets; only hashes of secrets are stored.
public enum Tokens {
    /// 24 random bytes as hex behind a prefix: unguessable, so knowing it is the capability.
    public static func publicID(prefix: String) -> String { prefix + "_" + hex(random(24)) }

    /// 32 random bytes as hex.
    public static func secret() -> String { hex(random(32)) }

    public static func hash(_ secret: String) -> Data { Data(SHA256.hash(data: Array(secret.utf8))) }

    /// Whether `secret` hashes to `stored` (a constant-time compare of the hashes); false when nothing is stored.
    static func matches(_ stored: Data?, _ secret: String) -> Bool {
        guard let stored else { return false }
        let given = hash(secret)
        return stored.count == given.count && zip(stored, given).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// `count` bytes from the system generator, eight per draw (a draw is a getrandom call: one
    /// per byte made 60 system calls per booking).
    public static func random(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 7)
        while bytes.count < count {
            let draw = generator.next()
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: draw >> UInt64(shift))) }
        }
        return Array(bytes.prefix(count))
    }

    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
