import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// Password reset, "resend my confirmation", the outbox page and the email settings, over the app.
struct MailPagesTests {
    let password = "correct horse battery"

    /// The token in the newest outbox row of `kind` to `email` (what the emailed link carries).
    func token(_ test: TestApp, kind: String, to email: String) throws -> String? {
        try test.database.pool.read { db in
            try String.fetchOne(db, sql: """
                SELECT json_extract(data, '$.token') FROM outbox WHERE kind = ? AND recipient_email = ? ORDER BY id DESC LIMIT 1
                """, arguments: [kind, email])
        }
    }

    func outboxCount(_ test: TestApp) throws -> Int {
        try test.database.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM outbox") ?? 0 }
    }

    @Test func passwordResetEndToEnd() throws {
        let test = try TestApp()
        let (ada, _) = try test.member("ada@example.com")
        // The same answer for a known and an unknown address; only the known one gets an email.
        let visitor = test.browser("198.51.100.4")
        #expect(try visitor.get("/login").text.contains(#"href="/password/forgot""#))
        try visitor.get("/password/forgot")
        let known = try visitor.post("/password/forgot", [("email", "Ada@Example.com")])
        let unknown = try visitor.post("/password/forgot", [("email", "nobody@example.com")])
        #expect(known.status == .ok && unknown.status == .ok)
        #expect(known.text.contains("If an account uses ada@example.com") && unknown.text.contains("If an account uses nobody@example.com"))
        #expect(try outboxCount(test) == 1)
        let token = try #require(try token(test, kind: "password_reset", to: "ada@example.com"))
        // The link opens the form; a new password ends every session, the signed-in one too.
        #expect(try visitor.get("/password/reset/\(token)").status == .ok)
        let short = try visitor.post("/password/reset/\(token)", [("password", "short")])
        #expect(short.status == .unprocessable && short.text.contains("error-summary") && short.text.contains(#"id="password-error""#))
        let done = try visitor.post("/password/reset/\(token)", [("password", "a brand new password")])
        #expect(done.status == .ok && done.text.contains("Your password has been changed"))
        #expect(try ada.get("/account").status == .seeOther)
        // It works once.
        #expect(try visitor.get("/password/reset/\(token)").status == .gone)
        #expect(try visitor.post("/password/reset/\(token)", [("password", "another new password")]).status == .gone)
        #expect(try test.browser().logIn(email: "ada@example.com", password: password).status == .unprocessable)
        #expect(try test.browser().logIn(email: "ada@example.com", password: "a brand new password").status == .seeOther)
    }

    @Test func resetLinkExpiresAfterAnHour() throws {
        let test = try TestApp()
        _ = try test.member("ada@example.com")
        let visitor = test.browser()
        try visitor.get("/password/forgot")
        try visitor.post("/password/forgot", [("email", "ada@example.com")])
        let token = try #require(try token(test, kind: "password_reset", to: "ada@example.com"))
        test.advance(seconds: 3600)
        #expect(try visitor.get("/password/reset/\(token)").text.contains("This link no longer works"))
    }

