import BookingCore
import Foundation
import GRDB

extension Bookings {
    /// Confirms a hold. Re-checked inside this transaction: only a `held` order whose expiry has not
    /// passed can become a booking, and its time must still be free of everything but itself.
    /// Returns the booking and its guest access token (shown once).
    /// A hold that asks for an online payment is confirmed only by the payment (`paid`, with the
    /// guest token made when the payment was asked for).
    /// `payWithCredit`: one of the customer's credits pays the whole price (`Wallets.redeem`, in this
    /// transaction), so no online payment is asked for.
    static func confirm(_ db: Database, business: Business, holdID: String, customer: CustomerDetails? = nil,
                        now: Instant, actor: Actor, paidToken: String? = nil,
                        payWithCredit: Bool = false) throws -> (order: OrderView, accessToken: String) {
        guard let order = try BookingReads.order(db, businessID: business.id, publicID: holdID) else { throw BookingFailure.orderNotFound }
        guard order.status == .held else {
            throw BookingFailure.illegalTransition(IllegalTransition(from: order.status, to: .confirmed))
        }
        guard let expiry = order.holdExpiresAt, expiry > now else { throw BookingFailure.holdExpired }
        guard order.paymentDue == 0 || paidToken != nil || payWithCredit else { throw BookingFailure.paymentRequired }
        guard let spec = try Catalog.offerVersion(db, businessID: business.id, versionID: order.offerVersionID),
              let zone = TimeZone(identifier: business.timeZone) else { throw BookingFailure.offerNotFound }
        // A booking needs contact details: the ones given now, else those the hold was made with.
        try validate(BookingRequest(offerSlug: order.offerSlug, start: order.start, customer: customer ?? order.customer,
                                    partySize: order.partySize, source: order.source), spec: spec)
        if let memberID = customer?.householdMemberID {
            // A booking may be for one of the booking user's own household members only.
            let owned = try customer?.userID.map { userID in
                try Bool.fetchOne(db, sql: "SELECT 1 FROM household_members WHERE id = ? AND user_id = ?", arguments: [memberID, userID])
            } ?? nil
            guard owned == true else {
                throw BookingFailure.invalid(field: "household_member", message: "choose yourself or one of your own household members")
            }
        }
        // Defence in depth: the held time must still be free when this order is left out.
        let window = TimeRange(start: order.start - 3 * 86_400, end: order.end + 4 * 86_400)
        let schedules = try ScheduleLoader.schedules(db, businessID: business.id, spec: spec, window: window, now: now,
                                                     excludingOrder: order.id)
        // Multi-day: the order's own length (a rental by date, across DST changes too), on any minute.
        var checked = spec
        if spec.mode == .multiDay {
            checked.duration = .fixed(Int(max(1, (order.end - order.start) / 60)))
            checked.slotIntervalMinutes = 1
        }
        let query = AvailabilityQuery(offerID: order.offerID, spec: checked, resources: schedules, timeZone: zone, now: order.createdAt,
                                      partySize: order.partySize, requestedResourceIDs: order.resources.map(\.id),
                                      durationMinutes: Int((order.end - order.start) / 60))
        if case .unavailable(let reasons) = AvailabilityEngine.check(query, start: order.start),
           reasons.contains(where: \.isConflict) {
            throw BookingFailure.slotUnavailable(reasons)
        }
        if payWithCredit {
            let who = customer ?? order.customer
            try Wallets.redeem(db, businessID: business.id, order: order, userID: who.userID,
                               forHouseholdMember: who.householdMemberID != nil, now: now, actor: actor)
        }
        let status = spec.statusAfterCheckout
        // A public hold that becomes a request awaiting approval keeps its time like a hold: it counts
        // against the email's open requests (`HoldLimits.openRequestsPerEmail`).
        if status == .pending, try HoldOrigins.isPublicHold(db, businessID: business.id, orderID: order.id) {
            try HoldOrigins.check(db, businessID: business.id, email: (customer ?? order.customer).email, except: order.id, now: now)
        }
        let token = paidToken ?? Tokens.secret()
        if let customer {
            try db.cachedStatement(sql: """
                UPDATE booking_orders SET customer_name = ?, customer_email = ?, customer_phone = ?, customer_user_id = COALESCE(?, customer_user_id),
                  household_member_id = ?, notes = ? WHERE business_id = ? AND id = ?
                """).execute(arguments: [customer.name, customer.email, customer.phone, customer.userID, customer.householdMemberID,
                                 customer.notes, business.id, order.id])
            try IntakeAnswers.record(db, businessID: business.id, orderID: order.id, customer: customer, spec: spec)
        }
        try db.cachedStatement(sql: """
            UPDATE booking_orders SET status = ?, hold_expires_at = NULL, access_token_hash = ?, updated_at = ?
            WHERE business_id = ? AND id = ? AND status = 'held'
            """).execute(arguments: [status.rawValue, Tokens.hash(token), now, business.id, order.id])
        try db.execute(sql: "UPDATE resource_assignments SET hold_expires_at = NULL WHERE business_id = ? AND order_id = ?",
                       arguments: [business.id, order.id])
        try recordEvent(db, businessID: business.id, orderID: order.id, from: .held, to: status, at: now, actor: actor)
        try Outbox.bookingCreated(db, businessID: business.id, orderID: order.id, status: status, start: order.start,
                                  customer: customer ?? order.customer, token: token, now: now)
        try Waitlists.claimed(db, businessID: business.id, orderID: order.id, now: now)
        try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "booking.confirm",
                            subject: "booking:\(order.publicID)", details: ["status": status.rawValue])
        guard let confirmed = try BookingReads.order(db, businessID: business.id, publicID: holdID) else { throw BookingFailure.orderNotFound }
        return (confirmed, token)
    }

    /// Cancels: frees the time at once and refunds what the version's tiers give at `now`.
    /// `byBusiness`: the business called it off (staff pages, a class below its minimum): everything
    /// paid comes back. `declined`: the business refuses a `pending` booking (only a pending one),
    /// also in full; the customer gets the `declined` email and `booking.declined` is announced
    /// besides the cancellation. A Stripe payment is refunded through Stripe: the answer says how
    /// much (`stripeRefund`), and the ledger row follows Stripe's refund. `releasesPlace`: the freed
    /// place goes to the waitlist (false only when the whole session is called off).
    static func cancel(_ db: Database, business: Business, publicID: String, reason: String, now: Instant,
                       actor: Actor, byBusiness: Bool = false, declined: Bool = false, releasesPlace: Bool = true) throws -> Cancellation {
        guard let order = try BookingReads.order(db, businessID: business.id, publicID: publicID) else { throw BookingFailure.orderNotFound }
        if declined && order.status != .pending {
            throw BookingFailure.illegalTransition(IllegalTransition(from: order.status, to: .cancelled))
        }
        guard let spec = try Catalog.offerVersion(db, businessID: business.id, versionID: order.offerVersionID) else {
            throw BookingFailure.offerNotFound
        }
        guard reason.unicodeScalars.count <= 500 else { throw BookingFailure.invalid(field: "reason", message: "keep the reason under 500 characters") }
        try move(db, businessID: business.id, order: order, to: .cancelled, now: now, actor: actor, reason: reason)
        var stripeRefund: StripeRefundDue?
        // What a gift card paid is refunded by the same tiers, to the card first (split tender).
        let giftPaid = try GiftCardLedger.paid(db, businessID: business.id, orderID: order.id)
        let whole = PaymentRules.cancellationRefund(paid: order.paid + giftPaid, start: order.start, now: now, tiers: spec.cancellationTiers,
                                                    byBusiness: byBusiness || declined)
        let (toGiftCard, refund) = GiftCards.split(whole, giftPaid: giftPaid)
        if toGiftCard > 0 {
            try GiftCardLedger.giveBack(db, businessID: business.id, orderID: order.id, amount: toGiftCard, now: now, actor: actor.label)
        }
        let intent = try PaymentLedger.bookingIntent(db, businessID: business.id, orderID: order.id)
        if let intent, refund.amount > 0 {
            let due = StripeRefundDue(orderID: order.id, paymentIntent: intent, amount: refund.amount,
                                      currency: order.price.currency, percent: refund.percent)
            // Owed from this commit on, whoever cancelled (a page, the API, a decline, the worker):
            // the caller asks Stripe at once, and the payments sweep makes any refund still open.
            try PaymentLedger.owe(db, businessID: business.id, refund: due, now: now)
            stripeRefund = due
        } else if refund.amount > 0 {
            try db.cachedStatement(sql: """
                INSERT INTO ledger_entries (business_id, order_id, kind, amount, currency, method, at, note)
                VALUES (?, ?, 'refund', ?, ?, 'card_on_file', ?, ?)
                """).execute(arguments: [business.id, order.id, -refund.amount, order.price.currency, now, "\(refund.percent)% per cancellation policy"])
        }
        let credits = try Wallets.returnCredits(db, businessID: business.id, order: order, tiers: spec.cancellationTiers, now: now,
                                                byBusiness: byBusiness || declined, actor: actor)
        try Outbox.bookingCancelled(db, order: order, refund: refund, credits: credits, declined: declined, now: now)
        if declined {
            try DomainEvents.emit(db, businessID: business.id, type: .bookingDeclined, orderID: order.id, now: now)
        }
        try db.execute(sql: "UPDATE booking_orders SET cancel_reason = ? WHERE business_id = ? AND id = ?",
                       arguments: [reason, business.id, order.id])
        // The freed place goes to whoever waits for it, in this same transaction (not for a session called off).
        if releasesPlace { try Waitlists.released(db, business: business, order: order, now: now) }
        try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: declined ? "booking.decline" : "booking.cancel",
                            subject: "booking:\(order.publicID)",
                            details: ["refund": String(refund.amount), "percent": String(refund.percent), "reason": reason])
        guard let cancelled = try BookingReads.order(db, businessID: business.id, publicID: publicID) else { throw BookingFailure.orderNotFound }
        return Cancellation(order: cancelled, refund: refund, stripeRefund: stripeRefund)
    }

    /// Moves an order along the state machine (check in, complete, no-show, approve), recording the
    /// event; illegal moves are refused with the state machine's sentence, and moves before their
    /// time (`LifecycleTiming`, the business's settings) with `tooEarly`.
    static func transition(_ db: Database, business: Business, publicID: String, to next: BookingStatus,
                                  now: Instant, actor: Actor) throws -> OrderView {
        guard let order = try BookingReads.order(db, businessID: business.id, publicID: publicID) else { throw BookingFailure.orderNotFound }
        if order.status.canMove(to: next) {
            // A legal move can still be too early: a no-show before the start would free time still to come.
            let timing = try lifecycleTiming(db, businessID: business.id)
            do {
                try timing.check(next, start: order.start, now: now)
            } catch {
                throw BookingFailure.tooEarly(error)
            }
        }
        try move(db, businessID: business.id, order: order, to: next, now: now, actor: actor)
        if order.status == .pending && next == .confirmed {
            try Outbox.bookingApproved(db, order: order, now: now)
        }
        try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "booking.\(next.rawValue)",
                            subject: "booking:\(order.publicID)", details: ["from": order.status.rawValue])
        guard let moved = try BookingReads.order(db, businessID: business.id, publicID: publicID) else { throw BookingFailure.orderNotFound }
        return moved
    }

    static func move(_ db: Database, businessID: BusinessID, order: OrderView, to next: BookingStatus, now: Instant, actor: Actor,
                     reason: String = "") throws {
        do {
            _ = try order.status.moving(to: next)
        } catch {
            throw BookingFailure.illegalTransition(error)
        }
        try db.execute(sql: "UPDATE booking_orders SET status = ?, updated_at = ? WHERE business_id = ? AND id = ? AND status = ?",
                       arguments: [next.rawValue, now, businessID, order.id, order.status.rawValue])
        guard db.changesCount == 1 else { throw BookingFailure.illegalTransition(IllegalTransition(from: order.status, to: next)) }
        if !next.blocksTime {
            try db.execute(sql: "UPDATE resource_assignments SET blocks = 0 WHERE business_id = ? AND order_id = ?",
                           arguments: [businessID, order.id])
        }
        try recordEvent(db, businessID: businessID, orderID: order.id, from: order.status, to: next, at: now, actor: actor, reason: reason)
    }

    /// Marks holds whose expiry has passed as expired (they already stopped blocking at expiry); the
    /// time each lets go is offered to those waiting for it, in this transaction.
    @discardableResult
    static func expireHolds(_ db: Database, now: Instant) throws -> Int {
        try expire(db, Row.fetchAll(db.cachedStatement(sql: """
            SELECT business_id, id, offer_id, starts_at FROM booking_orders WHERE status = 'held' AND hold_expires_at <= ? LIMIT 1000
            """), arguments: [now]), now: now, promoting: true)
    }

    /// The same for one start of one offer only (the waitlist settles it before anyone takes it,
    /// and promotes itself).
    static func expireHolds(_ db: Database, businessID: BusinessID, offerID: OfferID, start: Instant, now: Instant) throws {
        try expire(db, Row.fetchAll(db.cachedStatement(sql: """
            SELECT business_id, id, offer_id, starts_at FROM booking_orders
            WHERE business_id = ? AND offer_id = ? AND starts_at = ? AND status = 'held' AND hold_expires_at <= ?
            """), arguments: [businessID, offerID, start, now]), now: now, promoting: false)
    }

    @discardableResult
    private static func expire(_ db: Database, _ expired: [Row], now: Instant, promoting: Bool) throws -> Int {
        var businesses: [BusinessID: Business] = [:]
        for row in expired {
            let businessID: BusinessID = row["business_id"], orderID: BookingID = row["id"]
            try db.execute(sql: "UPDATE booking_orders SET status = 'expired', updated_at = ? WHERE business_id = ? AND id = ?",
                           arguments: [now, businessID, orderID])
            try db.execute(sql: "UPDATE resource_assignments SET blocks = 0 WHERE business_id = ? AND order_id = ?",
                           arguments: [businessID, orderID])
            try recordEvent(db, businessID: businessID, orderID: orderID, from: .held, to: .expired, at: now, actor: .system)
            try Waitlists.lapsed(db, businessID: businessID, orderID: orderID, now: now)
            try Wallets.giveBack(db, businessID: businessID, orderID: orderID, now: now)
            try GiftCardLedger.giveBack(db, businessID: businessID, orderID: orderID, now: now, actor: Actor.system.label)
            guard promoting else { continue }
            if businesses[businessID] == nil { businesses[businessID] = try Catalog.business(db, id: businessID) }
            if let business = businesses[businessID] {
                try Waitlists.promote(db, business: business, offerID: row["offer_id"], start: row["starts_at"], now: now)
            }
        }
        return expired.count
    }
}
