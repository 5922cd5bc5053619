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
        guard let offer = try Catalog.offer(db, businessID: business.id, slug: request.offerSlug), offer.status == .live else {
            throw BookingFailure.offerNotFound
        }
        guard let zone = TimeZone(identifier: business.timeZone) else { throw BookingFailure.invalid(field: "timezone", message: "unknown") }
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
        if settlingWaitlist {
            keptSeats = try Waitlists.settle(db, business: business, offerID: offer.id, start: request.start, now: now)
            if keptSeats > 0 && spec.mode != .class { throw BookingFailure.slotUnavailable([.taken]) }
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
        let window = TimeRange(start: request.start - 3 * 86_400, end: request.start + 4 * 86_400
                               + Int64(spec.duration.maxMinutes + spec.bufferAfterMinutes) * 60)
        let loaded = try ScheduleLoader.load(db, businessID: business.id, spec: spec, window: window, now: now)
        var schedules = loaded.schedules
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
        let holdExpiresAt: Instant? = confirm ? nil : holdExpiry ?? spec.holdExpiry(now: now)
        let token = confirm ? Tokens.secret() : nil
        let (orderID, publicID) = try insertOrder(db, businessID: business.id, offer: offer, request: request, status: status,
                                                  span: TimeRange(start: slot.start, end: slot.end), price: price,
                                                  holdExpiresAt: holdExpiresAt, token: token, answers: answers, actor: actor, now: now)
        try insertUnit(db, businessID: business.id, orderID: orderID, offerID: offer.id, spec: spec, slot: slot,
                       partySize: request.partySize, holdExpiresAt: holdExpiresAt, units: units)
        try recordEvent(db, businessID: business.id, orderID: orderID, from: nil, to: .held, at: now, actor: actor)
        if confirm {
            if status != .held { try recordEvent(db, businessID: business.id, orderID: orderID, from: .held, to: status, at: now, actor: actor) }
            try Outbox.bookingCreated(db, businessID: business.id, orderID: orderID, status: status, start: slot.start,
                                      customer: request.customer, token: token, now: now, emailCustomer: emailCustomer)
        }
        try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label,
                            action: confirm ? "booking.create" : "booking.hold", subject: "booking:\(publicID)",
                            details: ["offer": offer.slug, "start": RFC3339.format(slot.start), "status": status.rawValue])
        guard let order = try BookingReads.order(db, businessID: business.id, publicID: publicID) else { throw BookingFailure.orderNotFound }
        return (order, token)
    }

    /// Inserts an order (`span` is its first unit's service time) and records the API key that made
    /// it; its units follow (`insertUnit`). Every writer of new orders goes through here.
    static func insertOrder(_ db: Database, businessID: BusinessID, offer: OfferInfo, request: BookingRequest, status: BookingStatus,
                            span: TimeRange, price: PriceBreakdown, holdExpiresAt: Instant?, token: String?,
                            answers: String = "[]", actor: Actor, now: Instant) throws -> (id: BookingID, publicID: String) {
        let publicID = Tokens.publicID(prefix: "bk")
        try db.cachedStatement(sql: """
            INSERT INTO booking_orders (business_id, public_id, offer_id, offer_version_id, status, customer_user_id,
              household_member_id, customer_name, customer_email, customer_phone, notes, party_size, source, starts_at, ends_at,
              price_total, price_deposit, currency, price_breakdown, hold_expires_at, access_token_hash, created_at, updated_at,
              intake_answers)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                businessID, publicID, offer.id, offer.versionID, status.rawValue, request.customer.userID,
                request.customer.householdMemberID, request.customer.name, request.customer.email, request.customer.phone,
                request.customer.notes, request.partySize, request.source, span.start, span.end, price.total, price.deposit,
                price.currency, try SpecRow.json(price), holdExpiresAt, token.map(Tokens.hash), now, now, answers,
            ])
        let orderID = BookingID(rawValue: db.lastInsertedRowID)
        if let keyID = actor.apiKeyID {   // booking_orders.api_key_id (0002): what a key creates records the key
            try db.cachedStatement(sql: "UPDATE booking_orders SET api_key_id = ? WHERE business_id = ? AND id = ?")
                .execute(arguments: [keyID, businessID, orderID])
        }
        return (orderID, publicID)
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
                try db.cachedStatement(sql: """
                    UPDATE resources SET max_busy_seconds = ? WHERE business_id = ? AND id = ? AND max_busy_seconds < ?
                    """).execute(arguments: [blocked.duration, businessID, resourceID, blocked.duration])
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

    public static func random(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
