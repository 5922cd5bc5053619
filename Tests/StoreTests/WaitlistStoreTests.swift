import BookingCore
import Foundation
import GRDB
@testable import Store
import Testing

/// Waitlists (issue 17): a freed place goes to the first waiting customer who fits, held for them in
/// the transaction that frees it; unclaimed, it passes on; the public never gets it first.
struct WaitlistStoreTests {
    /// Monday 2026-11-23 12:00 New York: the demo's yoga class, with Priya Shah's party of 2 booked.
    static let yoga: Int64 = 1_795_453_200
    static let now = DemoStore.seededAt

    static func request(_ name: String, party: Int = 1, offer: String = "yoga-class", start: Int64 = yoga) -> BookingRequest {
        let email = name.lowercased().replacingOccurrences(of: " ", with: ".") + "@example.com"
        return BookingRequest(offerSlug: offer, start: start, customer: CustomerDetails(name: name, email: email), partySize: party,
                              source: "web")
    }

    /// The demo with the Monday class full: Priya's 2 and a party of 8.
    static func fullClass(_ name: String) throws -> (AppDatabase, Business) {
        let (database, business) = try DemoStore.open(name)
        _ = try database.book(business: business, request: request("Full Filler", party: 8), now: now, actor: .guest)
        return (database, business)
    }

    func entries(_ database: AppDatabase, _ business: Business) throws -> [WaitlistEntry] {
        try database.waitlist(businessID: business.id, offerSlug: "yoga-class", start: Self.yoga)
    }

