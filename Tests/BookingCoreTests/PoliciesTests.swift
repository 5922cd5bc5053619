import BookingCore
import Testing

struct PoliciesTests {
    let start = F.t("2026-12-01T14:00:00Z")
    /// The demo's tiers: 100 % at least 24 h before, 50 % later, nothing after the start.
    let tiers = [CancellationTier(minHoursBefore: 24, refundPercent: 100), CancellationTier(minHoursBefore: 0, refundPercent: 50)]

    @Test(arguments: [(48, 100, Int64(4000)), (24, 100, 4000), (23, 50, 2000), (0, 50, 2000), (-1, 0, 0)])
    func refundFollowsTheTiers(hoursBefore: Int, percent: Int, amount: Int64) {
        let r = Policies.refund(paid: 4000, start: start, now: start - Int64(hoursBefore) * 3600, tiers: tiers)
        #expect(r == Refund(amount: amount, percent: percent))
    }

    @Test func refundRoundsHalfUpAndIgnoresTierOrder() {
        let r = Policies.refund(paid: 3333, start: start, now: start - 3600, tiers: tiers.reversed())
        #expect(r == Refund(amount: 1667, percent: 50))
        #expect(Policies.refund(paid: 3333, start: start, now: start - 3600, tiers: []).amount == 0)
    }

    @Test func noShowChargesAPercentOfThePrice() {
        #expect(Policies.noShowCharge(total: 4999, feePercent: 50) == 2500)
        #expect(Policies.noShowCharge(total: 4999, feePercent: 0) == 0)
        #expect(Policies.noShowCharge(total: 4999, feePercent: 150) == 4999)
    }

    @Test func rescheduleRespectsTheCutoff() {
        var spec = F.spec()
        spec.rescheduleCutoffHours = 12
        #expect(Policies.canReschedule(spec, start: start, now: start - 12 * 3600))
        #expect(!Policies.canReschedule(spec, start: start, now: start - 12 * 3600 + 1))
        spec.rescheduleAllowed = false
        #expect(!Policies.canReschedule(spec, start: start, now: start - 100 * 3600))
    }
}
