public import BookingCore
public import Foundation
import GRDB

/// The booking writes, one transaction each, all through group commit: the same use cases serve
/// the customer pages, the staff pages and the API. Each checks availability and writes inside
/// its transaction (`Bookings`), so no resource is ever given overlapping time beyond capacity.
extension AppDatabase {
    /// Holds a start of an offer of the business `slug` (the customer pages name the business by slug).
    /// A `visitor` (the public pages: the signed-in customer or the client address) may keep only
    /// `HoldLimits.liveHoldsPerVisitor` live holds at the business; the count and the hold are one
    /// transaction, so racing requests cannot pass it together. The customer's email, when the hold
    /// has one, is limited too (`HoldLimits.openRequestsPerEmail`).
    public func hold(businessSlug slug: String, request: BookingRequest, now: Instant, actor: Actor,
                     visitor: String? = nil) throws -> (business: Business, order: OrderView) {
        let visitor = visitor.map { String($0.prefix(100)) }   // the column's limit, for the count and the row alike
        return try write { db in
            guard let business = try Catalog.business(db, slug: slug) else { throw BookingFailure.businessNotFound }
            if let visitor {
                try HoldOrigins.check(db, businessID: business.id, visitor: visitor, now: now)
                try HoldOrigins.check(db, businessID: business.id, email: request.customer.email, now: now)
            }
            let order = try Bookings.hold(db, business: business, request: request, now: now, actor: actor)
            if let visitor { try HoldOrigins.record(db, businessID: business.id, order: order, visitor: visitor) }
            return (business, order)
        }
    }

    public func hold(business: Business, request: BookingRequest, now: Instant, actor: Actor) throws -> OrderView {
        try write { db in try Bookings.hold(db, business: business, request: request, now: now, actor: actor) }
    }

    /// Books at once; `noticeWaiver` (staff only) lifts the offer's minimum notice and nothing else.
    ///
    /// Everything that need not be serial happens before the write is queued, in a read transaction
    /// (`Bookings.draft`: validation, the offer and its spec, the engine's check, price, identifiers,
    /// encodings); a refusal found there is final, as it was true when the request was being
    /// answered. The writer then only rechecks by index that the draft's resources are still free
    /// (`Bookings.stillFree`) and inserts — or books afresh when something changed — and the answer
    /// is made from the draft (`Bookings.Draft.order`), or read back after the commit when the writer booked afresh.
    public func book(business: Business, request: BookingRequest, now: Instant, actor: Actor,
                     noticeWaiver: NoticeWaiver? = nil) throws -> (order: OrderView, accessToken: String) {
        try book(business: business, request: request, now: now, actor: actor, noticeWaiver: noticeWaiver, unlessPaidOnline: false)
    }

    /// `book`, unless the business takes this offer's payment online (a connected payment account
    /// and a deposit on the offer: `takesPaymentOnline`): then nil, nothing is
    /// written, and the caller holds it and asks Stripe. The check is made in the draft's read
    /// transaction, so a booking pays one read transaction for both.
    public func bookUnlessPaidOnline(business: Business, request: BookingRequest, now: Instant,
                                     actor: Actor) throws -> (order: OrderView, accessToken: String)? {
        if request.redeem != nil {   // no draft outside the writer: the check is its own read
            if try takesPaymentOnline(businessID: business.id, offerSlug: request.offerSlug) { return nil }
            return try book(business: business, request: request, now: now, actor: actor)
        }
        do {
            return try book(business: business, request: request, now: now, actor: actor, noticeWaiver: nil, unlessPaidOnline: true)
        } catch is TakesPaymentOnline {
            return nil
        }
    }

    /// Thrown by the draft's read when `bookUnlessPaidOnline` finds the offer paid online.
    private struct TakesPaymentOnline: Error {}

