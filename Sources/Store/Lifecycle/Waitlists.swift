public import BookingCore
import Foundation
import GRDB

/// One customer waiting for one start of an offer, as read back.
public struct WaitlistEntry: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case waiting, offered, claimed, expired, left
        /// Still in the line (waiting, or holding an offered place).
        public var isActive: Bool { self == .waiting || self == .offered }
    }

    public let id: WaitlistEntryID
    public let publicID: String
    public let businessID: BusinessID
    public let offerID: OfferID
    public let offerSlug: String
    public let offerName: String
    public let start: Instant
    public let partySize: Int
    public let customer: CustomerDetails
    public let status: Status
    /// 1 for the first of those still in line for the start; 0 once out of the line.
    public let position: Int
    /// The hold made for an offered entry (claiming it is confirming this hold).
    public let holdID: String?
    public let holdExpiresAt: Instant?
    public let createdAt: Instant
    /// A first-to-confirm offer (no hold yet): claimable until then.
    public let offerExpiresAt: Instant?

    /// Told of a free place under "first to confirm wins" and still able to claim it at `now`.
    public func canClaim(now: Instant) -> Bool { status == .offered && holdID == nil && (offerExpiresAt ?? 0) > now }
}

/// A new waitlist entry and the token that lets a guest see and leave it (shown once).
public struct JoinedWaitlist: Sendable, Hashable {
    public let entry: WaitlistEntry
    public let token: String
}

/// The waitlist: who waits for a full start, and the promotion that hands a freed place to the first
/// of them who fits, always inside the transaction that frees it (a cancellation, a decline, a hold
/// that lapsed, a reschedule away, more capacity), so the public never gets it first.
enum Waitlists {
    static let select = """
        SELECT w.*, o.slug AS offer_slug, o.name AS offer_name, b.public_id AS hold_public_id, b.hold_expires_at AS hold_expires_at,
          CASE WHEN w.status IN ('waiting', 'offered') THEN
            (SELECT COUNT(*) FROM waitlist_entries p WHERE p.business_id = w.business_id AND p.offer_id = w.offer_id
               AND p.starts_at = w.starts_at AND p.status IN ('waiting', 'offered') AND p.id <= w.id)
          ELSE 0 END AS position
        FROM waitlist_entries w
        JOIN offers o ON o.business_id = w.business_id AND o.id = w.offer_id
        LEFT JOIN booking_orders b ON b.business_id = w.business_id AND b.id = w.hold_order_id
        """

    static func entry(row: Row) -> WaitlistEntry {
        WaitlistEntry(id: row["id"], publicID: row["public_id"], businessID: row["business_id"], offerID: row["offer_id"],
                      offerSlug: row["offer_slug"], offerName: row["offer_name"], start: row["starts_at"], partySize: row["party_size"],
                      customer: CustomerDetails(name: row["customer_name"], email: row["customer_email"], phone: row["customer_phone"],
                                                userID: row["customer_user_id"]),
                      status: WaitlistEntry.Status(rawValue: row["status"]) ?? .waiting, position: row["position"],
                      holdID: row["hold_public_id"], holdExpiresAt: row["hold_expires_at"], createdAt: row["created_at"],
                      offerExpiresAt: row["offer_expires_at"])
    }

    static func entry(_ db: Database, businessID: BusinessID, publicID: String) throws -> WaitlistEntry? {
        try Row.fetchOne(db.cachedStatement(sql: select + " WHERE w.business_id = ? AND w.public_id = ?"),
                         arguments: [businessID, publicID]).map(entry(row:))
    }

    /// Every entry for one start of an offer, in position order (those out of the line last).
    static func list(_ db: Database, businessID: BusinessID, offerID: OfferID, start: Instant) throws -> [WaitlistEntry] {
        try Row.fetchAll(db.cachedStatement(sql: select + """
             WHERE w.business_id = ? AND w.offer_id = ? AND w.starts_at = ?
             ORDER BY CASE WHEN w.status IN ('waiting', 'offered') THEN 0 ELSE 1 END, w.id LIMIT 500
            """), arguments: [businessID, offerID, start]).map(entry(row:))
    }

