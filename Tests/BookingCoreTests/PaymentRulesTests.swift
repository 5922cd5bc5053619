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

    @Test func aMoveTakesTheNewTimesPriceOnlyWhenTheOwnerChargesTheDifferenceAndNothingWasDiscounted() {
        let sold = PriceBreakdown(currency: "USD", model: "fixed", lines: [.init(label: "Price", amount: 10000)], total: 10000, deposit: 10000)
        let friday = PriceBreakdown(currency: "USD", model: "fixed",
                                    lines: [.init(label: "Price", amount: 10000), .init(label: "Weekday", amount: 5000)], total: 15000, deposit: 15000)
        #expect(PaymentRules.repriced(current: sold, quote: friday, policy: .chargeDifference, discounted: false) == friday)
        #expect(PaymentRules.repriced(current: sold, quote: friday, policy: .keepPrice, discounted: false) == nil)
        #expect(PaymentRules.repriced(current: sold, quote: friday, policy: .chargeDifference, discounted: true) == nil)
        #expect(PaymentRules.repriced(current: sold, quote: sold, policy: .chargeDifference, discounted: false) == nil)
        var euros = friday
        euros.currency = "EUR"
        #expect(PaymentRules.repriced(current: sold, quote: euros, policy: .chargeDifference, discounted: false) == nil)
    }

    @Test func aCardIsSavedWithoutPaymentOnlyForANoShowFeeWhenNothingIsDueNow() {
        #expect(PaymentRules.savesCardWithoutPayment(dueNow: 0, total: 4000, noShowFeePercent: 50, onlinePayments: true))
        #expect(!PaymentRules.savesCardWithoutPayment(dueNow: 1800, total: 9000, noShowFeePercent: 50, onlinePayments: true))
        #expect(!PaymentRules.savesCardWithoutPayment(dueNow: 0, total: 4000, noShowFeePercent: 0, onlinePayments: true))
        #expect(!PaymentRules.savesCardWithoutPayment(dueNow: 0, total: 0, noShowFeePercent: 50, onlinePayments: true))
        #expect(!PaymentRules.savesCardWithoutPayment(dueNow: 0, total: 4000, noShowFeePercent: 50, onlinePayments: false))
    }
}
