import BookingCore
import Foundation
import GRDB
@testable import Jobs
import Outbound
@testable import Store
import Testing

/// Issue 20: a virtual resource's meeting link is in the customer's confirmation email, and not
/// in the email of a booking that is only waiting for approval.
struct MeetingLinkMailTests {
    static let link = "https://meet.example.com/abc-defg-hij"

    /// A video room with a link and two offers served by it: one booked at once, one needing approval.
    func onlineOffers(_ harness: MailHarness) throws {
        try harness.database.pool.write { db in
            let id = harness.business.id, now = harness.now
            let room = try Catalog.createResource(db, businessID: id, slug: "video-room", name: "Video room", kind: .virtual, now: now)
            for day in Weekday.allCases {
                try Catalog.addWeeklyRule(db, businessID: id, resourceID: room,
                                          rule: WeeklyRule(weekday: day, opens: WallTime("09:00")!, closes: WallTime("17:00")!))
            }
            for (slug, approval) in [("online", false), ("online-approval", true)] {
                let offer = try Catalog.createOffer(db, businessID: id, slug: slug, name: "Online \(slug)", mode: .slot, now: now)
                try Catalog.publishVersion(db, businessID: id, versionID: try Catalog.createDraftVersion(
                    db, businessID: id, offerID: offer,
                    spec: OfferVersionSpec(duration: .fixed(30), approvalRequired: approval, price: .fixed(Money(3000, "USD")),
                                           components: [OfferComponent(selector: .resource(room), role: "room")]), now: now), now: now)
            }
        }
        let room = try #require(try harness.database.resourceList(businessID: harness.business.id).first { $0.slug == "video-room" })
        try harness.database.setMeetingLink(businessID: harness.business.id, resourceID: room.id, url: Self.link, actor: "owner",
                                            now: harness.now)
    }

    func email(_ harness: MailHarness, offer: String, at start: Instant) throws -> MailMessage? {
        let (order, _) = try harness.database.book(business: harness.business, request: BookingRequest(
            offerSlug: offer, start: start, customer: CustomerDetails(name: "Ann Lee", email: "ann@example.com"), source: "web"),
            now: harness.now, actor: .guest)
        let message = try harness.database.pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM outbox WHERE order_id = ? AND kind = 'confirmation'", arguments: [order.id])
                .flatMap { try AppDatabase.outboxMessage(db, id: $0) }
        }
        let composer = try MailComposer(settings: MailSettings(from: MailAddress("bookings@bizing.test", name: "Demo"), baseURL: MailHarness.baseURL),
                                        templatesDirectory: MailHarness.root + "/Templates/email")
        guard let message, case .send(let mail, _) = composer.compose(message, now: harness.now) else { return nil }
        return mail
    }

    @Test func theConfirmationCarriesTheLinkAndAPendingRequestDoesNot() throws {
        let harness = try MailHarness()
        try onlineOffers(harness)
        let tuesdayTen: Instant = 1_795_446_000 + 86_400   // Tuesday 2026-11-24 10:00 New York
        let confirmed = try #require(try email(harness, offer: "online", at: tuesdayTen))
        #expect(confirmed.text.contains("Join online: \(Self.link)"))
        #expect(confirmed.html?.contains(#"<a href="\#(Self.link)">"#) == true)
        let pending = try #require(try email(harness, offer: "online-approval", at: tuesdayTen + 3_600))
        #expect(!pending.text.contains("meet.example.com") && pending.html?.contains("meet.example.com") == false)
    }
}
