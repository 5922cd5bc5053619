import BookingCore
import Foundation
import GRDB
@testable import Store
import Testing

/// The Store side of disputes, refunds owed, cards saved without a payment and re-pricing (issue 16),
/// on a real SQLite file without Stripe: each use case is one transaction and safe to repeat.
struct PaymentIssuesStoreTests {
    let now = DemoStore.seededAt

    /// A consultation booked in the demo, paid through a (recorded) Stripe PaymentIntent.
    func paidConsultation() throws -> (AppDatabase, Business, OrderView) {
        let (database, business) = try DemoStore.open("payment-issues")
        let start = ZoneClock(identifier: "America/New_York")!.instant(LocalDate("2026-11-26")!, WallTime("10:00")!)!
        let (order, _) = try database.book(business: business, request: BookingRequest(
            offerSlug: "consultation", start: start, customer: CustomerDetails(name: "Dee Spute", email: "dee@example.com"),
            partySize: 1, resourceSlugs: [], source: "web"), now: now, actor: .guest)
        try database.recordPaymentIntent(businessID: business.id, orderID: order.id, stripeID: "pi_store1", clientSecret: "pi_store1_secret_x",
                                         purpose: .booking, amount: 4000, currency: "USD", stripeCustomer: "cus_1", paymentMethod: "card_1",
                                         accessTokenSealed: nil, now: now)
        try database.pool.write { db in
            try db.execute(sql: "UPDATE payment_intents SET status = 'succeeded' WHERE stripe_id = 'pi_store1'")
            _ = try PaymentLedger.insert(db, businessID: business.id, orderID: order.id, kind: "charge", amount: 4000, currency: "USD",
                                         stripeID: "pi_store1", note: "", at: now)
        }
        return (database, business, order)
    }

