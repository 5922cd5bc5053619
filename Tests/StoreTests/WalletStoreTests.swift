import BookingCore
import Foundation
import GRDB
@testable import Store
import Synchronization
import Testing

/// Packages and credits through the door (issue 18), on a real database file.
struct WalletStoreTests {
    static let now = DemoStore.seededAt
    /// Monday 2026-11-30 09:00 New York, a week after the seed.
    static let mondayNine = RFC3339.parse("2026-11-30T14:00:00Z")!

    struct Fixture: Sendable {
        let database: AppDatabase
        let business: Business
        let customer: User
        let package: PackageID
    }

    func fixture(credits: Int = 5, validDays: Int = 30) throws -> Fixture {
        let (database, business) = try DemoStore.open("wallet")
        let consultation = try #require(try database.liveOffers(businessID: business.id).first { $0.slug == "consultation" })
        let package = try database.createPackage(businessID: business.id,
                                                 NewPackage(name: "Consultation pass", credits: credits, validDays: validDays, price: 20_000,
                                                            shareable: false, offerIDs: [consultation.id]),
                                                 actor: "user:1", now: Self.now)
        return Fixture(database: database, business: business, customer: try #require(try database.user(email: "customer@demo.test")),
                       package: package)
    }

    func sell(_ f: Fixture, at now: Instant = Self.now) throws {
        try f.database.sellPackage(businessID: f.business.id, packageID: f.package, customerEmail: "customer@demo.test",
                                   payment: .atVenue, actor: "user:2", now: now)
    }

    /// A hold of the consultation with Dana at `start`, made before checkout (no details yet).
    func hold(_ f: Fixture, _ start: Instant) throws -> String {
        let request = BookingRequest(offerSlug: "consultation", start: start, customer: CustomerDetails(name: "", email: ""),
                                     resourceSlugs: ["dana-doctor"], source: "web", contactRequired: false)
        return try f.database.hold(business: f.business, request: request, now: Self.now, actor: .guest).publicID
    }

    func payWithCredit(_ f: Fixture, _ holdID: String, now: Instant = Self.now) throws -> OrderView {
        try f.database.confirmHold(business: f.business, holdID: holdID,
                                   customer: CustomerDetails(name: "Casey Customer", email: "customer@demo.test", userID: f.customer.id),
                                   now: now, actor: .user(f.customer.id), payWithCredit: true).order
    }

    func balance(_ f: Fixture) throws -> Int {
        try f.database.wallet(userID: f.customer.id).map(\.lot.balance).reduce(0, +)
    }

    func sumOfMovements(_ f: Fixture) throws -> Int {
        try f.database.pool.read { try Int.fetchOne($0, sql: "SELECT COALESCE(SUM(credits), 0) FROM entitlement_movements") ?? -1 }
    }

    @Test func aSaleGrantsItsCreditsUntilTheEndOfTheLastDay() throws {
        let f = try fixture(credits: 5, validDays: 30)
        try sell(f)
        let wallet = try f.database.wallet(userID: f.customer.id)
        #expect(wallet.count == 1)
        #expect(wallet.first?.lot.balance == 5)
        #expect(try sumOfMovements(f) == 5)
        // Sold Sunday 2026-11-22 in New York, valid 30 days: usable through Tuesday 2026-12-22.
        #expect(wallet.first?.lot.expiresAt == RFC3339.parse("2026-12-23T05:00:00Z"))
        #expect(wallet.first?.offerNames == ["Consultation"])
    }

    @Test func aCreditPaysTheWholePriceInTheBookingTransaction() throws {
        let f = try fixture()
        try sell(f)
        let order = try payWithCredit(f, try hold(f, Self.mondayNine))
        #expect(order.status == .confirmed)
        #expect(order.price.total == 0)
        #expect(order.price.lines.map(\.amount).reduce(0, +) == 0)
        #expect(order.price.lines.last?.label == "Paid with 1 credit (Consultation pass)")
        #expect(try balance(f) == 4)
        #expect(try sumOfMovements(f) == 4)
    }

    @Test func refusesACreditForAGuestOrAnotherOfferAndChangesNothing() throws {
        let f = try fixture()
        let holdID = try hold(f, Self.mondayNine)
        // No credits yet: refused, and the hold stays a hold
        #expect(throws: BookingFailure.creditRefused(.noCredits)) { _ = try payWithCredit(f, holdID) }
        #expect(try f.database.order(businessID: f.business.id, publicID: holdID)?.status == .held)
        #expect(try sumOfMovements(f) == 0)
    }