    @Test func forgotIsThrottledLikeLogIn() throws {
        let test = try TestApp()
        let visitor = test.browser()
        try visitor.get("/password/forgot")
        for _ in 0..<5 { #expect(try visitor.post("/password/forgot", [("email", "who@example.com")]).status == .ok) }
        let refused = try visitor.post("/password/forgot", [("email", "who@example.com")])
        #expect(refused.status == .tooManyRequests && refused.headers["Retry-After"] != nil)
        #expect(try visitor.post("/password/forgot", [("email", "other@example.com")]).status == .ok)
    }

    @Test func forgotWithoutFormTokenIsRefused() throws {
        let test = try TestApp()
        #expect(try test.browser().post("/password/forgot", [("email", "a@example.com")], csrf: .some(nil)).status == .forbidden)
    }

    @Test func resendGivesANewWorkingLinkAndTheSameAnswerEitherWay() throws {
        let test = try TestApp()
        let now = test.nowSeconds
        let order = try test.database.write { db -> OrderView in
            _ = try DemoData.seed(db, now: now, hashPassword: { "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA" })
            let business = try #require(try Catalog.business(db, slug: "demo"))
            let start = ZoneClock(identifier: "America/New_York")!.instant(LocalDate("2026-11-24")!, WallTime("10:00")!)!
            return try Bookings.book(db, business: business, request: BookingRequest(
                offerSlug: "consultation", start: start, customer: CustomerDetails(name: "Guest", email: "guest@example.com"),
                source: "web"), now: now, actor: .guest).order
        }
        let visitor = test.browser()
        #expect(try visitor.get("/b/demo").text.contains(#"href="/b/demo/resend""#))
        try visitor.get("/b/demo/resend")
        let before = try outboxCount(test)
        let none = try visitor.post("/b/demo/resend", [("email", "stranger@example.com")])
        #expect(try outboxCount(test) == before)
        let found = try visitor.post("/b/demo/resend", [("email", "GUEST@example.com")])
        #expect(found.status == .ok && none.status == .ok)
        #expect(found.text.replacingOccurrences(of: "guest@example.com", with: "x") == none.text.replacingOccurrences(of: "stranger@example.com", with: "x"))
        let token = try #require(try token(test, kind: "confirmation", to: "guest@example.com"))
        #expect(try visitor.get("/bookings/\(order.publicID)?token=\(token)").status == .ok)
    }

    @Test func outboxPageListsRetriesAndIsForOwnersOnly() throws {
        let test = try TestApp()
        let businessID = try test.createBusiness(slug: "shop")
        let (owner, _) = try test.member("owner@example.com", role: .owner, in: businessID)
        let (staff, _) = try test.member("staff@example.com", role: .staff, in: businessID)
        let messageID = try test.database.pool.write { db -> Int64 in
            try db.execute(sql: """
                INSERT INTO outbox (business_id, kind, recipient_email, recipient_name, subject, message_id, status, attempts,
                  next_attempt_at, last_error, created_at)
                VALUES (?, 'confirmation', 'x@example.com', 'X <evil>', 'Booking confirmed', 'abcdefabcdefabcdef', 'failed', 1, 0,
                  '550 5.1.1 no such mailbox', 0)
                """, arguments: [businessID])
            return db.lastInsertedRowID
        }
        #expect(try staff.get("/manage/shop/outbox").status == .notFound)
        let page = try owner.get("/manage/shop/outbox")
        #expect(page.status == .ok && page.text.contains("550 5.1.1 no such mailbox") && page.text.contains("X &lt;evil&gt;"))
        #expect(try staff.post("/manage/shop/outbox/\(messageID)/retry", []).status == .notFound)
        #expect(try owner.post("/manage/shop/outbox/\(messageID)/retry", [], csrf: .some(nil)).status == .forbidden)
        let retried = try owner.post("/manage/shop/outbox/\(messageID)/retry", [])
        #expect(retried.status == .seeOther)
        #expect(try test.database.outboxEntries(businessID: businessID).first?.status == .pending)
        #expect(try owner.post("/manage/shop/outbox/\(messageID)/retry", []).status == .conflict)
        let audit = try test.database.pool.read { try String.fetchOne($0, sql: "SELECT action FROM audit_log WHERE business_id = ? ORDER BY seq DESC",
                                                                      arguments: [businessID]) }
        #expect(audit == "outbox.retry")
    }

    @Test func emailSettingsAreSavedAndValidated() throws {
        let test = try TestApp()
        let businessID = try test.createBusiness(slug: "shop")
        let (owner, _) = try test.member("owner@example.com", role: .owner, in: businessID)
        let form = try owner.get("/manage/shop/settings")
        #expect(form.text.contains(#"id="reminder_hours" name="reminder_hours" type="text" inputmode="decimal" maxlength="10" value="24""#))
        let bad = try owner.post("/manage/shop/settings/email", [("reminder_hours", "soon"), ("reply_to", "nope")])
        #expect(bad.status == .unprocessable && bad.text.contains("error-summary") && bad.text.contains(#"value="soon""#))
        #expect(bad.text.contains(#"id="reminder_hours-error""#) && bad.text.contains(#"id="reply_to-error""#))
        let saved = try owner.post("/manage/shop/settings/email", [("reminder_hours", "48"), ("second_reminder_hours", "2"),
                                                                   ("reply_to", "Desk@Example.com")])
        #expect(saved.status == .seeOther)
        #expect(try test.database.emailSettings(businessID: businessID)
                == EmailSettings(reminderMinutes: 2880, secondReminderMinutes: 120, replyTo: "desk@example.com"))
    }
}
