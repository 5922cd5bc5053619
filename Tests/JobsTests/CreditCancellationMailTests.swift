import BookingCore
import Foundation
import GRDB
@testable import Jobs
import Outbound
@testable import Store
import Testing

/// Issue 18: the cancellation email of a booking paid with credits says what came back to the wallet.
struct CreditCancellationMailTests {
    func cancellationMail(_ harness: MailHarness, used: Int, returned: Int) throws -> MailMessage? {
        let tuesdayTen: Instant = 1_795_446_000 + 86_400
        let (order, _) = try harness.database.book(business: harness.business, request: BookingRequest(
            offerSlug: "consultation", start: tuesdayTen + Instant((used * 2 + returned) * 3_600),
            customer: CustomerDetails(name: "Ann Lee", email: "ann@example.com"), source: "web"), now: harness.now, actor: .guest)
        let id = try harness.database.pool.write { db -> Int64 in
            try Outbox.enqueue(db, businessID: harness.business.id, kind: .cancellation, email: "ann@example.com", name: "Ann Lee",
                               data: [("refund", "0"), ("percent", "0"), ("currency", "USD"),
                                      ("credits_used", String(used)), ("credits_returned", String(returned))],
                               orderID: order.id, due: harness.now, now: harness.now)
            return db.lastInsertedRowID
        }
        let message = try harness.database.pool.read { try AppDatabase.outboxMessage($0, id: id) }
        let composer = try MailComposer(settings: MailSettings(from: MailAddress("bookings@bizing.test", name: "Demo"), baseURL: MailHarness.baseURL),
                                        templatesDirectory: MailHarness.root + "/Templates/email")
        guard let message, case .send(let mail, _) = composer.compose(message, now: harness.now) else { return nil }
        return mail
    }

    @Test func theEmailSaysWhetherTheCreditCameBack() throws {
        let harness = try MailHarness()
        let back = try #require(try cancellationMail(harness, used: 1, returned: 1))
        #expect(back.text.contains("Credits: the credit used for this booking is back in your wallet."))
        #expect(back.html?.contains("<strong>Credits:</strong> the credit used for this booking is back in your wallet.") == true)
        #expect(!back.text.contains("Refund:"))
        let kept = try #require(try cancellationMail(harness, used: 2, returned: 0))
        #expect(kept.text.contains("Credits: the 2 credits used for this booking are not returned, per the cancellation policy."))
        let paidInCash = try #require(try cancellationMail(harness, used: 0, returned: 0))
        #expect(!paidInCash.text.contains("Credits:"))
    }
}
