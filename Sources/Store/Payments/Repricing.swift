import BookingCore
import Foundation
import GRDB

/// A moved booking's price under the owner's reschedule policy (issue 16), written in the moving
/// transaction: with `charge_difference` the booking's frozen breakdown becomes the new time's
/// quote (and what is due online follows it), so what the customer sees is what the ledger will
/// hold once the difference is charged or refunded. The price it had is kept in the audit entry
/// (`booking.reprice`, with the previous breakdown) and the booking's history.
enum Repricing {
    /// `order`: the booking just moved (still at its old price). Returns it as it is now.
    static func afterMove(_ db: Database, business: Business, order: OrderView, now: Instant, actor: Actor) throws -> OrderView {
        guard let account = try PaymentLedger.account(db, businessID: business.id), account.reschedulePricing == .chargeDifference,
              let spec = try Catalog.offerVersion(db, businessID: business.id, versionID: order.offerVersionID), spec.mode != .multiDay,
              let zone = TimeZone(identifier: business.timeZone) else { return order }
        let discounted = try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM promo_redemptions WHERE business_id = ? AND order_id = ?)
                OR EXISTS (SELECT 1 FROM entitlement_movements WHERE business_id = ? AND order_id = ? AND kind = 'redeem')
            """, arguments: [business.id, order.id, business.id, order.id]) ?? false
            // A member discount is a line a quote cannot make again either: the sold price stands.
            || order.price.lines.contains { $0.label.hasPrefix(Memberships.discountLabel) }
        let quote = Pricing.quote(spec, start: order.start, end: order.end, partySize: order.partySize, now: now, timeZone: zone)
        guard let price = PaymentRules.repriced(current: order.price, quote: quote, policy: account.reschedulePricing,
                                                discounted: discounted) else { return order }
        return try apply(db, business: business, order: order, price: price, reason: "re-priced at the new time", now: now, actor: actor)
    }

    /// Writes `price` as the moved booking's price (and what is due online follows it: only a booking
    /// that paid online has an amount due online), with the event and the audit entry that keep the
    /// price it had (`booking.reprice`). Also used by rentals moved to dates of another length.
    @discardableResult
    static func apply(_ db: Database, business: Business, order: OrderView, price: PriceBreakdown, reason: String, now: Instant,
                      actor: Actor) throws -> OrderView {
        let due = order.paymentDue > 0 ? PaymentRules.dueNow(price, onlinePayments: true) : 0
        try db.execute(sql: """
            UPDATE booking_orders SET price_total = ?, price_deposit = ?, price_breakdown = ?, payment_due = ?, updated_at = ?
            WHERE business_id = ? AND id = ?
            """, arguments: [price.total, price.deposit, try SpecRow.json(price), due, now, business.id, order.id])
        let from = Currency.format(order.price.total, order.price.currency), to = Currency.format(price.total, price.currency)
        try Bookings.recordEvent(db, businessID: business.id, orderID: order.id, from: order.status, to: order.status, at: now, actor: actor,
                                 reason: "\(reason) from \(from) to \(to)")
        try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "booking.reprice",
                            subject: "booking:\(order.publicID)",
                            details: ["from_total": String(order.price.total), "to_total": String(price.total),
                                      "previous_breakdown": try SpecRow.json(order.price), "due_online": String(due)])
        return try BookingReads.order(db, businessID: business.id, orderID: order.id) ?? order
    }
}