    @Test func aDisputeIsOneLedgerRowOneOwnerEmailAndOneAuditEntryHoweverOftenItArrives() throws {
        let (database, business, order) = try paidConsultation()
        #expect(try database.recordDispute(businessID: business.id, paymentIntent: "pi_store1", disputeID: "dp_s1", amount: 4000, currency: "usd",
                                           reason: "product_not_received", eventID: "evt_1", now: now))
        #expect(!(try database.recordDispute(businessID: business.id, paymentIntent: "pi_store1", disputeID: "dp_s1", amount: 4000,
                                             currency: "usd", reason: "", eventID: "evt_1", now: now)))
        #expect(!(try database.recordDispute(businessID: business.id, paymentIntent: "pi_store1", disputeID: "dp_s1", amount: 4000,
                                             currency: "usd", reason: "", eventID: "evt_2", now: now)))
        // A dispute of a payment Bizing never made changes nothing.
        #expect(!(try database.recordDispute(businessID: business.id, paymentIntent: "pi_other", disputeID: "dp_s2", amount: 100,
                                             currency: "usd", reason: "", eventID: "evt_3", now: now)))
        let issues = try database.paymentIssues(businessID: business.id, publicID: order.publicID)
        #expect(issues.disputes.map(\.amount) == [4000])
        #expect(issues.refundsOwed.isEmpty)
        let alerts = try database.pool.read {
            try String.fetchAll($0, sql: "SELECT data FROM outbox WHERE kind = 'staff_alert' AND order_id = ? AND data LIKE '%dispute%'",
                                arguments: [order.id])
        }
        #expect(alerts.count == 1)
        #expect(alerts.first?.contains("product not received") == true)
        #expect(try database.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM audit_log WHERE action = 'payment.disputed'") } == 1)
    }

    @Test func aRefundOwedIsRetriedOnlyWhileItIsOwedAndEachAskIsAudited() throws {
        let (database, business, order) = try paidConsultation()
        let due = StripeRefundDue(orderID: order.id, paymentIntent: "pi_store1", amount: 2000, currency: "USD", percent: 50)
        try database.pool.write { db in try PaymentLedger.owe(db, businessID: business.id, refund: due, now: now) }
        try database.markIntent(businessID: business.id, stripeID: due.reference, status: .failed, error: "Stripe refused the refund: no", now: now)
        #expect(try database.paymentIssues(businessID: business.id, publicID: order.publicID).refundsOwed.map(\.failed) == [true])
        let asked = try database.retryOwedRefund(business: business, publicID: order.publicID, reference: due.reference, actor: Actor("user:1"), now: now)
        #expect(asked == due)
        // Another booking's reference, or one never owed: nothing to retry, nothing written.
        #expect(try database.retryOwedRefund(business: business, publicID: order.publicID, reference: "bizing-refund-pi_x-1-1",
                                             actor: Actor("user:1"), now: now) == nil)
        try database.markIntent(businessID: business.id, stripeID: due.reference, status: .succeeded, now: now)
        #expect(try database.retryOwedRefund(business: business, publicID: order.publicID, reference: due.reference, actor: Actor("user:1"),
                                             now: now) == nil)
        #expect(try database.paymentIssues(businessID: business.id, publicID: order.publicID).refundsOwed.isEmpty)
        #expect(try database.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM audit_log WHERE action = 'payment.refund_retry'") } == 1)
    }

    @Test func theCardOnFileIsThePaymentsCardElseTheOneASetupIntentSaved() throws {
        let (database, business, order) = try paidConsultation()
        #expect(try database.savedCard(businessID: business.id, orderID: order.id) == SavedCard(stripeCustomer: "cus_1", paymentMethod: "card_1"))
        let start = ZoneClock(identifier: "America/New_York")!.instant(LocalDate("2026-11-27")!, WallTime("10:00")!)!
        let hold = try database.hold(business: business, request: BookingRequest(
            offerSlug: "consultation", start: start, customer: CustomerDetails(name: "Sam Setup", email: "sam@example.com"),
            partySize: 1, resourceSlugs: [], source: "web"), now: now, actor: .guest)
        #expect(try database.savedCard(businessID: business.id, orderID: hold.id) == nil)
        try database.recordCardSetup(businessID: business.id, orderID: hold.id, stripeID: "seti_1", clientSecret: "seti_1_secret_x",
                                     stripeCustomer: "cus_2", accessTokenSealed: nil, now: now)
        let settled = try database.settleCardSetup(business: business, stripeID: "seti_1", paymentMethod: "card_2", eventID: "evt_s",
                                                   box: .ephemeral(), now: now, actor: .system)
        guard case .confirmed(let confirmed, _)? = settled else { Issue.record("the hold was not confirmed: \(String(describing: settled))"); return }
        #expect(confirmed.status == .confirmed)
        #expect(try database.settleCardSetup(business: business, stripeID: "seti_1", paymentMethod: "card_2", eventID: "evt_s",
                                             box: .ephemeral(), now: now, actor: .system) == nil)   // the same event again
        if case .alreadySettled? = try database.settleCardSetup(business: business, stripeID: "seti_1", paymentMethod: "card_2", eventID: nil,
                                                                box: .ephemeral(), now: now, actor: .system) {} else {
            Issue.record("a second settlement was not recognised")
        }
        #expect(try database.savedCard(businessID: business.id, orderID: hold.id) == SavedCard(stripeCustomer: "cus_2", paymentMethod: "card_2"))
    }
}

/// A refund's reference is Stripe's idempotency key for it: two refunds must never share one.
struct StripeRefundReferenceTests {
    @Test func aSecondRescheduleRefundOfTheSameAmountHasItsOwnKeyAndBothReadBack() throws {
        let first = StripeRefundDue(orderID: BookingID(rawValue: 7), paymentIntent: "pi_3Abc-def", amount: 5000, currency: "usd",
                                    percent: 0, occasion: "moved-1795366800")
        let second = StripeRefundDue(orderID: BookingID(rawValue: 7), paymentIntent: "pi_3Abc-def", amount: 5000, currency: "usd",
                                     percent: 0, occasion: "moved-1795370400")
        #expect(first.reference != second.reference)
        for due in [first, second] {
            #expect(StripeRefundDue(reference: due.reference, orderID: due.orderID, currency: "usd") == due)
        }
        // References written before occasions existed still read back, as themselves.
        let old = StripeRefundDue(reference: "bizing-refund-pi_3Abc-def-5000-100", orderID: BookingID(rawValue: 7), currency: "usd")
        #expect(old == StripeRefundDue(orderID: BookingID(rawValue: 7), paymentIntent: "pi_3Abc-def", amount: 5000, currency: "usd", percent: 100))
        #expect(old?.reference == "bizing-refund-pi_3Abc-def-5000-100")
    }
}