    private func book(business: Business, request: BookingRequest, now: Instant, actor: Actor, noticeWaiver: NoticeWaiver?,
                      unlessPaidOnline: Bool) throws -> (order: OrderView, accessToken: String) {
        guard let draft = try draftOutsideTheWriter(business: business, request: request, now: now, actor: actor, noticeWaiver: noticeWaiver,
                                                    unlessPaidOnline: unlessPaidOnline) else {
            return try write { db in
                try Bookings.book(db, business: business, request: request, now: now, actor: actor, noticeWaiver: noticeWaiver)
            }
        }
        // Rerunnable: the commit only reads and writes the database (the draft is a value).
        switch try write(rerunnable: true, { db in try Bookings.commit(db, draft, noticeWaiver: noticeWaiver) }) {
        case .booked(let order, let token):
            return (order, token)
        case .inserted(let orderID, let token):
            // Written as drafted: the answer is the draft's (reading it back cost a read transaction
            // and ~0.28 M instructions per booking).
            if let order = try draft.order(id: orderID) { return (order, token ?? "") }
            guard let order = try read({ db in try BookingReads.order(db, businessID: business.id, orderID: orderID) }) else {
                throw BookingFailure.orderNotFound
            }
            return (order, token ?? "")
        }
    }

    /// The booking's draft, made in a read transaction (outside the writer); nil when it needs the
    /// writer for everything (a redemption, a class, a rental, capacity or limits, someone waiting).
    /// A `BookingFailure` is the refusal.
    private func draftOutsideTheWriter(business: Business, request: BookingRequest, now: Instant, actor: Actor,
                                       noticeWaiver: NoticeWaiver?, unlessPaidOnline: Bool = false) throws -> Bookings.Draft? {
        guard request.redeem == nil else { return nil }
        do {
            return try read { db in
                if unlessPaidOnline, try Self.takesPaymentOnline(db, businessID: business.id, offerSlug: request.offerSlug) {
                    throw TakesPaymentOnline()
                }
                return try Bookings.draft(db, business: business, request: request, now: now, actor: actor, confirm: true, noticeWaiver: noticeWaiver,
                                   waitlist: .mustBeEmpty)
            }
        } catch is Bookings.NeedsTheWriter {
            return nil
        }
    }

    /// What an idempotent booking answered: the stored first answer, the booking just made with
    /// the body recorded for it, or a refusal recorded for replays.
    public enum IdempotentBooking: Sendable {
        case replayed(status: Int, body: [UInt8])
        case created(order: OrderView, body: [UInt8])
        case refused(status: Int, body: [UInt8])
    }

    /// Books at once under an `Idempotency-Key`: the lookup, the booking and the record of its
    /// answer are one transaction, so a key answers exactly one booking. `body` renders the answer
    /// recorded for replays; a refusal (`BookingFailure`: taken, closed, …) is recorded as
    /// `refusal` renders it, the booking's partial writes rolled back, and replayed like a success
    /// (Stripe's semantics). The same key with another request hash: `idempotencyMismatch`.
    public func book(business: Business, request: BookingRequest, now: Instant, actor: Actor, apiKeyID: APIKeyID,
                     idempotencyKey: String, requestHash: Data,
                     body: @escaping @Sendable (OrderView, String) -> [UInt8],
                     refusal: @escaping @Sendable (BookingFailure) -> (status: Int, body: [UInt8])) throws -> IdempotentBooking {
        // A replay is answered without the writer; a new key is looked up again inside it.
        if let stored = try read({ db in try Idempotency.live(db, businessID: business.id, keyID: apiKeyID, key: idempotencyKey, now: now) }) {
            guard stored.requestHash == requestHash else { throw BookingFailure.idempotencyMismatch }
            return .replayed(status: stored.status, body: Array(stored.body.utf8))
        }
        // A refusal is recorded under the key by the writer: a draft that refuses leaves it all to the writer.
        let draft = try? draftOutsideTheWriter(business: business, request: request, now: now, actor: actor, noticeWaiver: nil)
        return try write { db in
            if let stored = try Idempotency.lookup(db, businessID: business.id, keyID: apiKeyID, key: idempotencyKey, now: now) {
                guard stored.requestHash == requestHash else { throw BookingFailure.idempotencyMismatch }
                return .replayed(status: stored.status, body: Array(stored.body.utf8))
            }
            var made: (order: OrderView, accessToken: String)?
            do {
                try db.inSavepoint {
                    switch try draft.map({ try Bookings.commit(db, $0, noticeWaiver: nil) }) {
                    case .inserted(let orderID, let token):
                        guard let order = try draft?.order(id: orderID) ?? BookingReads.order(db, businessID: business.id, orderID: orderID) else {
                            throw BookingFailure.orderNotFound
                        }
                        made = (order, token ?? "")
                    case .booked(let order, let token):
                        made = (order, token)
                    case nil:
                        made = try Bookings.book(db, business: business, request: request, now: now, actor: actor)
                    }
                    return .commit
                }
            } catch let failure as BookingFailure {
                let answer = refusal(failure)
                try Idempotency.record(db, businessID: business.id, keyID: apiKeyID, key: idempotencyKey, requestHash: requestHash,
                                       status: answer.status, body: String(decoding: answer.body, as: UTF8.self), now: now)
                return .refused(status: answer.status, body: answer.body)
            }
            guard let (order, token) = made else { throw BookingFailure.orderNotFound }
            let answer = body(order, token)
            try Idempotency.record(db, businessID: business.id, keyID: apiKeyID, key: idempotencyKey, requestHash: requestHash,
                                   status: 201, body: String(decoding: answer, as: UTF8.self), now: now)
            return .created(order: order, body: answer)
        }
    }

