import BookingCore
import Foundation
import GRDB
import Testing
@testable import Store

/// Outbox rows are written by the booking transactions themselves, and claimed with a lease.
struct OutboxStoreTests {
    let base = BookingStoreTests()
    static let now = BookingStoreTests.now

    struct Row: Equatable {
        let kind: String
        let email: String
        let status: String
        let due: Int64
        let data: [String: String]
    }

    func rows(_ database: AppDatabase, orderID: BookingID) throws -> [Row] {
        try database.pool.read { db in
            try GRDB.Row.fetchAll(db, sql: "SELECT * FROM outbox WHERE order_id = ? ORDER BY id", arguments: [orderID]).map {
                Row(kind: $0["kind"], email: $0["recipient_email"], status: $0["status"], due: $0["next_attempt_at"],
                    data: OutboxData.decode($0["data"]))
            }
        }
    }

    func book(_ database: AppDatabase, _ business: Business, at start: Instant, now: Instant = now,
              resources: [String] = ["dana-doctor"]) throws -> (order: OrderView, accessToken: String) {
        try database.write { db in
            try Bookings.book(db, business: business, request: base.request("consultation", start, resources: resources), now: now, actor: .guest)
        }
    }

    @Test func bookingWritesConfirmationWithTokenReminderAndProviderAlert() throws {
        let (database, business) = try base.demo()
        let start = base.newYork("2026-12-03", "10:00")
        let (order, token) = try book(database, business, at: start)
        let rows = try rows(database, orderID: order.id)
        #expect(rows.map(\.kind) == ["confirmation", "reminder", "staff_alert"])
        #expect(rows[0].email == "r@example.com" && rows[0].data["token"] == token && rows[0].due == Self.now)
        #expect(rows[1].due == start - 24 * 3600 && rows[1].data["offset_minutes"] == "1440")
        #expect(rows[2].email == "dana@demo.test" && rows[2].data["event"] == "new")
    }

    @Test func bookingInsideTheReminderWindowGetsNoReminder() throws {
        let (database, business) = try base.demo()
        let start = base.newYork("2026-11-23", "11:00")   // 23 hours after `now`
        let (order, _) = try book(database, business, at: start)
        #expect(try rows(database, orderID: order.id).map(\.kind) == ["confirmation", "staff_alert"])
    }

    @Test func aFailedBookingWritesNoMessage() throws {
        let (database, business) = try base.demo()
        let start = base.newYork("2026-12-03", "10:00")
        _ = try book(database, business, at: start)
        let before = try database.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM outbox") }
        #expect(throws: BookingFailure.self) { _ = try book(database, business, at: start) }
        #expect(try database.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM outbox") } == before)
    }

    @Test func cancellationWithdrawsRemindersAndCarriesTheRefund() throws {
        let (database, business) = try base.demo()
        let start = base.newYork("2026-12-03", "10:00")
        let (order, _) = try book(database, business, at: start)
        let cancellation = try database.write { db in
            // Paid at the desk (the ledger has it), so the cancellation refunds by the tiers.
            try db.execute(sql: "INSERT INTO ledger_entries (business_id, order_id, kind, amount, currency, method, at) VALUES (?, ?, 'charge', 4000, 'USD', 'cash', 0)",
                           arguments: [order.businessID, order.id])
            return try Bookings.cancel(db, business: business, publicID: order.publicID, reason: "", now: Self.now, actor: .guest)
        }
        let rows = try rows(database, orderID: order.id)
        #expect(rows.first { $0.kind == "reminder" }?.status == "withdrawn")
        let message = try #require(rows.first { $0.kind == "cancellation" })
        #expect(message.data["refund"] == String(cancellation.refund.amount) && cancellation.refund.amount > 0)
        #expect(rows.filter { $0.kind == "staff_alert" }.map { $0.data["event"] } == ["new", "cancelled"])
    }

    @Test func rescheduleMovesTheReminder() throws {
        let (database, business) = try base.demo()
        let (order, _) = try book(database, business, at: base.newYork("2026-12-03", "10:00"))
        let newStart = base.newYork("2026-12-04", "11:00")
        _ = try database.write { db in
            try Bookings.reschedule(db, business: business, publicID: order.publicID, start: newStart, now: Self.now, actor: .guest)
        }
        let rows = try rows(database, orderID: order.id)
        let pending = rows.filter { $0.kind == "reminder" && $0.status == "pending" }
        #expect(pending.map(\.due) == [newStart - 24 * 3600])
        #expect(rows.contains { $0.kind == "reschedule" && $0.data["previous_start"] == String(order.start) })
    }

    @Test func secondReminderFromTheBusinessSettings() throws {
        let (database, business) = try base.demo()
        try database.saveEmailSettings(businessID: business.id, EmailSettings(reminderMinutes: 1440, secondReminderMinutes: 120),
                                       actor: "user:1", now: Self.now)
        let start = base.newYork("2026-12-03", "10:00")
        let (order, _) = try book(database, business, at: start)
        #expect(try rows(database, orderID: order.id).filter { $0.kind == "reminder" }.map(\.due) == [start - 86_400, start - 7200])
    }

