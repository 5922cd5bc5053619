import BookingCore
import Foundation
import GRDB
import Testing
@testable import Store

/// A booking drafted outside the writer answers with the order made from its draft, not read back
/// after the commit: it must be exactly the order `BookingReads.order` reads.
struct DraftedAnswerTests {
    let base = BookingStoreTests()

    func requests() -> [BookingRequest] {
        [
            BookingRequest(offerSlug: "consultation", start: base.newYork("2026-12-03", "10:00"),
                           customer: CustomerDetails(name: "Ada Lovelace", email: "ada@example.com", phone: "+1 555 0100", notes: "Window seat"),
                           resourceSlugs: ["dana-doctor"], source: "api"),
            base.request("consultation", base.newYork("2026-12-03", "11:00")),
            base.request("treatment", base.newYork("2026-12-03", "15:00"), resources: ["dana-doctor", "room-1"]),
            BookingRequest(offerSlug: "new-patient-visit", start: base.newYork("2026-12-04", "13:00"),
                           customer: CustomerDetails(name: "Pat", email: "pat@example.com", answers: ["reason": "Back pain"]), source: "web"),
        ]
    }

    func readBack(_ database: AppDatabase, _ business: Business, _ id: BookingID) throws -> OrderView? {
        try database.pool.read { try BookingReads.order($0, businessID: business.id, orderID: id) }
    }

    @Test func theOrderMadeFromTheDraftIsTheOrderReadBack() throws {
        let (database, business) = try base.demo()
        for request in requests() {
            let draft = try database.pool.read {
                try Bookings.draft($0, business: business, request: request, now: BookingStoreTests.now, actor: .guest, confirm: true,
                                   waitlist: .mustBeEmpty)
            }
            let committed = try database.write { try Bookings.commit($0, draft, noticeWaiver: nil) }
            guard case .inserted(let id, _) = committed else { Issue.record("\(request.offerSlug): booked afresh"); continue }
            let drafted = try #require(try draft.order(id: id))
            #expect(drafted == (try readBack(database, business, id)), "\(request.offerSlug)")
        }
    }

    @Test func aBookingAnswersWhatIsStored() throws {
        let (database, business) = try base.demo()
        for request in requests() {
            let made = try database.book(business: business, request: request, now: BookingStoreTests.now, actor: .guest).order
            #expect(made == (try readBack(database, business, made.id)), "\(request.offerSlug)")
        }
    }

    @Test func anOfferRenamedAfterTheDraftIsBookedAfreshWithItsNewName() throws {
        let (database, business) = try base.demo()
        let request = requests()[0]
        let draft = try database.pool.read {
            try Bookings.draft($0, business: business, request: request, now: BookingStoreTests.now, actor: .guest, confirm: true,
                               waitlist: .mustBeEmpty)
        }
        try database.pool.write { try $0.execute(sql: "UPDATE offers SET name = 'Long consultation' WHERE business_id = ? AND slug = 'consultation'",
                                                 arguments: [business.id]) }
        let committed = try database.write { try Bookings.commit($0, draft, noticeWaiver: nil) }
        guard case .booked(let order, _) = committed else { Issue.record("written as drafted with the old name"); return }
        #expect(order.offerName == "Long consultation")
        #expect(order == (try readBack(database, business, order.id)))
    }
}