    static func policy(_ db: Database, businessID: BusinessID) throws -> WaitlistPolicy {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT waitlist_offer_minutes, waitlist_mode FROM businesses WHERE id = ?"),
                                         arguments: [businessID]) else { return .standard }
        return WaitlistPolicy(offerMinutes: row[0], mode: WaitlistPolicy.Mode(rawValue: row[1]) ?? .inOrder)
    }

    /// Joins the line for `request.start`, which must be a bookable time that is full for the party
    /// (`slotAvailable` when it is not: book it instead).
    static func join(_ db: Database, business: Business, request: BookingRequest, now: Instant,
                     actor: Actor) throws -> JoinedWaitlist {
        guard let offer = try Catalog.offer(db, businessID: business.id, slug: request.offerSlug), offer.status == .live else {
            throw BookingFailure.offerNotFound
        }
        try Bookings.validate(request, spec: offer.spec)
        guard let zone = TimeZone(identifier: business.timeZone) else { throw BookingFailure.businessNotFound }
        // A place freed by a lapsed hold goes to those already waiting before this one joins; places
        // kept for open first-to-confirm claims are not free for a newcomer either.
        let kept = try settle(db, business: business, offerID: offer.id, start: request.start, now: now)
        let window = TimeRange(start: request.start - 3 * 86_400, end: request.start + 4 * 86_400
                               + Int64(offer.spec.duration.maxMinutes + offer.spec.bufferAfterMinutes) * 60)
        let schedules = try ScheduleLoader.schedules(db, businessID: business.id, spec: offer.spec, window: window, now: now)
        let query = AvailabilityQuery(offerID: offer.id, spec: offer.spec, resources: schedules, timeZone: zone, now: now,
                                      partySize: request.partySize, requestedResourceIDs: [], durationMinutes: request.durationMinutes)
        switch AvailabilityEngine.check(query, start: request.start) {
        case .bookable: if kept == 0 { throw BookingFailure.slotAvailable }
        case .unavailable(let reasons):
            guard case .slotUnavailable = BookingFailure.from(reasons) else { throw BookingFailure.from(reasons) }
        }
        if let email = Optional(request.customer.email.lowercased()), try Bool.fetchOne(db.cachedStatement(sql: """
            SELECT 1 FROM waitlist_entries WHERE business_id = ? AND offer_id = ? AND starts_at = ? AND lower(customer_email) = ?
              AND status IN ('waiting', 'offered')
            """), arguments: [business.id, offer.id, request.start, email]) == true {
            throw BookingFailure.invalid(field: "email", message: "this address is already on the waitlist for that time")
        }
        let publicID = Tokens.publicID(prefix: "wl"), token = Tokens.secret()
        try db.cachedStatement(sql: """
            INSERT INTO waitlist_entries (business_id, public_id, offer_id, starts_at, party_size, customer_user_id, customer_name,
              customer_email, customer_phone, status, access_token_hash, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'waiting', ?, ?, ?)
            """).execute(arguments: [business.id, publicID, offer.id, request.start, request.partySize, request.customer.userID,
                                     request.customer.name.trimmingCharacters(in: .whitespacesAndNewlines), request.customer.email,
                                     request.customer.phone, Tokens.hash(token), now, now])
        try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "waitlist.join",
                            subject: "waitlist:\(publicID)", details: ["offer": offer.slug, "start": RFC3339.format(request.start)])
        guard let entry = try entry(db, businessID: business.id, publicID: publicID) else { throw BookingFailure.waitlistEntryNotFound }
        return JoinedWaitlist(entry: entry, token: token)
    }

    /// Leaves the line; an offered entry's hold is let go (and so passes to the next in line).
    static func leave(_ db: Database, business: Business, publicID: String, now: Instant, actor: Actor) throws -> WaitlistEntry {
        guard let found = try entry(db, businessID: business.id, publicID: publicID) else { throw BookingFailure.waitlistEntryNotFound }
        guard found.status.isActive else {
            throw BookingFailure.notMovable("this waitlist entry is no longer in the line (\(found.status.rawValue))")
        }
        try db.execute(sql: "UPDATE waitlist_entries SET status = 'left', updated_at = ? WHERE business_id = ? AND id = ?",
                       arguments: [now, business.id, found.id])
        if found.status == .offered, let holdID = found.holdID {
            _ = try Bookings.cancel(db, business: business, publicID: holdID, reason: "left the waitlist", now: now, actor: actor)
        }
        try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "waitlist.leave",
                            subject: "waitlist:\(publicID)")
        return try entry(db, businessID: business.id, publicID: publicID) ?? found
    }

    /// Whether `token` is the entry's guest token (constant-time compare of hashes).
    static func tokenMatches(_ db: Database, businessID: BusinessID, publicID: String, token: String) throws -> Bool {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT access_token_hash, claim_token_hash FROM waitlist_entries WHERE business_id = ? AND public_id = ?
            """), arguments: [businessID, publicID]) else { return false }
        // The token given on joining, or the one in a first-to-confirm offer's email.
        let joined = Tokens.matches(row["access_token_hash"] as Data?, token)
        let claim = Tokens.matches(row["claim_token_hash"] as Data?, token)
        return joined || claim
    }

    // MARK: Promotion

    /// A booking or hold let go of its time (`order` as it was): the first of those waiting who fit
    /// get holds, in this transaction.
    static func released(_ db: Database, business: Business, order: OrderView, now: Instant) throws {
        try lapsed(db, businessID: business.id, orderID: order.id, now: now)
        try promote(db, business: business, offerID: order.offerID, start: order.start, now: now)
    }

    /// The hold `orderID` ended without a booking: an entry it was offered to is out of the line.
    static func lapsed(_ db: Database, businessID: BusinessID, orderID: BookingID, now: Instant) throws {
        try db.cachedStatement(sql: """
            UPDATE waitlist_entries SET status = 'expired', updated_at = ? WHERE business_id = ? AND hold_order_id = ? AND status = 'offered'
            """).execute(arguments: [now, businessID, orderID])
    }

    /// The hold `orderID` became a booking: an entry it was offered to has claimed its place.
    static func claimed(_ db: Database, businessID: BusinessID, orderID: BookingID, now: Instant) throws {
        try db.cachedStatement(sql: """
            UPDATE waitlist_entries SET status = 'claimed', updated_at = ? WHERE business_id = ? AND hold_order_id = ? AND status = 'offered'
            """).execute(arguments: [now, businessID, orderID])
    }

    /// Whether anyone waits for `start` of the offer, or holds an open offer of a place there.
    static func anyoneWaiting(_ db: Database, businessID: BusinessID, offerID: OfferID, start: Instant) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: """
            SELECT 1 FROM waitlist_entries WHERE business_id = ? AND offer_id = ? AND starts_at = ? AND status IN ('waiting', 'offered') LIMIT 1
            """), arguments: [businessID, offerID, start]) == true
    }

    /// Before anyone takes `start`: offered holds and first-to-confirm claims that ran out are let
    /// go, and any place free for those waiting is offered to them. Answers the seats kept for
    /// open claims (not the public's to take). Costs one indexed read when nobody waits.
    @discardableResult
    static func settle(_ db: Database, business: Business, offerID: OfferID, start: Instant, now: Instant) throws -> Int {
        guard try anyoneWaiting(db, businessID: business.id, offerID: offerID, start: start) else { return 0 }
        // Everything held at this start whose time ran out is expired now, offered to a waiting customer or not.
        try expireClaims(db, businessID: business.id, offerID: offerID, start: start, now: now)
        try Bookings.expireHolds(db, businessID: business.id, offerID: offerID, start: start, now: now)
        try promote(db, business: business, offerID: offerID, start: start, now: now)
        return try openClaimSeats(db, businessID: business.id, offerID: offerID, start: start, now: now)
    }

    /// Offers free places at `start` to those waiting, first come first served: each who fits (the
    /// engine decides, party size included) gets a hold for the business's offer time, an email with
    /// the claim link and a `waitlist.offered` event. A party that does not fit is passed over, so
    /// are larger ones after it.
    static func promote(_ db: Database, business: Business, offerID: OfferID, start: Instant, now: Instant) throws {
        let waiting = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, public_id, party_size, customer_user_id, customer_name, customer_email, customer_phone FROM waitlist_entries
            WHERE business_id = ? AND offer_id = ? AND starts_at = ? AND status = 'waiting' ORDER BY id
            """), arguments: [business.id, offerID, start])
        guard !waiting.isEmpty,
              let offerSlug = try String.fetchOne(db.cachedStatement(sql: "SELECT slug FROM offers WHERE business_id = ? AND id = ?"),
                                                  arguments: [business.id, offerID]) else { return }
        let policy = try policy(db, businessID: business.id)
        if policy.mode == .firstToConfirm {
            return try broadcast(db, business: business, offerID: offerID, offerSlug: offerSlug, start: start, policy: policy, now: now)
        }
        var smallestMisfit: Int?
        for row in waiting {
            let partySize: Int = row["party_size"]
            guard WaitlistPolicy.worthTrying(partySize: partySize, smallestMisfit: smallestMisfit) else { continue }
            let customer = CustomerDetails(name: row["customer_name"], email: row["customer_email"], phone: row["customer_phone"],
                                           userID: row["customer_user_id"])
            let request = BookingRequest(offerSlug: offerSlug, start: start, customer: customer, partySize: partySize, source: "web")
            let hold: OrderView
            do {
                hold = try Bookings.holdForWaitlist(db, business: business, request: request, expiry: policy.holdExpiry(now: now), now: now)
            } catch BookingFailure.slotUnavailable {
                smallestMisfit = min(smallestMisfit ?? partySize, partySize)
                continue
            } catch BookingFailure.invalidStart, BookingFailure.offerNotFound {
                return   // no longer a bookable time (too soon, closed, withdrawn): nobody can be offered it
            }
            let entryID: WaitlistEntryID = row["id"]
            try db.cachedStatement(sql: """
                UPDATE waitlist_entries SET status = 'offered', hold_order_id = ?, updated_at = ? WHERE business_id = ? AND id = ?
                """).execute(arguments: [hold.id, now, business.id, entryID])
            try Outbox.enqueue(db, businessID: business.id, kind: .waitlistOffer, email: customer.email, name: customer.name,
                               data: [("hold", hold.publicID)], orderID: hold.id, due: now, now: now)
            try DomainEvents.emit(db, businessID: business.id, type: .waitlistOffered, orderID: hold.id, now: now)
            try AuditLog.append(db, businessID: business.id, at: now, actor: Actor.system.label, action: "waitlist.offer",
                                subject: "waitlist:\(row["public_id"] as String)", details: ["hold": hold.publicID])
        }
    }

    /// More capacity for an offer (a new version with more seats): every upcoming start with
    /// someone waiting is offered what is now free.
    static func capacityChanged(_ db: Database, business: Business, offerID: OfferID, now: Instant) throws {
        let starts = try Instant.fetchAll(db.cachedStatement(sql: """
            SELECT DISTINCT starts_at FROM waitlist_entries
            WHERE business_id = ? AND offer_id = ? AND status = 'waiting' AND starts_at > ? ORDER BY starts_at LIMIT 500
            """), arguments: [business.id, offerID, now])
        for start in starts { try promote(db, business: business, offerID: offerID, start: start, now: now) }
    }
}
