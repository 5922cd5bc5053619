import BookingCore
import Foundation
import GRDB
@testable import Jobs
import Outbound
@testable import Store
import Testing

/// Issue 17, programs: the confirmation of a course lists every session, in the business's zone;
/// every session has its reminders, each giving its own session's time.
struct ProgramMailTests {
    /// Yoga as a program with a run of three Tuesdays at noon in New York, and Ann Lee enrolled in it.
    static func enrolInTuesdays(_ harness: MailHarness) throws -> (order: OrderView, starts: [Instant]) {
        let starts = ["2026-12-01", "2026-12-08", "2026-12-15"].map { harness.newYork($0, "12:00") }
        try harness.database.setUpProgram(business: harness.business, slug: "yoga-class", makeupsAllowed: false, now: harness.now,
                                          actor: .system)
        let run = try harness.database.addProgramRun(business: harness.business, slug: "yoga-class",
                                                     request: ProgramRunRequest(name: "Tuesdays", starts: starts), now: harness.now, actor: .system)
        let (order, _) = try harness.database.enrol(business: harness.business, runPublicID: run, request: BookingRequest(
            offerSlug: "yoga-class", start: 0, customer: CustomerDetails(name: "Ann Lee", email: "ann@example.com"), source: "web"),
            now: harness.now, actor: .guest)
        return (order, starts)
    }

    @Test func everySessionOfACourseHasItsReminderGivingThatSessionsTime() throws {
        let harness = try MailHarness()
        let (order, starts) = try Self.enrolInTuesdays(harness)
        let reminders = try harness.database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, next_attempt_at FROM outbox WHERE order_id = ? AND kind = 'reminder' ORDER BY next_attempt_at",
                             arguments: [order.id]).map { (id: $0[0] as Int64, due: $0[1] as Int64) }
        }
        // Each session has as many reminders as the first, each before its own session
        #expect(reminders.count >= 3 && reminders.count % 3 == 0)
        let perSession = reminders.count / 3
        for (index, start) in starts.enumerated() {
            let mine = reminders[(index * perSession)..<((index + 1) * perSession)]
            #expect(mine.allSatisfy { $0.due < start && (index == 0 || $0.due > starts[index - 1]) })
        }
        // The last session's reminder gives that session's date, not the first's
        let last = try #require(try harness.database.pool.read { try AppDatabase.outboxMessage($0, id: reminders[reminders.count - 1].id) })
        let composer = try MailComposer(settings: MailSettings(from: MailAddress("bookings@bizing.test", name: "Demo"), baseURL: MailHarness.baseURL),
                                        templatesDirectory: MailHarness.root + "/Templates/email")
        guard case .send(let mail, _) = composer.compose(last, now: reminders[reminders.count - 1].due) else {
            Issue.record("no reminder to send")
            return
        }
        #expect(mail.text.contains("15 December 2026") && !mail.text.contains("1 December 2026"))
    }

    @Test func theConfirmationOfACourseListsEverySession() throws {
        let harness = try MailHarness()
        let (order, _) = try Self.enrolInTuesdays(harness)
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