    func priya(_ database: AppDatabase) throws -> String {
        try #require(try database.pool.read {
            try String.fetchOne($0, sql: "SELECT public_id FROM booking_orders WHERE customer_name = 'Priya Shah'")
        })
    }

    @Test func joiningIsOnlyForAFullStartAndTheLineKeepsItsOrder() throws {
        let (database, business) = try DemoStore.open("waitlist-join")
        // 8 places left: join is refused, book instead
        #expect(throws: BookingFailure.slotAvailable) {
            try database.joinWaitlist(business: business, request: Self.request("Ann Early"), now: Self.now, actor: .guest)
        }
        _ = try database.book(business: business, request: Self.request("Full Filler", party: 8), now: Self.now, actor: .guest)
        let ann = try database.joinWaitlist(business: business, request: Self.request("Ann Early"), now: Self.now, actor: .guest)
        let bo = try database.joinWaitlist(business: business, request: Self.request("Bo Second", party: 2), now: Self.now, actor: .guest)
        #expect(ann.entry.position == 1 && ann.entry.status == .waiting)
        #expect(bo.entry.position == 2)
        #expect(throws: BookingFailure.self) {   // the same address twice
            try database.joinWaitlist(business: business, request: Self.request("Ann Early"), now: Self.now, actor: .guest)
        }
        // Not a bookable time at all (Sunday): not a waitlist either
        #expect(throws: BookingFailure.self) {
            try database.joinWaitlist(business: business, request: Self.request("Cy", start: Self.yoga - 86_400), now: Self.now, actor: .guest)
        }
        // Leaving moves everyone behind up
        _ = try database.leaveWaitlist(business: business, publicID: ann.entry.publicID, now: Self.now, actor: .guest)
        #expect(try entries(database, business).map(\.position) == [1, 0])
        #expect(try entries(database, business).first?.publicID == bo.entry.publicID)
    }

    @Test func aCancellationOffersTheFreedSeatsToTheFirstWhoFitInTheSameTransaction() throws {
        let (database, business) = try Self.fullClass("waitlist-promote")
        let ann = try database.joinWaitlist(business: business, request: Self.request("Ann Early"), now: Self.now, actor: .guest).entry
        let big = try database.joinWaitlist(business: business, request: Self.request("Big Party", party: 3), now: Self.now, actor: .guest).entry
        let cy = try database.joinWaitlist(business: business, request: Self.request("Cy Third"), now: Self.now, actor: .guest).entry
        let dee = try database.joinWaitlist(business: business, request: Self.request("Dee Fourth"), now: Self.now, actor: .guest).entry
        // Priya cancels her 2 places: Ann and Cy get them (the party of 3 does not fit), Dee waits
        _ = try database.cancelBooking(business: business, publicID: try priya(database), reason: "", now: Self.now + 60, actor: .guest)
        let after = try entries(database, business)
        #expect(after.map(\.customer.name) == ["Ann Early", "Big Party", "Cy Third", "Dee Fourth"])
        #expect(after.map(\.status) == [.offered, .waiting, .offered, .waiting])
        let annHold = try #require(after[0].holdID)
        #expect(after[0].holdExpiresAt == Self.now + 60 + 30 * 60)   // the default offer time
        let offers = try database.pool.read {
            try String.fetchAll($0, sql: "SELECT recipient_email FROM outbox WHERE kind = 'waitlist_offer' ORDER BY id")
        }
        #expect(offers == ["ann.early@example.com", "cy.third@example.com"])
        // The public cannot have them
        #expect(throws: BookingFailure.self) {
            try database.book(business: business, request: Self.request("Public Person"), now: Self.now + 120, actor: .guest)
        }
        // Ann claims: confirming her hold books her
        let booked = try database.confirmHold(business: business, holdID: annHold, now: Self.now + 300, actor: .guest).order
        #expect(booked.status == .confirmed && booked.customer.email == "ann.early@example.com")
        #expect(try database.waitlistEntry(businessID: business.id, publicID: ann.publicID)?.status == .claimed)
        // Cy lets the half hour pass: the public is still refused the seat Dee is owed, and the worker's sweep hands it to her
        let late = Self.now + 60 + 30 * 60 + 1
        #expect(throws: BookingFailure.self) {
            try database.book(business: business, request: Self.request("Public Person"), now: late, actor: .guest)
        }
        #expect(try database.expireHolds(now: late) == 1)
        #expect(try database.waitlistEntry(businessID: business.id, publicID: cy.publicID)?.status == .expired)
        let deeNow = try #require(try database.waitlistEntry(businessID: business.id, publicID: dee.publicID))
        #expect(deeNow.status == .offered && deeNow.position == 2)
        #expect(try database.waitlistEntry(businessID: business.id, publicID: big.publicID)?.status == .waiting)
        // Dee leaves: her held seat passes on; the party of 3 still does not fit, so the public may now book it
        _ = try database.leaveWaitlist(business: business, publicID: dee.publicID, now: late + 60, actor: .guest)
        #expect(try database.book(business: business, request: Self.request("Public Person"), now: late + 120, actor: .guest).order.status
                == .confirmed)
    }

    /// Only a session called off keeps its places from the waitlist: a reason a person types, even
    /// the worker's own word for it, does not.
    @Test func aCancellationWhoseReasonReadsBelowMinimumStillOffersTheSeatToTheWaitlist() throws {
        let (database, business) = try Self.fullClass("waitlist-reason")
        let ann = try database.joinWaitlist(business: business, request: Self.request("Ann Early"), now: Self.now, actor: .guest).entry
        _ = try database.cancelBooking(business: business, publicID: try priya(database), reason: "below_minimum",
                                       now: Self.now + 60, actor: .guest)
        #expect(try database.waitlistEntry(businessID: business.id, publicID: ann.publicID)?.status == .offered)
    }

    @Test func theSweepExpiresUnclaimedOffersWhoseHoldsCanThenNoLongerBeClaimed() throws {
        let (database, business) = try Self.fullClass("waitlist-sweep")
        let ann = try database.joinWaitlist(business: business, request: Self.request("Ann Early"), now: Self.now, actor: .guest).entry
        let bo = try database.joinWaitlist(business: business, request: Self.request("Bo Second"), now: Self.now, actor: .guest).entry
        try database.setLifecyclePolicies(approval: .manual, waitlist: WaitlistPolicy(offerMinutes: 10), businessID: business.id,
                                          now: Self.now, actor: .user(1))
        // A public hold on the last seats lapses: the sweep expires it and offers the seats in the same transaction
        let filler = try #require(try database.pool.read {
            try String.fetchOne($0, sql: "SELECT public_id FROM booking_orders WHERE customer_name = 'Full Filler'")
        })
        _ = try database.cancelBooking(business: business, publicID: filler, reason: "", now: Self.now, actor: .guest)
        #expect(try entries(database, business).map(\.status) == [.offered, .offered])
        let annHold = try #require(try database.waitlistEntry(businessID: business.id, publicID: ann.publicID)?.holdID)
        #expect(try database.expireHolds(now: Self.now + 10 * 60) == 2)
        #expect(try database.waitlistEntry(businessID: business.id, publicID: ann.publicID)?.status == .expired)
        #expect(try database.waitlistEntry(businessID: business.id, publicID: bo.publicID)?.status == .expired)
        #expect(throws: BookingFailure.self) {
            try database.confirmHold(business: business, holdID: annHold, now: Self.now + 10 * 60, actor: .guest)
        }
    }

    @Test func fiftyWaitingCustomersAndTheCrowdRaceForThreeFreedSeatsAndTheFirstThreeInLineGetThem() throws {
        let (database, business) = try DemoStore.open("waitlist-race")
        var seats: [String] = []
        for index in 1...8 {   // with Priya's 2, the class of 10 is full
            seats.append(try database.book(business: business, request: Self.request("Seat \(index)"), now: Self.now, actor: .guest).order.publicID)
        }
        var line: [String] = []
        for index in 1...50 {
            line.append(try database.joinWaitlist(business: business, request: Self.request("Waiting \(index)"), now: Self.now,
                                                  actor: .guest).entry.publicID)
        }
        let freed = Array(seats.prefix(3)), inLine = line
        // Three cancellations while fifty members of the public try to book the same class
        let now = Self.now + 60
        let publicBooked = RaceCounter(0)
        DispatchQueue.concurrentPerform(iterations: 53) { index in
            if index < 3 {
                _ = try? database.cancelBooking(business: business, publicID: freed[index], reason: "", now: now, actor: .guest)
            } else if (try? database.book(business: business, request: Self.request("Public \(index)"), now: now, actor: .guest)) != nil {
                publicBooked.add(1)
            }
        }
        #expect(publicBooked.value == 0)
        // All fifty waiting customers try to claim at once: those offered confirm their hold, the rest try to book
        let claimed = RaceCounter(0)
        DispatchQueue.concurrentPerform(iterations: 50) { index in
            guard let entry = try? database.waitlistEntry(businessID: business.id, publicID: inLine[index]) else { return }
            if let hold = entry.holdID, entry.status == .offered {
                if (try? database.confirmHold(business: business, holdID: hold, now: now + 5, actor: .guest)) != nil { claimed.add(1) }
            } else if (try? database.book(business: business, request: Self.request("Waiting \(index + 1)"), now: now + 5, actor: .guest)) != nil {
                claimed.add(1)
            }
        }
        #expect(claimed.value == 3)
        let after = try entries(database, business)
        #expect(after.filter { $0.status == .claimed }.map(\.customer.name).sorted() == ["Waiting 1", "Waiting 2", "Waiting 3"])
        let waiting = after.filter { $0.status == .waiting }
        #expect(waiting.map(\.customer.name) == (4...50).map { "Waiting \($0)" })
        #expect(waiting.map(\.position) == Array(1...47))
        let booked = try database.pool.read {
            try Int.fetchOne($0, sql: """
                SELECT COALESCE(SUM(party_size), 0) FROM booking_orders WHERE starts_at = ? AND status IN ('confirmed', 'held', 'pending')
                """, arguments: [Self.yoga])
        }
        #expect(booked == 10)
    }
}

/// A counter shared by concurrent test closures.
final class RaceCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count: Int
    init(_ value: Int) { count = value }
    func add(_ amount: Int) { lock.lock(); count += amount; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
