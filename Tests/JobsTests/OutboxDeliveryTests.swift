import BookingCore
import Foundation
import GRDB
import HTTPServer
import Jobs
import Outbound
@testable import Store
import TestSupport
import Testing

/// The outbox worker against a real aiosmtpd sink on loopback (Tests/services/smtp_sink.py).
@Suite(.serialized) struct OutboxDeliveryTests {
    @Test func confirmationArrivesWithCalendarAndAWorkingManageLink() throws {
        let test = try MailHarness()
        let sink = SMTPSink()
        try sink.start()
        defer { sink.stop() }
        let start = test.newYork("2026-12-03", "10:00")
        let (order, _) = try test.book(at: start)
        let worker = try test.worker(try SMTPTransport(url: sink.url))
        try worker.deliverBatch()

        let mail = try #require(sink.waitForMessages(count: 1).first)
        #expect(mail.recipients == ["grace@example.com"] && mail.defects.isEmpty && mail.parseError == nil)
        #expect(mail.header("Subject") == "Booking confirmed: Consultation on Thursday 3 December 2026 at 10:00 EST")
        let messageID = try #require(test.rows().first { $0.kind == "confirmation" }?.messageID)
        #expect(mail.header("Message-ID") == "<\(messageID)@bizing.test>")
        let text = try #require(mail.textPart)
        #expect(text.contains("Thursday 3 December 2026, 10:00–10:30 (America/New_York)"))
        #expect(mail.htmlPart?.contains("<strong>When:</strong>") == true)
        // The .ics: one VEVENT at the booking's time, published.
        let calendar = try #require(mail.calendarPart)
        #expect(calendar.params["method"]?.uppercased() == "PUBLISH" && calendar.filename == "booking.ics")
        #expect(calendar.text.hasPrefix("BEGIN:VCALENDAR\r\n") && calendar.text.hasSuffix("END:VCALENDAR\r\n"))
        #expect(calendar.text.contains("DTSTART:\(ICalendar.utc(start))\r\n") && calendar.text.contains("UID:\(order.publicID)@bizing"))
        // The manage link works for the guest, and its reschedule link too.
        let link = try #require(text.split(whereSeparator: \.isNewline).first { $0.hasPrefix("View your booking: ") })
            .dropFirst("View your booking: \(MailHarness.baseURL)".count)
        #expect(link.hasPrefix("/bookings/\(order.publicID)?token="))
        let page = try test.get(String(link))
        #expect(page.status == .ok && String(decoding: page.body, as: UTF8.self).contains("Consultation"))
        #expect(try test.get(String(link).replacingOccurrences(of: "?token=", with: "/reschedule?token=")).status == .ok)
        // Sent: the token is no longer stored.
        #expect(try test.rows().first { $0.kind == "confirmation" }?.status == "sent")
        #expect(try test.database.pool.read { try String.fetchOne($0, sql: "SELECT data FROM outbox WHERE kind = 'confirmation'") } == "{}")
    }

    @Test func cancellationCarriesTheRefund() throws {
        let test = try MailHarness()
        let sink = SMTPSink()
        try sink.start()
        defer { sink.stop() }
        let (order, _) = try test.book(at: test.newYork("2026-12-03", "10:00"))
        let business = test.business, now = test.now
        let cancellation = try test.database.write { db in
            // Paid at the desk (the ledger has it), so the cancellation refunds by the tiers.
            try db.execute(sql: "INSERT INTO ledger_entries (business_id, order_id, kind, amount, currency, method, at) VALUES (?, ?, 'charge', 4000, 'USD', 'cash', 0)",
                           arguments: [order.businessID, order.id])
            return try Bookings.cancel(db, business: business, publicID: order.publicID, reason: "", now: now, actor: .guest)
        }
        try test.worker(try SMTPTransport(url: sink.url)).deliverBatch()
        let mails = sink.waitForMessages(count: 2)
        let cancelled = try #require(mails.first { $0.header("Subject")?.hasPrefix("Booking cancelled") == true })
        #expect(cancellation.refund.amount == 4000)
        #expect(cancelled.textPart?.contains("Refund: $40.00 (100% per the cancellation policy)") == true)
        // Its .ics cancels the event a calendar imported (same UID, a later SEQUENCE).
        #expect(cancelled.calendarPart?.text.contains("STATUS:CANCELLED\r\n") == true)
        #expect(try test.rows().filter { $0.kind == "reminder" }.map(\.status) == ["withdrawn"])
    }

    @Test func reminderGoesWhenItsTimeHasCome() throws {
        let test = try MailHarness()
        let sink = SMTPSink()
        try sink.start()
        defer { sink.stop() }
        let start = test.newYork("2026-12-03", "10:00")
        _ = try test.book(at: start)
        let worker = try test.worker(try SMTPTransport(url: sink.url))
        try worker.deliverBatch()
        #expect(sink.waitForMessages(count: 1).count == 1)
        test.set(now: start - 24 * 3600 - 1)
        #expect(try worker.deliverBatch() == 0)
        test.set(now: start - 24 * 3600)
        #expect(try worker.deliverBatch() == 1)
        let reminder = try #require(sink.waitForMessages(count: 2).last)
        #expect(reminder.header("Subject") == "Reminder: Consultation on Thursday 3 December 2026 at 10:00 EST")
        #expect(reminder.textPart?.contains("24 hours from now") == true)
    }

