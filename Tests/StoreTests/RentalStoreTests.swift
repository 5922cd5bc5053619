import BookingCore
import Foundation
import GRDB
@testable import Store
import Synchronization
import Testing

/// Rentals by date through the door: the kayak demo (12 boats, by the day, 09:00 → 17:00, 1 h turnover).
struct RentalStoreTests {
    static let now = DemoStore.seededAt  // Sunday 2026-11-22 12:00 New York
    static let friday = LocalDate("2026-12-04")!, sunday = LocalDate("2026-12-06")!

    static func open(_ name: String) throws -> (AppDatabase, Business) {
        let (database, business) = try DemoStore.open(name)
        try database.pool.write { db in _ = try DemoData.seedRentals(db, businessID: business.id, now: now) }
        return (database, business)
    }

    static func request(_ n: Int, from: LocalDate = friday, to: LocalDate = sunday) -> BookingRequest {
        var request = BookingRequest(offerSlug: "kayak-rental", start: 0,
                                     customer: CustomerDetails(name: "Paddler \(n)", email: "paddler\(n)@example.com"), source: "web")
        request.rental = RentalDates(pickUp: from, returnDate: to)
        return request
    }

    @Test func aRentalByDateRunsFromPickUpToReturnAndPricesItsDays() throws {
        let (database, business) = try Self.open("rental-price")
        let booked = try database.book(business: business, request: Self.request(1), now: Self.now, actor: .guest).order
        #expect(booked.start == RFC3339.parse("2026-12-04T14:00:00Z"))  // Friday 09:00 New York
        #expect(booked.end == RFC3339.parse("2026-12-06T22:00:00Z"))    // Sunday 17:00 New York
        #expect(booked.price.total == 13_500)                           // 3 days × 45.00
        #expect(booked.price.deposit == 2_700)
        #expect(booked.resources.map(\.slug) == ["kayak"])
    }

