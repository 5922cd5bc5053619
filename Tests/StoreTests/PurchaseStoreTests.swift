import BookingCore
import Foundation
import GRDB
@testable import Store
import Testing

/// Buying a package or gift card online through the door (issue 18), on a real database file: a
/// purchase is granted only when its payment is recorded, exactly once, as append-only movements
/// with a row in the purchase ledger; a venue purchase waits for staff, of its own business only.
struct PurchaseStoreTests {
    static let now = DemoStore.seededAt

    func casey(_ database: AppDatabase) throws -> UserID {
        try #require(try database.user(email: "customer@demo.test")).id
    }

    func yoga5(_ database: AppDatabase, _ business: Business) throws -> PackageInfo {
        try #require(try database.packages(businessID: business.id).first { $0.name == "yoga-5" })
    }

    func credits(_ database: AppDatabase, _ user: UserID) throws -> [Int] {
        try database.wallet(userID: user).map { $0.lot.balance }
    }

    func outboxPurchases(_ database: AppDatabase) throws -> [String] {
        try database.pool.read { db in
            try String.fetchAll(db, sql: "SELECT data FROM outbox WHERE kind = 'confirmation' AND order_id IS NULL AND data LIKE '%purchase%'")
        }
    }

    @Test func theDemoSellsYoga5AndWelcome20() throws {
        let (database, business) = try DemoStore.open("purchase-demo")
        let package = try yoga5(database, business)
        #expect(package.credits == 5)
        #expect(package.validDays == 90)
        #expect(package.offers.map(\.name) == ["Lunchtime yoga"])
        let promo = try #require(try database.promoCodes(businessID: business.id, now: Self.now).first { $0.rule.code == "WELCOME20" })
        #expect(promo.rule.discount == .percent(20))
        #expect(promo.rule.totalLimit == 100)
        #expect(promo.rule.offerIDs.count == 1)
    }

