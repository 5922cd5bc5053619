import BookingCore
import Testing

/// Prepaid credits (issue 18): balances from movements, which lot pays, expiry, and what a cancellation gives back.
struct EntitlementTests {
    static let tiers = [CancellationTier(minHoursBefore: 24, refundPercent: 100), CancellationTier(minHoursBefore: 0, refundPercent: 50)]

    static func lot(_ id: EntitlementID, credits: Int = 5, expires: Instant = 10_000, offers: Set<OfferID> = [1],
                    shareable: Bool = false) -> EntitlementLot {
        EntitlementLot(id: id, packageName: "Pass \(id)", offerIDs: offers, shareable: shareable, expiresAt: expires,
                       movements: credits > 0 ? [EntitlementMovement(kind: .grant, credits: credits, at: 0)] : [])
    }

    @Test func balanceIsTheSumOfMovementsForRandomSequencesAndNeverNegative() throws {
        var rng = SplitMix64(seed: 18)
        for _ in 0..<400 {
            // Given a lot with a random grant and expiry
            var lot = Self.lot(1, credits: Int.random(in: 1...6, using: &rng), expires: Int64.random(in: 1_000...20_000, using: &rng))
            var expected = lot.movements[0].credits
            var redeemedOrders: [BookingID] = []
            var now: Instant = 0
            for step in 0..<Int.random(in: 1...40, using: &rng) {
                now += Int64.random(in: 0...1_200, using: &rng)
                let before = lot.balance
                // When a random grant, redeem, expire or refund is applied
                switch Int.random(in: 0..<4, using: &rng) {
                case 0:
                    let credits = Int.random(in: 1...3, using: &rng)
                    lot.movements.append(EntitlementMovement(kind: .grant, credits: credits, at: now))
                    expected += credits
                case 1:
                    let order = BookingID(rawValue: Int64(step + 1))
                    do {
                        let movement = try Entitlements.redeem(lot, orderID: order, at: now)
                        #expect(movement.credits == -1 && movement.kind == .redeem)
                        #expect(before > 0 && !lot.isExpired(at: now), "a redemption was allowed with \(before) left or after expiry")
                        lot.movements.append(movement)
                        expected -= 1
                        redeemedOrders.append(order)
                    } catch {
                        #expect(before == 0 || lot.isExpired(at: now), "a redemption was refused with \(before) usable")
                    }
                case 2:
                    if let movement = Entitlements.expire(lot, at: now) {
                        #expect(lot.isExpired(at: now) && movement.credits == -before)
                        lot.movements.append(movement)
                        expected += movement.credits
                    } else {
                        #expect(!lot.isExpired(at: now) || before == 0)
                    }
                default:
                    guard let order = redeemedOrders.popLast() else { break }
                    let start = now + Int64.random(in: -3_600...(72 * 3_600), using: &rng)
                    let back = Entitlements.creditsReturned(redeemed: 1, start: start, now: now, tiers: Self.tiers, byBusiness: false)
                    #expect(back == (start - now >= 24 * 3_600 ? 1 : 0))
                    if back > 0 {
                        lot.movements.append(EntitlementMovement(kind: .refund, credits: back, at: now, orderID: order))
                        expected += back
                    }
                }
                // Then the balance is the running sum, never below zero, and never more usable than it holds
                #expect(lot.balance == expected)
                #expect(lot.balance == lot.movements.map(\.credits).reduce(0, +))
                #expect(lot.balance >= 0)
                #expect(lot.usable(at: now) <= lot.balance)
            }
        }
    }

    @Test func usesTheCreditThatExpiresFirst() {
        let later = Self.lot(1, expires: 9_000), sooner = Self.lot(2, expires: 5_000), otherOffer = Self.lot(3, expires: 1_000, offers: [2])
        let chosen = Entitlements.choose([later, sooner, otherOffer], offerID: 1, forHouseholdMember: false, now: 100)
        #expect((try? chosen.get())?.id == 2)
    }

    @Test func refusesExpiredCreditAndSaysWhenItExpired() {
        let lapsed = Self.lot(1, expires: 5_000)
        #expect(Entitlements.choose([lapsed], offerID: 1, forHouseholdMember: false, now: 5_000) == .failure(.expired(5_000)))
        #expect(throws: CreditRefusal.expired(5_000)) { try Entitlements.redeem(lapsed, orderID: 1, at: 6_000) }
        #expect(Entitlements.expire(lapsed, at: 6_000) == EntitlementMovement(kind: .expire, credits: -5, at: 6_000))
        #expect(Entitlements.expire(lapsed, at: 4_999) == nil)
    }

