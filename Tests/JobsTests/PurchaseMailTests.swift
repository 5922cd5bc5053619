import BookingCore
import Foundation
import GRDB
@testable import Jobs
import Outbound
@testable import Store
import Testing

/// Issue 18: a package or gift card bought online and paid gets a confirmation (kind `confirmation`,
/// `about` = `purchase`, no booking): what was bought, the price and how it was paid, the gift card's
/// code or when the credits run out, and the wallet's link; no calendar file.
struct PurchaseMailTests {
    func mail(_ harness: MailHarness) throws -> [MailMessage] {
        let composer = try MailComposer(settings: MailSettings(from: MailAddress("bookings@bizing.test", name: "Demo"), baseURL: MailHarness.baseURL),
                                        templatesDirectory: MailHarness.root + "/Templates/email")
        let ids = try harness.database.pool.read { try Int64.fetchAll($0, sql: "SELECT id FROM outbox WHERE kind = 'confirmation' ORDER BY id") }
        return try ids.compactMap { id in
            let message = try harness.database.pool.read { try AppDatabase.outboxMessage($0, id: id) }
            guard let message, case .send(let mail, _) = composer.compose(message, now: harness.now) else { return nil }
            return mail
        }
    }

    @Test func theEmailNamesWhatWasBoughtTheCodeOrTheExpiry() throws {
        let harness = try MailHarness()
        let casey = try #require(try harness.database.user(email: "customer@demo.test")).id
        let package = try #require(try harness.database.packages(businessID: harness.business.id).first { $0.name == "yoga-5" })
        let card = try #require(try harness.database.giftCardProducts(businessID: harness.business.id).first)
        for product in [ProductRef.package(package.id), .giftCard(card.id)] {
            let purchase = try harness.database.startPurchase(business: harness.business, userID: casey, product: product, method: .atVenue,
                                                              now: harness.now)
            _ = try harness.database.recordPurchasePaid(businessID: harness.business.id, purchaseID: purchase.id,
                                                        payment: product == .package(package.id) ? .atVenue : .cash, actor: "user:2",
                                                        now: harness.now)
        }
        let mails = try mail(harness)
        #expect(mails.count == 2)
        let credits = try #require(mails.first)
        #expect(credits.subject == "Purchase confirmed: yoga-5 at Demo Wellness")
        #expect(credits.text.contains("What: yoga-5 (5 credits)"))
        #expect(credits.text.contains("Price: $60.00, paid at the venue"))
        // Bought Sunday 22 November 2026: valid through the 90th day after
        #expect(credits.text.contains("Valid until: Saturday 20 February 2027"))
        #expect(credits.text.contains("Your wallet: http://bizing.test/account/wallet"))
        #expect(credits.attachments.isEmpty)
        let gift = try #require(mails.last)
        let code = try #require(try harness.database.giftCards(userID: casey).first { $0.code.hasPrefix("GC-") }?.code)
        #expect(gift.text.contains("Gift card code: \(code)"))
        #expect(gift.html?.contains("<code>\(code)</code>") == true)
        #expect(gift.text.contains("paid in cash"))
        #expect(!gift.text.contains("Valid until"))
    }
}