    @Test func aCardPurchaseIsGrantedOnceWhenTheWebhookAndTheReturnPageBothArrive() throws {
        let (database, business) = try DemoStore.open("purchase-card")
        let user = try casey(database)
        let package = try yoga5(database, business)
        let purchase = try database.startPurchase(business: business, userID: user, product: .package(package.id), method: .card, now: Self.now)
        #expect(purchase.status == .pending)
        try database.recordPurchaseIntent(businessID: business.id, purchaseID: purchase.id, stripeID: "pi_buy1", clientSecret: "pi_buy1_secret",
                                          now: Self.now)
        #expect(try database.isPurchaseIntent(businessID: business.id, stripeID: "pi_buy1"))
        #expect(try credits(database, user).isEmpty)
        // The webhook, the return page, and the webhook replayed
        let first = try database.settlePurchase(businessID: business.id, stripeID: "pi_buy1", amount: package.price, eventID: "evt_1",
                                                now: Self.now + 5, actor: .system)
        guard case .granted(let granted)? = first else { Issue.record("not granted: \(String(describing: first))"); return }
        #expect(granted.status == .paid)
        #expect(granted.creditsExpireAt != nil)
        let second = try database.settlePurchase(businessID: business.id, stripeID: "pi_buy1", amount: package.price, eventID: nil,
                                                 now: Self.now + 6, actor: .user(user))
        guard case .alreadyPaid? = second else { Issue.record("paid twice: \(String(describing: second))"); return }
        #expect(try database.settlePurchase(businessID: business.id, stripeID: "pi_buy1", amount: package.price, eventID: "evt_1",
                                            now: Self.now + 7, actor: .system) == nil)
        // One lot of 5 credits, one ledger row, one email
        #expect(try credits(database, user) == [5])
        #expect(try database.wallet(userID: user).first?.method == .card)
        #expect(try database.purchasePayments(businessID: business.id, purchaseID: purchase.id).map { "\($0.kind) \($0.amount) \($0.method)" }
                == ["charge \(package.price) stripe"])
        #expect(try outboxPurchases(database).count == 1)
    }

    @Test func aFailedOrShortPaymentGrantsNothing() throws {
        let (database, business) = try DemoStore.open("purchase-failed")
        let user = try casey(database)
        let card = try #require(try database.giftCardProducts(businessID: business.id).first)
        let purchase = try database.startPurchase(business: business, userID: user, product: .giftCard(card.id), method: .card, now: Self.now)
        try database.recordPurchaseIntent(businessID: business.id, purchaseID: purchase.id, stripeID: "pi_fail", clientSecret: "s", now: Self.now)
        #expect(try database.recordPurchaseFailure(businessID: business.id, stripeID: "pi_fail", message: "Your card was declined.",
                                                   eventID: "evt_f", now: Self.now))
        #expect(try database.purchase(publicID: purchase.publicID)?.lastError == "Your card was declined.")
        let short = try database.settlePurchase(businessID: business.id, stripeID: "pi_fail", amount: card.amount - 1, eventID: nil,
                                                now: Self.now, actor: .system)
        guard case .notGranted? = short else { Issue.record("a short payment granted: \(String(describing: short))"); return }
        #expect(try database.giftCards(userID: user).map(\.code) == ["GIFT-DEMO-50"])
        #expect(try database.purchasePayments(businessID: business.id, purchaseID: purchase.id).isEmpty)
        #expect(try database.purchase(publicID: purchase.publicID)?.status == .pending)
        #expect(try outboxPurchases(database).isEmpty)
    }

    @Test func aVenuePurchaseWaitsThenStaffRecordItPaidAndItIsGrantedOnce() throws {
        let (database, business) = try DemoStore.open("purchase-venue")
        let user = try casey(database)
        let card = try #require(try database.giftCardProducts(businessID: business.id).first)
        let purchase = try database.startPurchase(business: business, userID: user, product: .giftCard(card.id), method: .atVenue, now: Self.now)
        #expect(try database.pendingPurchases(businessID: business.id).map(\.id) == [purchase.id])
        #expect(try database.pendingPurchases(userID: user).map(\.id) == [purchase.id])
        #expect(try database.giftCards(userID: user).count == 1)
        // Another business's staff cannot record it
        let other = try database.pool.write { db in
            try Catalog.createBusiness(db, slug: "other", name: "Other", timeZone: "UTC", currency: "USD", now: Self.now)
        }
        #expect(throws: WalletFailure.purchaseNotFound) {
            try database.recordPurchasePaid(businessID: other.id, purchaseID: purchase.id, payment: .cash, actor: "user:9", now: Self.now)
        }
        #expect(throws: WalletFailure.purchaseNotFound) {
            try database.cancelPurchase(businessID: other.id, purchaseID: purchase.id, actor: "user:9", now: Self.now)
        }
        // The demo's staff record it paid in cash: the card is issued to Casey with a new code
        let paid = try database.recordPurchasePaid(businessID: business.id, purchaseID: purchase.id, payment: .cash, actor: "user:2", now: Self.now)
        #expect(paid.status == .paid)
        let code = try #require(paid.giftCardCode)
        #expect(code.hasPrefix("GC-"))
        #expect(try database.giftCards(userID: user).first { $0.code == code }?.balance == card.amount)
        #expect(try database.purchasePayments(businessID: business.id, purchaseID: purchase.id).map { "\($0.kind) \($0.amount) \($0.method)" }
                == ["charge \(card.amount) cash"])
        #expect(try outboxPurchases(database).first?.contains(code) == true)
        // Again, or cancelled after: refused, nothing changes
        #expect(throws: WalletFailure.purchaseClosed(.paid)) {
            try database.recordPurchasePaid(businessID: business.id, purchaseID: purchase.id, payment: .cash, actor: "user:2", now: Self.now)
        }
        #expect(throws: WalletFailure.purchaseClosed(.paid)) {
            try database.cancelPurchase(businessID: business.id, purchaseID: purchase.id, actor: "user:2", now: Self.now)
        }
        #expect(try database.giftCards(userID: user).count == 2)
        #expect(try database.pendingPurchases(businessID: business.id).isEmpty)
    }

    @Test func aCancelledVenuePurchaseGrantsNothingAndTheTriggerKeepsItCancelled() throws {
        let (database, business) = try DemoStore.open("purchase-cancel")
        let user = try casey(database)
        let package = try yoga5(database, business)
        let purchase = try database.startPurchase(business: business, userID: user, product: .package(package.id), method: .atVenue, now: Self.now)
        let cancelled = try database.cancelPurchase(businessID: business.id, purchaseID: purchase.id, actor: "user:2", now: Self.now)
        #expect(cancelled.status == .cancelled)
        #expect(throws: WalletFailure.purchaseClosed(.cancelled)) {
            try database.recordPurchasePaid(businessID: business.id, purchaseID: purchase.id, payment: .atVenue, actor: "user:2", now: Self.now)
        }
        #expect(try credits(database, user).isEmpty)
        // The schema refuses moving it back, or changing its price
        #expect(throws: DatabaseError.self) {
            try database.pool.write { try $0.execute(sql: "UPDATE product_purchases SET status = 'pending' WHERE id = ?", arguments: [purchase.id]) }
        }
        #expect(throws: DatabaseError.self) {
            try database.pool.write { try $0.execute(sql: "UPDATE product_purchases SET amount = 1 WHERE id = ?", arguments: [purchase.id]) }
        }
    }

    @Test func anUnknownProductOrTooManyWaitingPurchasesAreRefused() throws {
        let (database, business) = try DemoStore.open("purchase-refused")
        let user = try casey(database)
        #expect(throws: WalletFailure.packageNotFound) {
            try database.startPurchase(business: business, userID: user, product: .package(9999), method: .atVenue, now: Self.now)
        }
        #expect(throws: WalletFailure.giftCardNotFound) {
            try database.startPurchase(business: business, userID: user, product: .giftCard(9999), method: .atVenue, now: Self.now)
        }
        let package = try yoga5(database, business)
        for _ in 0..<AppDatabase.pendingPurchaseLimit {
            _ = try database.startPurchase(business: business, userID: user, product: .package(package.id), method: .atVenue, now: Self.now)
        }
        #expect(throws: WalletFailure.self) {
            try database.startPurchase(business: business, userID: user, product: .package(package.id), method: .atVenue, now: Self.now)
        }
        #expect(try database.pendingPurchases(userID: user).count == AppDatabase.pendingPurchaseLimit)
        #expect(ProductRef("package-12") == .package(12))
        #expect(ProductRef("gift_card-3") == .giftCard(3))
        #expect(ProductRef("package-x") == nil)
        #expect(ProductRef("offer-1") == nil)
        #expect(ProductRef("package--1") == nil)
    }
}
