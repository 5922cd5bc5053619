public import BookingCore
public import Foundation
import GRDB

/// Cards saved without a payment (issue 16, migration 0100): a hold of a version with a no-show fee
/// and nothing due now gets a Stripe SetupIntent; it becomes the booking once Stripe says the card
/// is set up, exactly once, whichever of the card step, the redirect back and the webhook is first.
extension AppDatabase {
    /// What saving a card for this hold needs; nil when the hold takes no card this way (no Stripe,
    /// something due now, no no-show fee, nothing to pay).
    public func holdCardSetup(business: Business, holdID: String) throws -> HoldCardSetup? {
        try read { db in
            guard let account = try PaymentLedger.account(db, businessID: business.id),
                  let order = try BookingReads.order(db, businessID: business.id, publicID: holdID),
                  let spec = try Catalog.offerVersion(db, businessID: business.id, versionID: order.offerVersionID) else { return nil }
            let due = max(order.paymentDue, PaymentRules.dueNow(order.price, onlinePayments: true))
            guard PaymentRules.savesCardWithoutPayment(dueNow: due, total: order.price.total, noShowFeePercent: spec.noShowFeePercent,
                                                       onlinePayments: true) else { return nil }
            let setup = try Row.fetchOne(db, sql: """
                SELECT * FROM card_setups WHERE business_id = ? AND order_id = ? AND status != 'canceled' ORDER BY id DESC LIMIT 1
                """, arguments: [business.id, order.id]).map(CardSetups.record(row:))
            return HoldCardSetup(business: business, order: order, account: account, setup: setup)
        }
    }

    /// Records a SetupIntent Stripe made for a hold (once per SetupIntent id).
    public func recordCardSetup(businessID: BusinessID, orderID: BookingID, stripeID: String, clientSecret: String, stripeCustomer: String,
                                accessTokenSealed: Data?, now: Instant) throws {
        try write { db in
            try db.execute(sql: """
                INSERT INTO card_setups (business_id, order_id, stripe_id, client_secret, stripe_customer, access_token_sealed, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (stripe_id) DO UPDATE SET access_token_sealed = COALESCE(excluded.access_token_sealed, access_token_sealed),
                  updated_at = excluded.updated_at
                """, arguments: [businessID, orderID, stripeID, clientSecret, stripeCustomer, accessTokenSealed, now, now])
        }
    }

    /// Stripe says the SetupIntent succeeded (`paymentMethod`: the card it saved): the card is kept
    /// for the no-show fee and the hold becomes the booking, once. `eventID` (webhooks) is
    /// remembered so the same event twice changes nothing. Nil: unknown SetupIntent, or event seen.
    public func settleCardSetup(business: Business, stripeID: String, paymentMethod: String, eventID: String?, box: SecretBox,
                                now: Instant, actor: Actor) throws -> PaymentSettlement? {
        try write { db in
            if let eventID, !(try PaymentLedger.firstSeen(db, businessID: business.id, eventID: eventID, type: "setup_intent.succeeded", now: now)) {
                return nil
            }
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM card_setups WHERE business_id = ? AND stripe_id = ?",
                                             arguments: [business.id, stripeID]) else { return nil }
            let setup = CardSetups.record(row: row)
            let orderID: BookingID = row["order_id"]
            guard let order = try BookingReads.order(db, businessID: business.id, orderID: orderID) else { throw BookingFailure.orderNotFound }
            try db.execute(sql: """
                UPDATE card_setups SET status = 'succeeded', payment_method = ?, last_error = '', updated_at = ?
                WHERE business_id = ? AND stripe_id = ? AND status != 'succeeded'
                """, arguments: [paymentMethod, now, business.id, stripeID])
            guard db.changesCount == 1 else { return .alreadySettled(order) }
            try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "payment.card_saved",
                                subject: "booking:\(order.publicID)", details: ["stripe": stripeID])
            guard order.status == .held, let expiry = order.holdExpiresAt, expiry > now else { return .recorded(order) }
            let token = try setup.accessTokenSealed.map { try box.open($0) } ?? Tokens.secret()
            let confirmed = try Bookings.confirm(db, business: business, holdID: order.publicID, now: now, actor: actor, paidToken: token)
            return .confirmed(confirmed.order, accessToken: confirmed.accessToken)
        }
    }

    /// A card Stripe would not set up (declined): the hold stays until it expires; the reason is kept.
    public func recordCardSetupFailure(businessID: BusinessID, stripeID: String, message: String, now: Instant) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE card_setups SET status = 'failed', last_error = ?, updated_at = ? WHERE business_id = ? AND stripe_id = ? AND status = 'open'
                """, arguments: [String(message.prefix(500)), now, businessID, stripeID])
        }
    }

    /// The card saved with the booking, for an off-session charge: the card of its succeeded booking
    /// payment, else the card a SetupIntent saved. Nil: no card on file.
    public func savedCard(businessID: BusinessID, orderID: BookingID) throws -> SavedCard? {
        try read { db in
            if let paid = try PaymentLedger.bookingIntent(db, businessID: businessID, orderID: orderID),
               let intent = try PaymentLedger.intent(db, businessID: businessID, stripeID: paid),
               let customer = intent.stripeCustomer, let method = intent.paymentMethod {
                return SavedCard(stripeCustomer: customer, paymentMethod: method)
            }
            return try Row.fetchOne(db, sql: """
                SELECT stripe_customer, payment_method FROM card_setups
                WHERE business_id = ? AND order_id = ? AND status = 'succeeded' ORDER BY id DESC LIMIT 1
                """, arguments: [businessID, orderID]).map { SavedCard(stripeCustomer: $0["stripe_customer"], paymentMethod: $0["payment_method"]) }
        }
    }
}

enum CardSetups {
    static func record(row: Row) -> CardSetupRecord {
        CardSetupRecord(stripeID: row["stripe_id"], clientSecret: row["client_secret"], stripeCustomer: row["stripe_customer"],
                        paymentMethod: row["payment_method"], status: PaymentIntentRecord.Status(rawValue: row["status"]) ?? .open,
                        lastError: row["last_error"], accessTokenSealed: row["access_token_sealed"])
    }
}

/// A SetupIntent Bizing made for a hold (`card_setups`).
public struct CardSetupRecord: Sendable, Hashable {
    public let stripeID: String
    public let clientSecret: String
    public let stripeCustomer: String
    public let paymentMethod: String?
    public let status: PaymentIntentRecord.Status
    public let lastError: String
    public let accessTokenSealed: Data?

    public init(stripeID: String, clientSecret: String, stripeCustomer: String, paymentMethod: String?, status: PaymentIntentRecord.Status,
                lastError: String, accessTokenSealed: Data?) {
        self.stripeID = stripeID
        self.clientSecret = clientSecret
        self.stripeCustomer = stripeCustomer
        self.paymentMethod = paymentMethod
        self.status = status
        self.lastError = lastError
        self.accessTokenSealed = accessTokenSealed
    }
}

/// What saving a card for a hold needs: the hold, the account and its SetupIntent when one exists.
public struct HoldCardSetup: Sendable {
    public let business: Business
    public let order: OrderView
    public let account: PaymentAccount
    public let setup: CardSetupRecord?
}

/// A card on file for an off-session charge.
public struct SavedCard: Sendable, Hashable {
    public let stripeCustomer: String
    public let paymentMethod: String
}
