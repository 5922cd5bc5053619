import BookingCore
import Testing

/// Promo codes' rules (issue 18): which bookings a code applies to and the discount line it adds.
struct PromoCodeTests {
    static let price = PriceBreakdown(currency: "USD", model: "fixed", lines: [.init(label: "Price", amount: 9_999)], total: 9_999, deposit: 9_999)

    @Test func takesTwentyPercentOffAsALineOfTheBreakdown() {
        let paid = PromoCodes.apply(PromoRule(code: "OPENING", discount: .percent(20)), to: Self.price)
        #expect(paid.total == 7_999)   // 9 999 × 0.8 = 7 999.2, half-up
        #expect(paid.lines.last == .init(label: "Promo code OPENING −20%", amount: -2_000))
        #expect(paid.lines.map(\.amount).reduce(0, +) == paid.total)
        #expect(paid.deposit == paid.total)
    }

    @Test func anAmountOffNeverTakesThePriceBelowZero() {
        let paid = PromoCodes.apply(PromoRule(code: "GIFT", discount: .amount(20_000)), to: Self.price)
        #expect(paid.total == 0)
        #expect(paid.lines.map(\.amount).reduce(0, +) == 0)
        let partDeposit = PriceBreakdown(currency: "USD", model: "fixed", lines: [.init(label: "Price", amount: 5_000)], total: 5_000, deposit: 1_000)
        #expect(PromoCodes.apply(PromoRule(code: "TEN", discount: .amount(4_500)), to: partDeposit).deposit == 500)
    }

    @Test func refusesOutsideItsOffersDatesAndLimits() {
        let rule = PromoRule(code: "WEEK", discount: .percent(10), offerIDs: [1], validFrom: LocalDate("2026-12-01"), validUntil: LocalDate("2026-12-07"),
                             totalLimit: 100, perCustomerLimit: 1)
        let inside = LocalDate("2026-12-03")!
        #expect(PromoCodes.check(rule, offerID: 1, today: inside, usesTotal: 99, usesByCustomer: 0) == nil)
        #expect(PromoCodes.check(rule, offerID: 2, today: inside, usesTotal: 0, usesByCustomer: 0) == .notForOffer)
        #expect(PromoCodes.check(rule, offerID: 1, today: LocalDate("2026-11-30")!, usesTotal: 0, usesByCustomer: 0) == .notYet(LocalDate("2026-12-01")!))
        #expect(PromoCodes.check(rule, offerID: 1, today: LocalDate("2026-12-08")!, usesTotal: 0, usesByCustomer: 0) == .ended(LocalDate("2026-12-07")!))
        #expect(PromoCodes.check(rule, offerID: 1, today: LocalDate("2026-12-07")!, usesTotal: 0, usesByCustomer: 0) == nil)
        #expect(PromoCodes.check(rule, offerID: 1, today: inside, usesTotal: 100, usesByCustomer: 0) == .usedUp)
        #expect(PromoCodes.check(rule, offerID: 1, today: inside, usesTotal: 5, usesByCustomer: 1) == .usedByCustomer(1))
        #expect(PromoCodes.check(PromoRule(code: "ALL", discount: .percent(5)), offerID: 42, today: inside, usesTotal: 10_000, usesByCustomer: 50) == nil)
    }

    @Test func codesCompareTrimmedInUpperCase() {
        #expect(PromoCodes.normalize("  opening-week \n") == "OPENING-WEEK")
    }
}
