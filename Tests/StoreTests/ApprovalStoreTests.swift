import BookingCore
import Foundation
import GRDB
@testable import Store
import Testing

/// Approvals (issue 17): pending bookings approved or declined by staff or by the business's
/// automatic decision, each with one email to the customer.
struct ApprovalStoreTests {
    /// Monday 2026-11-23 13:00 New York (Dana is free; Zelda Quinn has her at 10:00, the demo's time
    /// off "Dentist" takes 14:00–15:00, so the second booking of a test is at 15:00).
    static let mondayOne: Int64 = 1_795_456_800
    static let now = DemoStore.seededAt

    func pending(_ database: AppDatabase, _ business: Business, at start: Int64 = mondayOne, name: String = "Pat Patient") throws -> OrderView {
        let request = BookingRequest(offerSlug: "new-patient-visit", start: start,
                                     customer: CustomerDetails(name: name, email: "pat@example.com"), source: "web")
        let order = try database.book(business: business, request: request, now: Self.now, actor: .guest).order
        #expect(order.status == .pending)
        return order
    }

    func outbox(_ database: AppDatabase, order: BookingID, kind: String) throws -> Int {
        try database.pool.read {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM outbox WHERE order_id = ? AND kind = ?", arguments: [order, kind]) ?? 0
        }
    }

    @Test func approvingAPendingBookingConfirmsItAndEmailsTheCustomerOnce() throws {
        let (database, business) = try DemoStore.open("approve")
        let order = try pending(database, business)
        #expect(try outbox(database, order: order.id, kind: "approval_requested") == 1)   // the owner is asked
        #expect(try database.approvalQueue(businessID: business.id).orders.map(\.publicID) == [order.publicID])
        let approved = try database.approveBooking(business: business, publicID: order.publicID, now: Self.now + 60, actor: .user(1))
        #expect(approved.status == .confirmed)
        #expect(approved.paid == 0)   // paid at the venue: approving takes no money (issue 16 removed the pretend charge)
        #expect(try outbox(database, order: order.id, kind: "approved") == 1)
        #expect(try outbox(database, order: order.id, kind: "declined") == 0)
        #expect(try database.approvalQueue(businessID: business.id).orders.isEmpty)
        // A second approval, or a decline of the confirmed booking, is an illegal move and sends nothing more
        #expect(throws: BookingFailure.illegalTransition(IllegalTransition(from: .confirmed, to: .confirmed))) {
            try database.approveBooking(business: business, publicID: order.publicID, now: Self.now + 120, actor: .user(1))
        }
        #expect(throws: BookingFailure.illegalTransition(IllegalTransition(from: .confirmed, to: .cancelled))) {
            try database.declineBooking(business: business, publicID: order.publicID, reason: "no", now: Self.now + 120, actor: .user(1))
        }
        #expect(try outbox(database, order: order.id, kind: "approved") == 1)
    }

    @Test func decliningCancelsWithTheReasonAndSendsTheDeclinedEmailNotACancellation() throws {
        let (database, business) = try DemoStore.open("decline")
        let order = try pending(database, business)
        let declined = try database.declineBooking(business: business, publicID: order.publicID, reason: "Dr. Dana is not taking new patients",
                                                   now: Self.now + 60, actor: .user(1))
        #expect(declined.status == .cancelled)
        #expect(declined.cancelReason == "Dr. Dana is not taking new patients")
        #expect(declined.paid == 0)
        #expect(try outbox(database, order: order.id, kind: "declined") == 1)
        #expect(try outbox(database, order: order.id, kind: "cancellation") == 0)
        // The time is free again: someone else can request it
        _ = try pending(database, business, name: "Robin Next")
        // A hold is confirmed by its customer, never approved by staff
        let hold = try database.hold(business: business, request: BookingRequest(
            offerSlug: "new-patient-visit", start: Self.mondayOne + 2 * 3_600, customer: CustomerDetails(name: "H", email: "h@example.com"),
            source: "web"), now: Self.now, actor: .guest)
        #expect(throws: BookingFailure.illegalTransition(IllegalTransition(from: .held, to: .confirmed))) {
            try database.approveBooking(business: business, publicID: hold.publicID, now: Self.now, actor: .user(1))
        }
    }

    @Test func theAutomaticDecisionTakesEffectAfterTheSetHoursAndNotBefore() throws {
        let (database, business) = try DemoStore.open("auto-decide")
        let first = try pending(database, business)
        // No automatic decision by default: nothing happens however long it waits
        #expect(try database.decidePendingBookings(now: Self.now + 30 * 86_400) == 0)
        try database.setLifecyclePolicies(approval: ApprovalPolicy(autoAfterHours: 12, decision: .decline), waitlist: .standard,
                                          businessID: business.id, now: Self.now, actor: .user(1))
        #expect(try database.decidePendingBookings(now: Self.now + 12 * 3_600 - 1) == 0)
        #expect(try database.decidePendingBookings(now: Self.now + 12 * 3_600) == 1)
        let decided = try #require(try database.pool.read { try BookingReads.order($0, businessID: business.id, publicID: first.publicID) })
        #expect(decided.status == .cancelled)
        #expect(decided.cancelReason.contains("12 hours"))
        #expect(try outbox(database, order: first.id, kind: "declined") == 1)
        // Approve instead: the next request is confirmed once its hours pass
        try database.setLifecyclePolicies(approval: ApprovalPolicy(autoAfterHours: 1, decision: .approve), waitlist: .standard,
                                          businessID: business.id, now: Self.now, actor: .user(1))
        let second = try pending(database, business, at: Self.mondayOne + 2 * 3_600, name: "Second Patient")
        #expect(try database.decidePendingBookings(now: Self.now + 3_600) == 1)
        #expect(try database.pool.read { try BookingReads.order($0, businessID: business.id, publicID: second.publicID) }?.status == .confirmed)
        #expect(try outbox(database, order: second.id, kind: "approved") == 1)
        #expect(throws: BookingFailure.self) {
            try database.setLifecyclePolicies(approval: ApprovalPolicy(autoAfterHours: 0), waitlist: .standard, businessID: business.id,
                                              now: Self.now, actor: .user(1))
        }
    }

    @Test func approvalAndDeclineEachAnnounceTheirOneEventToSubscribedWebhooks() throws {
        let (database, business) = try DemoStore.open("approval-events")
        _ = try database.createWebhook(businessID: business.id, url: "https://hooks.example.com/in", events: [.bookingApproved, .bookingDeclined],
                                       role: .owner, apiKeyID: nil, actor: .system, now: Self.now, answer: { _, _ in [] })
        let approved = try pending(database, business)
        let declined = try pending(database, business, at: Self.mondayOne + 2 * 3_600, name: "Second Patient")
        _ = try database.approveBooking(business: business, publicID: approved.publicID, now: Self.now + 60, actor: .user(1))
        _ = try database.declineBooking(business: business, publicID: declined.publicID, reason: "No", now: Self.now + 60, actor: .user(1))
        let events = try database.pool.read {
            try Row.fetchAll($0, sql: "SELECT event_type, order_id FROM webhook_deliveries ORDER BY id").map { "\($0["event_type"] as String)@\($0["order_id"] as Int64)" }
        }
        #expect(events == ["booking.approved@\(approved.id)", "booking.declined@\(declined.id)"])
    }
}
