import BookingCore
import Foundation
import GRDB
import Jobs
import Outbound
@testable import Store
import Synchronization
import Testing

/// A membership change is emailed through the outbox (kind `confirmation`, `about` = `membership`):
/// the sentence of the change and the wallet link, none of a booking's lines.
@Suite(.serialized)
struct MembershipMailTests {
    final class Capture: MailTransport {
        private let sent = Mutex<[MailMessage]>([])
        func send(_ message: MailMessage) throws(OutboundError) { sent.withLock { $0.append(message) } }
        var messages: [MailMessage] { sent.withLock { $0 } }
    }

    @Test func aPausedMembershipIsEmailedWithTheResumeDateAndTheWalletLink() throws {
        let harness = try MailHarness()
        let capture = Capture()
        let worker = try harness.worker(capture)
        let database = harness.database, business = harness.business
        let yoga = try #require(try database.liveOffers(businessID: business.id).first { $0.slug == "yoga-class" })
        let plan = try database.createMembershipPlan(
            businessID: business.id,
            NewMembershipPlan(name: "Yoga monthly", pricePerMonth: 4_500, creditsPerPeriod: 4, offerIDs: [yoga.id], rollover: false,
                              rolloverCap: 0, discountPercent: 0, maxPauseMonths: 1, cancelNoticeDays: nil),
            actor: "user:1", now: harness.now)
        let id = try database.signUpMember(businessID: business.id, planID: plan, customerEmail: "customer@demo.test", payment: .cash,
                                           actor: "user:2", now: harness.now)
        try database.pool.write { try $0.execute(sql: "DELETE FROM outbox") }
        try database.pauseMembership(businessID: business.id, membershipID: id, userID: nil, months: 1, actor: "user:2", now: harness.now)
        #expect(try worker.deliverBatch() == 1)
        let mail = try #require(capture.messages.first)
        #expect(mail.subject.hasPrefix("Your membership: Yoga monthly"))
        #expect(mail.text.contains("Your Yoga monthly membership is paused for 1 month from"))
        #expect(mail.text.contains("\(MailHarness.baseURL)/account/wallet"))
        #expect(!mail.text.contains("When:"))
        #expect(mail.attachments.isEmpty)
    }
}