    @Test func smtpDownDuringBookingThenDeliveredOnceItIsBack() throws {
        let test = try MailHarness()
        // A real SMTP client to a loopback port nobody listens on.
        let closed = SMTPSink()
        try closed.start()
        let deadURL = closed.url
        closed.stop()
        let transport = SwitchableTransport(try SMTPTransport(url: deadURL, timeoutSeconds: 5))
        let worker = try test.worker(transport)
        let (order, _) = try test.book(at: test.newYork("2026-12-03", "10:00"))
        #expect(order.status == .confirmed)
        #expect(try worker.deliverBatch() == 1)
        let waiting = try #require(try test.database.outboxEntries(businessID: test.business.id).first { $0.kind == .confirmation })
        #expect(waiting.status == .pending && waiting.attempts == 1 && !waiting.lastError.isEmpty)
        #expect(waiting.nextAttemptAt > test.now)
        // SMTP is back; nothing goes before the retry time, then the message does, once.
        let sink = SMTPSink()
        try sink.start()
        defer { sink.stop() }
        transport.use(try SMTPTransport(url: sink.url))
        #expect(try worker.deliverBatch() == 0)
        test.set(now: waiting.nextAttemptAt)
        #expect(try worker.deliverBatch() == 1)
        #expect(sink.waitForMessages(count: 1).count == 1)
        test.set(now: waiting.nextAttemptAt + 7200)
        #expect(try worker.deliverBatch() == 0)
        #expect(sink.messages().count == 1)
    }

    @Test func aNameWithLineBreaksCannotAddAHeader() throws {
        let test = try MailHarness()
        let sink = SMTPSink()
        try sink.start()
        defer { sink.stop() }
        _ = try test.book(name: "Eve\r\nBcc: victim@example.org\r\nX-Evil: 1", at: test.newYork("2026-12-03", "10:00"))
        try test.worker(try SMTPTransport(url: sink.url)).deliverBatch()
        let mail = try #require(sink.waitForMessages(count: 1).first)
        #expect(mail.recipients == ["grace@example.com"])
        #expect(mail.header("Bcc") == nil && mail.header("X-Evil") == nil)
        let head = mail.rawText.components(separatedBy: "\r\n\r\n")[0]
        #expect(!head.contains("\r\nBcc:") && !head.contains("\r\nX-Evil:"))
        #expect(mail.textPart?.contains("Hello Eve Bcc: victim@example.org X-Evil: 1,") == true)
    }

    @Test func permanentRefusalFailsOnceAndIsNotRetried() throws {
        let test = try MailHarness()
        let sink = SMTPSink(rejectRecipients: "^nobody@")
        try sink.start()
        defer { sink.stop() }
        _ = try test.book(email: "nobody@example.com", at: test.newYork("2026-12-03", "10:00"))
        let worker = try test.worker(try SMTPTransport(url: sink.url))
        #expect(try worker.deliverBatch() == 1)
        let entry = try #require(try test.database.outboxEntries(businessID: test.business.id).first { $0.kind == .confirmation })
        #expect(entry.status == .failed && entry.attempts == 1 && entry.lastError.contains("550"))
        test.set(now: test.now + 86_400)
        #expect(try worker.deliverBatch() == 0)
        #expect(sink.messages().isEmpty)
    }

    @Test func startedWorkerDeliversSoonAfterTheCommit() throws {
        let test = try MailHarness()
        let sink = SMTPSink()
        try sink.start()
        defer { sink.stop() }
        // Polling every 30 s: only the commit's signal can wake it in time.
        let worker = try test.worker(try SMTPTransport(url: sink.url), pollSeconds: 30)
        worker.start()
        defer { worker.stop() }
        Thread.sleep(forTimeInterval: 0.3)
        let began = Date()
        _ = try test.book(at: test.newYork("2026-12-03", "10:00"))
        #expect(sink.waitForMessages(count: 1, timeout: 2).count == 1)
        #expect(Date().timeIntervalSince(began) < 2)
    }

    @Test func providerAlertIsMaskedByTheBusinessPolicy() throws {
        let test = try MailHarness()
        let sink = SMTPSink()
        try sink.start()
        defer { sink.stop() }
        let business = test.business, now = test.now
        try test.database.pool.write { db in
            try FieldVisibilityStore.save(db, businessID: business.id, policy: VisibilityPolicy(overrides: [
                .provider: [.name: .masked, .email: .hidden, .phone: .hidden, .notes: .hidden],
            ]), actor: "user:1", now: now)
        }
        _ = try test.book(name: "Grace Hopper", email: "grace@example.com", at: test.newYork("2026-12-03", "10:00"), resources: ["dana-doctor"])
        try test.worker(try SMTPTransport(url: sink.url)).deliverBatch()
        let alert = try #require(sink.waitForMessages(count: 2).first { $0.recipients == ["dana@demo.test"] })
        #expect(alert.header("Subject")?.hasPrefix("New booking: Consultation") == true)
        let text = try #require(alert.textPart)
        #expect(text.contains("Customer: Grace H."))
        // The phone itself, not any "555": the staff link's random booking id may hold those digits.
        #expect(!text.contains("Hopper") && !text.contains("grace@example.com") && !text.contains("212 555 0100") && !text.contains("Phone:"))
        #expect(alert.htmlPart?.contains("Hopper") == false)
    }
}
