import BookingCore
import Foundation
import GRDB

/// What a booking request redeems (API `redeem`), applied to the order just held, in the caller's
/// transaction: a credit pays the whole price (`Wallets.redeem`), a code discounts it (`Promos.redeem`).
/// A refusal throws before anything is written, so the caller's transaction books nothing.
enum Redemptions {
    static func apply(_ db: Database, business: Business, order: OrderView, _ redemption: Redemption, now: Instant,
                      actor: Actor) throws -> OrderView {
        switch redemption {
        case .credit:
            // A wallet belongs to the account with the booking's address (the API names customers by email).
            let userID = try order.customer.userID ?? AppDatabase.userID(db, email: order.customer.email)
            try Wallets.redeem(db, businessID: business.id, order: order, userID: userID,
                               forHouseholdMember: order.customer.householdMemberID != nil, now: now, actor: actor)
        case .code(let code):
            _ = try applyCode(db, business: business, order: order, code: code, email: order.customer.email, now: now, actor: actor)
        }
        guard let updated = try BookingReads.order(db, businessID: business.id, orderID: order.id) else { throw BookingFailure.orderNotFound }
        return updated
    }

    /// A code typed at checkout or sent in `redeem`: a promo code of the business discounts the
    /// price; otherwise a gift card of the business pays what it can; otherwise it is unknown.
    static func applyCode(_ db: Database, business: Business, order: OrderView, code: String, email: String, now: Instant,
                          actor: Actor) throws -> OrderView {
        if try Promos.row(db, businessID: business.id, code: PromoCodes.normalize(code)) == nil,
           let card = try GiftCardLedger.card(db, businessID: business.id, code: code) {
            return try GiftCardLedger.redeem(db, business: business, order: order, card: card, now: now, actor: actor)
        }
        return try Promos.redeem(db, business: business, order: order, code: code, email: email, now: now, actor: actor)
    }

    /// Freezes a hold's new price. When an online payment was already asked for (`payment_due` set
    /// at the payment step), what is due follows the new price, so the payment asks for the new
    /// amount (the payment service replaces the PaymentIntent made for the old one).
    static func freeze(_ db: Database, businessID: BusinessID, order: OrderView, price: PriceBreakdown) throws {
        let due = order.paymentDue > 0 ? PaymentRules.dueNow(price, onlinePayments: true) : 0
        try db.execute(sql: """
            UPDATE booking_orders SET price_total = ?, price_deposit = ?, price_breakdown = ?, payment_due = ? WHERE business_id = ? AND id = ?
            """, arguments: [price.total, price.deposit, try SpecRow.json(price), due, businessID, order.id])
    }
}