    @Test func claimLeasesAndAFailedLeaseIsClaimedAgainWithTheSameMessageID() throws {
        let (database, business) = try base.demo()
        let (order, _) = try book(database, business, at: base.newYork("2026-12-03", "10:00"))
        let first = try database.claimDueMessages(now: Self.now, leaseSeconds: 60, limit: 50)
        let mine = try #require(first.first { $0.order?.id == order.id && $0.kind == .confirmation })
        #expect(mine.attempts == 1 && mine.data["token"] != nil)
        // Leased: nobody else gets it; the reminder is not due yet.
        #expect(try database.claimDueMessages(now: Self.now + 59, leaseSeconds: 60, limit: 50).isEmpty)
        // The claimer died: after the lease the same message (same Message-ID) goes again.
        let again = try database.claimDueMessages(now: Self.now + 60, leaseSeconds: 60, limit: 50)
        let same = try #require(again.first { $0.id == mine.id })
        #expect(same.messageID == mine.messageID && same.attempts == 2)
        try database.recordDeliveries([(same.id, .sent(subject: "Booking confirmed"))], now: Self.now + 61)
        let data = try database.pool.read { try String.fetchOne($0, sql: "SELECT data FROM outbox WHERE id = ?", arguments: [mine.id]) }
        #expect(data == "{}")   // the guest token is gone once sent
        #expect(try database.claimDueMessages(now: Self.now + 500, leaseSeconds: 60, limit: 50).allSatisfy { $0.id != mine.id })
    }

    @Test func failedMessageIsListedAndRetriedOnlyByItsBusiness() throws {
        let (database, business) = try base.demo()
        let (order, _) = try book(database, business, at: base.newYork("2026-12-03", "10:00"))
        let claimed = try database.claimDueMessages(now: Self.now, leaseSeconds: 60, limit: 50).filter { $0.order?.id == order.id }
        let message = try #require(claimed.first)
        try database.recordDeliveries([(message.id, .failed(subject: "S", error: "550 no such mailbox"))], now: Self.now)
        let entry = try #require(try database.outboxEntries(businessID: business.id).first { $0.id == message.id })
        #expect(entry.status == .failed && entry.lastError == "550 no such mailbox")
        let other = try database.write { db in
            try Catalog.createBusiness(db, slug: "other", name: "Other", timeZone: "Europe/Berlin", currency: "EUR", now: Self.now)
        }
        #expect(throws: OutboxError.notRetryable) { try database.retryMessage(businessID: other.id, id: message.id, actor: "user:9", now: Self.now) }
        try database.retryMessage(businessID: business.id, id: message.id, actor: "user:1", now: Self.now + 5)
        #expect(try database.claimDueMessages(now: Self.now + 5, leaseSeconds: 60, limit: 50).contains { $0.id == message.id })
        #expect(try database.outboxEntries(businessID: other.id).isEmpty)
    }

    @Test func passwordResetWorksOnceForAnHourAndEndsSessions() throws {
        let (database, _) = try base.demo()
        try database.requestPasswordReset(email: "nobody@demo.test", now: Self.now)
        try database.requestPasswordReset(email: "owner@demo.test", now: Self.now)
        let messages = try database.claimDueMessages(now: Self.now, leaseSeconds: 60, limit: 100).filter { $0.kind == .passwordReset }
        #expect(messages.map(\.recipientEmail) == ["owner@demo.test"])
        let token = try #require(messages.first?.data["token"])
        #expect(try database.passwordResetUser(token: token, now: Self.now + 3599)?.email == "owner@demo.test")
        #expect(try database.passwordResetUser(token: token, now: Self.now + 3600) == nil)
        let user = try #require(try database.user(email: "owner@demo.test"))
        _ = try database.logIn(userID: user.id, email: user.email,
                               session: NewSession(tokenHash: Tokens.hash("s1"), expiresAt: Self.now + 9999, userAgent: "", ip: ""),
                               replacing: nil, rehash: nil, now: Self.now)
        _ = try database.resetPassword(token: token, newHash: "$argon2id$new", ip: "", now: Self.now + 10)
        #expect(try database.sessions(userID: user.id, now: Self.now + 11).isEmpty)
        #expect(try database.user(id: user.id)?.passwordHash == "$argon2id$new")
        #expect(throws: PasswordResetError.invalidOrExpired) {
            _ = try database.resetPassword(token: token, newHash: "$argon2id$again", ip: "", now: Self.now + 20)
        }
    }

    @Test func pendingBookingAsksTheManagersAndApprovalSchedulesReminders() throws {
        let (database, business) = try base.demo()
        let now = Self.now
        try database.pool.write { db in
            let dana = try #require(try Catalog.resourceID(db, businessID: business.id, slug: "dana-doctor"))
            let offer = try Catalog.createOffer(db, businessID: business.id, slug: "visit", name: "Visit", mode: .slot, now: now)
            try Catalog.publishVersion(db, businessID: business.id, versionID: try Catalog.createDraftVersion(
                db, businessID: business.id, offerID: offer, spec: OfferVersionSpec(
                    duration: .fixed(30), approvalRequired: true, price: .fixed(Money(1000, "USD")),
                    components: [OfferComponent(selector: .resource(dana), role: "host")]), now: now), now: now)
        }
        let start = base.newYork("2026-12-03", "10:00")
        let order = try database.write { db in
            try Bookings.book(db, business: business, request: base.request("visit", start), now: now, actor: .guest).order
        }
        #expect(order.status == .pending)
        var messages = try rows(database, orderID: order.id)
        #expect(messages.filter { $0.kind == "approval_requested" }.map(\.email) == ["owner@demo.test"])
        #expect(!messages.contains { $0.kind == "reminder" } && messages.contains { $0.kind == "confirmation" })
        _ = try database.write { db in
            try Bookings.transition(db, business: business, publicID: order.publicID, to: .confirmed, now: now, actor: .user(1))
        }
        messages = try rows(database, orderID: order.id)
        #expect(messages.contains { $0.kind == "approved" })
        #expect(messages.filter { $0.kind == "reminder" }.map(\.due) == [start - 86_400])
    }
}
