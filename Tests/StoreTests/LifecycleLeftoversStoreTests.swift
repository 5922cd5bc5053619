import BookingCore
import Foundation
import GRDB
@testable import Store
import Testing

/// Issue 17's small leftovers: places the waitlist is owed are not listed as free, a "this and
/// following" move of a week or more moves past the series' own later occurrences, and a
/// location-scoped member reaches only the series of their location.
struct LifecycleLeftoversStoreTests {
    static let now = DemoStore.seededAt
    static let yoga = WaitlistStoreTests.yoga
    let clock = ZoneClock(identifier: "America/New_York")!

    func at(_ date: String, _ hour: Int) -> Int64 { clock.instant(LocalDate(date)!, WallTime(hour: hour, minute: 0)!)! }

    func yogaSlot(_ database: AppDatabase, _ business: Business, at now: Int64, party: Int = 1) throws -> AvailabilityReads.SlotView? {
        let date = clock.local(Self.yoga).date
        return try database.availability(business: business, offerSlug: "yoga-class", from: date, to: date, now: now, partySize: party,
                                         resourceSlug: nil).slots.first { $0.start == Self.yoga }
    }

    @Test func seatsKeptForAnOpenFirstToConfirmClaimAreNotListedAsFree() throws {
        // Given: the class full (Priya's 2, a party of 8), Ann waiting, first to confirm
        let (database, business) = try WaitlistStoreTests.fullClass("leftover-claim-seats")
        try WaitlistFirstToConfirmTests.firstToConfirm(database, business)
        _ = try database.joinWaitlist(business: business, request: WaitlistStoreTests.request("Ann Early"), now: Self.now, actor: .guest)
        let filler = try #require(try database.pool.read {
            try String.fetchOne($0, sql: "SELECT public_id FROM booking_orders WHERE customer_name = 'Full Filler'")
        })
        // When: the 8 leave; Ann is told, her 1 place kept while she may claim
        _ = try database.cancelBooking(business: business, publicID: filler, reason: "", now: Self.now, actor: .guest)
        // Then: 7 places are listed, and no start for a party of 8 (booking it would be "taken")
        #expect(try yogaSlot(database, business, at: Self.now + 60)?.seatsLeft == 7)
        #expect(try yogaSlot(database, business, at: Self.now + 60, party: 8) == nil)
        #expect(throws: BookingFailure.self) {
            try database.book(business: business, request: WaitlistStoreTests.request("Eight", party: 8), now: Self.now + 60, actor: .guest)
        }
        // Once her claim has run out, all 8 are the public's again
        #expect(try yogaSlot(database, business, at: Self.now + 31 * 60)?.seatsLeft == 8)
    }

    @Test func aPlaceFreedByALapsedHoldIsListedForTheWaitingCustomerNotThePublic() throws {
        // Given: the class filled by Priya's 2 and a hold for 8; Ann waits for one place
        let (database, business) = try DemoStore.open("leftover-lapsed-hold")
        _ = try database.hold(business: business, request: WaitlistStoreTests.request("Held Eight", party: 8), now: Self.now, actor: .guest)
        _ = try database.joinWaitlist(business: business, request: WaitlistStoreTests.request("Ann Early"), now: Self.now, actor: .guest)
        #expect(try yogaSlot(database, business, at: Self.now) == nil)
        // When: the hold lapses and nothing has settled the start yet
        let later = Self.now + 3 * 3_600
        // Then: the place Ann will be offered is not listed; the other 7 are
        #expect(try yogaSlot(database, business, at: later)?.seatsLeft == 7)
        _ = try database.book(business: business, request: WaitlistStoreTests.request("Seven", party: 7), now: later, actor: .guest)
        #expect(try database.waitlist(businessID: business.id, offerSlug: "yoga-class", start: Self.yoga).first?.status == .offered)
        #expect(try yogaSlot(database, business, at: later + 1) == nil)
    }

    func series(_ database: AppDatabase, _ business: Business) throws -> SeriesResult {
        try database.bookSeries(business: business, request: SeriesRequest(
            booking: BookingRequest(offerSlug: "consultation", start: at("2026-12-01", 10),
                                    customer: CustomerDetails(name: "Tess Tutee", email: "tess@example.com"), resourceSlugs: ["dana-doctor"],
                                    source: "web"),
            rule: SeriesRule(end: .count(5)), skipConflicts: false), now: Self.now, actor: .guest)
    }

    @Test func aThisAndFollowingMoveOfAWeekMovesPastTheSeriesOwnLaterOccurrences() throws {
        let (database, business) = try DemoStore.open("leftover-series-week")
        let booked = try series(database, business)
        // One week later from the second on: each lands where its neighbour was
        let later = try database.changeSeries(business: business, publicID: booked.id,
                                              change: .move(from: at("2026-12-08", 10), to: at("2026-12-15", 10), following: true),
                                              now: Self.now, actor: .user(1))
        #expect(later.bookings.map(\.start) == [at("2026-12-01", 10), at("2026-12-15", 10), at("2026-12-22", 10), at("2026-12-29", 10),
                                                at("2027-01-05", 10)])
        #expect(later.bookings.allSatisfy { $0.status == .confirmed && $0.resources.map(\.slug) == ["dana-doctor"] })
        // And back again, a week earlier
        let back = try database.changeSeries(business: business, publicID: booked.id,
                                             change: .move(from: at("2026-12-15", 10), to: at("2026-12-08", 10), following: true),
                                             now: Self.now, actor: .user(1))
        #expect(back.bookings.map(\.start) == [at("2026-12-01", 10), at("2026-12-08", 10), at("2026-12-15", 10), at("2026-12-22", 10),
                                               at("2026-12-29", 10)])
        // Other bookings taking every host on a date the move needs still refuse the whole move
        for host in ["dana-doctor", "sam-stylist"] {
            _ = try database.book(business: business, request: BookingRequest(
                offerSlug: "consultation", start: at("2027-01-05", 10), customer: CustomerDetails(name: "Other", email: "o@example.com"),
                resourceSlugs: [host], source: "api"), now: Self.now, actor: .guest)
        }
        #expect(throws: BookingFailure.self) {
            try database.changeSeries(business: business, publicID: booked.id,
                                      change: .move(from: at("2026-12-08", 10), to: at("2026-12-15", 10), following: true),
                                      now: Self.now, actor: .user(1))
        }
        #expect(try database.seriesSummary(business: business, publicID: booked.id).bookings.map(\.start).last == at("2026-12-29", 10))
    }

    @Test func aLocationScopedMemberReachesOnlyTheSeriesOfTheirLocation() throws {
        let (database, business) = try DemoStore.open("leftover-series-scope")
        let booked = try series(database, business)
        let (home, elsewhere) = try database.pool.write { db -> (LocationID, LocationID) in
            // Dana works at the demo's Main street; nobody works Elsewhere
            let home = try #require(try LocationID.fetchOne(db, sql: "SELECT id FROM locations WHERE business_id = ?",
                                                            arguments: [business.id]))
            try db.execute(sql: "UPDATE resources SET location_id = ? WHERE business_id = ? AND slug = 'dana-doctor'",
                           arguments: [home, business.id])
            try db.execute(sql: "INSERT INTO locations (business_id, name, created_at) VALUES (?, 'Elsewhere', 0)", arguments: [business.id])
            return (home, try #require(try LocationID.fetchOne(db, sql: "SELECT id FROM locations WHERE name = 'Elsewhere'")))
        }
        #expect(try database.seriesSummary(business: business, publicID: booked.id, location: home).bookings.count == 5)
        #expect(throws: BookingFailure.seriesNotFound) {
            try database.seriesSummary(business: business, publicID: booked.id, location: elsewhere)
        }
        #expect(throws: BookingFailure.seriesNotFound) {
            try database.changeSeries(business: business, publicID: booked.id, change: .cancel(from: at("2026-12-08", 10), following: true),
                                      now: Self.now, actor: .user(1), location: elsewhere)
        }
        #expect(try database.seriesSummary(business: business, publicID: booked.id).bookings.allSatisfy { $0.status == .confirmed })
    }
}
