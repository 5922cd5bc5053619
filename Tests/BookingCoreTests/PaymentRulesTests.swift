import BookingCore
import Testing

struct PaymentRulesTests {
    @Test func statusComesFromTheLedger() {
        #expect(PaymentStatus.derive(due: 0, charged: 0, refunded: 0) == .notRequired)
        #expect(PaymentStatus.derive(due: 1800, charged: 0, refunded: 0) == .requiresPayment)
        #expect(PaymentStatus.derive(due: 1800, charged: 1800, refunded: 0) == .paid)
        #expect(PaymentStatus.derive(due: 1800, charged: 1800, refunded: 900) == .partiallyRefunded)
        #expect(PaymentStatus.derive(due: 1800, charged: 1800, refunded: 1800) == .refunded)
    }

    @Test func dueNowIsTheDepositOnlyWithOnlinePayments() {
        let price = PriceBreakdown(currency: "USD", model: "fixed", lines: [], total: 9000, deposit: 1800)
        #expect(PaymentRules.dueNow(price, onlinePayments: true) == 1800)
        #expect(PaymentRules.dueNow(price, onlinePayments: false) == 0)
        let full = PriceBreakdown(currency: "USD", model: "fixed", lines: [], total: 9000, deposit: 9000)
        #expect(PaymentRules.dueNow(full, onlinePayments: true) == 9000)
    }

    @Test func theBusinessRefundsEverythingTheCustomerByTheTiers() {
        let tiers = [CancellationTier(minHoursBefore: 24, refundPercent: 100), CancellationTier(minHoursBefore: 0, refundPercent: 50)]
        let start: Instant = 100_000
        #expect(PaymentRules.cancellationRefund(paid: 1800, start: start, now: start - 3600, tiers: tiers, byBusiness: false)
                == Refund(amount: 900, percent: 50))
        #expect(PaymentRules.cancellationRefund(paid: 1800, start: start, now: start - 3600, tiers: tiers, byBusiness: true)
                == Refund(amount: 1800, percent: 100))
        #expect(PaymentRules.refundable(policy: 900, charged: 1800, refunded: 1500) == 300)
    }

    @Test func noShowFeeIsThePercentageLessWhatWasPaid() {
        #expect(PaymentRules.noShowFeeOwed(total: 9000, feePercent: 50, paid: 1800) == 2700)
        #expect(PaymentRules.noShowFeeOwed(total: 9000, feePercent: 10, paid: 1800) == 0)
        #expect(PaymentRules.rescheduleDifference(oldTotal: 9000, newTotal: 9900, policy: .chargeDifference) == 900)
        #expect(PaymentRules.rescheduleDifference(oldTotal: 9000, newTotal: 9900, policy: .keepPrice) == 0)
    }
}
