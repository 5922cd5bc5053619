import BookingCore
import Foundation
import GRDB

/// Credits inside the caller's transaction. Every writer of `entitlement_movements` goes through
/// here: a balance is only ever the sum of the movements, and a redemption checks the balance and
/// appends its movement in the booking's own write transaction (SQLite has one writer), so two
/// bookings can never both take a customer's last credit.
enum Wallets {
    /// The customer's lots at one business, each with its movements (oldest first).
    static func lots(_ db: Database, businessID: BusinessID, userID: UserID) throws -> [EntitlementLot] {
        try entries(db, userID: userID, businessID: businessID).map(\.lot)
    }

    /// The customer's lots, at one business or at all of them, newest purchase first.
    static func entries(_ db: Database, userID: UserID, businessID: BusinessID?) throws -> [WalletEntry] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT e.business_id, e.id, e.expires_at, e.price_paid, e.currency, e.method, e.created_at,
                   p.id AS package_id, p.name AS package_name, p.shareable, b.name AS business_name, b.timezone
            FROM entitlements e
            JOIN packages p ON p.business_id = e.business_id AND p.id = e.package_id
            JOIN businesses b ON b.id = e.business_id
            WHERE e.user_id = ? AND (? IS NULL OR e.business_id = ?)
            ORDER BY e.created_at DESC, e.id DESC
            """, arguments: [userID, businessID, businessID])
        return try rows.map { row in
            let business: BusinessID = row["business_id"], id: EntitlementID = row["id"], packageID: PackageID = row["package_id"]
            let offers = try packageOffers(db, businessID: business, packageID: packageID)
            let movements = try Row.fetchAll(db, sql: """
                SELECT kind, credits, at, order_id FROM entitlement_movements WHERE business_id = ? AND entitlement_id = ? ORDER BY id
                """, arguments: [business, id]).map { row in
                EntitlementMovement(kind: EntitlementMovementKind(rawValue: row["kind"]) ?? .transfer, credits: row["credits"],
                                    at: row["at"], orderID: row["order_id"])
            }
            let lot = EntitlementLot(id: id, packageName: row["package_name"], offerIDs: Set(offers.map(\.id)),
                                     shareable: row["shareable"], expiresAt: row["expires_at"], movements: movements)
            return WalletEntry(businessID: business, businessName: row["business_name"], timeZone: row["timezone"], lot: lot,
                               offerNames: offers.map(\.name), pricePaid: row["price_paid"], currency: row["currency"],
                               method: PackagePayment(rawValue: row["method"]) ?? .atVenue, purchasedAt: row["created_at"])
        }
    }

    /// The offers a package's credits pay for, by name.
    static func packageOffers(_ db: Database, businessID: BusinessID, packageID: PackageID) throws -> [PackageInfo.Offer] {
        try Row.fetchAll(db, sql: """
            SELECT o.id, o.name FROM package_offers po JOIN offers o ON o.business_id = po.business_id AND o.id = po.offer_id
            WHERE po.business_id = ? AND po.package_id = ? ORDER BY o.name
            """, arguments: [businessID, packageID]).map { PackageInfo.Offer(id: $0["id"], name: $0["name"]) }
    }

    static func append(_ db: Database, businessID: BusinessID, lot: EntitlementID, _ movement: EntitlementMovement, actor: String) throws {
        try db.cachedStatement(sql: """
            INSERT INTO entitlement_movements (business_id, entitlement_id, kind, credits, order_id, at, actor) VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [businessID, lot, movement.kind.rawValue, movement.credits, movement.orderID, movement.at, actor])
    }

    /// Pays `order` with one credit of its customer: chooses the lot (`Entitlements.choose`), appends
    /// the redemption and freezes the price at 0 with the credit as a line of the breakdown.
    /// Refused with `BookingFailure.creditRefused` (nothing written) when no credit can pay for it.
    static func redeem(_ db: Database, businessID: BusinessID, order: OrderView, userID: UserID?, forHouseholdMember: Bool,
                       now: Instant, actor: Actor) throws {
        guard let userID else { throw BookingFailure.creditRefused(.noCredits) }
        let lots = try lots(db, businessID: businessID, userID: userID)
        let lot: EntitlementLot
        switch Entitlements.choose(lots, offerID: order.offerID, forHouseholdMember: forHouseholdMember, now: now) {
        case .success(let chosen): lot = chosen
        case .failure(let refusal): throw BookingFailure.creditRefused(refusal)
        }
        let movement: EntitlementMovement
        do {
            movement = try Entitlements.redeem(lot, orderID: order.id, at: now)
        } catch {
            throw BookingFailure.creditRefused(error)
        }
        try append(db, businessID: businessID, lot: lot.id, movement, actor: actor.label)
        // A booking paid with a credit gets no member discount: the line comes out before the credit pays.
        let price = Entitlements.paidWithCredit(Memberships.withoutDiscount(order.price), packageName: lot.packageName)
        try db.execute(sql: """
            UPDATE booking_orders SET price_total = 0, price_deposit = 0, payment_due = 0, price_breakdown = ?
            WHERE business_id = ? AND id = ?
            """, arguments: [try SpecRow.json(price), businessID, order.id])
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor.label, action: "credit.redeem",
                            subject: "booking:\(order.publicID)", details: ["entitlement": lot.id.description])
    }

    /// Gives back the credits `order` redeemed, as many as the cancellation tiers allow at `now`
    /// (`Entitlements.creditsReturned`); returns how many it had used and how many came back.
    @discardableResult
    static func returnCredits(_ db: Database, businessID: BusinessID, order: OrderView, tiers: [CancellationTier], now: Instant,
                              byBusiness: Bool, actor: Actor) throws -> (used: Int, returned: Int) {
        let rows = try Row.fetchAll(db, sql: """
            SELECT entitlement_id, -SUM(credits) AS used FROM entitlement_movements
            WHERE business_id = ? AND order_id = ? AND kind IN ('redeem', 'refund') GROUP BY entitlement_id HAVING used > 0
            """, arguments: [businessID, order.id])
        var returned = 0, used = 0
        for row in rows {
            used += row["used"] as Int
            let back = Entitlements.creditsReturned(redeemed: row["used"], start: order.start, now: now, tiers: tiers, byBusiness: byBusiness)
            guard back > 0 else { continue }
            try append(db, businessID: businessID, lot: row["entitlement_id"],
                       EntitlementMovement(kind: .refund, credits: back, at: now, orderID: order.id), actor: actor.label)
            returned += back
        }
        return (used, returned)
    }

    /// Gives back every credit `orderID` still holds (a hold that lapsed unpaid): a `refund`
    /// movement per lot, so the lot's balance is what it was before the hold.
    static func giveBack(_ db: Database, businessID: BusinessID, orderID: BookingID, now: Instant) throws {
        let rows = try Row.fetchAll(db, sql: """
            SELECT entitlement_id, -SUM(credits) AS held FROM entitlement_movements
            WHERE business_id = ? AND order_id = ? AND kind IN ('redeem', 'refund') GROUP BY entitlement_id HAVING held > 0
            """, arguments: [businessID, orderID])
        for row in rows {
            try append(db, businessID: businessID, lot: row["entitlement_id"],
                       EntitlementMovement(kind: .refund, credits: row["held"], at: now, orderID: orderID), actor: Actor.system.label)
        }
    }

    /// Closes every lot past its expiry with credits left (an `expire` movement each); returns how many.
    static func expireLapsed(_ db: Database, now: Instant) throws -> Int {
        let rows = try Row.fetchAll(db, sql: """
            SELECT e.business_id, e.id, SUM(m.credits) AS left FROM entitlements e
            JOIN entitlement_movements m ON m.business_id = e.business_id AND m.entitlement_id = e.id
            WHERE e.expires_at <= ?
              -- A member's lot that rolls over is closed by the start of its next period that is not paused
              -- (MembershipLedger.startPeriod): what rolls over waits through a pause.
              AND NOT EXISTS (SELECT 1 FROM membership_periods mp
                  JOIN membership_subscriptions s ON s.business_id = mp.business_id AND s.id = mp.subscription_id
                  JOIN membership_plans pl ON pl.business_id = s.business_id AND pl.id = s.plan_id
                  WHERE mp.business_id = e.business_id AND mp.entitlement_id = e.id AND s.status = 'active' AND pl.rollover = 1
                    AND (s.ends_at IS NULL OR s.ends_at > e.expires_at)
                    AND NOT EXISTS (SELECT 1 FROM membership_periods nx
                        WHERE nx.business_id = mp.business_id AND nx.subscription_id = mp.subscription_id AND nx.idx > mp.idx
                          AND nx.state <> 'paused'))
            GROUP BY e.business_id, e.id HAVING left > 0 LIMIT 1000
            """, arguments: [now])
        for row in rows {
            try append(db, businessID: row["business_id"], lot: row["id"],
                       EntitlementMovement(kind: .expire, credits: -(row["left"] as Int), at: now), actor: Actor.system.label)
        }
        return rows.count
    }
}