    @Test func anExpiredCreditCannotPayAndTheSweepClosesIt() throws {
        // Given credits sold three days ago, valid one day
        let f = try fixture(credits: 3, validDays: 1)
        try sell(f, at: Self.now - 3 * 86_400)
        let expires = try #require(try f.database.wallet(userID: f.customer.id).first?.lot.expiresAt)
        #expect(expires < Self.now)
        // When a checkout pays with one, then it is refused, saying when they expired
        let holdID = try hold(f, Self.mondayNine)
        #expect(throws: BookingFailure.creditRefused(.expired(expires))) { _ = try payWithCredit(f, holdID) }
        #expect(try f.database.order(businessID: f.business.id, publicID: holdID)?.status == .held)
        // And the sweep closes what was left, once
        #expect(try f.database.expireEntitlements(now: Self.now) == 1)
        #expect(try f.database.expireEntitlements(now: Self.now + 60) == 0)
        #expect(try balance(f) == 0)
        #expect(try f.database.wallet(userID: f.customer.id).first?.lot.movements.map(\.kind) == [.grant, .expire])
    }

    @Test func cancellingEarlyReturnsTheCreditAndLateKeepsIt() throws {
        let f = try fixture(credits: 2)
        try sell(f)
        let early = try payWithCredit(f, try hold(f, Self.mondayNine))
        let late = try payWithCredit(f, try hold(f, Self.mondayNine + 1_800))
        #expect(try balance(f) == 0)
        // Cancelled days before (the 100 % tier): the credit comes back
        _ = try f.database.cancelBooking(business: f.business, publicID: early.publicID, reason: "", now: Self.now, actor: .user(f.customer.id))
        #expect(try balance(f) == 1)
        // Cancelled two hours before (the 50 % tier): the business keeps it
        _ = try f.database.cancelBooking(business: f.business, publicID: late.publicID, reason: "", now: late.start - 7_200,
                                         actor: .user(f.customer.id))
        #expect(try balance(f) == 1)
        #expect(try sumOfMovements(f) == 1)
        // Each cancellation email says what came back (the data its template reads)
        let said = try f.database.pool.read { db in
            try [early, late].map { order in
                try String.fetchOne(db, sql: """
                    SELECT json_extract(data, '$.credits_used') || '/' || json_extract(data, '$.credits_returned')
                    FROM outbox WHERE kind = 'cancellation' AND order_id = ?
                    """, arguments: [order.id])
            }
        }
        #expect(said == ["1/1", "1/0"])
    }

    @Test func movementsAreAppendOnlyAndNeverTakeABalanceBelowZero() throws {
        let f = try fixture(credits: 1)
        try sell(f)
        #expect(throws: (any Error).self) {
            try f.database.pool.write { try $0.execute(sql: "UPDATE entitlement_movements SET credits = 9") }
        }
        #expect(throws: (any Error).self) {
            try f.database.pool.write { db in
                try db.execute(sql: """
                    INSERT INTO entitlement_movements (business_id, entitlement_id, kind, credits, at, actor)
                    SELECT business_id, id, 'redeem', -2, 0, 'test' FROM entitlements
                    """)
            }
        }
        #expect(try balance(f) == 1)
    }

    @Test func twoBookingsRacingForTheLastCreditMakeOneBooking() throws {
        for round in 0..<5 {
            // Given a customer with one credit left and two holds at different times
            let f = try fixture(credits: 1)
            try sell(f)
            let holds = [try hold(f, Self.mondayNine + Int64(round) * 3_600), try hold(f, Self.mondayNine + Int64(round) * 3_600 + 1_800)]
            // When both checkouts pay with a credit at once, on real threads
            let all = Racers.atOnce(holds) { try payWithCredit(f, $0) }
            // Then exactly one is booked, the other refused as used up and still a hold; the balance is 0
            #expect(all.count == 2)
            #expect(Racers.wins(all) == 1)
            #expect(all.contains { $0 == .failure(.creditRefused(.usedUp)) })
            #expect(try balance(f) == 0)
            #expect(try sumOfMovements(f) == 0)
            let statuses = try holds.map { try f.database.order(businessID: f.business.id, publicID: $0)?.status }
            #expect(statuses.sorted { ($0?.rawValue ?? "") < ($1?.rawValue ?? "") } == [.confirmed, .held])
        }
    }
}
