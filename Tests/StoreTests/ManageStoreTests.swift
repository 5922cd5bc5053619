import BookingCore
import Foundation
import GRDB
@testable import Store
import Testing

/// The business builder's use cases on `AppDatabase`: each checks and writes in one transaction.
@Suite(.serialized)
struct ManageStoreTests {
    static let seededAt = DemoStore.seededAt
    static let thursday = LocalDate(year: 2026, month: 11, day: 26)!

    let database: AppDatabase
    let business: Business

    init() throws {
        (database, business) = try DemoStore.open("manage-store")
    }

    func resource(_ slug: String) throws -> ResourceInfo {
        try #require(try database.resourcePage(businessID: business.id, slug: slug)?.detail.resource)
    }

    func count(_ sql: String) throws -> Int {
        try database.pool.read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }

    /// Books a treatment in Room 1 with `host` on Thursday at ten.
    func bookTreatment(host: String, name: String) throws {
        let start = try #require(ZoneClock(identifier: business.timeZone)?.instant(Self.thursday, WallTime(hour: 10, minute: 0)!))
        let request = BookingRequest(offerSlug: "treatment", start: start,
                                     customer: CustomerDetails(name: name, email: "\(name.lowercased())@example.com", phone: "",
                                                               notes: ""),
                                     resourceSlugs: [host, "room-1"], source: "staff")
        _ = try database.pool.write { db in
            try Bookings.book(db, business: business, request: request, now: Self.seededAt, actor: .system)
        }
    }

    @Test func loweringCapacityBelowOverlappingBookingsIsRefusedAndWritesNothing() throws {
        // Given Room 1 with capacity 2 and two treatments in it at the same time
        let room = try resource("room-1")
        let raised = ManageCatalog.ResourceDetails(name: "Room 1", tags: ["treatment"], capacity: 2, locationID: nil)
        #expect(try database.updateResourceDetails(businessID: business.id, resource: room, details: raised, actor: "user:1",
                                                   now: Self.seededAt) == .updated)
        try bookTreatment(host: "dana-doctor", name: "Ann")
        try bookTreatment(host: "sam-stylist", name: "Bob")
        #expect(try database.peakOverlap(businessID: business.id, resourceID: room.id, now: Self.seededAt) == 2)
        let audited = try count("SELECT count(*) FROM audit_log")

        // When the capacity (and the name) would change to one
        let lowered = ManageCatalog.ResourceDetails(name: "Small room", tags: ["treatment"], capacity: 1, locationID: nil)
        let outcome = try database.updateResourceDetails(businessID: business.id, resource: try resource("room-1"), details: lowered,
                                                         actor: "user:1", now: Self.seededAt)

        // Then it is refused with the peak, and nothing changed
        #expect(outcome == .capacityBelowBookings(peak: 2))
        let after = try resource("room-1")
        #expect(after.capacity == 2 && after.name == "Room 1")
        #expect(try count("SELECT count(*) FROM audit_log") == audited)
        // Once the bookings are over, lowering is fine.
        #expect(try database.updateResourceDetails(businessID: business.id, resource: after, details: lowered, actor: "user:1",
                                                   now: Self.seededAt + 30 * 86_400) == .updated)
        #expect(try resource("room-1").name == "Small room")   // the slug stays
    }

    @Test func aLocationOfAnotherBusinessOrNoneIsRefused() throws {
        let room = try resource("room-2")
        let details = ManageCatalog.ResourceDetails(name: "Room 2", tags: [], capacity: 1, locationID: 9_999)
        #expect(try database.updateResourceDetails(businessID: business.id, resource: room, details: details, actor: "user:1",
                                                   now: Self.seededAt) == .unknownLocation)
        #expect(try resource("room-2").tags == ["treatment"])
        let main = try #require(try database.businessLocations(businessID: business.id).first)
        var placed = details
        placed.locationID = main.id
        #expect(try database.updateResourceDetails(businessID: business.id, resource: room, details: placed, actor: "user:1",
                                                   now: Self.seededAt) == .updated)
        #expect(try database.resourcePage(businessID: business.id, slug: "room-2")?.locationID == main.id)
    }

    @Test func replacingWeeklyHoursKeepsTheSeasonalRulesStoredAtTheWrite() throws {
        let studio = try resource("studio")
        let noon = WallTime(hour: 12, minute: 0)!, two = WallTime(hour: 14, minute: 0)!
        let summer = WeeklyRule(weekday: .saturday, opens: noon, closes: two, validFrom: LocalDate(year: 2027, month: 6, day: 1),
                                validUntil: LocalDate(year: 2027, month: 8, day: 31))
        try database.addSeasonalHours(businessID: business.id, resourceID: studio.id, rules: [summer], actor: "user:1",
                                      now: Self.seededAt)
        let monday = WeeklyRule(weekday: .monday, opens: noon, closes: two)
        try database.replaceWeeklyHours(businessID: business.id, resource: studio, rules: [monday], actor: "user:1", now: Self.seededAt)
        let page = try #require(try database.resourcePage(businessID: business.id, slug: "studio"))
        #expect(page.detail.seasonal.map(\.rule) == [summer])
        #expect(page.detail.rules.filter { $0.validFrom == nil && $0.validUntil == nil } == [monday])
    }

    @Test func publishingWithoutADraftIsRefusedInsideTheWrite() throws {
        let editor = try #require(try database.offerEditor(business: business, slug: "consultation", now: Self.seededAt))
        #expect(editor.draft == nil && editor.preview == nil)
        let audited = try count("SELECT count(*) FROM audit_log")
        #expect(try !database.publishOfferDraft(businessID: business.id, offerID: editor.offer.id, actor: "user:1", now: Self.seededAt))
        #expect(try count("SELECT count(*) FROM audit_log") == audited)
        let spec = try #require(editor.published?.spec)
        #expect(try database.saveOfferDraft(businessID: business.id, offerID: editor.offer.id, spec: spec, actor: "user:1",
                                            now: Self.seededAt) == 2)
        #expect(try database.publishOfferDraft(businessID: business.id, offerID: editor.offer.id, actor: "user:1", now: Self.seededAt))
        let published = try #require(try database.offerEditor(business: business, slug: "consultation", previewFrom: Self.thursday,
                                                              previewTo: Self.thursday, now: Self.seededAt))
        #expect(published.published?.version == 2 && published.draft == nil)
        #expect(published.preview?.isEmpty == false)
        #expect(try database.offerEditor(business: business, slug: "nope", now: Self.seededAt) == nil)
    }

    @Test func invitationsLinkOnlyToTheBusinessesHostsAndRevokeOnce() throws {
        let team = try database.teamPage(businessID: business.id, now: Self.seededAt)
        let dana = try resource("dana-doctor"), room = try resource("room-1")
        #expect(team.isHost(dana.id) && !team.isHost(room.id))
        #expect(team.hostLinks.values.allSatisfy { $0 == dana.id } && !team.hostLinks.isEmpty)
        let owner = try #require(team.members.first { $0.role == .owner })

        #expect(try database.invite(businessID: business.id, email: "new@example.com", role: .staff, resourceID: room.id,
                                    createdBy: owner.userID, now: Self.seededAt) == .unknownHost)
        #expect(try database.teamPage(businessID: business.id, now: Self.seededAt).invitations.isEmpty)

        guard case .created(let token) = try database.invite(businessID: business.id, email: "new@example.com", role: .provider,
                                                             resourceID: dana.id, createdBy: owner.userID, now: Self.seededAt)
        else { Issue.record("not created"); return }
        let found = try #require(try database.invitation(token: token, now: Self.seededAt))
        #expect(found.usable && found.resourceID == dana.id && found.role == .provider)
        let pending = try #require(try database.teamPage(businessID: business.id, now: Self.seededAt).invitations.first)
        #expect(try database.revokeInvitation(businessID: business.id, id: pending.id, actor: "user:1", now: Self.seededAt))
        #expect(try !database.revokeInvitation(businessID: business.id, id: pending.id, actor: "user:1", now: Self.seededAt))
        #expect(throws: Invitations.Failure.notUsable) {
            try database.acceptInvitation(token: token, userID: owner.userID, userEmail: "new@example.com", now: Self.seededAt)
        }
    }
}

