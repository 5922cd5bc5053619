import BookingCore
import Foundation
import GRDB
@testable import Store
import Testing

/// "First to confirm wins" (issue 17): everyone waiting who fits is told at once, the first to
/// claim gets the place, the others keep their place in line; open claims keep the public off.
struct WaitlistFirstToConfirmTests {
    static let yoga = WaitlistStoreTests.yoga
    static let now = DemoStore.seededAt

    static func firstToConfirm(_ database: AppDatabase, _ business: Business) throws {
        try database.setLifecyclePolicies(approval: .manual, waitlist: WaitlistPolicy(offerMinutes: 30, mode: .firstToConfirm),
                                          businessID: business.id, now: now, actor: .user(1))
    }

    func claim(_ database: AppDatabase, _ joined: JoinedWaitlist, at now: Int64) throws -> WaitlistClaimResult {
        try database.claimWaitlistPlace(businessSlug: "demo", publicID: joined.entry.publicID, token: joined.token, userID: nil,
                                        now: now, actor: .guest).result
    }

    func status(_ database: AppDatabase, _ business: Business, _ joined: JoinedWaitlist) throws -> WaitlistEntry.Status? {
        try database.waitlistEntry(businessID: business.id, publicID: joined.entry.publicID)?.status
    }

    @Test func everyoneWhoFitsIsToldTheFirstToClaimGetsTheSeatAndTheOthersStayInLine() throws {
        let (database, business) = try WaitlistStoreTests.fullClass("waitlist-first")
        try Self.firstToConfirm(database, business)
        #expect(try database.lifecyclePolicies(businessID: business.id).waitlist.mode == .firstToConfirm)
        let ann = try database.joinWaitlist(business: business, request: WaitlistStoreTests.request("Ann Early"), now: Self.now, actor: .guest)
        let big = try database.joinWaitlist(business: business, request: WaitlistStoreTests.request("Big Party", party: 3), now: Self.now,
                                            actor: .guest)
        let bo = try database.joinWaitlist(business: business, request: WaitlistStoreTests.request("Bo Second"), now: Self.now, actor: .guest)
        let cy = try database.joinWaitlist(business: business, request: WaitlistStoreTests.request("Cy Third"), now: Self.now, actor: .guest)
        let priya = try #require(try database.pool.read {
            try String.fetchOne($0, sql: "SELECT public_id FROM booking_orders WHERE customer_name = 'Priya Shah'")
        })
        // Priya's 2 places free: the three parties of one are told (no holds yet), the party of 3 is not
        _ = try database.cancelBooking(business: business, publicID: priya, reason: "", now: Self.now + 60, actor: .guest)
        #expect(try [ann, big, bo, cy].map { try status(database, business, $0) } == [.offered, .waiting, .offered, .offered])
        let told = try database.pool.read {
            try String.fetchAll($0, sql: "SELECT recipient_email FROM outbox WHERE kind = 'waitlist_offer' AND order_id IS NULL ORDER BY id")
        }
        #expect(told == ["ann.early@example.com", "bo.second@example.com", "cy.third@example.com"])
        // The public cannot take the places while claims are open, nor can a newcomer skip the line
        #expect(throws: BookingFailure.self) {
            try database.book(business: business, request: WaitlistStoreTests.request("Public Person"), now: Self.now + 120, actor: .guest)
        }
        // Bo and Cy claim first, Ann last: she is told it is taken and stays in line, first
        guard case .held(let boHold) = try claim(database, bo, at: Self.now + 180) else { Issue.record("Bo got no hold"); return }
        guard case .held = try claim(database, cy, at: Self.now + 190) else { Issue.record("Cy got no hold"); return }
        #expect(try claim(database, ann, at: Self.now + 200) == .taken)
        let line = try database.waitlist(businessID: business.id, offerSlug: "yoga-class", start: Self.yoga)
        #expect(line.first?.customer.name == "Ann Early" && line.first?.status == .waiting && line.first?.position == 1)
        // Claiming again answers the same hold; confirming it books Bo
        #expect(try claim(database, bo, at: Self.now + 210) == .held(holdID: boHold))
        #expect(try database.confirmHold(business: business, holdID: boHold, now: Self.now + 240, actor: .guest).order.status == .confirmed)
        #expect(try status(database, business, bo) == .claimed)
        #expect(try database.pool.read {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM audit_log WHERE action = 'waitlist.claim'")
        } == 2)
    }

    @Test func anUnclaimedAnnouncementRunsOutAndThePlaceGoesToThePublic() throws {
        let (database, business) = try WaitlistStoreTests.fullClass("waitlist-first-expiry")
        try Self.firstToConfirm(database, business)
        let ann = try database.joinWaitlist(business: business, request: WaitlistStoreTests.request("Ann Early"), now: Self.now, actor: .guest)
        let filler = try #require(try database.pool.read {
            try String.fetchOne($0, sql: "SELECT public_id FROM booking_orders WHERE customer_name = 'Full Filler'")
        })
        _ = try database.cancelBooking(business: business, publicID: filler, reason: "", now: Self.now, actor: .guest)
        #expect(try status(database, business, ann) == .offered)
        // 8 places free, Ann's 1 kept: a party of 7 may book, one of 8 may not
        #expect(throws: BookingFailure.self) {
            try database.book(business: business, request: WaitlistStoreTests.request("Eight", party: 8), now: Self.now + 60, actor: .guest)
        }
        _ = try database.book(business: business, request: WaitlistStoreTests.request("Seven", party: 7), now: Self.now + 60, actor: .guest)
        // Half an hour later Ann has not claimed: her claim is out of time and the last place is the public's
        let late = Self.now + 30 * 60
        _ = try database.book(business: business, request: WaitlistStoreTests.request("Public Person"), now: late, actor: .guest)
        #expect(try status(database, business, ann) == .expired)
        #expect(try claim(database, ann, at: late + 1) == .expired)
    }

    @Test func fiftyWaitingCustomersClaimThreeFreedSeatsAtOnceAndExactlyThreeGetThem() throws {
        let (database, business) = try DemoStore.open("waitlist-first-race")
        try Self.firstToConfirm(database, business)
        var seats: [String] = []
        for index in 1...8 {   // with Priya's 2, the class of 10 is full
            seats.append(try database.book(business: business, request: WaitlistStoreTests.request("Seat \(index)"), now: Self.now,
                                           actor: .guest).order.publicID)
        }
        var line: [JoinedWaitlist] = []
        for index in 1...50 {
            line.append(try database.joinWaitlist(business: business, request: WaitlistStoreTests.request("Waiting \(index)"), now: Self.now,
                                                  actor: .guest))
        }
        for seat in seats.prefix(3) {
            _ = try database.cancelBooking(business: business, publicID: seat, reason: "", now: Self.now + 60, actor: .guest)
        }
        #expect(try database.pool.read {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM waitlist_entries WHERE status = 'offered' AND hold_order_id IS NULL")
        } == 50)
        let everyone = line
        let holds = RaceList()
        DispatchQueue.concurrentPerform(iterations: 50) { index in
            if case .held(let hold)? = try? claim(database, everyone[index], at: Self.now + 120) { holds.append(hold) }
        }
        #expect(holds.values.count == 3)
        for hold in holds.values {
            #expect(try database.confirmHold(business: business, holdID: hold, now: Self.now + 180, actor: .guest).order.status == .confirmed)
        }
        let after = try database.waitlist(businessID: business.id, offerSlug: "yoga-class", start: Self.yoga)
        #expect(after.filter { $0.status == .claimed }.count == 3)
        let waiting = after.filter { $0.status == .waiting }
        #expect(waiting.count == 47 && waiting.map(\.position) == Array(1...47))
        // Still in the order they joined
        let order = line.map(\.entry.publicID)
        #expect(waiting.map(\.publicID) == order.filter { id in waiting.contains { $0.publicID == id } })
        let booked = try database.pool.read {
            try Int.fetchOne($0, sql: """
                SELECT COALESCE(SUM(party_size), 0) FROM booking_orders WHERE starts_at = ? AND status IN ('confirmed', 'held', 'pending')
                """, arguments: [Self.yoga])
        }
        #expect(booked == 10)
    }
}

final class RaceList: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func append(_ item: String) { lock.lock(); items.append(item); lock.unlock() }
    var values: [String] { lock.lock(); defer { lock.unlock() }; return items }
}
