import BookingCore
import Foundation
import GRDB
@testable import Store
import Synchronization
import Testing

/// Gift cards through the door (issue 18), on a real database file: a card pays part or all of a
/// booking, its balance is the sum of append-only movements and never goes below zero, a
/// cancellation gives the card back its share first, and a lapsed hold gives back all it took.
struct GiftCardStoreTests {
    static let now = DemoStore.seededAt
    /// Monday 2026-11-30 09:00 New York, a week after the seed.
    static let mondayNine = RFC3339.parse("2026-11-30T14:00:00Z")!

    func hold(_ database: AppDatabase, _ business: Business, _ start: Instant, now: Instant = Self.now) throws -> String {
        let request = BookingRequest(offerSlug: "consultation", start: start, customer: CustomerDetails(name: "", email: ""),
                                     resourceSlugs: ["dana-doctor"], source: "web", contactRequired: false)
        return try database.hold(business: business, request: request, now: now, actor: .guest).publicID
    }

    func pay(_ database: AppDatabase, _ business: Business, _ holdID: String, code: String = "gift-demo-50",
             now: Instant = Self.now) throws -> OrderView {
        _ = try database.applyPromoCode(business: business, holdID: holdID, code: code, email: "zed@example.com", now: now)
        return try database.confirmHold(business: business, holdID: holdID, customer: CustomerDetails(name: "Zed Racer", email: "zed@example.com"),
                                        now: now, actor: .guest).order
    }

    func balance(_ database: AppDatabase, code: String = "GIFT-DEMO-50") throws -> Int64 {
        try database.pool.read { db in
            try Int64.fetchOne(db, sql: """
                SELECT COALESCE(SUM(m.amount), 0) FROM gift_card_movements m JOIN gift_cards g ON g.id = m.gift_card_id WHERE g.code = ?
                """, arguments: [code]) ?? -1
        }
    }

    @Test func theDemoCardPaysWhatItCanAndTheRestStaysToPay() throws {
        let (database, business) = try DemoStore.open("gift")
        // Given GIFT-DEMO-50 ($50.00) and two $40.00 consultations
        let first = try pay(database, business, try hold(database, business, Self.mondayNine))
        // Then the first is paid whole by the card, as a line of its frozen price
        #expect(first.price.total == 0)
        #expect(first.price.lines.last == .init(label: "Gift card …O-50", amount: -4000))
        #expect(try balance(database) == 1000)
        // And the second gets the last $10.00, with $30.00 left to pay (at the venue: no Stripe)
        let second = try pay(database, business, try hold(database, business, Self.mondayNine + 3_600))
        #expect(second.price.total == 3000)
        #expect(second.price.lines.map(\.amount).reduce(0, +) == 3000)
        #expect(try balance(database) == 0)
        // An empty card is refused with a reason, and the hold keeps its price
        let third = try hold(database, business, Self.mondayNine + 7_200)
        #expect(throws: BookingFailure.giftCardRefused(.empty)) {
            _ = try database.applyPromoCode(business: business, holdID: third, code: "GIFT-DEMO-50", email: "zed@example.com", now: Self.now)
        }
        #expect(try database.order(businessID: business.id, publicID: third)?.price.total == 4000)
        // Casey holds the card: it is in her wallet with its history
        let casey = try #require(try database.user(email: "customer@demo.test"))
        let card = try #require(try database.giftCards(userID: casey.id).first)
        #expect(card.balance == 0)
        #expect(card.movements.map(\.kind) == ["issue", "redeem", "redeem"])
    }

    @Test func aCancellationGivesTheCardItsShareFirst() throws {
        let (database, business) = try DemoStore.open("gift-cancel")
        let early = try pay(database, business, try hold(database, business, Self.mondayNine))
        #expect(try balance(database) == 1000)
        // Cancelled days ahead (100 %): all $40.00 back on the card
        _ = try database.cancelBooking(business: business, publicID: early.publicID, reason: "", now: Self.now, actor: .guest)
        #expect(try balance(database) == 5000)
        // Cancelled two hours ahead (50 %): $20.00 of the $40.00 the card paid comes back
        let late = try pay(database, business, try hold(database, business, Self.mondayNine + 3_600))
        let cancelled = try database.cancelBooking(business: business, publicID: late.publicID, reason: "", now: late.start - 7_200, actor: .guest)
        #expect(try balance(database) == 1000 + 2000)
        #expect(cancelled.refund.amount == 0)   // nothing was paid by card, so nothing goes back to one
        #expect(cancelled.stripeRefund == nil)
    }

    @Test func aHoldThatLapsesGivesTheCardBackAllItTook() throws {
        let (database, business) = try DemoStore.open("gift-lapse")
        let holdID = try hold(database, business, Self.mondayNine)
        _ = try database.applyPromoCode(business: business, holdID: holdID, code: "GIFT-DEMO-50", email: "zed@example.com", now: Self.now)
        // The same card again on the same hold changes nothing
        _ = try database.applyPromoCode(business: business, holdID: holdID, code: "gift-demo-50", email: "zed@example.com", now: Self.now)
        #expect(try balance(database) == 1000)
        #expect(try database.expireHolds(now: Self.now + 3_600) == 1)
        #expect(try balance(database) == 5000)
    }

    @Test func movementsAreAppendOnlyAndNeverTakeABalanceBelowZero() throws {
        let (database, _) = try DemoStore.open("gift-append")
        #expect(throws: (any Error).self) {
            try database.pool.write { try $0.execute(sql: "UPDATE gift_card_movements SET amount = 9") }
        }
        #expect(throws: (any Error).self) { try database.pool.write { try $0.execute(sql: "DELETE FROM gift_card_movements") } }
        #expect(throws: (any Error).self) {
            try database.pool.write { db in
                try db.execute(sql: """
                    INSERT INTO gift_card_movements (business_id, gift_card_id, kind, amount, order_id, at, actor)
                    SELECT g.business_id, g.id, 'redeem', -5001, (SELECT id FROM booking_orders LIMIT 1), 0, 'test' FROM gift_cards g
                    """)
            }
        }
        #expect(try balance(database) == 5000)
    }

    @Test func twoBookingsSpendingTheLastOfACardNeverTakeMoreThanIsOnIt() throws {
        for round in 0..<5 {
            // Given a $40.00 card sold at the desk and two $40.00 holds
            let (database, business) = try DemoStore.open("gift-race")
            let product = try database.createGiftCardProduct(businessID: business.id, name: "Forty", amount: 4000, actor: "user:1", now: Self.now)
            let card = try database.sellGiftCard(businessID: business.id, productID: product, holderEmail: nil, payment: .atVenue,
                                                 actor: "user:2", now: Self.now)
            #expect(card.code.hasPrefix("GC-") && card.code.count == 17)
            let start = Self.mondayNine + Int64(round) * 3_600
            let holds = [try hold(database, business, start), try hold(database, business, start + 1_800)]
            // When both checkouts spend it at once, on real threads
            let all = Racers.atOnce(holds) {
                try database.applyPromoCode(business: business, holdID: $0, code: card.code, email: "zed@example.com", now: Self.now)
            }
            // Then exactly one is paid by the card, the other is told it is empty, and the balance is 0, not below
            #expect(all.count == 2)
            let paid = all.compactMap { if case .success(let order) = $0 { order } else { nil } }
            #expect(paid.count == 1)
            #expect(paid.first?.price.total == 0)
            #expect(all.contains { $0 == .failure(.giftCardRefused(.empty)) })
            #expect(try balance(database, code: card.code) == 0)
        }
    }
}
