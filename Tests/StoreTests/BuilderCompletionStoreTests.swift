import BookingCore
import Foundation
import GRDB
import Synchronization
import Testing
@testable import Store

/// Issue 20 against a real database file: the "any host" strategy decides the booking inside the
/// write (real threads), meeting links appear only once booked, and the publish preview.
struct BuilderCompletionStoreTests {
    static let now: Instant = DemoStore.seededAt   // Sunday 2026-11-22 12:00 New York

    func newYork(_ date: String, _ time: String) -> Instant {
        ZoneClock(identifier: "America/New_York")!.instant(LocalDate(date)!, WallTime(time)!)!
    }

    func anyHost(_ start: Instant, _ n: Int = 0, offer: String = "consultation") -> BookingRequest {
        BookingRequest(offerSlug: offer, start: start, customer: CustomerDetails(name: "Racer \(n)", email: "r\(n)@example.com"),
                       source: "api")
    }

    /// The host slugs of every confirmed booking at `start`, in booking order.
    func hosts(_ database: AppDatabase, at start: Instant) throws -> [String] {
        try database.pool.read { db in
            try String.fetchAll(db, sql: """
                SELECT r.slug FROM resource_assignments a JOIN resources r ON r.id = a.resource_id
                JOIN booking_orders o ON o.id = a.order_id
                WHERE a.starts_at = ? AND a.blocks = 1 AND o.status = 'confirmed' ORDER BY a.order_id
                """, arguments: [start])
        }
    }

    @Test func leastRecentlyBookedSendsTheNextAnyHostBookingToTheOtherHost() throws {
        let (database, business) = try DemoStore.open("lrb")
        let ten = newYork("2026-12-01", "10:00")
        _ = try database.book(business: business, request: anyHost(ten), now: Self.now, actor: .guest)
        _ = try database.book(business: business, request: anyHost(ten, 1), now: Self.now, actor: .guest)
        let first = try hosts(database, at: ten)
        #expect(Set(first) == ["dana-doctor", "sam-stylist"])
        // The host booked last (the second at 10:00) is the most recent: 11:00 goes to the other one.
        let eleven = newYork("2026-12-01", "11:00")
        _ = try database.book(business: business, request: anyHost(eleven, 2), now: Self.now, actor: .guest)
        #expect(try hosts(database, at: eleven) == [first[0]])
    }

