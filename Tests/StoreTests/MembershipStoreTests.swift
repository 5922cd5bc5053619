import BookingCore
import Foundation
import GRDB
@testable import Store
import Testing

/// Memberships through the door (issue 18), on a real database file: periods started once by the
/// worker, credits as wallet lots, rollover, pause, cancel, the member discount, and tenancy.
struct MembershipStoreTests {
    /// Sunday 2026-11-22 12:00 New York: memberships signed up now are anchored on the 22nd.
    static let now = DemoStore.seededAt
    static let clock = ZoneClock(identifier: "America/New_York")!
    /// Monday 2026-11-30 09:00 New York.
    static let mondayNine = RFC3339.parse("2026-11-30T14:00:00Z")!

    struct Fixture: Sendable {
        let database: AppDatabase
        let business: Business
        let customer: User
        let plan: Int64
    }

    func fixture(rollover: Bool = true, cap: Int = 2, discount: Int = 10, maxPause: Int = 2, notice: Int? = nil) throws -> Fixture {
        let (database, business) = try DemoStore.open("members")
        let yoga = try #require(try database.liveOffers(businessID: business.id).first { $0.slug == "yoga-class" })
        let plan = try database.createMembershipPlan(
            businessID: business.id,
            NewMembershipPlan(name: "Yoga monthly", pricePerMonth: 8_000, creditsPerPeriod: 4, offerIDs: [yoga.id], rollover: rollover,
                              rolloverCap: rollover ? cap : 0, discountPercent: discount, maxPauseMonths: maxPause, cancelNoticeDays: notice),
            actor: "user:1", now: Self.now)
        return Fixture(database: database, business: business, customer: try #require(try database.user(email: "customer@demo.test")),
                       plan: plan)
    }

    func signUp(_ f: Fixture) throws -> Int64 {
        try f.database.signUpMember(businessID: f.business.id, planID: f.plan, customerEmail: "customer@demo.test", payment: .atVenue,
                                    actor: "user:2", now: Self.now)
    }

    /// Noon on a New York date.
    static func noon(_ date: String) -> Instant { clock.day(LocalDate(date)!).start + 12 * 3600 }

    func membership(_ f: Fixture, at now: Instant) throws -> MembershipInfo {
        try #require(try f.database.memberships(userID: f.customer.id, now: now).first)
    }

    func count(_ f: Fixture, _ sql: String) throws -> Int {
        try f.database.pool.read { try Int.fetchOne($0, sql: sql) ?? -1 }
    }

    /// Every lot's balance (from the pages' reads) equals the sum of all movements in the table.
    func expectBalancesAreSums(_ f: Fixture) throws {
        let lots = try f.database.wallet(userID: f.customer.id).map(\.lot.balance).reduce(0, +)
        #expect(lots == (try count(f, "SELECT COALESCE(SUM(credits), 0) FROM entitlement_movements")))
    }

    @Test func signingUpAtTheVenueGrantsTheFirstPeriodsCreditsUntilItsEnd() throws {
        let f = try fixture()
        _ = try signUp(f)
        let member = try membership(f, at: Self.now)
        #expect(member.state == .active)
        #expect(member.startedOn == LocalDate("2026-11-22"))
        #expect(member.nextRenewal == Self.clock.day(LocalDate("2026-12-22")!).start)
        #expect(member.periods.map(\.state) == ["paid"])
        let lots = try f.database.wallet(userID: f.customer.id)
        #expect(lots.map(\.lot.balance) == [4])
        #expect(lots.first?.lot.expiresAt == Self.clock.day(LocalDate("2026-12-22")!).start)
        #expect(lots.first?.offerNames == ["Lunchtime yoga"])
        // A membership's package is not for sale as a package.
        #expect(try f.database.packages(businessID: f.business.id).allSatisfy { $0.name != "Yoga monthly" })
        try expectBalancesAreSums(f)
    }

