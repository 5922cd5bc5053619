import BookingCore
import Foundation
import GRDB
@testable import Store
import Synchronization
import Testing

/// Issue 19 in the Store: intake answers frozen with the booking and erased with the customer, the
/// per-email limit on public holds under racing threads, and the retention setting on a fixed clock.
@Suite(.serialized)
struct IntakeStoreTests {
    let database: AppDatabase
    let business: Business
    let clock: ZoneClock

    init() throws {
        (database, business) = try DemoStore.open("intake")
        clock = ZoneClock(identifier: "America/New_York")!
    }

    /// `hour`:00 New York on 2026-11-`day`.
    func at(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Instant {
        clock.instant(LocalDate(year: 2026, month: 11, day: day)!, WallTime(hour: hour, minute: minute)!)!
    }

    func visit(_ start: Instant, email: String = "nora.new@example.com", answers: [String: String]?) -> BookingRequest {
        BookingRequest(offerSlug: "new-patient-visit", start: start,
                       customer: CustomerDetails(name: "Nora New", email: email, answers: answers), source: "api")
    }

    func storedAnswers(_ publicID: String) throws -> String? {
        try database.pool.read { db in
            try String.fetchOne(db, sql: "SELECT intake_answers FROM booking_orders WHERE public_id = ?", arguments: [publicID])
        }
    }

    // MARK: Answers

    @Test func answersAreFrozenWithTheQuestionAsAskedAndOutliveAnEditedQuestion() throws {
        let (order, _) = try database.book(business: business, request: visit(at(30, 10), answers: ["reason": "  Knee pain  "]),
                                           now: DemoStore.seededAt, actor: .system)
        #expect(order.answers == [IntakeAnswer(key: "reason", question: "What is the main reason for your visit?", kind: .shortText,
                                               sensitive: true, answer: "Knee pain")])
        // The owner rewords the question and publishes: the booking keeps the words it was asked with.
        let offer = try #require(try database.offerList(businessID: business.id).first { $0.slug == "new-patient-visit" })
        let editor = try #require(try database.offerEditor(business: business, slug: "new-patient-visit", now: DemoStore.seededAt))
        var spec = try #require(editor.published).spec
        spec.questions[0].label = "Why are you coming?"
        try database.saveOfferDraft(businessID: business.id, offerID: offer.id, spec: spec, actor: "user:1", now: DemoStore.seededAt)
        #expect(try database.publishOfferDraft(businessID: business.id, offerID: offer.id, actor: "user:1", now: DemoStore.seededAt))
        let again = try #require(try database.order(businessID: business.id, publicID: order.publicID))
        #expect(again.answers.first?.question == "What is the main reason for your visit?")
    }

    @Test func aMissingRequiredAnswerIsRefusedNamingTheKeyAndNothingIsWritten() throws {
        let before = try database.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM booking_orders") }
        #expect(throws: BookingFailure.invalid(field: "reason", message: "answer “What is the main reason for your visit?”")) {
            try database.book(business: business, request: visit(at(30, 10), answers: [:]), now: DemoStore.seededAt, actor: .system)
        }
        #expect(throws: BookingFailure.invalid(field: "colour", message: "there is no question “colour” for this offer")) {
            try database.book(business: business, request: visit(at(30, 10), answers: ["reason": "x", "colour": "red"]),
                              now: DemoStore.seededAt, actor: .system)
        }
        #expect(try database.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM booking_orders") } == before)
        // A step that asks nothing (a web hold before checkout) is not refused for it.
        var hold = visit(at(30, 10), answers: nil)
        hold.contactRequired = false
        #expect(try database.hold(business: business, request: hold, now: DemoStore.seededAt, actor: .guest).status == .held)
    }

    @Test func erasureRemovesTheAnswersFromTheBookingAndItsPayloads() throws {
        let (order, _) = try database.book(business: business, request: visit(at(24, 10), answers: ["reason": "Recurring migraines"]),
                                           now: DemoStore.seededAt, actor: .system)
        #expect(try storedAnswers(order.publicID)?.contains("Recurring migraines") == true)
        let outcome = try database.eraseCustomer(businessID: business.id, email: "nora.new@example.com", actor: "user:1",
                                                 now: order.end + 60)
        guard case .erased = outcome else { Issue.record("not erased: \(outcome)"); return }
        #expect(try storedAnswers(order.publicID) == "[]")
        let anywhere = try database.pool.read { db in
            try Int.fetchOne(db, sql: """
                SELECT (SELECT count(*) FROM booking_orders WHERE instr(intake_answers, 'migraines') > 0)
                     + (SELECT count(*) FROM webhook_deliveries WHERE instr(payload, 'migraines') > 0)
                     + (SELECT count(*) FROM outbox WHERE instr(data, 'migraines') > 0)
                """)
        }
        #expect(anywhere == 0)
    }

    // MARK: Per-email limit

    @Test func racingHoldsFromManyAddressesUnderOneEmailGetExactlyTheLimit() throws {
        // Twelve public holds at once, each from its own address, all carrying one email.
        let starts = (0..<12).map { at(30, 9) + Int64($0) * 30 * 60 }
        let outcomes = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: starts.count) { index in
            let request = BookingRequest(offerSlug: "consultation", start: starts[index],
                                         customer: CustomerDetails(name: "Script", email: "script@example.com"),
                                         resourceSlugs: ["dana-doctor"], source: "web", contactRequired: false)
            let outcome: String
            do {
                _ = try database.hold(businessSlug: "demo", request: request, now: DemoStore.seededAt, actor: .guest,
                                      visitor: "address:198.51.100.\(index)")
                outcome = "held"
            } catch BookingFailure.tooManyHoldsForEmail(let limit) {
                outcome = "limit \(limit)"
            } catch {
                outcome = "\(error)"
            }
            outcomes.withLock { $0.append(outcome) }
        }
        let all = outcomes.withLock { $0 }
        #expect(all.filter { $0 == "held" }.count == HoldLimits.openRequestsPerEmail, "\(all)")
        #expect(all.filter { $0 == "limit \(HoldLimits.openRequestsPerEmail)" }.count == starts.count - HoldLimits.openRequestsPerEmail)
        // Another email at one more address is not held back by it.
        let other = BookingRequest(offerSlug: "consultation", start: at(30, 15), customer: CustomerDetails(name: "P", email: "p@example.com"),
                                   resourceSlugs: ["dana-doctor"], source: "web", contactRequired: false)
        #expect(try database.hold(businessSlug: "demo", request: other, now: DemoStore.seededAt, actor: .guest,
                                  visitor: "address:198.51.100.200").order.status == .held)
    }

    // MARK: Retention

    /// Books a consultation of `email` that ends before `now`-relative times (made a day before its start).
    func pastBooking(_ email: String, start: Instant) throws -> OrderView {
        let request = BookingRequest(offerSlug: "consultation", start: start, customer: CustomerDetails(name: "Ret \(email)", email: email),
                                     resourceSlugs: ["dana-doctor"], source: "staff")
        return try database.book(business: business, request: request, now: start - 86_400, actor: .system).order
    }

    @Test func customersPastTheRetentionAreErasedOnceWithAnAuditEntryAndOthersKept() throws {
        let old = try pastBooking("old@example.com", start: at(30, 9))
        let recent = try pastBooking("recent@example.com", start: at(30, 10))
        // Thirteen months after the first visit; the recent customer books again a month before "now".
        let now = clock.instant(LocalDate(year: 2027, month: 12, day: 31)!, WallTime(hour: 12, minute: 0)!)!
        let again = BookingRequest(offerSlug: "consultation",
                                   start: clock.instant(LocalDate(year: 2027, month: 12, day: 1)!, WallTime(hour: 10, minute: 0)!)!,
                                   customer: CustomerDetails(name: "Ret recent", email: "recent@example.com"),
                                   resourceSlugs: ["dana-doctor"], source: "staff")
        _ = try database.book(business: business, request: again, now: again.start - 86_400, actor: .system)
        // Off by default: nothing happens.
        #expect(try database.eraseCustomersPastRetention(now: now) == 0)
        try database.setRetention(businessID: business.id, months: 12, actor: "user:1", now: now)
        let erased = try database.eraseCustomersPastRetention(now: now)
        #expect(erased >= 1)
        let emails = try database.pool.read { db in
            try String.fetchAll(db, sql: "SELECT customer_email FROM booking_orders WHERE id IN (?, ?)", arguments: [old.id, recent.id])
        }
        #expect(!emails.contains("old@example.com"))
        #expect(emails.contains("recent@example.com"))
        let audit = try database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT actor, details FROM audit_log WHERE business_id = ? AND action = 'customer.erase'",
                             arguments: [business.id])
        }
        #expect(audit.count == erased)
        #expect(audit.allSatisfy { ($0["actor"] as String) == "system:retention" && ($0["details"] as String).contains("retention") })
        #expect(try database.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_log WHERE action = 'policy.retention'")
        } == 1)
        // Within the hour the business is not looked at again; the erasure itself is not repeated later either.
        #expect(try database.eraseCustomersPastRetention(now: now + 60) == 0)
        #expect(try database.eraseCustomersPastRetention(now: now + RetentionRules.passInterval) == 0)
    }

    @Test func aCustomerWithABookingAheadIsKeptByRetention() throws {
        let old = try pastBooking("both@example.com", start: at(30, 9))
        let now = clock.instant(LocalDate(year: 2027, month: 12, day: 31)!, WallTime(hour: 12, minute: 0)!)!
        let ahead = BookingRequest(offerSlug: "consultation",
                                   start: clock.instant(LocalDate(year: 2028, month: 1, day: 10)!, WallTime(hour: 10, minute: 0)!)!,
                                   customer: CustomerDetails(name: "Both", email: "both@example.com"), resourceSlugs: ["dana-doctor"],
                                   source: "staff")
        _ = try database.book(business: business, request: ahead, now: now - 86_400, actor: .system)
        try database.setRetention(businessID: business.id, months: 12, actor: "user:1", now: now)
        try database.eraseCustomersPastRetention(now: now)
        #expect(try database.pool.read { db in
            try String.fetchOne(db, sql: "SELECT customer_email FROM booking_orders WHERE id = ?", arguments: [old.id])
        } == "both@example.com")
    }
}
