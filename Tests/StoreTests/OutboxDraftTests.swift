import BookingCore
import Foundation
import GRDB
import Testing
@testable import Store

/// A booking drafted outside the writer carries its outbox messages (`Draft.messages`): the writer
/// only inserts them. They must be exactly the rows the writer's own path (`Outbox.bookingCreated`) writes.
struct OutboxDraftTests {
    let base = BookingStoreTests()
    let drafted = DraftedAnswerTests()

    struct Written: Equatable {
        let kind: String
        let email: String
        let name: String
        let data: [String: String]
        let due: Int64
        let createdAt: Int64
        let status: String
    }

    /// The order's outbox rows, its guest token left out of the data (a new one per booking).
    func written(_ database: AppDatabase, _ orderID: BookingID) throws -> [Written] {
        try database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM outbox WHERE order_id = ? ORDER BY id", arguments: [orderID]).map {
                var data = OutboxData.decode($0["data"])
                data["token"] = data["token"].map { _ in "…" }
                return Written(kind: $0["kind"], email: $0["recipient_email"], name: $0["recipient_name"], data: data,
                               due: $0["next_attempt_at"], createdAt: $0["created_at"], status: $0["status"])
            }
        }
    }

    /// A demo business in a database of its own, with two reminders.
    func demo() throws -> (AppDatabase, Business) {
        let (database, business) = try BookingStoreTests().demo()
        try database.saveEmailSettings(businessID: business.id, EmailSettings(reminderMinutes: 24 * 60, secondReminderMinutes: 120),
                                       actor: "test", now: BookingStoreTests.now)
        return (database, business)
    }

    @Test func theMessagesOfADraftAreTheRowsTheWriterWouldWrite() throws {
        // Given two copies of the same business, each with two reminders and a provider linked to dana-doctor
        let (outside, business) = try demo()
        let (inside, _) = try demo()
        var kinds: Set<String> = []
        for request in drafted.requests() {
            // When one books from a draft made outside the writer, the other inside it
            let draft = try outside.pool.read {
                try Bookings.draft($0, business: business, request: request, now: BookingStoreTests.now, actor: .guest, confirm: true,
                                   waitlist: .mustBeEmpty)
            }
            #expect(draft.messages?.isEmpty == false, "\(request.offerSlug)")
            guard case .inserted(let draftedID, _) = try outside.write({ try Bookings.commit($0, draft, noticeWaiver: nil) }) else {
                Issue.record("\(request.offerSlug): booked afresh"); continue
            }
            let made = try inside.write { try Bookings.book($0, business: business, request: request, now: BookingStoreTests.now, actor: .guest) }
            // Then both wrote the same messages, in the same order
            let rows = try written(outside, draftedID)
            #expect(rows == (try written(inside, made.order.id)), "\(request.offerSlug)")
            kinds.formUnion(rows.map(\.kind))
        }
        // (the requests cover every kind a new booking writes)
        #expect(kinds == ["confirmation", "reminder", "staff_alert", "approval_requested"])
    }

    /// A new booking alerts the providers linked to its slot's resources, each once, in the slot's
    /// order, and no one else: here Dana (dana-doctor) and Rory (room-1) for a treatment, not Sam
    /// (room-2), whether drafted outside the writer or booked inside it.
    @Test func theProvidersOfTheSlotsResourcesAreAlertedAndNoOneElse() throws {
        for outsideTheWriter in [true, false] {
            let (database, business) = try demo()
            for (email, name, slug) in [("rory@example.com", "Rory Room", "room-1"), ("sam@example.com", "Sam Second", "room-2")] {
                let (userID, resourceID) = try database.pool.write { db in
                    try db.execute(sql: "INSERT INTO users (email, name, password_hash, created_at, password_changed_at) VALUES (?, ?, '$argon2id$x', 1, 1)",
                                   arguments: [email, name])
                    return (UserID(rawValue: db.lastInsertedRowID), try #require(try Catalog.resourceID(db, businessID: business.id, slug: slug)))
                }
                _ = try database.setMembership(businessID: business.id, userID: userID, role: .provider, resourceID: resourceID, actor: "test",
                                               now: BookingStoreTests.now)
            }
            let request = base.request("treatment", base.newYork("2026-12-03", "15:00"), resources: ["dana-doctor", "room-1"])
            let orderID: BookingID
            if outsideTheWriter {
                let draft = try database.pool.read {
                    try Bookings.draft($0, business: business, request: request, now: BookingStoreTests.now, actor: .guest, confirm: true,
                                       waitlist: .mustBeEmpty)
                }
                guard case .inserted(let id, _) = try database.write({ try Bookings.commit($0, draft, noticeWaiver: nil) }) else {
                    Issue.record("booked afresh"); continue
                }
                orderID = id
            } else {
                orderID = try database.write {
                    try Bookings.book($0, business: business, request: request, now: BookingStoreTests.now, actor: .guest)
                }.order.id
            }
            let alerted = try written(database, orderID).filter { $0.kind == "staff_alert" }.map(\.email)
            #expect(alerted == ["dana@demo.test", "rory@example.com"], "outside the writer: \(outsideTheWriter)")
        }
    }

    @Test func aDraftsMessageIdsAreDrawnAfreshForEveryMessage() throws {
        let (database, business) = try demo()
        let draft = try database.pool.read {
            try Bookings.draft($0, business: business, request: drafted.requests()[0], now: BookingStoreTests.now, actor: .guest,
                               confirm: true, waitlist: .mustBeEmpty)
        }
        let ids = try #require(draft.messages).map(\.messageID)
        #expect(ids.count >= 3 && Set(ids).count == ids.count && ids.allSatisfy { $0.utf8.count == 32 })
    }
}
