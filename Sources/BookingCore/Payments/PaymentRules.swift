/// A booking's payment status, derived from its ledger (CONTRACT.md `payment.status`).
public enum PaymentStatus: String, Hashable, Sendable, CaseIterable {
    case notRequired = "not_required"
    case requiresPayment = "requires_payment"
    case paid
    case partiallyRefunded = "partially_refunded"
    case refunded

    /// `due`: what was asked for online at booking; `charged`: the sum of the ledger's charges and
    /// fees; `refunded`: the sum of its refunds and disputes, as a positive amount.
    public static func derive(due: Int64, charged: Int64, refunded: Int64) -> PaymentStatus {
        if charged <= 0 { return due > 0 ? .requiresPayment : .notRequired }
        if refunded <= 0 { return .paid }
        return refunded >= charged ? .refunded : .partiallyRefunded
    }
}

/// How a reschedule re-prices a paid booking (the owner's choice on the payments page).
public enum ReschedulePricing: String, Hashable, Sendable, CaseIterable {
    /// The booking keeps the price it was sold at.
    case keepPrice = "keep_price"
    /// The new time is priced afresh: a higher price is charged, a lower one refunded.
    case chargeDifference = "charge_difference"
}

/// Money decisions of the payment flows. Pure; amounts in minor units.
public enum PaymentRules {
    /// What is taken online at booking: the version's deposit (the whole price when the deposit is
    /// 100 %), and nothing when the business takes no online payments.
    public static func dueNow(_ price: PriceBreakdown, onlinePayments: Bool) -> Int64 {
        onlinePayments ? max(0, min(price.deposit, price.total)) : 0
    }

    /// Whether checkout saves the customer's card without charging it (a Stripe SetupIntent): the
    /// version has a no-show fee, there is a price for it to be a share of, and nothing is due now
    /// (when something is, the card is saved with that payment instead).
    public static func savesCardWithoutPayment(dueNow: Int64, total: Int64, noShowFeePercent: Int, onlinePayments: Bool) -> Bool {
        onlinePayments && dueNow == 0 && total > 0 && noShowFeePercent > 0
    }

    /// The refund to send now: the policy's amount, never more than what is still refundable.
    public static func refundable(policy: Int64, charged: Int64, refunded: Int64) -> Int64 {
        max(0, min(policy, charged - refunded))
    }

    /// The refund for a cancellation: the version's tiers for the customer, everything for the business.
    public static func cancellationRefund(paid: Int64, start: Instant, now: Instant, tiers: [CancellationTier],
                                          byBusiness: Bool) -> Refund {
        byBusiness ? Refund(amount: max(0, paid), percent: 100) : Policies.refund(paid: paid, start: start, now: now, tiers: tiers)
    }

    /// What a reschedule moves: positive to charge, negative to refund, zero when the price is kept.
    public static func rescheduleDifference(oldTotal: Int64, newTotal: Int64, policy: ReschedulePricing) -> Int64 {
        policy == .keepPrice ? 0 : newTotal - oldTotal
    }

    /// The price a booking keeps after a move: under `chargeDifference`, the new time's quote (the
    /// caller then charges or refunds the difference); nil when the price stays as it was sold — the
    /// owner keeps prices, the quote is the same, another currency, or the price carries a promo
    /// code or a credit (`discounted`: lines a quote cannot make again, so the sold price stands).
    public static func repriced(current: PriceBreakdown, quote: PriceBreakdown, policy: ReschedulePricing,
                                discounted: Bool) -> PriceBreakdown? {
        guard policy == .chargeDifference, !discounted, quote.currency == current.currency, quote != current else { return nil }
        return quote
    }

    /// The no-show fee still to charge: the version's percentage of the price, less what was paid.
    public static func noShowFeeOwed(total: Int64, feePercent: Int, paid: Int64) -> Int64 {
        max(0, Policies.noShowCharge(total: total, feePercent: feePercent) - max(0, paid))
    }
}
