import BookingCore
import Testing

struct PricingTests {
    // Tuesday 2026-12-01 in New York (EST): 14:00Z is 09:00 local.
    let start = F.t("2026-12-01T14:00:00Z")
    let monthBefore = F.t("2026-11-01T14:00:00Z")

    func spec(_ price: PriceModel, rules: [PricingRule] = [], deposit: DepositRule? = nil) -> OfferVersionSpec {
        var s = F.spec()
        s.price = price
        s.pricingRules = rules
        s.deposit = deposit
        return s
    }

    func quote(_ s: OfferVersionSpec, minutes: Int64 = 60, party: Int = 1, start: Instant? = nil,
               now: Instant? = nil) -> PriceBreakdown {
        let st = start ?? self.start
        return Pricing.quote(s, start: st, end: st + minutes * 60, partySize: party, now: now ?? monthBefore,
                             timeZone: F.newYork)
    }

    @Test func fixedPriceIsOneLine() {
        let q = quote(spec(.fixed(Money(4000, "USD"))))
        #expect(q.total == 4000 && q.lines.count == 1 && q.currency == "USD" && q.model == "fixed" && q.deposit == 0)
    }

    @Test func hourlyChargesPerStartedIncrementWithAMinimum() {
        let hourly = spec(.hourly(rate: Money(6000, "EUR"), incrementMinutes: 15, minimumMinutes: 60))
        #expect(quote(hourly, minutes: 50).total == 6000)
        #expect(quote(hourly, minutes: 61).total == 7500)
        #expect(quote(hourly, minutes: 90).total == 9000)
        #expect(quote(hourly, minutes: 90).currency == "EUR")
        let odd = spec(.hourly(rate: Money(1001, "USD"), incrementMinutes: 30, minimumMinutes: 0))
        #expect(quote(odd, minutes: 30).total == 501)  // 500.5 rounds half-up
    }

    @Test func perPersonMultipliesByPartySize() {
        let q = quote(spec(.perPerson(Money(2000, "USD"))), party: 3)
        #expect(q.total == 6000 && q.model == "per_person")
    }

    @Test func timeOfDayAndWeekdayMultipliersApplyInTheBusinessZone() {
        let evening = PricingRule.timeOfDay(from: F.w("17:00"), to: F.w("20:00"), weekdays: nil, multiplierBasisPoints: 12_500)
        let s = spec(.fixed(Money(4000, "USD")), rules: [evening, .weekday([.tuesday], multiplierBasisPoints: 9000)])
        #expect(quote(s).total == 3600)  // 09:00 Tuesday: weekday only
        let at18 = quote(s, start: F.t("2026-12-01T23:00:00Z"))  // 18:00 local, still Tuesday
        #expect(at18.total == 4500 && at18.lines.map(\.amount) == [4000, 1000, -500])
    }

    @Test func roundingRemaindersStayInTheirLine() {
        let s = spec(.fixed(Money(999, "USD")), rules: [.weekday([.tuesday], multiplierBasisPoints: 15_000)])
        let q = quote(s)
        #expect(q.total == 1499 && q.lines.last?.amount == 500)
    }

    @Test func holidaysOverrideOrMultiply() {
        let xmas = F.t("2026-12-25T15:00:00Z")
        let fixed = spec(.fixed(Money(4000, "USD")), rules: [.dateOverride(F.d("2026-12-25"), .fixed(9000))])
        #expect(quote(fixed, start: xmas).total == 9000)
        #expect(quote(fixed).total == 4000)
        let doubled = spec(.fixed(Money(4000, "USD")), rules: [.dateOverride(F.d("2026-12-25"), .multiplierBasisPoints(20_000))])
        #expect(quote(doubled, start: xmas).total == 8000)
    }

    @Test func earlyBirdAndLastMinuteDependOnNow() {
        let s = spec(.fixed(Money(4000, "USD")), rules: [.earlyBird(minDaysAhead: 14, percentOff: 10),
                                                        .lastMinute(withinHours: 24, percentChange: -20)])
        #expect(quote(s, now: monthBefore).total == 3600)
        #expect(quote(s, now: start - 13 * 86_400).total == 4000)
        #expect(quote(s, now: start - 3600).total == 3200)
        let surcharge = spec(.fixed(Money(4000, "USD")), rules: [.lastMinute(withinHours: 24, percentChange: 15)])
        #expect(quote(surcharge, now: start - 3600).total == 4600)
    }

    @Test func depositsArePercentOrFixedAndNeverAboveTotal() {
        #expect(quote(spec(.fixed(Money(3333, "USD")), deposit: .percent(50))).deposit == 1667)
        #expect(quote(spec(.fixed(Money(3333, "USD")), deposit: .percent(25))).deposit == 833)
        #expect(quote(spec(.fixed(Money(3333, "USD")), deposit: .fixed(5000))).deposit == 3333)
        #expect(quote(spec(.fixed(Money(3333, "USD")), deposit: .fixed(1000))).deposit == 1000)
    }

    @Test func linesSumToTheTotalForEveryRuleCombination() {
        let rules: [PricingRule] = [
            .timeOfDay(from: F.w("08:00"), to: F.w("12:00"), weekdays: [.tuesday], multiplierBasisPoints: 11_750),
            .weekday([.tuesday, .friday], multiplierBasisPoints: 8_333),
            .dateOverride(F.d("2026-12-01"), .fixed(7777)),
            .dateOverride(F.d("2026-12-01"), .multiplierBasisPoints(13_333)),
            .earlyBird(minDaysAhead: 7, percentOff: 7),
            .lastMinute(withinHours: 48, percentChange: -13),
            .lastMinute(withinHours: 48, percentChange: 9),
        ]
        let models: [PriceModel] = [.fixed(Money(4999, "USD")), .perPerson(Money(1333, "USD")),
                                    .hourly(rate: Money(7001, "USD"), incrementMinutes: 20, minimumMinutes: 45)]
        let deposits: [DepositRule?] = [nil, .percent(33), .fixed(2500)]
        var checked = 0
        for mask in 0..<(1 << rules.count) {
            let chosen = rules.indices.filter { mask & (1 << $0) != 0 }.map { rules[$0] }
            for model in models {
                for deposit in deposits {
                    for now in [monthBefore, start - 3600] {
                        for party in [1, 3] {
                            let q = quote(spec(model, rules: chosen, deposit: deposit), minutes: 65, party: party, now: now)
                            #expect(q.lines.reduce(0) { $0 + $1.amount } == q.total)
                            #expect(q.total >= 0 && q.deposit >= 0 && q.deposit <= q.total)
                            checked += 1
                        }
                    }
                }
            }
        }
        #expect(checked == 128 * 3 * 3 * 2 * 2)
    }

    @Test func roundHalfUpRoundsHalvesAwayFromZero() {
        #expect(roundHalfUp(5, times: 1, over: 2) == 3)
        #expect(roundHalfUp(-5, times: 1, over: 2) == -3)
        #expect(roundHalfUp(4, times: 1, over: 3) == 1)
        #expect(roundHalfUp(Int64.max / 2, times: 2, over: 2) == Int64.max / 2)
    }
}