/// An offer is never slugged with a word that names a page under `/b/{business}/` (`products`,
/// `checkout`, …): the page would shadow it and its customers could not reach it.
@Suite(.serialized)
struct ReservedOfferSlugTests {
    let database: AppDatabase
    let business: Business

    init() throws {
        (database, business) = try DemoStore.open("reserved-slugs")
    }

    @Test func theBuilderNeverSlugsAnOfferWithAPageName() throws {
        let spec = OfferVersionSpec(duration: .fixed(30), price: .fixed(Money(3000, "USD")), components: [])
        for name in ["Products", "Memberships", "Checkout"] {
            let slug = try database.createOffer(businessID: business.id, name: name, mode: .slot, spec: spec, actor: .system,
                                                now: DemoStore.seededAt)
            #expect(slug == "\(name.lowercased())-2")
            #expect(!Validation.reservedOfferSlugs.contains(slug))
        }
    }

    @Test func theQuickSetupNeverSlugsItsServiceWithAPageName() throws {
        let owner = try #require(try database.pool.read { try Int64.fetchOne($0, sql: "SELECT id FROM users WHERE email = 'owner@demo.test'") })
        let result = try database.quickSetup(QuickSetup.Input(businessName: "Slug Studio", timeZone: "Europe/Berlin", currency: "EUR",
                                                              serviceName: "Programs", durationMinutes: 60, priceMinorUnits: 4000,
                                                              days: [.monday], opens: WallTime("09:00")!, closes: WallTime("17:00")!),
                                             userID: UserID(rawValue: owner), userName: "Owner", now: DemoStore.seededAt)
        let created = try #require(try database.business(slug: result.slug))
        let slugs = try database.pool.read { try String.fetchAll($0, sql: "SELECT slug FROM offers WHERE business_id = ?", arguments: [created.id]) }
        #expect(slugs == ["programs-2"])
    }
}
