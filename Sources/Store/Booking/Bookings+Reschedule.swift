public import BookingCore
import Foundation
import GRDB

extension Bookings {
    /// Who asks for a move, and so which rules apply: staff and integrators may move any confirmed or
    /// pending booking; a customer only where the offer version allows it, before its reschedule
    /// cutoff and before the booking starts.
    public enum RescheduleRules: Sendable {
        case business
        case customer
    }

    /// Why a customer may not move `order` at `now`, as a sentence; nil when they may.
    public static func customerRescheduleRefusal(order: OrderView, spec: OfferVersionSpec, now: Instant) -> String? {
        if order.status == .cancelled { return "This booking was cancelled, so it cannot be moved. You can book a new time instead." }
        guard order.status == .confirmed || order.status == .pending else {
            return "This booking can no longer be moved."
        }
        if order.start <= now { return "This booking has already started or is over, so it cannot be moved." }
        if spec.mode == .class { return "Class bookings cannot be moved: cancel this one and book another session instead." }
        guard spec.rescheduleAllowed else { return "This service cannot be rescheduled online. Please contact the business." }
        guard Policies.canReschedule(spec, start: order.start, now: now) else {
            return "Bookings can be moved online until \(spec.rescheduleCutoffHours == 1 ? "1 hour" : "\(spec.rescheduleCutoffHours) hours") "
                + "before they start, and that time has passed. Please contact the business."
        }
        return nil
    }

