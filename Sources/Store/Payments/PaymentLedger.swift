import BookingCore
import Foundation
import GRDB

/// The payment tables' helpers, inside the caller's transaction.
enum PaymentLedger {
    static func account(_ db: Database, businessID: BusinessID) throws -> PaymentAccount? {
        // A prepared statement: every API booking asks (parsing the SQL each time was 0.27 M instructions).
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM payment_accounts WHERE business_id = ?"),
                                         arguments: [businessID]) else {
            return nil
        }
        return PaymentAccount(businessID: row["business_id"], secretKeySealed: row["secret_key_sealed"],
                              webhookSecretSealed: row["webhook_secret_sealed"], publishableKey: row["publishable_key"],
                              secretKeyHint: row["secret_key_hint"], webhookSecretHint: row["webhook_secret_hint"],
                              reschedulePricing: ReschedulePricing(rawValue: row["reschedule_policy"]) ?? .keepPrice,
                              connectedAt: row["connected_at"])
    }

    static func holdPayment(_ db: Database, business: Business, holdID: String) throws -> HoldPayment? {
        guard let account = try account(db, businessID: business.id),
              let order = try BookingReads.order(db, businessID: business.id, publicID: holdID) else { return nil }
        let due = order.paymentDue > 0 ? order.paymentDue : PaymentRules.dueNow(order.price, onlinePayments: true)
        guard due > 0 else { return nil }
        let spec = try Catalog.offerVersion(db, businessID: business.id, versionID: order.offerVersionID)
        let intentID = try String.fetchOne(db, sql: """
            SELECT stripe_id FROM payment_intents WHERE business_id = ? AND order_id = ? AND purpose = 'booking' ORDER BY id DESC LIMIT 1
            """, arguments: [business.id, order.id])
        return HoldPayment(business: business, order: order, account: account, dueNow: due,
                           saveCard: (spec?.noShowFeePercent ?? 0) > 0 || account.reschedulePricing == .chargeDifference,
                           intent: try intentID.flatMap { try intent(db, businessID: business.id, stripeID: $0) })
    }

    static func intent(_ db: Database, businessID: BusinessID, stripeID: String) throws -> PaymentIntentRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM payment_intents WHERE business_id = ? AND stripe_id = ?", arguments: [businessID, stripeID])
            .map(intent(row:))
    }

    static func intent(row: Row) -> PaymentIntentRecord {
        PaymentIntentRecord(businessID: row["business_id"], orderID: row["order_id"], stripeID: row["stripe_id"], clientSecret: row["client_secret"],
                            purpose: PaymentIntentRecord.Purpose(rawValue: row["purpose"]) ?? .booking, amount: row["amount"],
                            currency: row["currency"], stripeCustomer: row["stripe_customer"], paymentMethod: row["payment_method"],
                            status: PaymentIntentRecord.Status(rawValue: row["status"]) ?? .open, lastError: row["last_error"],
                            accessTokenSealed: row["access_token_sealed"])
    }

    /// The succeeded booking intent of an order (what its refunds go against).
    static func bookingIntent(_ db: Database, businessID: BusinessID, orderID: BookingID) throws -> String? {
        try String.fetchOne(db, sql: """
            SELECT stripe_id FROM payment_intents WHERE business_id = ? AND order_id = ? AND purpose = 'booking' AND status = 'succeeded'
            ORDER BY id LIMIT 1
            """, arguments: [businessID, orderID])
    }

    /// Appends a ledger row for a Stripe object; false when that object was recorded before.
    static func insert(_ db: Database, businessID: BusinessID, orderID: BookingID, kind: String, amount: Int64, currency: String, stripeID: String,
                       note: String, at: Instant) throws -> Bool {
        try db.execute(sql: """
            INSERT INTO ledger_entries (business_id, order_id, kind, amount, currency, method, at, note, stripe_id)
            VALUES (?, ?, ?, ?, ?, 'stripe', ?, ?, ?) ON CONFLICT DO NOTHING
            """, arguments: [businessID, orderID, kind, amount, currency.uppercased(), at, note, stripeID])
        return db.changesCount == 1
    }

    /// Keeps a refund owed (`payment_intents`, purpose `refund`, status `open`) in the cancelling
    /// transaction; it becomes `succeeded` once Stripe has made it, `failed` when Stripe refused.
    static func owe(_ db: Database, businessID: BusinessID, refund: StripeRefundDue, now: Instant) throws {
        try db.execute(sql: """
            INSERT INTO payment_intents (business_id, order_id, stripe_id, client_secret, purpose, amount, currency, status, created_at, updated_at)
            VALUES (?, ?, ?, '', 'refund', ?, ?, 'open', ?, ?) ON CONFLICT (stripe_id) DO NOTHING
            """, arguments: [businessID, refund.orderID, refund.reference, refund.amount, refund.currency.uppercased(), now, now])
    }

    /// Records a Stripe event id; false when it was recorded before (a redelivery).
    static func firstSeen(_ db: Database, businessID: BusinessID, eventID: String, type: String, now: Instant) throws -> Bool {
        try db.execute(sql: "INSERT INTO stripe_events (business_id, event_id, type, received_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                       arguments: [businessID, eventID, type, now])
        return db.changesCount == 1
    }
}