    /// 20 threads race for the same weekend; the twelve boats go to exactly twelve of them.
    @Test func twelveKayaksUnderTwentyRacingBookingsSellTwelve() throws {
        let (database, business) = try Self.open("rental-race")
        let results = RaceResults()
        DispatchQueue.concurrentPerform(iterations: 20) { n in
            do {
                _ = try database.book(business: business, request: Self.request(n), now: Self.now, actor: .guest)
                results.add(nil)
            } catch {
                results.add(error)
            }
        }
        #expect(results.successes == 12)
        #expect(results.failures.allSatisfy { if case BookingFailure.slotUnavailable = $0 { true } else { false } })
        let sold = try database.pool.read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM booking_orders WHERE status = 'confirmed' AND offer_id = (SELECT id FROM offers WHERE slug = 'kayak-rental')")
        }
        #expect(sold == 12)
        // A weekend later the boats are free again.
        _ = try database.book(business: business, request: Self.request(99, from: LocalDate("2026-12-11")!, to: LocalDate("2026-12-13")!),
                              now: Self.now, actor: .guest)
    }

    /// A cabin let by the night, 15:00 → 11:00, with five hours to clean it: returned Sunday 11:00,
    /// it cannot be taken again at 15:00 that day (the turnover runs to 16:00), but on Monday it can.
    @Test func theTurnoverBufferKeepsAReturnedItemFromTheSameDaysPickUp() throws {
        let (database, business) = try Self.open("rental-turnover")
        try database.pool.write { db in
            let cabin = try Catalog.createResource(db, businessID: business.id, slug: "cabin", name: "Cabin", kind: .venue, now: Self.now)
            for day in Weekday.allCases {
                try Catalog.addWeeklyRule(db, businessID: business.id, resourceID: cabin,
                                          rule: WeeklyRule(weekday: day, opens: WallTime("08:00")!, closes: WallTime("20:00")!))
            }
            let offer = try Catalog.createOffer(db, businessID: business.id, slug: "cabin-stay", name: "Cabin", mode: .multiDay, now: Self.now)
            let spec = OfferVersionSpec(mode: .multiDay, duration: .fixed(1440), bufferAfterMinutes: 300, price: .fixed(Money(12_000, "USD")),
                                        components: [OfferComponent(selector: .resource(cabin), role: "cabin")])
            let version = try Catalog.createDraftVersion(db, businessID: business.id, offerID: offer, spec: spec, now: Self.now)
            try Rentals.insertTerms(db, businessID: business.id, versionID: version, terms: RentalTerms(
                pickUp: WallTime("15:00")!, returnBy: WallTime("11:00")!, unit: .night, rate: 12_000, minUnits: 1, maxUnits: 7))
            try Catalog.publishVersion(db, businessID: business.id, versionID: version, now: Self.now)
        }
        func stay(_ n: Int, _ from: LocalDate, _ to: LocalDate) -> BookingRequest {
            var request = Self.request(n, from: from, to: to)
            request.offerSlug = "cabin-stay"
            return request
        }
        let first = try database.book(business: business, request: stay(1, Self.friday, Self.sunday), now: Self.now, actor: .guest).order
        #expect(first.price.total == 24_000)  // 2 nights
        #expect(throws: BookingFailure.slotUnavailable([.buffer])) {
            _ = try database.book(business: business, request: stay(2, Self.sunday, Self.sunday.adding(days: 1)), now: Self.now, actor: .guest)
        }
        let monday = Self.sunday.adding(days: 1)
        _ = try database.book(business: business, request: stay(3, monday, monday.adding(days: 2)), now: Self.now, actor: .guest)
    }

    @Test func refusesDatesOutsideTheRentalLengths() throws {
        let (database, business) = try Self.open("rental-length")
        #expect(throws: BookingFailure.invalid(field: "end_date", message: "rentals are at most 7 days")) {
            _ = try database.book(business: business, request: Self.request(1, to: Self.friday.adding(days: 7)), now: Self.now, actor: .guest)
        }
        #expect(throws: BookingFailure.invalid(field: "start_date", message: "choose a pick-up date and a return date")) {
            _ = try database.book(business: business, request: BookingRequest(
                offerSlug: "kayak-rental", start: RFC3339.parse("2026-12-04T14:00:00Z")!,
                customer: CustomerDetails(name: "Zed", email: "zed@example.com"), source: "api"), now: Self.now, actor: .guest)
        }
        let count = try database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM booking_orders WHERE customer_name LIKE 'Paddler%' OR customer_name = 'Zed'") }
        #expect(count == 0)
    }

    @Test func anItemUnderMaintenanceIsNotOfferedUntilCleared() throws {
        let (database, business) = try Self.open("rental-maintenance")
        func fridayFree() throws -> Bool? {
            let calendar = try database.rentalCalendar(businessSlug: "demo", offerSlug: "kayak-rental", from: Self.friday, days: 1,
                                                       now: Self.now)
            return calendar?.days.first?.available
        }
        #expect(try fridayFree() == true)
        // Eleven boats out of service leave one: one rental, not two.
        try database.flagMaintenance(business: business, resourceSlug: "kayak", quantity: 11, note: "hull check", now: Self.now, actor: .system)
        _ = try database.book(business: business, request: Self.request(1), now: Self.now, actor: .guest)
        #expect(try fridayFree() == false)
        #expect(throws: BookingFailure.slotUnavailable([.taken])) {
            _ = try database.book(business: business, request: Self.request(2), now: Self.now, actor: .guest)
        }
        // All twelve out: blocked outright.
        try database.flagMaintenance(business: business, resourceSlug: "kayak", quantity: 1, note: "the last one too", now: Self.now, actor: .system)
        #expect(throws: BookingFailure.slotUnavailable([.blocked])) {
            _ = try database.book(business: business, request: Self.request(3, from: LocalDate("2026-12-11")!, to: LocalDate("2026-12-11")!),
                                  now: Self.now, actor: .guest)
        }
        for flag in try database.maintenanceFlags(business: business) {
            try database.clearMaintenance(business: business, flagID: flag.id, now: Self.now, actor: .system)
        }
        #expect(try database.maintenanceFlags(business: business).isEmpty)
        #expect(try fridayFree() == true)
    }

    @Test func checkOutAndCheckInRecordTheConditionAndMaintenanceBlocksTheItem() throws {
        let (database, business) = try Self.open("rental-checkpoints")
        try database.pool.write { db in try db.execute(sql: "UPDATE resources SET capacity = 1 WHERE slug = 'kayak'") }
        let order = try database.book(business: business, request: Self.request(1), now: Self.now, actor: .guest).order
        let pickUp = order.start
        let out = try database.checkOutRental(business: business, publicID: order.publicID, note: "Scratch on the bow", now: pickUp,
                                              actor: .system)
        #expect(out.status == .checkedIn)
        #expect(throws: BookingFailure.notMovable("This item was already checked out.")) {
            _ = try database.checkOutRental(business: business, publicID: order.publicID, note: "again", now: pickUp, actor: .system)
        }
        let back = try database.checkInRental(business: business, publicID: order.publicID, note: "Paddle cracked", needsMaintenance: true,
                                              now: order.end, actor: .system)
        #expect(back.status == .completed)
        let notes = try #require(try database.rentalCheckpoints(business: business, publicID: order.publicID))
        #expect(notes.map(\.kind) == ["check_out", "check_in"])
        #expect(notes.map(\.note) == ["Scratch on the bow", "Paddle cracked"])
        #expect(try database.maintenanceFlags(business: business).map(\.note) == ["Paddle cracked"])
        let monday = Self.sunday.adding(days: 8)
        #expect(throws: BookingFailure.slotUnavailable([.blocked])) {
            _ = try database.book(business: business, request: Self.request(2, from: monday, to: monday), now: order.end, actor: .guest)
        }
    }

    static func request(_ n: Int, quantity: Int, from: LocalDate = friday, to: LocalDate = sunday) -> BookingRequest {
        var request = Self.request(n, from: from, to: to)
        request.rental?.quantity = quantity
        return request
    }

    /// Three of the twelve kayaks in one booking: it takes three of the capacity and costs three times.
    @Test func aRentalOfThreeKayaksTakesThreeOfTheTwelveAndCostsThreeTimes() throws {
        let (database, business) = try Self.open("rental-quantity")
        let three = try database.book(business: business, request: Self.request(1, quantity: 3), now: Self.now, actor: .guest).order
        #expect(three.partySize == 3)
        #expect(three.price.total == 3 * 13_500)            // 3 kayaks × 3 days × 45.00
        #expect(three.price.deposit == 3 * 2_700)
        #expect(three.price.lines.first?.label == "3 items × 3 days × 4500 per day")
        // Nine are left that weekend: ten more do not fit, nine do, and then none
        #expect(throws: BookingFailure.self) {
            _ = try database.book(business: business, request: Self.request(2, quantity: 10), now: Self.now, actor: .guest)
        }
        _ = try database.book(business: business, request: Self.request(3, quantity: 9), now: Self.now, actor: .guest)
        #expect(throws: BookingFailure.self) {
            _ = try database.book(business: business, request: Self.request(4), now: Self.now, actor: .guest)
        }
        // More than a rental may take is refused by field
        #expect(throws: BookingFailure.invalid(field: "quantity", message: "rent 1 to 100 items at a time")) {
            _ = try database.book(business: business, request: Self.request(5, quantity: 101, from: LocalDate("2026-12-11")!,
                                                                            to: LocalDate("2026-12-13")!), now: Self.now, actor: .guest)
        }
    }

    /// Racing bookings of 5 kayaks each: only two fit in twelve (10), never three (15).
    @Test func racingRentalsOfSeveralItemsNeverExceedTheCapacity() throws {
        let (database, business) = try Self.open("rental-quantity-race")
        let results = RaceResults()
        DispatchQueue.concurrentPerform(iterations: 8) { n in
            do {
                _ = try database.book(business: business, request: Self.request(n, quantity: 5), now: Self.now, actor: .guest)
                results.add(nil)
            } catch {
                results.add(error)
            }
        }
        #expect(results.successes == 2)
        _ = try database.book(business: business, request: Self.request(50, quantity: 2), now: Self.now, actor: .guest)
        #expect(throws: BookingFailure.self) {
            _ = try database.book(business: business, request: Self.request(51), now: Self.now, actor: .guest)
        }
    }

    /// A rental moved to other dates: checked again for the whole new period (with itself left out)
    /// and priced again for the new length, in the same transaction, keeping its items.
    @Test func aRentalMovedByDatesIsCheckedAgainAndRepriced() throws {
        let (database, business) = try Self.open("rental-move")
        let mine = try database.book(business: business, request: Self.request(1, quantity: 2), now: Self.now, actor: .guest).order
        // Fill the following Saturday with eleven kayaks elsewhere
        let saturday = LocalDate("2026-12-12")!
        _ = try database.book(business: business, request: Self.request(2, quantity: 11, from: saturday, to: saturday), now: Self.now, actor: .guest)
        // When moved to Friday–Saturday the 11th–12th, the two do not fit on Saturday: refused, nothing changes
        #expect(throws: BookingFailure.self) {
            _ = try database.rescheduleRental(business: business, publicID: mine.publicID,
                                              dates: RentalDates(pickUp: LocalDate("2026-12-11")!, returnDate: saturday), now: Self.now,
                                              actor: .guest, rules: .customer)
        }
        let unchanged = try #require(try database.order(businessID: business.id, publicID: mine.publicID))
        #expect(unchanged.start == mine.start && unchanged.price.total == 2 * 13_500)
        // Moved to Thursday–Friday the 3rd–4th (two days, overlapping its own Friday): fits, and costs 2 × 2 × 45.00
        let moved = try database.rescheduleRental(business: business, publicID: mine.publicID,
                                                  dates: RentalDates(pickUp: LocalDate("2026-12-03")!, returnDate: Self.friday),
                                                  now: Self.now, actor: .guest, rules: .customer)
        #expect(moved.start == RFC3339.parse("2026-12-03T14:00:00Z"))
        #expect(moved.end == RFC3339.parse("2026-12-04T22:00:00Z"))
        #expect(moved.price.total == 2 * 2 * 4_500)
        #expect(moved.price.deposit == 2 * 2 * 4_500 / 5)
        #expect(moved.partySize == 2)
        // It still takes two kayaks: ten more on Thursday fit, an eleventh does not
        let thursday = LocalDate("2026-12-03")!
        _ = try database.book(business: business, request: Self.request(3, quantity: 10, from: thursday, to: thursday), now: Self.now, actor: .guest)
        #expect(throws: BookingFailure.self) {
            _ = try database.book(business: business, request: Self.request(4, from: thursday, to: thursday), now: Self.now, actor: .guest)
        }
        // The move and the new price are in the audit log; the same dates again are refused with a sentence
        let actions = try database.pool.read { try String.fetchAll($0, sql: "SELECT action FROM audit_log WHERE subject = ? ORDER BY seq",
                                                                    arguments: ["booking:\(mine.publicID)"]) }
        #expect(actions.suffix(2) == ["booking.reschedule", "booking.reprice"])
        #expect(throws: BookingFailure.invalid(field: "pick_up", message: "those are already the dates of this rental; pick others")) {
            _ = try database.rescheduleRental(business: business, publicID: mine.publicID,
                                              dates: RentalDates(pickUp: thursday, returnDate: Self.friday), now: Self.now, actor: .guest,
                                              rules: .customer)
        }
    }
}

/// Outcomes collected from racing threads.
final class RaceResults: Sendable {
    private let state = Mutex<(successes: Int, failures: [any Error])>((0, []))
    func add(_ error: (any Error)?) { state.withLock { if let error { $0.failures.append(error) } else { $0.successes += 1 } } }
    var successes: Int { state.withLock { $0.successes } }
    var failures: [any Error] { state.withLock { $0.failures } }

}