    @Test func saysTheCreditExpiredEvenAfterTheSweeperClosedIt() {
        // Given a lot whose 3 remaining credits the expiry sweeper already closed (balance 0)
        var lapsed = Self.lot(1, credits: 3, expires: 5_000)
        lapsed.movements.append(EntitlementMovement(kind: .expire, credits: -3, at: 5_100))
        // Then the checkout says they expired, not that they were used up
        #expect(Entitlements.choose([lapsed], offerID: 1, forHouseholdMember: false, now: 6_000) == .failure(.expired(5_000)))
        #expect(throws: CreditRefusal.expired(5_000)) { try Entitlements.redeem(lapsed, orderID: 1, at: 6_000) }
        // While a lot used up before it expired still reads as used up
        var spent = Self.lot(2, credits: 1, expires: 5_000)
        spent.movements.append(EntitlementMovement(kind: .redeem, credits: -1, at: 100, orderID: 7))
        #expect(Entitlements.choose([spent], offerID: 1, forHouseholdMember: false, now: 6_000) == .failure(.usedUp))
    }

    @Test func refusesUsedUpCreditsAndOtherOffers() {
        var used = Self.lot(1, credits: 1)
        used.movements.append(EntitlementMovement(kind: .redeem, credits: -1, at: 10, orderID: 7))
        #expect(Entitlements.choose([used], offerID: 1, forHouseholdMember: false, now: 100) == .failure(.usedUp))
        #expect(Entitlements.choose([Self.lot(2)], offerID: 9, forHouseholdMember: false, now: 100) == .failure(.noCredits))
        #expect(Entitlements.choose([], offerID: 1, forHouseholdMember: false, now: 100) == .failure(.noCredits))
    }

    @Test func keepsUnshareableCreditsForTheBuyer() {
        let own = Self.lot(1, shareable: false), shared = Self.lot(2, shareable: true)
        #expect(Entitlements.choose([own], offerID: 1, forHouseholdMember: true, now: 100) == .failure(.notShareable))
        #expect((try? Entitlements.choose([own, shared], offerID: 1, forHouseholdMember: true, now: 100).get())?.id == 2)
        #expect((try? Entitlements.choose([own], offerID: 1, forHouseholdMember: false, now: 100).get())?.id == 1)
    }

    @Test func returnsTheCreditEarlyAndKeepsItLate() {
        let start: Instant = 1_000_000
        #expect(Entitlements.creditsReturned(redeemed: 1, start: start, now: start - 48 * 3_600, tiers: Self.tiers, byBusiness: false) == 1)
        #expect(Entitlements.creditsReturned(redeemed: 1, start: start, now: start - 2 * 3_600, tiers: Self.tiers, byBusiness: false) == 0)
        #expect(Entitlements.creditsReturned(redeemed: 1, start: start, now: start + 60, tiers: Self.tiers, byBusiness: false) == 0)
        #expect(Entitlements.creditsReturned(redeemed: 1, start: start, now: start - 2 * 3_600, tiers: Self.tiers, byBusiness: true) == 1)
    }

    @Test func expiresAtTheEndOfTheLocalDayAcrossDSTChanges() {
        let clock = ZoneClock(F.newYork)
        // Bought Wednesday 2027-03-10 12:00 EST, valid 5 days: usable all of Monday 2027-03-15 (EDT since the 14th).
        #expect(Entitlements.expiry(purchasedAt: F.t("2027-03-10T17:00:00Z"), validDays: 5, clock: clock) == F.t("2027-03-16T04:00:00Z"))
        // Bought Friday 2027-11-05 12:00 EDT, valid 2 days: usable all of Sunday 2027-11-07 (EST from that morning).
        #expect(Entitlements.expiry(purchasedAt: F.t("2027-11-05T16:00:00Z"), validDays: 2, clock: clock) == F.t("2027-11-08T05:00:00Z"))
    }

    @Test func aCreditPaysTheWholePriceAsALineOfTheBreakdown() {
        let price = PriceBreakdown(currency: "USD", model: "fixed", lines: [.init(label: "Price", amount: 2_500)], total: 2_500, deposit: 500)
        let paid = Entitlements.paidWithCredit(price, packageName: "5-class pass")
        #expect(paid.total == 0 && paid.deposit == 0)
        #expect(paid.lines.map(\.amount).reduce(0, +) == paid.total)
        #expect(paid.lines.last?.label == "Paid with 1 credit (5-class pass)")
    }
}