    @Test func racersForAnyHostFillThePriorityOrderOncePerHost() throws {
        let (database, business) = try DemoStore.open("priority-race")
        // Sam moves above Dana, and the business chooses its priority order.
        try database.moveInPriority(businessID: business.id, resourceSlug: "sam-stylist", move: .up, actor: "owner", now: Self.now)
        try database.setAssignmentStrategy(businessID: business.id, priority: true, actor: "owner", now: Self.now)
        let settings = try database.assignmentSettings(businessID: business.id)
        #expect(settings.strategy == .priority(settings.order.map(\.id)))
        #expect(settings.order.filter { $0.kind == .host }.map(\.slug) == ["sam-stylist", "dana-doctor"])
        let start = newYork("2026-12-01", "10:00")
        let wins = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 24) { n in
            if (try? database.book(business: business, request: anyHost(start, n), now: Self.now, actor: .guest)) != nil {
                wins.withLock { $0 += 1 }
            }
        }
        #expect(wins.withLock { $0 } == 2)
        // In booking order: the first in the priority order, then the next; never one host twice.
        #expect(try hosts(database, at: start) == ["sam-stylist", "dana-doctor"])
    }

    @Test func theSlotsShowThePriorityHostAsSoonAsTheOrderChanges() throws {
        let (database, business) = try DemoStore.open("priority-slots")
        func firstHost() throws -> [String] {
            try database.offerDay(businessSlug: "demo", offerSlug: "consultation", day: .date(LocalDate("2026-12-01")!), hostSlug: nil,
                                  now: Self.now, lookAheadDays: 7).slots.first?.resourceSlugs ?? []
        }
        try database.setAssignmentStrategy(businessID: business.id, priority: true, actor: "owner", now: Self.now)
        #expect(try firstHost() == ["dana-doctor"])   // Dana is first in the default order (by name)
        try database.moveInPriority(businessID: business.id, resourceSlug: "dana-doctor", move: .down, actor: "owner", now: Self.now)
        #expect(try firstHost() == ["sam-stylist"])
        #expect(throws: CatalogError.notFound("resource")) {
            try database.moveInPriority(businessID: business.id, resourceSlug: "nobody", move: .up, actor: "owner", now: Self.now)
        }
    }

    /// A virtual resource with a meeting link and a published offer served by it.
    func onlineOffer(_ database: AppDatabase, _ business: Business) throws -> ResourceID {
        try database.pool.write { db in
            let room = try Catalog.createResource(db, businessID: business.id, slug: "video-room", name: "Video room", kind: .virtual,
                                                  now: Self.now)
            for day in Weekday.allCases {
                try Catalog.addWeeklyRule(db, businessID: business.id, resourceID: room,
                                          rule: WeeklyRule(weekday: day, opens: WallTime("09:00")!, closes: WallTime("17:00")!))
            }
            let offer = try Catalog.createOffer(db, businessID: business.id, slug: "online-consultation", name: "Online consultation",
                                                mode: .slot, now: Self.now)
            try Catalog.publishVersion(db, businessID: business.id, versionID: try Catalog.createDraftVersion(
                db, businessID: business.id, offerID: offer,
                spec: OfferVersionSpec(duration: .fixed(30), price: .fixed(Money(3000, "USD")),
                                       components: [OfferComponent(selector: .resource(room), role: "room")]), now: Self.now), now: Self.now)
            return room
        }
    }

    @Test func theMeetingLinkIsGivenOnlyOnceTheBookingIsConfirmed() throws {
        let (database, business) = try DemoStore.open("meeting-link")
        let room = try onlineOffer(database, business)
        let link = "https://meet.example.com/abc-defg-hij"
        try database.setMeetingLink(businessID: business.id, resourceID: room, url: link, actor: "owner", now: Self.now)
        #expect(try database.meetingLink(businessID: business.id, resourceID: room) == link)
        let start = newYork("2026-12-01", "10:00")
        let hold = try database.hold(business: business, request: BookingRequest(
            offerSlug: "online-consultation", start: start, customer: CustomerDetails(name: "", email: ""), source: "web",
            contactRequired: false), now: Self.now, actor: .guest)
        #expect(try database.heldOrder(businessSlug: "demo", holdID: hold.publicID).meetingLinks.isEmpty)
        let (order, token) = try database.confirmHold(business: business, holdID: hold.publicID,
                                                      customer: CustomerDetails(name: "Ann Lee", email: "ann@example.com"),
                                                      now: Self.now, actor: .guest)
        #expect(try database.customerBooking(publicID: order.publicID, token: token, userID: nil)?.details.meetingLinks == [link])
        #expect(try database.staffBooking(businessID: business.id, publicID: order.publicID)?.meetingLinks == [link])
        let confirmation = try database.pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM outbox WHERE order_id = ? AND kind = 'confirmation'", arguments: [order.id])
                .flatMap { try AppDatabase.outboxMessage(db, id: $0) }
        }
        #expect(confirmation?.meetingLinks == [link])
        // Cancelled: no longer given.
        _ = try database.cancelBooking(business: business, publicID: order.publicID, reason: "", now: Self.now, actor: .guest)
        #expect(try database.customerBooking(publicID: order.publicID, token: token, userID: nil)?.details.meetingLinks == [])
    }

    @Test func onlyVirtualResourcesTakeAnHTTPSMeetingLink() throws {
        let (database, business) = try DemoStore.open("meeting-link-refused")
        let room = try onlineOffer(database, business)
        let dana = try #require(try database.resourceList(businessID: business.id).first { $0.slug == "dana-doctor" })
        #expect(throws: CatalogError.self) {
            try database.setMeetingLink(businessID: business.id, resourceID: dana.id, url: "https://meet.example.com/x", actor: "o", now: Self.now)
        }
        #expect(throws: CatalogError.self) {
            try database.setMeetingLink(businessID: business.id, resourceID: room, url: "http://meet.example.com/x", actor: "o", now: Self.now)
        }
        #expect(try database.meetingLink(businessID: business.id, resourceID: room) == nil)
    }

    @Test func thePublishPreviewListsTimesLostAndTheBookingsThatKeepTheirTerms() throws {
        let (database, business) = try DemoStore.open("publish-preview")
        let offer = try #require(try database.offerEditor(business: business, slug: "consultation", now: Self.now))
        var spec = try #require(offer.published?.spec)
        spec.hours = [WeeklyRule(weekday: .tuesday, opens: WallTime("09:00")!, closes: WallTime("12:00")!)]
        try database.saveOfferDraft(businessID: business.id, offerID: offer.offer.id, spec: spec, actor: "owner", now: Self.now)
        let preview = try #require(try database.publishPreview(business: business, offerID: offer.offer.id, from: LocalDate("2026-11-23")!,
                                                               to: LocalDate("2026-12-06")!, now: Self.now))
        #expect(preview.changes.gained.isEmpty)
        #expect(preview.changes.lost.contains(newYork("2026-11-24", "14:00")))   // Tuesday afternoon goes
        #expect(!preview.changes.lost.contains(newYork("2026-11-24", "10:00")))  // Tuesday morning stays
        #expect(preview.changes.lost.contains(newYork("2026-11-23", "15:00")))   // Monday goes
        // Every upcoming consultation (the demo's) keeps v1's terms.
        let upcoming = try database.pool.read { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM booking_orders WHERE offer_id = ? AND starts_at > ? AND status IN ('pending', 'confirmed')
                """, arguments: [offer.offer.id, Self.now])
        }
        #expect(upcoming ?? 0 >= 3)
        #expect(preview.keptCount == upcoming && preview.kept.allSatisfy { $0.version == 1 })
    }
}
