import BookingCore
import Foundation
import GRDB
@testable import Jobs
import Outbound
@testable import Store
import Testing

/// Issue 17, programs: the confirmation of a course lists every session, in the business's zone.
struct ProgramMailTests {
    @Test func theConfirmationOfACourseListsEverySession() throws {
        let harness = try MailHarness()
        let starts = ["2026-12-01", "2026-12-08", "2026-12-15"].map { harness.newYork($0, "12:00") }
        try harness.database.setUpProgram(business: harness.business, slug: "yoga-class", makeupsAllowed: false, now: harness.now,
                                          actor: .system)
        let run = try harness.database.addProgramRun(business: harness.business, slug: "yoga-class",
                                                     request: ProgramRunRequest(name: "Tuesdays", starts: starts), now: harness.now, actor: .system)
        let (order, _) = try harness.database.enrol(business: harness.business, runPublicID: run, request: BookingRequest(
            offerSlug: "yoga-class", start: 0, customer: CustomerDetails(name: "Ann Lee", email: "ann@example.com"), source: "web"),
            now: harness.now, actor: .guest)
        let message = try harness.database.pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM outbox WHERE order_id = ? AND kind = 'confirmation'", arguments: [order.id])
                .flatMap { try AppDatabase.outboxMessage(db, id: $0) }
        }
        let composer = try MailComposer(settings: MailSettings(from: MailAddress("bookings@bizing.test", name: "Demo"), baseURL: MailHarness.baseURL),
                                        templatesDirectory: MailHarness.root + "/Templates/email")
        let found = try #require(message)
        guard case .send(let mail, _) = composer.compose(found, now: harness.now) else {
            Issue.record("no confirmation to send")
            return
        }
        #expect(mail.text.contains("Your sessions:"))
        #expect(mail.text.components(separatedBy: "\n- ").count - 1 == 3)
        #expect(mail.text.contains("15 December 2026"))
        #expect(mail.html?.contains("<strong>Your sessions:</strong>") == true)
    }
}
