public import BookingCore
import Foundation
import GRDB

/// What a first-to-confirm claim came to.
public enum WaitlistClaimResult: Sendable, Hashable {
    /// The place is held for the claimant: confirm the hold (its checkout) to book it.
    case held(holdID: String)
    /// Someone claimed first; the entry is back in line.
    case taken
    /// The time to claim ran out (or the entry is no longer in line).
    case expired
}

/// "First to confirm wins" (a business's waitlist mode): a freed place is announced to everyone
/// waiting who fits, with no hold; the first to claim gets a hold (then confirms it like any hold),
/// the others are told it is taken and keep their place in line. While claims are open the places
/// they may take are kept from the public (`openClaimSeats`, read by the booking check).
extension Waitlists {
    /// Tells every waiting entry whose party fits the free places at `start` (the engine decides,
    /// checked in a savepoint that is rolled back): status `offered`, no hold, open until the
    /// business's offer time has passed, and an email with a claim link of its own.
    static func broadcast(_ db: Database, business: Business, offerID: OfferID, offerSlug: String, start: Instant,
                          policy: WaitlistPolicy, now: Instant) throws {
        let waiting = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, public_id, party_size, customer_user_id, customer_name, customer_email, customer_phone FROM waitlist_entries
            WHERE business_id = ? AND offer_id = ? AND starts_at = ? AND status = 'waiting' ORDER BY id
            """), arguments: [business.id, offerID, start])
        var fits: [Int: Bool] = [:]
        let until = policy.holdExpiry(now: now)
        let offerName = try String.fetchOne(db.cachedStatement(sql: "SELECT name FROM offers WHERE business_id = ? AND id = ?"),
                                            arguments: [business.id, offerID]) ?? offerSlug
        for row in waiting {
            let partySize: Int = row["party_size"]
            let customer = CustomerDetails(name: row["customer_name"], email: row["customer_email"], phone: row["customer_phone"],
                                           userID: row["customer_user_id"])
            if fits[partySize] == nil {
                fits[partySize] = try placeFits(db, business: business, request: BookingRequest(
                    offerSlug: offerSlug, start: start, customer: customer, partySize: partySize, source: "web"), until: until, now: now)
            }
            guard fits[partySize] == true else { continue }
            let token = Tokens.secret(), publicID: String = row["public_id"]
            try db.cachedStatement(sql: """
                UPDATE waitlist_entries SET status = 'offered', offer_expires_at = ?, claim_token_hash = ?, updated_at = ?
                WHERE business_id = ? AND id = ?
                """).execute(arguments: [until, Tokens.hash(token), now, business.id, row["id"] as WaitlistEntryID])
            try Outbox.enqueue(db, businessID: business.id, kind: .waitlistOffer, email: customer.email, name: customer.name,
                               data: [("about", "waitlist_claim"), ("entry", publicID), ("token", token), ("start", String(start)),
                                      ("until", String(until)), ("offer_name", offerName)],
                               orderID: nil, due: now, now: now)
            try AuditLog.append(db, businessID: business.id, at: now, actor: Actor.system.label, action: "waitlist.offer",
                                subject: "waitlist:\(publicID)", details: ["mode": WaitlistPolicy.Mode.firstToConfirm.rawValue])
        }
    }

    /// Whether a hold for `request` could be made now (made and rolled back).
    private static func placeFits(_ db: Database, business: Business, request: BookingRequest, until: Instant, now: Instant) throws -> Bool {
        var fits = false
        try db.inSavepoint {
            do {
                _ = try Bookings.holdForWaitlist(db, business: business, request: request, expiry: until, now: now)
                fits = true
            } catch BookingFailure.slotUnavailable, BookingFailure.invalidStart, BookingFailure.offerNotFound {
                fits = false
            }
            return .rollback
        }
        return fits
    }

    /// Seats kept for open first-to-confirm claims at `start` (the sum of their parties).
    static func openClaimSeats(_ db: Database, businessID: BusinessID, offerID: OfferID, start: Instant, now: Instant) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: """
            SELECT COALESCE(SUM(party_size), 0) FROM waitlist_entries WHERE business_id = ? AND offer_id = ? AND starts_at = ?
              AND status = 'offered' AND hold_order_id IS NULL AND offer_expires_at > ?
            """), arguments: [businessID, offerID, start, now]) ?? 0
    }

    /// Open claims at `start` whose time ran out are out of the line.
    static func expireClaims(_ db: Database, businessID: BusinessID, offerID: OfferID, start: Instant, now: Instant) throws {
        try db.cachedStatement(sql: """
            UPDATE waitlist_entries SET status = 'expired', updated_at = ? WHERE business_id = ? AND offer_id = ? AND starts_at = ?
              AND status = 'offered' AND hold_order_id IS NULL AND offer_expires_at <= ?
            """).execute(arguments: [now, businessID, offerID, start, now])
    }

    /// A claim of an entry told of a free place: the first gets a hold (and `waitlist.offered` is
    /// announced for it); later ones find no place and go back into line; a claim after its time
    /// leaves the line. An entry already holding its place answers that hold again.
    static func claim(_ db: Database, business: Business, publicID: String, now: Instant, actor: Actor) throws -> WaitlistClaimResult {
        guard let found = try entry(db, businessID: business.id, publicID: publicID) else { throw BookingFailure.waitlistEntryNotFound }
        if found.status == .offered, let hold = found.holdID, (found.holdExpiresAt ?? 0) > now { return .held(holdID: hold) }
        guard found.status == .offered, found.holdID == nil else { return found.status == .waiting ? .taken : .expired }
        let policy = try policy(db, businessID: business.id)
        var hold: OrderView?
        if WaitlistPolicy.claimOutcome(offerExpiresAt: found.offerExpiresAt, now: now, fits: true) == .granted {
            try db.inSavepoint {
                do {
                    hold = try Bookings.holdForWaitlist(db, business: business, request: BookingRequest(
                        offerSlug: found.offerSlug, start: found.start, customer: found.customer, partySize: found.partySize, source: "web"),
                        expiry: policy.holdExpiry(now: now), now: now)
                    return .commit
                } catch BookingFailure.slotUnavailable, BookingFailure.invalidStart {
                    return .rollback
                }
            }
        }
        switch WaitlistPolicy.claimOutcome(offerExpiresAt: found.offerExpiresAt, now: now, fits: hold != nil) {
        case .granted:
            guard let hold else { return .taken }
            try db.cachedStatement(sql: """
                UPDATE waitlist_entries SET hold_order_id = ?, offer_expires_at = NULL, updated_at = ? WHERE business_id = ? AND id = ?
                """).execute(arguments: [hold.id, now, business.id, found.id])
            try DomainEvents.emit(db, businessID: business.id, type: .waitlistOffered, orderID: hold.id, now: now)
            try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "waitlist.claim",
                                subject: "waitlist:\(publicID)", details: ["hold": hold.publicID])
            return .held(holdID: hold.publicID)
        case .taken:
            try db.cachedStatement(sql: """
                UPDATE waitlist_entries SET status = 'waiting', offer_expires_at = NULL, updated_at = ? WHERE business_id = ? AND id = ?
                """).execute(arguments: [now, business.id, found.id])
            return .taken
        case .expired:
            try db.cachedStatement(sql: "UPDATE waitlist_entries SET status = 'expired', updated_at = ? WHERE business_id = ? AND id = ?")
                .execute(arguments: [now, business.id, found.id])
            return .expired
        }
    }
}

extension AppDatabase {
    /// Claims a place announced to everyone waiting (first to confirm wins), for the holder of the
    /// entry's token (the one from joining or the one in the offer's email) or its signed-in customer.
    public func claimWaitlistPlace(businessSlug: String, publicID: String, token: String?, userID: UserID?, now: Instant,
                                   actor: Actor) throws -> (business: Business, result: WaitlistClaimResult) {
        try write { db in
            guard let business = try Catalog.business(db, slug: businessSlug),
                  let entry = try Waitlists.entry(db, businessID: business.id, publicID: publicID) else {
                throw BookingFailure.waitlistEntryNotFound
            }
            let byToken = try token.map { try Waitlists.tokenMatches(db, businessID: business.id, publicID: publicID, token: $0) } ?? false
            guard byToken || (userID != nil && entry.customer.userID == userID) else { throw BookingFailure.waitlistEntryNotFound }
            return (business, try Waitlists.claim(db, business: business, publicID: publicID, now: now, actor: actor))
        }
    }
}
