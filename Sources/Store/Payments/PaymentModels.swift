public import BookingCore
public import Foundation

/// A business's connected Stripe account: the secrets stay sealed (`SecretBox`), the hints are for display.
public struct PaymentAccount: Sendable, Hashable {
    public let businessID: BusinessID
    public let secretKeySealed: Data
    public let webhookSecretSealed: Data
    public let publishableKey: String
    public let secretKeyHint: String
    public let webhookSecretHint: String
    public let reschedulePricing: ReschedulePricing
    public let connectedAt: Instant

    public init(businessID: BusinessID, secretKeySealed: Data, webhookSecretSealed: Data, publishableKey: String, secretKeyHint: String,
                webhookSecretHint: String, reschedulePricing: ReschedulePricing, connectedAt: Instant) {
        self.businessID = businessID
        self.secretKeySealed = secretKeySealed
        self.webhookSecretSealed = webhookSecretSealed
        self.publishableKey = publishableKey
        self.secretKeyHint = secretKeyHint
        self.webhookSecretHint = webhookSecretHint
        self.reschedulePricing = reschedulePricing
        self.connectedAt = connectedAt
    }
}

/// A PaymentIntent Bizing created (`payment_intents`).
public struct PaymentIntentRecord: Sendable, Hashable {
    public enum Purpose: String, Sendable { case booking, noShowFee = "no_show_fee", reschedule, refund }
    public enum Status: String, Sendable { case open, succeeded, failed, canceled }

    public let businessID: BusinessID
    public let orderID: BookingID
    public let stripeID: String
    public let clientSecret: String
    public let purpose: Purpose
    public let amount: Int64
    public let currency: String
    public let stripeCustomer: String?
    public let paymentMethod: String?
    public let status: Status
    public let lastError: String
    public let accessTokenSealed: Data?

    public init(businessID: BusinessID, orderID: BookingID, stripeID: String, clientSecret: String, purpose: Purpose, amount: Int64, currency: String,
                stripeCustomer: String?, paymentMethod: String?, status: Status, lastError: String, accessTokenSealed: Data?) {
        self.businessID = businessID
        self.orderID = orderID
        self.stripeID = stripeID
        self.clientSecret = clientSecret
        self.purpose = purpose
        self.amount = amount
        self.currency = currency
        self.stripeCustomer = stripeCustomer
        self.paymentMethod = paymentMethod
        self.status = status
        self.lastError = lastError
        self.accessTokenSealed = accessTokenSealed
    }
}

/// What paying a hold needs: the hold, the amount due now and its intent when one exists.
public struct HoldPayment: Sendable {
    public let business: Business
    public let order: OrderView
    public let account: PaymentAccount
    public let dueNow: Int64
    /// The card is kept for off-session use (the version has a no-show fee).
    public let saveCard: Bool
    public let intent: PaymentIntentRecord?

    public init(business: Business, order: OrderView, account: PaymentAccount, dueNow: Int64, saveCard: Bool, intent: PaymentIntentRecord?) {
        self.business = business
        self.order = order
        self.account = account
        self.dueNow = dueNow
        self.saveCard = saveCard
        self.intent = intent
    }
}

/// What settling a succeeded payment did.
public enum PaymentSettlement: Sendable {
    /// The hold became a booking (its token is the guest link's).
    case confirmed(OrderView, accessToken: String)
    /// Recorded before (the redirect and the webhook both arrive; the second finds this).
    case alreadySettled(OrderView)
    /// The money arrived but the hold had expired or gone: it is refunded in full.
    case holdGone(OrderView, StripeRefundDue)
    /// A payment that is not a booking's hold (a no-show fee, a difference): recorded.
    case recorded(OrderView)
}

/// One row of the ledger, for reconciliation and the booking's history.
public struct LedgerRow: Sendable, Hashable {
    public let orderPublicID: String
    public let kind: String
    public let amount: Int64
    public let currency: String
    public let stripeID: String?
    public let at: Instant
}

/// A payment that failed where staff must see it (a no-show fee declined).
public struct PaymentProblem: Sendable, Hashable {
    public let orderPublicID: String
    public let message: String
    public let at: Instant
    /// A refund owed rather than a charge (the booking's page lists those with a retry).
    public var isRefund = false
}
