import BookingCore
import Foundation
import GRDB
@testable import Store
import Testing

/// Series pages' store side (issue 17): one occurrence or it and the following ones, by the
/// customer (their rules, their proof) or the business; a standing date that cannot be had is told.
struct SeriesChangeStoreTests {
    static let now = DemoStore.seededAt
    let clock = ZoneClock(identifier: "America/New_York")!

    func at(_ date: String, _ hour: Int) -> Int64 { clock.instant(LocalDate(date)!, WallTime(hour: hour, minute: 0)!)! }

    func series(_ database: AppDatabase, _ business: Business, end: SeriesRule.End = .count(5)) throws -> SeriesResult {
        try database.bookSeries(business: business, request: SeriesRequest(
            booking: BookingRequest(offerSlug: "consultation", start: at("2026-12-01", 10),
                                    customer: CustomerDetails(name: "Tess Tutee", email: "tess@example.com"), resourceSlugs: ["dana-doctor"],
                                    source: "web"),
            rule: SeriesRule(end: end), skipConflicts: true), now: Self.now, actor: .guest)
    }

    @Test func aGuestWithOneBookingsTokenMovesAndCancelsSingleOccurrencesAndAStrangerChangesNothing() throws {
        let (database, business) = try DemoStore.open("series-change")
        let booked = try series(database, business)
        let token = try #require(booked.firstToken)
        let proof = SeriesCustomerAccess(userID: nil, bookingID: booked.bookings[0].publicID, token: token)
        // A stranger (a wrong token) neither sees nor changes it
        let stranger = SeriesCustomerAccess(userID: nil, bookingID: booked.bookings[0].publicID, token: String(token.reversed()))
        #expect(try database.customerSeries(businessSlug: "demo", publicID: booked.id, access: stranger) == nil)
        #expect(throws: BookingFailure.seriesNotFound) {
            try database.changeCustomerSeries(businessSlug: "demo", publicID: booked.id, access: stranger,
                                              change: .cancel(from: at("2026-12-08", 10), following: true), now: Self.now, actor: .guest)
        }
        #expect(try database.customerSeries(businessSlug: "demo", publicID: booked.id, access: proof)?.series.bookings.count == 5)
        // The third alone moves to 11:00; the others keep 10:00
        let moved = try database.changeCustomerSeries(businessSlug: "demo", publicID: booked.id, access: proof,
                                                      change: .move(from: at("2026-12-15", 10), to: at("2026-12-15", 11), following: false),
                                                      now: Self.now, actor: .guest).series
        #expect(moved.bookings.map(\.start) == [at("2026-12-01", 10), at("2026-12-08", 10), at("2026-12-15", 11), at("2026-12-22", 10),
                                                at("2026-12-29", 10)])
        // The second alone is cancelled: the series goes on
        let cancelled = try database.changeCustomerSeries(businessSlug: "demo", publicID: booked.id, access: proof,
                                                          change: .cancel(from: at("2026-12-08", 10), following: false),
                                                          now: Self.now, actor: .guest).series
        #expect(cancelled.bookings.map(\.status) == [.confirmed, .cancelled, .confirmed, .confirmed, .confirmed])
        #expect(cancelled.active)
        // A start that is not one of its upcoming bookings changes nothing
        #expect(throws: BookingFailure.self) {
            try database.changeCustomerSeries(businessSlug: "demo", publicID: booked.id, access: proof,
                                              change: .cancel(from: at("2026-12-08", 10), following: false), now: Self.now, actor: .guest)
        }
        // The fourth and following: cancelled, and the series ends
        let ended = try database.changeCustomerSeries(businessSlug: "demo", publicID: booked.id, access: proof,
                                                      change: .cancel(from: at("2026-12-22", 10), following: true),
                                                      now: Self.now, actor: .guest).series
        #expect(ended.bookings.map(\.status) == [.confirmed, .cancelled, .confirmed, .cancelled, .cancelled])
        #expect(!ended.active)
    }

    @Test func aStandingDateThatCannotBeHadEmailsTheCustomerAndTheOwnersThroughTheOutbox() throws {
        let (database, business) = try DemoStore.open("series-standing-mail")
        let standing = try series(database, business, end: .none)
        #expect(standing.bookings.count == 25)
        // Next week's new Tuesday is taken with Dana first
        _ = try database.book(business: business, request: BookingRequest(
            offerSlug: "consultation", start: at("2027-05-25", 10), customer: CustomerDetails(name: "Other", email: "o@example.com"),
            resourceSlugs: ["dana-doctor"], source: "api"), now: Self.now + 7 * 86_400, actor: .guest)
        let before = try database.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM outbox") ?? 0 }
        #expect(try database.extendStandingReservations(now: Self.now + 7 * 86_400) == 0)
        let mails = try database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, recipient_email, data, order_id FROM outbox ORDER BY id LIMIT -1 OFFSET ?",
                             arguments: [before])
        }
        #expect(mails.map { $0["kind"] as String } == ["cancellation", "staff_alert"])
        #expect(mails.map { $0["recipient_email"] as String } == ["tess@example.com", "owner@demo.test"])
        #expect(mails.allSatisfy { ($0["order_id"] as Int64?) == nil })
        let customerData = mails[0]["data"] as String
        #expect(customerData.contains("\"about\":\"series_skip\"") && customerData.contains("already booked"))
        #expect(customerData.contains(String(at("2027-05-25", 10))))
        #expect((mails[1]["data"] as String).contains("\"series\":\"\(standing.id)\""))
    }
}