    /// Moves a confirmed or pending booking to `start` (same offer version, duration and price),
    /// keeping its resources when they are free then, else any qualified ones. The new time is
    /// checked in this transaction with the booking itself left out, so the old time is free for it
    /// and no one else can take the new one in between. The booking keeps its id; the move is
    /// recorded as an event and audited as `booking.reschedule`. `releasing` false leaves the old
    /// time's waitlist to the caller (a series moving as a whole releases once all have moved).
    ///
    /// `rental`: a rental by date moved to new dates (issue 21). Its terms turn them into instants and
    /// a new length, the whole period is checked again, and the booking is re-priced for the new
    /// length in this same transaction (same number of items).
    static func reschedule(_ db: Database, business: Business, publicID: String, start requestedStart: Instant, now: Instant,
                           actor: Actor, rules: RescheduleRules = .business, releasing: Bool = true,
                           rental: RentalDates? = nil) throws -> OrderView {
        guard let order = try BookingReads.order(db, businessID: business.id, publicID: publicID) else { throw BookingFailure.orderNotFound }
        guard let stored = try Catalog.offerVersion(db, businessID: business.id, versionID: order.offerVersionID),
              let zone = TimeZone(identifier: business.timeZone) else { throw BookingFailure.offerNotFound }
        // Items of a capacity asset the booking takes (1 but for rentals of several, 0135).
        let units = try Int.fetchOne(db.cachedStatement(sql: "SELECT MAX(units) FROM resource_assignments WHERE business_id = ? AND order_id = ?"),
                                     arguments: [business.id, order.id]) ?? 1
        var spec = stored, start = requestedStart
        var minutes = Int((order.end - order.start) / 60)
        var rentalPrice: PriceBreakdown?
        if var dates = rental {
            dates.quantity = units
            let plan = try Rentals.plan(db, business: business, versionID: order.offerVersionID, spec: stored, dates: dates, zone: zone)
            start = plan.period.start
            minutes = Int((plan.period.end - plan.period.start) / 60)
            spec = plan.spec
            rentalPrice = plan.price
        }
        if rules == .customer {
            // The customer's sentence first; the business's checks below apply to everyone.
            if let refusal = customerRescheduleRefusal(order: order, spec: stored, now: now) {
                throw BookingFailure.notMovable(refusal)
            }
            guard start != order.start || (rental != nil && start + Int64(minutes) * 60 != order.end) else {
                throw BookingFailure.invalid(field: rental == nil ? "start" : "pick_up",
                                             message: rental == nil ? "that is already the time of this booking; pick another one"
                                                 : "those are already the dates of this rental; pick others")
            }
        }
        guard order.status == .confirmed || order.status == .pending else {
            throw BookingFailure.notMovable("only confirmed or pending bookings can be moved")
        }
        guard spec.mode != .class else {
            throw BookingFailure.invalid(field: "start", message: "class bookings move with their session; cancel and book again")
        }
        let window = TimeRange(start: start - 3 * 86_400, end: start + 4 * 86_400 + Int64(minutes + spec.bufferAfterMinutes) * 60)
        let loaded = try ScheduleLoader.load(db, businessID: business.id, spec: spec, window: window, now: now, excludingOrder: order.id)
        var schedules = loaded.schedules
        let strategy = loaded.strategy
        if units > 1 {
            let period = TimeRange(start: start, end: start + Int64(minutes) * 60)
            schedules = Rentals.reserving(schedules, quantity: units, blocked: spec.blockedRange(for: period))
        }
        func check(_ requested: [ResourceID]) -> StartCheck {
            AvailabilityEngine.check(AvailabilityQuery(offerID: order.offerID, spec: spec, resources: schedules, timeZone: zone, now: now,
                                                       partySize: order.partySize, requestedResourceIDs: requested,
                                                       durationMinutes: minutes, strategy: strategy), start: start)
        }
        var slot: Slot
        switch check(order.resources.map(\.id)) {
        case .bookable(let found): slot = found
        case .unavailable(let reasons):
            guard case .bookable(let found) = check([]) else { throw BookingFailure.from(reasons) }
            slot = found
        }
        let blocked = spec.blockedRange(for: TimeRange(start: slot.start, end: slot.end))
        try Outbox.bookingRescheduled(db, order: order, to: slot.start, now: now)
        try DomainEvents.emit(db, businessID: business.id, type: .bookingRescheduled, orderID: order.id, now: now)
        try db.execute(sql: "UPDATE booking_orders SET starts_at = ?, ends_at = ?, updated_at = ? WHERE business_id = ? AND id = ?",
                       arguments: [slot.start, slot.end, now, business.id, order.id])
        try db.execute(sql: """
            UPDATE fulfillment_units SET starts_at = ?, ends_at = ?, blocked_from = ?, blocked_to = ? WHERE business_id = ? AND order_id = ?
            """, arguments: [slot.start, slot.end, blocked.start, blocked.end, business.id, order.id])
        guard let unitID = try Int64.fetchOne(db, sql: "SELECT id FROM fulfillment_units WHERE business_id = ? AND order_id = ? ORDER BY id LIMIT 1",
                                              arguments: [business.id, order.id]) else { throw BookingFailure.orderNotFound }
        try db.execute(sql: "DELETE FROM resource_assignments WHERE business_id = ? AND order_id = ?", arguments: [business.id, order.id])
        try assign(db, businessID: business.id, unitID: unitID, orderID: order.id, offerID: order.offerID, slot: slot, blocked: blocked,
                   isClass: false, partySize: order.partySize, holdExpiresAt: nil, units: units)
        let from = RFC3339.format(order.start), to = RFC3339.format(slot.start)
        try recordEvent(db, businessID: business.id, orderID: order.id, from: order.status, to: order.status, at: now, actor: actor,
                        reason: "rescheduled from \(from) to \(to)")
        try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "booking.reschedule",
                            subject: "booking:\(order.publicID)", details: ["from": from, "to": to])
        // A rental by date is priced again for its new length (same items), in this transaction.
        if let price = rentalPrice, price != order.price {
            try Repricing.apply(db, business: business, order: order, price: price, reason: "re-priced for the new dates", now: now, actor: actor)
        }
        // The time left behind goes to whoever waits for it, in this same transaction.
        if releasing && order.start != slot.start { try Waitlists.released(db, business: business, order: order, now: now) }
        guard let moved = try BookingReads.order(db, businessID: business.id, publicID: publicID) else { throw BookingFailure.orderNotFound }
        return moved
    }
}