    /// Confirms a hold (re-checked in this transaction); `customer` replaces the hold's details.
    /// `payWithCredit`: one of the customer's credits pays it, redeemed in this transaction
    /// (`BookingFailure.creditRefused` when none can).
    public func confirmHold(business: Business, holdID: String, customer: CustomerDetails? = nil, now: Instant,
                            actor: Actor, payWithCredit: Bool = false) throws -> (order: OrderView, accessToken: String) {
        try write { db in
            try Bookings.confirm(db, business: business, holdID: holdID, customer: customer, now: now, actor: actor,
                                 payWithCredit: payWithCredit)
        }
    }

    /// Cancels and refunds by the version's tiers; the time is free once this returns.
    /// `byBusiness`: the business cancels (staff pages): everything paid is refunded.
    public func cancelBooking(business: Business, publicID: String, reason: String, now: Instant,
                              actor: Actor, byBusiness: Bool = false) throws -> Cancellation {
        try write { db in
            try Bookings.cancel(db, business: business, publicID: publicID, reason: reason, now: now, actor: actor, byBusiness: byBusiness)
        }
    }

    /// Moves a booking to `start` under `rules` (the customer's, or the business's for staff and keys),
    /// re-priced at the new time in the same transaction when the owner's policy says so (`Repricing`).
    /// `scope`: a member limited to a location may not move a booking onto another location's resources.
    public func reschedule(business: Business, publicID: String, start: Instant, now: Instant, actor: Actor,
                           rules: Bookings.RescheduleRules, scope: LocationScope = .everywhere) throws -> OrderView {
        try write { db in
            let moved = try Bookings.reschedule(db, business: business, publicID: publicID, start: start, now: now, actor: actor, rules: rules)
            try LocationScopes.requireResources(db, businessID: business.id, ids: moved.resources.map(\.id), scope: scope)
            return try Repricing.afterMove(db, business: business, order: moved, now: now, actor: actor)
        }
    }

    /// Moves a booking along the state machine (check in, complete, no-show).
    public func transition(business: Business, publicID: String, to next: BookingStatus, now: Instant,
                           actor: Actor) throws -> OrderView {
        try write { db in try Bookings.transition(db, business: business, publicID: publicID, to: next, now: now, actor: actor) }
    }

    /// Blocks `range` on a resource (time off, a meeting); audited.
    /// `scope`: a member limited to a location blocks only that location's resources.
    public func blockTime(business: Business, resourceSlug: String, range: TimeRange, reason: String, now: Instant,
                          actor: Actor, scope: LocationScope = .everywhere) throws {
        try write { db in
            if scope.location != nil, let id = try Catalog.resourceID(db, businessID: business.id, slug: resourceSlug) {
                try LocationScopes.requireResources(db, businessID: business.id, ids: [id], scope: scope)
            }
            try StaffBookings.block(db, business: business, resourceSlug: resourceSlug, range: range, reason: reason, now: now, actor: actor)
        }
    }
}

extension AppDatabase {
    /// Marks holds whose time has run out as expired (they stopped blocking at their expiry
    /// anyway); returns how many.
    @discardableResult
    public func expireHolds(now: Instant) throws -> Int {
        try write { db in try Bookings.expireHolds(db, now: now) }
    }
}
