import BookingCore
import Foundation
import GRDB
@testable import Store
import Synchronization
import Testing

/// Promo codes through the door (issue 18), on a real database file.
struct PromoStoreTests {
    static let now = DemoStore.seededAt

    /// `count` holds of the consultation (either host) from Tuesday 2026-12-01 on, every half hour.
    func holds(_ database: AppDatabase, _ business: Business, count: Int) throws -> [String] {
        let clock = ZoneClock(identifier: "America/New_York")!
        var made: [String] = []
        var date = LocalDate("2026-12-01")!
        while made.count < count {
            if date.weekday != .sunday {
                for minutes in stride(from: 9 * 60, to: 17 * 60, by: 30) {
                    for _ in 0..<2 where made.count < count {
                        let request = BookingRequest(offerSlug: "consultation", start: clock.day(date).instant(minutes: minutes)!,
                                                     customer: CustomerDetails(name: "", email: ""), source: "web", contactRequired: false)
                        made.append(try database.hold(business: business, request: request, now: Self.now, actor: .guest).publicID)
                    }
                }
            }
            date = date.adding(days: 1)
        }
        return made
    }

    func create(_ database: AppDatabase, _ business: Business, _ rule: PromoRule) throws {
        #expect(try database.createPromoCode(businessID: business.id, rule, actor: "user:1", now: Self.now))
    }

    @Test func aCodeWithAHundredUsesLeftIsUsedExactlyAHundredTimesUnderRacers() throws {
        // Given a code with 100 uses and 130 customers' holds
        let (database, business) = try DemoStore.open("promo")
        try create(database, business, PromoRule(code: "OPENING", discount: .percent(20), totalLimit: 100))
        let holds = try holds(database, business, count: 130)
        // When all 130 apply it at once, on real threads
        let outcomes = Mutex<(wins: Int, usedUp: Int, other: [String])>((0, 0, []))
        let group = DispatchGroup(), gate = DispatchSemaphore(value: 0)
        for (index, holdID) in holds.enumerated() {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                gate.wait()
                do {
                    _ = try database.applyPromoCode(business: business, holdID: holdID, code: "opening", email: "racer\(index)@example.com",
                                                    now: Self.now)
                    outcomes.withLock { $0.wins += 1 }
                } catch BookingFailure.promoRefused(.usedUp) {
                    outcomes.withLock { $0.usedUp += 1 }
                } catch {
                    outcomes.withLock { $0.other.append("\(error)") }
                }
            }
        }
        for _ in holds { gate.signal() }
        group.wait()
        // Then exactly 100 are discounted and 30 refused as used up
        let result = outcomes.withLock { $0 }
        #expect(result.wins == 100)
        #expect(result.usedUp == 30)
        #expect(result.other.isEmpty, "unexpected: \(result.other.prefix(3))")
        let (redemptions, discounted) = try database.pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM promo_redemptions") ?? -1,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM booking_orders WHERE price_total = 3200") ?? -1)
        }
        #expect(redemptions == 100)
        #expect(discounted == 100)
    }

    @Test func aCustomerUsesACodeOnlyAsOftenAsAllowedAndAgainOnTheSameHoldChangesNothing() throws {
        let (database, business) = try DemoStore.open("promo")
        try create(database, business, PromoRule(code: "ONCE", discount: .amount(1_000), perCustomerLimit: 1))
        let holds = try holds(database, business, count: 2)
        let first = try database.applyPromoCode(business: business, holdID: holds[0], code: "once", email: "zed@example.com", now: Self.now)
        #expect(first.price.total == 3_000)
        // The same hold again: nothing changes (one use, one line)
        let again = try database.applyPromoCode(business: business, holdID: holds[0], code: "ONCE", email: "zed@example.com", now: Self.now)
        #expect(again.price == first.price)
        // Another hold of the same customer: refused, and that hold keeps its price
        #expect(throws: BookingFailure.promoRefused(.usedByCustomer(1))) {
            _ = try database.applyPromoCode(business: business, holdID: holds[1], code: "ONCE", email: "zed@example.com", now: Self.now)
        }
        #expect(try database.order(businessID: business.id, publicID: holds[1])?.price.total == 4_000)
        #expect(throws: BookingFailure.promoRefused(.unknown)) {
            _ = try database.applyPromoCode(business: business, holdID: holds[1], code: "NOPE", email: "zed@example.com", now: Self.now)
        }
    }

    @Test func aUseOnAHoldThatLapsedUnpaidIsGivenBack() throws {
        // Given a code with one use, applied to a hold that then runs out unpaid
        let (database, business) = try DemoStore.open("promo")
        try create(database, business, PromoRule(code: "LASTONE", discount: .percent(50), totalLimit: 1, perCustomerLimit: 1))
        let holds = try holds(database, business, count: 2)
        _ = try database.applyPromoCode(business: business, holdID: holds[0], code: "lastone", email: "zed@example.com", now: Self.now)
        #expect(throws: BookingFailure.promoRefused(.usedUp)) {
            _ = try database.applyPromoCode(business: business, holdID: holds[1], code: "lastone", email: "amy@example.com", now: Self.now)
        }
        let expiry = try #require(try database.order(businessID: business.id, publicID: holds[0])?.holdExpiresAt)
        // When the hold is past its expiry (before the sweep has marked it)
        let later = expiry + 1
        #expect(try database.promoCodes(businessID: business.id, now: later).first?.uses == 0)
        let clock = ZoneClock(identifier: "America/New_York")!
        let fresh = try database.hold(business: business, request: BookingRequest(
            offerSlug: "consultation", start: clock.day(LocalDate("2026-12-08")!).instant(minutes: 10 * 60)!,
            customer: CustomerDetails(name: "", email: ""), source: "web", contactRequired: false), now: later, actor: .guest)
        // Then the same customer may use it on a new hold
        let kept = try database.applyPromoCode(business: business, holdID: fresh.publicID, code: "lastone", email: "zed@example.com", now: later)
        #expect(kept.price.total == 2_000)
        #expect(try database.promoCodes(businessID: business.id, now: later).first?.uses == 1)
        // And the sweep marking the first hold expired changes nothing more
        #expect(try database.expireHolds(now: later) >= 1)
        #expect(try database.order(businessID: business.id, publicID: holds[0])?.status == .expired)
        #expect(try database.promoCodes(businessID: business.id, now: later).first?.uses == 1)
    }
}
