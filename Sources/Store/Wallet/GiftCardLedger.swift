import BookingCore
import Foundation
import GRDB

/// Gift cards inside the caller's transaction. Every writer of `gift_card_movements` goes through
/// here: a balance is only ever the sum of the movements, and a card pays for a booking by checking
/// its balance and appending its movement in the booking's own write transaction (SQLite has one
/// writer), so two bookings spending the last of a card at once never take more than is on it.
enum GiftCardLedger {
    static func card(_ db: Database, businessID: BusinessID, code: String) throws -> Row? {
        try Row.fetchOne(db, sql: "SELECT * FROM gift_cards WHERE business_id = ? AND code = ?",
                         arguments: [businessID, PromoCodes.normalize(code)])
    }

    static func balance(_ db: Database, businessID: BusinessID, cardID: Int64) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(amount), 0) FROM gift_card_movements WHERE business_id = ? AND gift_card_id = ?",
                           arguments: [businessID, cardID]) ?? 0
    }

    static func append(_ db: Database, businessID: BusinessID, cardID: Int64, kind: String, amount: Int64, orderID: BookingID?,
                       now: Instant, actor: String) throws {
        try db.execute(sql: """
            INSERT INTO gift_card_movements (business_id, gift_card_id, kind, amount, order_id, at, actor) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [businessID, cardID, kind, amount, orderID, now, actor])
    }

    /// What cards paid of `orderID`, net of what went back to them.
    static func paid(_ db: Database, businessID: BusinessID, orderID: BookingID) throws -> Int64 {
        -(try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(amount), 0) FROM gift_card_movements WHERE business_id = ? AND order_id = ?",
                             arguments: [businessID, orderID]) ?? 0)
    }

    /// Pays what the card `row` can of `order` (`GiftCards.pays`): appends the redemption and freezes
    /// the price left to pay with the card as a line. The same card on the same order again changes
    /// nothing. Refused with `BookingFailure.giftCardRefused` (nothing written).
    static func redeem(_ db: Database, business: Business, order: OrderView, card row: Row, now: Instant, actor: Actor) throws -> OrderView {
        let cardID: Int64 = row["id"], code: String = row["code"]
        let used = try Int64.fetchAll(db, sql: """
            SELECT DISTINCT gift_card_id FROM gift_card_movements WHERE business_id = ? AND order_id = ? AND kind = 'redeem'
            """, arguments: [business.id, order.id])
        if used.contains(cardID) { return order }
        guard used.isEmpty else { throw BookingFailure.giftCardRefused(.anotherCard) }
        let currency: String = row["currency"]
        guard currency == order.price.currency else { throw BookingFailure.giftCardRefused(.otherCurrency(currency)) }
        let amount = GiftCards.pays(balance: try balance(db, businessID: business.id, cardID: cardID), of: order.price)
        guard amount > 0 else { throw BookingFailure.giftCardRefused(.empty) }
        try append(db, businessID: business.id, cardID: cardID, kind: "redeem", amount: -amount, orderID: order.id, now: now, actor: actor.label)
        let price = GiftCards.apply(code: code, amount: amount, to: order.price)
        try Redemptions.freeze(db, businessID: business.id, order: order, price: price)
        try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "gift_card.redeem",
                            subject: "booking:\(order.publicID)", details: ["gift_card": String(cardID), "amount": String(amount)])
        guard let updated = try BookingReads.order(db, businessID: business.id, orderID: order.id) else { throw BookingFailure.orderNotFound }
        return updated
    }

    /// Gives `amount` of what cards paid for `orderID` back to them (the card that paid, newest
    /// redemption first): a cancellation's share, or all of it when a hold lapsed unpaid.
    static func giveBack(_ db: Database, businessID: BusinessID, orderID: BookingID, amount: Int64? = nil, now: Instant,
                         actor: String) throws {
        var left = try amount ?? paid(db, businessID: businessID, orderID: orderID)
        let rows = try Row.fetchAll(db, sql: """
            SELECT gift_card_id, -SUM(amount) AS held FROM gift_card_movements WHERE business_id = ? AND order_id = ?
            GROUP BY gift_card_id HAVING held > 0 ORDER BY MAX(id) DESC
            """, arguments: [businessID, orderID])
        for row in rows where left > 0 {
            let back = min(left, row["held"] as Int64)
            try append(db, businessID: businessID, cardID: row["gift_card_id"], kind: "refund", amount: back, orderID: orderID, now: now,
                       actor: actor)
            left -= back
        }
    }

    /// Cards with their movements: those held by `userID` (at one business or all), or one card.
    static func cards(_ db: Database, userID: UserID? = nil, businessID: BusinessID? = nil, cardID: Int64? = nil) throws -> [GiftCardInfo] {
        try Row.fetchAll(db, sql: """
            SELECT g.*, b.name AS business_name, b.timezone FROM gift_cards g JOIN businesses b ON b.id = g.business_id
            WHERE (? IS NULL OR g.holder_user_id = ?) AND (? IS NULL OR g.business_id = ?) AND (? IS NULL OR g.id = ?)
            ORDER BY g.created_at DESC, g.id DESC
            """, arguments: [userID, userID, businessID, businessID, cardID, cardID]).map { row in
            let business: BusinessID = row["business_id"], id: Int64 = row["id"]
            let movements = try Row.fetchAll(db, sql: """
                SELECT kind, amount, at FROM gift_card_movements WHERE business_id = ? AND gift_card_id = ? ORDER BY id
                """, arguments: [business, id]).map { GiftCardInfo.Movement(kind: $0["kind"], amount: $0["amount"], at: $0["at"]) }
            return GiftCardInfo(id: id, businessID: business, businessName: row["business_name"], timeZone: row["timezone"], code: row["code"],
                                currency: row["currency"], movements: movements, createdAt: row["created_at"])
        }
    }

    /// Issues a card of `amount` with `code` (a new random one when nil), held by `holder`.
    static func issue(_ db: Database, businessID: BusinessID, productID: Int64?, amount: Int64, currency: String, code: String? = nil,
                      holder: UserID?, method: String, actor: String, now: Instant) throws -> Int64 {
        var code = code.map(PromoCodes.normalize)
        if code == nil {
            // 60 random bits: a clash is all but impossible, and a clash is simply drawn again.
            repeat {
                var generator = SystemRandomNumberGenerator()
                let candidate = GiftCards.code((0..<12).map { _ in UInt8.random(in: 0...31, using: &generator) })
                if try card(db, businessID: businessID, code: candidate) == nil { code = candidate }
            } while code == nil
        }
        try db.execute(sql: """
            INSERT INTO gift_cards (business_id, code, product_id, currency, holder_user_id, method, recorded_by, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [businessID, code, productID, currency, holder, method, actor, now])
        let id = db.lastInsertedRowID
        try append(db, businessID: businessID, cardID: id, kind: "issue", amount: amount, orderID: nil, now: now, actor: actor)
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "gift_card.issue", subject: "gift_card:\(id)",
                            details: ["amount": String(amount), "method": method, "holder": holder?.description ?? ""])
        return id
    }

    static func products(_ db: Database, businessID: BusinessID) throws -> [GiftCardProduct] {
        try Row.fetchAll(db, sql: """
            SELECT id, name, amount, currency FROM gift_card_products WHERE business_id = ? AND status = 'live' ORDER BY amount, id
            """, arguments: [businessID]).map { GiftCardProduct(id: $0["id"], name: $0["name"], amount: $0["amount"], currency: $0["currency"]) }
    }
}
