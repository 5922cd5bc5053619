import BookingCore
import Foundation
import GRDB
import Jobs
import Outbound
@testable import Store
import Synchronization
import Testing

/// Emails about something that is not a booking (issue 17) go out like the others: a standing date
/// that could not be booked (to the customer and the owner) and a first-to-confirm announcement
/// with its claim link; an announcement whose time has passed is withdrawn, not sent.
@Suite(.serialized)
struct NoBookingMailTests {
    final class Capture: MailTransport {
        private let sent = Mutex<[MailMessage]>([])
        func send(_ message: MailMessage) throws(OutboundError) { sent.withLock { $0.append(message) } }
        var messages: [MailMessage] { sent.withLock { $0 } }
    }

    @Test func aSkippedStandingDateIsSentToTheCustomerAndTheOwnerWithTheReason() throws {
        let harness = try MailHarness()
        let capture = Capture()
        let worker = try harness.worker(capture)
        let tuesday = harness.newYork("2026-12-01", "10:00")
        _ = try harness.database.bookSeries(business: harness.business, request: SeriesRequest(
            booking: BookingRequest(offerSlug: "consultation", start: tuesday, customer: CustomerDetails(name: "Tess Tutee", email: "tess@example.com"),
                                    resourceSlugs: ["dana-doctor"], source: "web"),
            rule: SeriesRule(end: .none), skipConflicts: true), now: harness.now, actor: .guest)
        let week = harness.now + 7 * 86_400
        _ = try harness.database.book(business: harness.business, request: BookingRequest(
            offerSlug: "consultation", start: harness.newYork("2027-05-25", "10:00"), customer: CustomerDetails(name: "Other", email: "o@example.com"),
            resourceSlugs: ["dana-doctor"], source: "api"), now: week, actor: .guest)
        try harness.database.pool.write { try $0.execute(sql: "DELETE FROM outbox") }
        _ = try harness.database.extendStandingReservations(now: week)
        harness.set(now: week)
        #expect(try worker.deliverBatch() == 2)
        let mails = capture.messages
        #expect(mails.map(\.subject) == ["Not booked: Consultation on Tuesday 25 May 2027 at 10:00 EDT",
                                         "Standing booking not made: Consultation on Tuesday 25 May 2027 at 10:00 EDT"])
        #expect(mails[0].text.contains("could not be made for this date (already booked)"))
        #expect(mails[1].text.contains("Customer: Tess Tutee") && mails[1].text.contains("\(MailHarness.baseURL)/staff/demo/series/sr_"))
        #expect(try harness.rows().map(\.status) == ["sent", "sent"])
    }

    @Test func aFirstToConfirmAnnouncementCarriesTheEntrysClaimLinkAndIsWithdrawnOnceClosed() throws {
        let harness = try MailHarness()
        let capture = Capture()
        let worker = try harness.worker(capture)
        let database = harness.database, business = harness.business
        try database.setLifecyclePolicies(approval: .manual, waitlist: WaitlistPolicy(offerMinutes: 30, mode: .firstToConfirm),
                                          businessID: business.id, now: harness.now, actor: .system)
        let yoga = harness.newYork("2026-11-23", "12:00")
        func request(_ name: String, party: Int) -> BookingRequest {
            BookingRequest(offerSlug: "yoga-class", start: yoga, customer: CustomerDetails(name: name, email: "\(name.lowercased())@example.com"),
                           partySize: party, source: "web")
        }
        let filler = try database.book(business: business, request: request("Filler", party: 8), now: harness.now, actor: .guest).order
        let ann = try database.joinWaitlist(business: business, request: request("Ann", party: 1), now: harness.now, actor: .guest)
        try database.pool.write { try $0.execute(sql: "DELETE FROM outbox") }
        _ = try database.cancelBooking(business: business, publicID: filler.publicID, reason: "", now: harness.now, actor: .guest)
        try database.pool.write { try $0.execute(sql: "DELETE FROM outbox WHERE kind <> 'waitlist_offer'") }
        #expect(try worker.deliverBatch() == 1)
        let mail = try #require(capture.messages.first)
        #expect(mail.subject.hasPrefix("A place is free: Lunchtime yoga on Monday 23 November 2026 at 12:00"))
        #expect(mail.text.contains("the first to claim it gets it"))
        #expect(mail.text.contains("\(MailHarness.baseURL)/b/demo/waitlist/\(ann.entry.publicID)?token="))
        // Sent again after the claims closed (a retry, say), it is withdrawn instead
        try database.pool.write { db in
            try db.execute(sql: "UPDATE outbox SET status = 'pending', next_attempt_at = 0, data = json_set(data, '$.until', '1') WHERE kind = 'waitlist_offer'")
        }
        _ = try worker.deliverBatch()
        #expect(capture.messages.count == 1)
        #expect(try harness.rows().map(\.status) == ["withdrawn"])
    }

    @Test func theYouAreNextMailIsTheOneLineATextMessageWouldCarryWithTheTicketLink() throws {
        let harness = try MailHarness()
        let capture = Capture()
        let worker = try harness.worker(capture)
        let database = harness.database, business = harness.business
        let always = Weekday.allCases.map { WeeklyRule(weekday: $0, opens: WallTime(minutes: 0)!, closes: WallTime(minutes: 1440)!) }
        try database.createQueue(business: business, slug: "barber", name: "Barber", hours: always, services: [("haircut", "Haircut", 20)],
                                 serverSlugs: ["sam-stylist"], now: harness.now, actor: .system)
        try database.pool.write { try $0.execute(sql: "DELETE FROM outbox") }
        let ticket = try database.joinQueue(business: business, queueSlug: "barber",
                                            join: QueueJoin(name: "Walker", email: "walker@example.com", source: "web"), now: harness.now)
        #expect(try worker.deliverBatch() == 1)
        let mail = try #require(capture.messages.first)
        #expect(mail.subject == "You are next: Barber")
        #expect(mail.text.trimmingCharacters(in: .whitespacesAndNewlines)
                == "Demo Wellness: you are next in line (Barber). Please come to the desk now.")
        #expect(mail.html?.contains("\(MailHarness.baseURL)/q/demo/tickets/\(ticket.publicID)") == true)
    }
}
