public import BookingCore
import Foundation
import GRDB

/// A promo code as the builder lists it, with its uses so far.
public struct PromoCodeInfo: Sendable, Hashable {
    public let id: Int64
    public let rule: PromoRule
    public let uses: Int
}

/// Promo codes (issue 18), one transaction each; audited.
extension AppDatabase {
    /// The business's codes with the uses that count against their limits at `now`.
    public func promoCodes(businessID: BusinessID, now: Instant) throws -> [PromoCodeInfo] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM promo_codes WHERE business_id = ? ORDER BY code", arguments: [businessID]).map { row in
                PromoCodeInfo(id: row["id"], rule: try Promos.rule(db, row: row),
                              uses: try Promos.liveUses(db, businessID: businessID, promoID: row["id"], now: now))
            }
        }
    }

    /// Adds a code; false when the business already has one spelled the same (nothing changes).
    public func createPromoCode(businessID: BusinessID, _ rule: PromoRule, actor: String, now: Instant) throws -> Bool {
        try write { db in try Promos.create(db, businessID: businessID, rule, actor: actor, now: now) }
    }

    /// Applies `code` to the hold `holdID` for the customer `email`: checks the code's rules and use
    /// counts, records the use and freezes the discounted price, in one transaction (so a code with
    /// N uses left is used exactly N times, however many check out at once). Applying the same code
    /// to the same hold again changes nothing. Refused with `BookingFailure.promoRefused`. A gift
    /// card's code is taken too: the card pays what it can (`BookingFailure.giftCardRefused`).
    public func applyPromoCode(business: Business, holdID: String, code: String, email: String, now: Instant) throws -> OrderView {
        try write { db in
            guard let order = try BookingReads.order(db, businessID: business.id, publicID: holdID) else { throw BookingFailure.orderNotFound }
            guard order.status == .held else { throw BookingFailure.illegalTransition(IllegalTransition(from: order.status, to: .confirmed)) }
            return try Redemptions.applyCode(db, business: business, order: order, code: code, email: email, now: now, actor: .guest)
        }
    }
}

enum Promos {
    /// Adds a code in the caller's transaction (the builder's, or the demo's seed); false when the
    /// business already has one spelled the same (nothing changes).
    static func create(_ db: Database, businessID: BusinessID, _ rule: PromoRule, actor: String, now: Instant) throws -> Bool {
        let code = PromoCodes.normalize(rule.code)
        guard try Promos.row(db, businessID: businessID, code: code) == nil else { return false }
        let (kind, value): (String, Int64) = switch rule.discount {
        case .percent(let p): ("percent", Int64(p))
        case .amount(let a): ("amount", a)
        }
        try db.execute(sql: """
            INSERT INTO promo_codes (business_id, code, kind, value, valid_from, valid_until, total_limit, per_customer_limit, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [businessID, code, kind, value, rule.validFrom?.description, rule.validUntil?.description, rule.totalLimit,
                             rule.perCustomerLimit, now])
        let id = db.lastInsertedRowID
        let offers = try Set(OfferID.fetchAll(db, sql: "SELECT id FROM offers WHERE business_id = ?", arguments: [businessID]))
        for offer in rule.offerIDs where offers.contains(offer) {
            try db.execute(sql: "INSERT INTO promo_code_offers (business_id, promo_id, offer_id) VALUES (?, ?, ?)",
                           arguments: [businessID, id, offer])
        }
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "promo.create", subject: "promo:\(id)",
                            details: ["code": code, kind: String(value)])
        return true
    }

    /// Applies `code` to `order` for the customer `email` in the caller's transaction: checks the
    /// code's rules and use counts, records the use and freezes the discounted price. The same code
    /// on the same order again changes nothing; another code is refused. Returns the order as it is now.
    static func redeem(_ db: Database, business: Business, order: OrderView, code: String, email: String, now: Instant,
                       actor: Actor) throws -> OrderView {
        let normalized = PromoCodes.normalize(code)
        guard let row = try row(db, businessID: business.id, code: normalized), let zone = ZoneClock(identifier: business.timeZone) else {
            throw BookingFailure.promoRefused(.unknown)
        }
        let promoID: Int64 = row["id"]
        if let applied = try Int64.fetchOne(db, sql: "SELECT promo_id FROM promo_redemptions WHERE business_id = ? AND order_id = ?",
                                            arguments: [business.id, order.id]) {
            guard applied == promoID else {
                throw BookingFailure.invalid(field: "promo_code", message: "this booking already has a promo code")
            }
            return order
        }
        let rule = try rule(db, row: row)
        let total = try liveUses(db, businessID: business.id, promoID: promoID, now: now)
        let mine = try liveUses(db, businessID: business.id, promoID: promoID, email: email, now: now)
        if let refusal = PromoCodes.check(rule, offerID: order.offerID, today: zone.local(now).date, usesTotal: total, usesByCustomer: mine) {
            throw BookingFailure.promoRefused(refusal)
        }
        let price = PromoCodes.apply(rule, to: order.price)
        try db.execute(sql: """
            INSERT INTO promo_redemptions (business_id, promo_id, order_id, customer_email, amount, at) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [business.id, promoID, order.id, email, order.price.total - price.total, now])
        try Redemptions.freeze(db, businessID: business.id, order: order, price: price)
        try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "promo.redeem",
                            subject: "booking:\(order.publicID)", details: ["code": normalized])
        guard let updated = try BookingReads.order(db, businessID: business.id, orderID: order.id) else { throw BookingFailure.orderNotFound }
        return updated
    }

    /// The uses of a code that count against its limits at `now`, all of them or one customer's: a
    /// use on a hold that lapsed unpaid (expired, or held past its expiry) is given back. The
    /// insert trigger of migration 0094 counts the same way.
    static func liveUses(_ db: Database, businessID: BusinessID, promoID: Int64, email: String? = nil, now: Instant) throws -> Int {
        try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM promo_redemptions r
              JOIN booking_orders o ON o.business_id = r.business_id AND o.id = r.order_id
             WHERE r.business_id = ? AND r.promo_id = ? AND (? IS NULL OR r.customer_email = ?)
               AND o.status <> 'expired' AND NOT (o.status = 'held' AND o.hold_expires_at <= ?)
            """, arguments: [businessID, promoID, email, email, now]) ?? 0
    }

    static func row(_ db: Database, businessID: BusinessID, code: String) throws -> Row? {
        try Row.fetchOne(db, sql: "SELECT * FROM promo_codes WHERE business_id = ? AND code = ?", arguments: [businessID, code])
    }

    static func rule(_ db: Database, row: Row) throws -> PromoRule {
        let offers = try OfferID.fetchAll(db, sql: "SELECT offer_id FROM promo_code_offers WHERE business_id = ? AND promo_id = ?",
                                          arguments: [row["business_id"] as BusinessID, row["id"] as Int64])
        let value: Int64 = row["value"]
        return PromoRule(code: row["code"], discount: (row["kind"] as String) == "percent" ? .percent(Int(value)) : .amount(value),
                         offerIDs: Set(offers), validFrom: (row["valid_from"] as String?).flatMap { LocalDate($0) },
                         validUntil: (row["valid_until"] as String?).flatMap { LocalDate($0) },
                         totalLimit: row["total_limit"], perCustomerLimit: row["per_customer_limit"])
    }
}