    @Test func theWorkerRunTwiceGrantsEachPeriodOnce() throws {
        let f = try fixture()
        _ = try signUp(f)
        let later = Self.noon("2027-01-25")   // in the third period (Jan 22 – Feb 22)
        #expect(try f.database.renewMemberships(now: later) == 2)
        #expect(try f.database.renewMemberships(now: later) == 0)
        #expect(try f.database.renewMemberships(now: later + 3600) == 0)
        #expect(try count(f, "SELECT COUNT(*) FROM entitlement_movements WHERE kind = 'grant'") == 3)
        let member = try membership(f, at: later)
        #expect(member.periods.map(\.index) == [2, 1, 0])
        #expect(member.due.count == 2)
        try expectBalancesAreSums(f)
    }

    @Test func rolloverCarriesUnusedCreditsUpToTheCapAndExpiresTheRest() throws {
        let f = try fixture(rollover: true, cap: 2)
        _ = try signUp(f)
        let second = Self.noon("2026-12-23")
        // The expiry step runs first here: the rolling lot waits for its next period.
        #expect(try f.database.expireEntitlements(now: second) == 0)
        try f.database.renewMemberships(now: second)
        try f.database.expireEntitlements(now: second)
        let usable = try f.database.wallet(userID: f.customer.id).map { $0.lot.usable(at: second) }.reduce(0, +)
        #expect(usable == 6)   // 4 new + 2 of 4 rolled over
        #expect(try count(f, "SELECT COUNT(*) FROM entitlement_movements WHERE kind = 'transfer'") == 2)
        #expect(try count(f, "SELECT -SUM(credits) FROM entitlement_movements WHERE kind = 'expire'") == 2)
        // The next period carries at most the cap again.
        try f.database.renewMemberships(now: Self.noon("2027-01-23"))
        let third = try f.database.wallet(userID: f.customer.id).map { $0.lot.usable(at: Self.noon("2027-01-23")) }.reduce(0, +)
        #expect(third == 6)
        try expectBalancesAreSums(f)
    }

    @Test func withoutRolloverUnusedCreditsExpireAtThePeriodsEnd() throws {
        let f = try fixture(rollover: false)
        _ = try signUp(f)
        let second = Self.noon("2026-12-23")
        try f.database.expireEntitlements(now: second)
        try f.database.renewMemberships(now: second)
        let usable = try f.database.wallet(userID: f.customer.id).map { $0.lot.usable(at: second) }.reduce(0, +)
        #expect(usable == 4)
        #expect(try count(f, "SELECT COUNT(*) FROM entitlement_movements WHERE kind = 'transfer'") == 0)
        try expectBalancesAreSums(f)
    }

    @Test func aPausedPeriodGrantsNothingAndOwesNothing() throws {
        let f = try fixture(maxPause: 2)
        let id = try signUp(f)
        // Three months is beyond the plan's maximum.
        #expect(throws: MembershipFailure.self) {
            try f.database.pauseMembership(businessID: f.business.id, membershipID: id, userID: f.customer.id, months: 3,
                                           actor: "user:\(f.customer.id)", now: Self.now)
        }
        try f.database.pauseMembership(businessID: f.business.id, membershipID: id, userID: f.customer.id, months: 1,
                                       actor: "user:\(f.customer.id)", now: Self.now)
        try f.database.renewMemberships(now: Self.noon("2026-12-23"))
        #expect(try membership(f, at: Self.noon("2026-12-23")).state == .paused)
        #expect(try count(f, "SELECT COUNT(*) FROM entitlement_movements WHERE kind = 'grant'") == 1)
        #expect(try count(f, "SELECT COUNT(*) FROM membership_periods WHERE state = 'paused' AND amount = 0") == 1)
        try f.database.renewMemberships(now: Self.noon("2027-01-23"))
        #expect(try membership(f, at: Self.noon("2027-01-23")).state == .active)
        #expect(try count(f, "SELECT COUNT(*) FROM entitlement_movements WHERE kind = 'grant'") == 2)
        // The change is audited and the member told.
        #expect(try count(f, "SELECT COUNT(*) FROM audit_log WHERE action = 'membership.pause'") == 1)
        #expect(try count(f, "SELECT COUNT(*) FROM outbox WHERE kind = 'confirmation' AND data LIKE '%\"event\":\"pause\"%'") == 1)
        try expectBalancesAreSums(f)
    }

    @Test func rolledOverCreditsWaitThroughAPauseForTheFirstMonthAfterIt() throws {
        let f = try fixture(rollover: true, cap: 2, maxPause: 2)
        let id = try signUp(f)   // 4 credits for Nov 22 – Dec 22, none used
        try f.database.pauseMembership(businessID: f.business.id, membershipID: id, userID: f.customer.id, months: 2,
                                       actor: "user:\(f.customer.id)", now: Self.now)
        // Both paused months: the two credits beyond the cap expire at once, the two that roll over wait,
        // usable by nobody (their lot is past its expiry) and kept by the expiry sweep too.
        for day in ["2026-12-23", "2027-01-23"] {
            let now = Self.noon(day)
            try f.database.renewMemberships(now: now)
            try f.database.expireEntitlements(now: now)
            #expect(try f.database.wallet(userID: f.customer.id).map { $0.lot.usable(at: now) }.reduce(0, +) == 0)
            #expect(try count(f, "SELECT -SUM(credits) FROM entitlement_movements WHERE kind = 'expire'") == 2)
            #expect(try count(f, "SELECT COALESCE(SUM(credits), 0) FROM entitlement_movements") == 2)
        }
        // The first month after the pause: its 4 credits and the 2 that waited.
        let back = Self.noon("2027-02-23")
        try f.database.renewMemberships(now: back)
        try f.database.expireEntitlements(now: back)
        #expect(try membership(f, at: back).state == .active)
        #expect(try f.database.wallet(userID: f.customer.id).map { $0.lot.usable(at: back) }.reduce(0, +) == 6)
        #expect(try count(f, "SELECT COUNT(*) FROM entitlement_movements WHERE kind = 'transfer'") == 2)
        #expect(try count(f, "SELECT -SUM(credits) FROM entitlement_movements WHERE kind = 'expire'") == 2)
        try expectBalancesAreSums(f)
    }

    @Test func withoutRolloverAPauseExpiresTheLastMonthsCredits() throws {
        let f = try fixture(rollover: false, maxPause: 1)
        let id = try signUp(f)
        try f.database.pauseMembership(businessID: f.business.id, membershipID: id, userID: f.customer.id, months: 1,
                                       actor: "user:\(f.customer.id)", now: Self.now)
        try f.database.renewMemberships(now: Self.noon("2026-12-23"))
        #expect(try count(f, "SELECT -SUM(credits) FROM entitlement_movements WHERE kind = 'expire'") == 4)
        try f.database.renewMemberships(now: Self.noon("2027-01-23"))
        #expect(try f.database.wallet(userID: f.customer.id).map { $0.lot.usable(at: Self.noon("2027-01-23")) }.reduce(0, +) == 4)
        #expect(try count(f, "SELECT COUNT(*) FROM entitlement_movements WHERE kind = 'transfer'") == 0)
        try expectBalancesAreSums(f)
    }

    @Test func cancellingEndsTheMembershipAtThePeriodsEnd() throws {
        let f = try fixture()
        let id = try signUp(f)
        try f.database.cancelMembership(businessID: f.business.id, membershipID: id, userID: f.customer.id, actor: "user:\(f.customer.id)",
                                        now: Self.noon("2026-12-01"))
        let ending = try membership(f, at: Self.noon("2026-12-01"))
        #expect(ending.state == .ending)
        #expect(ending.endsAt == Self.clock.day(LocalDate("2026-12-22")!).start)
        #expect(ending.nextRenewal == nil)
        #expect(try f.database.renewMemberships(now: Self.noon("2026-12-23")) == 0)
        #expect(try membership(f, at: Self.noon("2026-12-23")).state == .ended)
        #expect(try count(f, "SELECT COUNT(*) FROM membership_subscriptions WHERE status = 'ended'") == 1)
        #expect(try count(f, "SELECT COUNT(*) FROM audit_log WHERE action = 'membership.cancel'") == 1)
    }

    @Test func cancellingWithNoticeRunsToTheFirstPeriodEndAfterIt() throws {
        let f = try fixture(notice: 30)
        let id = try signUp(f)
        try f.database.cancelMembership(businessID: f.business.id, membershipID: id, userID: nil, actor: "user:2", now: Self.noon("2026-12-01"))
        #expect(try membership(f, at: Self.noon("2026-12-01")).endsAt == Self.clock.day(LocalDate("2027-01-22")!).start)
    }

    @Test func anOnlineSubscriptionStartsOnlyWhenItsFirstMonthIsPaid() throws {
        let f = try fixture()
        let id = try f.database.subscribe(businessID: f.business.id, planID: f.plan, userID: f.customer.id, actor: "user:\(f.customer.id)",
                                          now: Self.now)
        #expect(try membership(f, at: Self.now).state == .pending)
        #expect(try f.database.wallet(userID: f.customer.id).isEmpty)
        #expect(try f.database.renewMemberships(now: Self.noon("2027-01-23")) == 0)
        #expect(throws: MembershipFailure.alreadyMember) {
            try f.database.subscribe(businessID: f.business.id, planID: f.plan, userID: f.customer.id, actor: "user:1", now: Self.now)
        }
        try f.database.recordMembershipPayment(businessID: f.business.id, membershipID: id, payment: .cash, actor: "user:2",
                                               now: Self.noon("2026-11-25"))
        let member = try membership(f, at: Self.noon("2026-11-25"))
        #expect(member.state == .active)
        #expect(member.startedOn == LocalDate("2026-11-25"))
        #expect(try f.database.wallet(userID: f.customer.id).map(\.lot.balance) == [4])
        // Nothing more is due until the next period starts; then it is, and staff record it.
        #expect(throws: MembershipFailure.self) {
            try f.database.recordMembershipPayment(businessID: f.business.id, membershipID: id, payment: .cash, actor: "user:2",
                                                   now: Self.noon("2026-11-26"))
        }
        try f.database.renewMemberships(now: Self.noon("2026-12-26"))
        try f.database.recordMembershipPayment(businessID: f.business.id, membershipID: id, payment: .atVenue, actor: "user:2",
                                               now: Self.noon("2026-12-26"))
        #expect(try membership(f, at: Self.noon("2026-12-26")).due.isEmpty)
    }

    /// A hold of the consultation with Dana at `start` for the signed-in customer.
    func hold(_ f: Fixture, _ start: Instant = Self.mondayNine, at now: Instant) throws -> OrderView {
        let request = BookingRequest(offerSlug: "consultation", start: start,
                                     customer: CustomerDetails(name: "Casey Customer", email: "customer@demo.test", userID: f.customer.id),
                                     resourceSlugs: ["dana-doctor"], source: "web", contactRequired: false)
        return try f.database.hold(business: f.business, request: request, now: now, actor: .user(f.customer.id))
    }

    @Test func theDiscountIsAPriceLineForActiveMembersOnly() throws {
        let f = try fixture(discount: 10)
        // Not a member: no discount line.
        let before = try hold(f, at: Self.now)
        #expect(!before.price.lines.contains { $0.label.hasPrefix(Memberships.discountLabel) })
        let id = try signUp(f)
        let member = try hold(f, Self.mondayNine + 3600, at: Self.now + 1_000)
        #expect(member.price.total == before.price.total - before.price.total / 10)
        #expect(member.price.lines.last?.label == "Member discount (Yoga monthly) −10%")
        #expect(member.price.lines.map(\.amount).reduce(0, +) == member.price.total)
        // Paused: no discount for the paused period.
        try f.database.pauseMembership(businessID: f.business.id, membershipID: id, userID: nil, months: 1, actor: "user:2", now: Self.now)
        let pausedAt = Self.noon("2026-12-23")
        try f.database.renewMemberships(now: pausedAt)
        let paused = try hold(f, RFC3339.parse("2026-12-28T14:00:00Z")!, at: pausedAt)
        #expect(!paused.price.lines.contains { $0.label.hasPrefix(Memberships.discountLabel) })
    }

    /// The member is found by the signed-in account or by the booking's address (any case), and only
    /// at the membership's own business: a guest with the member's address gets the discount, a guest
    /// with another address does not, and the same address at another business does not.
    @Test func theDiscountFindsTheMemberByAccountOrAddressAtItsOwnBusinessOnly() throws {
        let f = try fixture(discount: 10)
        func guestHold(_ email: String, _ start: Instant) throws -> OrderView {
            let request = BookingRequest(offerSlug: "consultation", start: start,
                                         customer: CustomerDetails(name: "Casey Customer", email: email),
                                         resourceSlugs: ["dana-doctor"], source: "web", contactRequired: false)
            return try f.database.hold(business: f.business, request: request, now: Self.now + 1_000, actor: .guest)
        }
        let full = try hold(f, Self.mondayNine, at: Self.now)   // not a member yet: the plain price
        _ = try signUp(f)
        let byAccount = try hold(f, Self.mondayNine + 3_600, at: Self.now + 1_000)
        let byAddress = try guestHold("Customer@Demo.test", Self.mondayNine + 7_200)
        let stranger = try guestHold("someone@else.test", Self.mondayNine + 10_800)
        #expect(byAccount.price.total == full.price.total - full.price.total / 10)
        #expect(byAddress.price.total == byAccount.price.total)
        #expect(stranger.price.total == full.price.total)
        let other = try f.database.pool.write { db in
            try Catalog.createBusiness(db, slug: "other-members", name: "Other", timeZone: "UTC", currency: "EUR", now: Self.now)
        }
        let price = PriceBreakdown(currency: "EUR", model: "fixed", lines: [.init(label: "Consultation", amount: 6_000)], total: 6_000, deposit: 0)
        let elsewhere = try f.database.pool.read { db in
            try MembershipLedger.discount(db, business: other, offerID: byAccount.offerID, userID: f.customer.id, email: "customer@demo.test",
                                          price: price, now: Self.now + 1_000)
        }
        #expect(elsewhere == price)
    }

    @Test func anotherBusinessCannotSeeOrTouchTheMembership() throws {
        let f = try fixture()
        let id = try signUp(f)
        let other = try f.database.pool.write { db in
            try Catalog.createBusiness(db, slug: "other", name: "Other", timeZone: "UTC", currency: "EUR", now: Self.now)
        }
        #expect(try f.database.memberships(userID: f.customer.id, businessID: other.id, now: Self.now).isEmpty)
        #expect(throws: MembershipFailure.notFound) {
            try f.database.pauseMembership(businessID: other.id, membershipID: id, userID: nil, months: 1, actor: "user:9", now: Self.now)
        }
        #expect(throws: MembershipFailure.notFound) {
            try f.database.cancelMembership(businessID: other.id, membershipID: id, userID: nil, actor: "user:9", now: Self.now)
        }
        #expect(throws: MembershipFailure.notFound) {
            try f.database.recordMembershipPayment(businessID: other.id, membershipID: id, payment: .cash, actor: "user:9", now: Self.now)
        }
        #expect(try f.database.membershipPlans(businessID: other.id).isEmpty)
        // Nor can another customer change it.
        #expect(throws: MembershipFailure.notFound) {
            try f.database.cancelMembership(businessID: f.business.id, membershipID: id, userID: UserID(rawValue: 999_999), actor: "user:9",
                                            now: Self.now)
        }
        #expect(try membership(f, at: Self.now).state == .active)
    }

    /// A seeded generator, so a failing sequence can be replayed.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func randomMonthsOfUsePausesAndWorkerRunsKeepBalancesTheSumOfMovementsAndOneGrantAPeriod() throws {
        let f = try fixture(rollover: true, cap: 3)
        let id = try signUp(f)
        var rng = Seeded(state: 18)
        var now = Self.now
        for _ in 0..<60 {
            now += Int64.random(in: 3_600...(12 * 86_400), using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0:
                // A credit used: one redeem from a usable lot (what a booking appends)
                if let lot = try f.database.wallet(userID: f.customer.id).first(where: { $0.lot.usable(at: now) > 0 }) {
                    try f.database.pool.write { db in
                        try Wallets.append(db, businessID: f.business.id, lot: lot.lot.id,
                                           EntitlementMovement(kind: .redeem, credits: -1, at: now), actor: "test")
                    }
                }
            case 1:
                _ = try? f.database.pauseMembership(businessID: f.business.id, membershipID: id, userID: nil,
                                                    months: Int.random(in: 1...2, using: &rng), actor: "user:2", now: now)
            case 2:
                _ = try? f.database.resumeMembership(businessID: f.business.id, membershipID: id, userID: nil, actor: "user:2", now: now)
            default:
                try f.database.renewMemberships(now: now)
                try f.database.expireEntitlements(now: now)
            }
            try expectBalancesAreSums(f)
            // One lot per granted period, one grant per lot, and never more usable than a month's credits plus the cap
            let granted = try count(f, "SELECT COUNT(*) FROM membership_periods WHERE entitlement_id IS NOT NULL")
            #expect(granted == (try count(f, "SELECT COUNT(*) FROM entitlement_movements WHERE kind = 'grant'")))
            #expect(granted == (try count(f, "SELECT COUNT(DISTINCT entitlement_id) FROM membership_periods")))
            #expect(try count(f, "SELECT COUNT(*) FROM (SELECT entitlement_id, SUM(credits) AS b FROM entitlement_movements GROUP BY entitlement_id HAVING b < 0)") == 0)
            let usable = try f.database.wallet(userID: f.customer.id).map { $0.lot.usable(at: now) }.reduce(0, +)
            #expect(usable <= 4 + 3)
        }
        // The periods that started are exactly those up to now, each once
        let member = try membership(f, at: now)
        let started = try count(f, "SELECT COUNT(*) FROM membership_periods")
        #expect(started == (try count(f, "SELECT COUNT(DISTINCT idx) FROM membership_periods")))
        #expect(started <= (member.currentIndex ?? 0) + 1)
    }

    @Test func aPlanChangeAppliesFromTheNextPeriodAndAnArchivedPlanTakesNoNewMembersButKeepsItsOwn() throws {
        let f = try fixture()
        _ = try signUp(f)
        try f.database.changeMembershipPlan(businessID: f.business.id, planID: f.plan, pricePerMonth: 9_000, creditsPerPeriod: 6,
                                            actor: "user:1", now: Self.now + 60)
        // The month under way keeps what it started with
        #expect(try membership(f, at: Self.now + 60).periods.map(\.amount) == [8_000])
        #expect(try f.database.wallet(userID: f.customer.id).map(\.lot.balance) == [4])
        #expect(try f.database.membershipPlans(businessID: f.business.id).first { $0.id == f.plan }?.pricePerMonth == 9_000)
        // The next one has the new price and credits (and the 2 rolled over)
        let next = Self.noon("2026-12-23")
        #expect(try f.database.renewMemberships(now: next) == 1)
        #expect(try membership(f, at: next).periods.map(\.amount) == [9_000, 8_000])
        #expect(try f.database.wallet(userID: f.customer.id).map(\.lot.balance) == [8, 0])
        #expect(try count(f, "SELECT COUNT(*) FROM audit_log WHERE action = 'membership_plan.change'") == 1)
        // Archived: not listed, no one new may subscribe online or at the desk, nor may it change again
        try f.database.archiveMembershipPlan(businessID: f.business.id, planID: f.plan, actor: "user:1", now: next)
        #expect(try f.database.membershipPlans(businessID: f.business.id).allSatisfy { $0.id != f.plan })
        let dana = try #require(try f.database.user(email: "dana@demo.test"))
        #expect(throws: MembershipFailure.notFound) {
            try f.database.subscribe(businessID: f.business.id, planID: f.plan, userID: dana.id, actor: "user:9", now: next)
        }
        #expect(throws: MembershipFailure.notFound) {
            try f.database.signUpMember(businessID: f.business.id, planID: f.plan, customerEmail: "dana@demo.test", payment: .cash,
                                        actor: "user:2", now: next)
        }
        #expect(throws: MembershipFailure.notFound) {
            try f.database.changeMembershipPlan(businessID: f.business.id, planID: f.plan, pricePerMonth: 1, creditsPerPeriod: 1,
                                                actor: "user:1", now: next)
        }
        // Its member carries on, month after month
        #expect(try f.database.renewMemberships(now: Self.noon("2027-01-23")) == 1)
        #expect(try membership(f, at: Self.noon("2027-01-23")).state == .active)
        // Another business cannot change or archive it
        let other = try f.database.pool.write { db in
            try Catalog.createBusiness(db, slug: "elsewhere", name: "Elsewhere", timeZone: "UTC", currency: "USD", now: Self.now)
        }
        #expect(throws: MembershipFailure.notFound) {
            try f.database.archiveMembershipPlan(businessID: other.id, planID: f.plan, actor: "user:1", now: next)
        }
        try expectBalancesAreSums(f)
    }
}
