import BookingCore
import Foundation
import GRDB
@testable import Store
import Testing

/// Recurring series (issue 17): checked and booked in one transaction, all or nothing or skipping,
/// cancelled from an occurrence on, standing reservations kept booked ahead, wall-clock time kept.
struct SeriesStoreTests {
    static let now = DemoStore.seededAt
    let clock = ZoneClock(identifier: "America/New_York")!

    func at(_ date: String, _ hour: Int) -> Int64 { clock.instant(LocalDate(date)!, WallTime(hour: hour, minute: 0)!)! }

    func request(start: Int64, end: SeriesRule.End, skip: Bool, interval: Int = 1) -> SeriesRequest {
        SeriesRequest(booking: BookingRequest(offerSlug: "consultation", start: start,
                                              customer: CustomerDetails(name: "Tess Tutee", email: "tess@example.com"),
                                              resourceSlugs: ["dana-doctor"], source: "api"),
                      rule: SeriesRule(intervalWeeks: interval, end: end), skipConflicts: skip)
    }

    func count(_ database: AppDatabase) throws -> Int {
        try database.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM booking_orders WHERE customer_name = 'Tess Tutee'") ?? 0 }
    }

    @Test func allOrNothingBooksNothingWhenOneDateIsTakenAndSkipListsItInstead() throws {
        let (database, business) = try DemoStore.open("series-conflict")
        _ = try database.book(business: business, request: BookingRequest(
            offerSlug: "consultation", start: at("2026-12-08", 10), customer: CustomerDetails(name: "Early Bird", email: "e@example.com"),
            resourceSlugs: ["dana-doctor"], source: "api"), now: Self.now, actor: .guest)
        let first = at("2026-12-01", 10)
        #expect(throws: BookingFailure.self) {
            try database.bookSeries(business: business, request: request(start: first, end: .count(4), skip: false), now: Self.now, actor: .guest)
        }
        #expect(try count(database) == 0)
        #expect(try database.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM booking_series") } == 0)
        // The preview shows what skipping would do and writes nothing
        let preview = try database.bookSeries(business: business, request: request(start: first, end: .count(4), skip: true),
                                              now: Self.now, actor: .guest, preview: true)
        #expect(preview.id.isEmpty && preview.bookings.count == 3)
        #expect(preview.skipped == [SeriesResult.Skipped(start: at("2026-12-08", 10), reason: "taken")])
        #expect(try count(database) == 0)
        let booked = try database.bookSeries(business: business, request: request(start: first, end: .count(4), skip: true),
                                             now: Self.now, actor: .guest)
        #expect(booked.id.hasPrefix("sr_"))
        #expect(booked.bookings.map(\.start) == [at("2026-12-01", 10), at("2026-12-15", 10), at("2026-12-22", 10)])
        #expect(booked.skipped.map(\.start) == [at("2026-12-08", 10)])
        #expect(try count(database) == 3)
    }

    /// Found by the API fuzzing: a series without a name reached the database's CHECK (a 500).
    @Test func aSeriesWithoutANameIsRefusedByFieldAndWritesNothing() throws {
        let (database, business) = try DemoStore.open("series-no-name")
        var nameless = request(start: at("2026-12-01", 10), end: .count(3), skip: true)
        nameless.booking.customer = CustomerDetails(name: "  ", email: "tess@example.com")
        #expect(throws: BookingFailure.invalid(field: "name", message: "enter a name of 1 to 120 characters")) {
            try database.bookSeries(business: business, request: nameless, now: Self.now, actor: .guest)
        }
        #expect(try database.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM booking_series") } == 0)
    }

    @Test func cancellingFromAnOccurrenceCancelsItAndTheFollowingOnesInOneGo() throws {
        let (database, business) = try DemoStore.open("series-cancel")
        let series = try database.bookSeries(business: business, request: request(start: at("2026-12-01", 10), end: .count(10), skip: false),
                                             now: Self.now, actor: .guest)
        #expect(series.bookings.count == 10)
        // The third is moved alone (an ordinary reschedule of that booking)
        let third = series.bookings[2]
        let moved = try database.reschedule(business: business, publicID: third.publicID, start: at("2026-12-15", 14), now: Self.now,
                                            actor: .guest, rules: .business)
        #expect(moved.start == at("2026-12-15", 14))
        #expect(try database.seriesBookings(business: business, publicID: series.id).filter { $0.start == at("2026-12-22", 10) }.count == 1)
        #expect(throws: BookingFailure.self) {   // not the start of one of its bookings
            try database.cancelSeries(business: business, publicID: series.id, from: at("2026-12-22", 11), reason: "", now: Self.now, actor: .guest)
        }
        let cancelled = try database.cancelSeries(business: business, publicID: series.id, from: series.bookings[5].start, reason: "Moving away",
                                                  now: Self.now, actor: .guest)
        #expect(cancelled.count == 5)
        let after = try database.seriesBookings(business: business, publicID: series.id)
        #expect(after.map(\.status) == Array(repeating: BookingStatus.confirmed, count: 5) + Array(repeating: .cancelled, count: 5))
        #expect(cancelled.allSatisfy { $0.refund.percent == 100 })
    }

    @Test func aSeriesAcrossBothDSTChangesOf2027KeepsTenOClockInNewYork() throws {
        let (database, business) = try DemoStore.open("series-dst")
        // Spring: Tuesdays around Sunday 2027-03-14 (max advance is 180 days: book from a later "now")
        let now = at("2027-02-01", 12)
        let spring = try database.bookSeries(business: business, request: request(start: at("2027-03-09", 10), end: .count(3), skip: false),
                                             now: now, actor: .guest)
        #expect(spring.bookings.map { clock.local($0.start).time.description } == ["10:00", "10:00", "10:00"])
        #expect(spring.bookings[1].start - spring.bookings[0].start == 7 * 86_400 - 3_600)
        let autumn = try database.bookSeries(business: business, request: request(start: at("2027-11-02", 10), end: .until(LocalDate("2027-11-16")!),
                                                                                   skip: false),
                                             now: at("2027-10-01", 12), actor: .guest)
        #expect(autumn.bookings.map { "\(clock.local($0.start).date) \(clock.local($0.start).time)" }
                == ["2027-11-02 10:00", "2027-11-09 10:00", "2027-11-16 10:00"])
        #expect(autumn.bookings[1].start - autumn.bookings[0].start == 7 * 86_400 + 3_600)
    }

    @Test func aStandingReservationIsBookedToTheHorizonAndTheWorkerKeepsItAhead() throws {
        let (database, business) = try DemoStore.open("series-standing")
        let standing = try database.bookSeries(business: business, request: request(start: at("2026-12-01", 10), end: .none, skip: true),
                                               now: Self.now, actor: .guest)
        // 180 days ahead of Sunday 2026-11-22: Tuesdays from 2026-12-01 to 2027-05-18
        #expect(standing.bookings.count == 25)
        #expect(try database.extendStandingReservations(now: Self.now) == 0)
        // A week later the horizon moved a week: one more Tuesday, taken by someone else first, is skipped and noted
        let blocked = at("2027-05-25", 10)
        _ = try database.book(business: business, request: BookingRequest(
            offerSlug: "consultation", start: blocked, customer: CustomerDetails(name: "Other", email: "o@example.com"),
            resourceSlugs: ["dana-doctor"], source: "api"), now: Self.now + 7 * 86_400, actor: .guest)
        #expect(try database.extendStandingReservations(now: Self.now + 7 * 86_400) == 0)
        let skipped = try database.pool.read {
            try String.fetchAll($0, sql: "SELECT details FROM audit_log WHERE action = 'series.skip'")
        }
        #expect(skipped.count == 1 && skipped[0].contains("2027-05-25"))
        #expect(try database.extendStandingReservations(now: Self.now + 14 * 86_400) == 1)
        #expect(try count(database) == 26)
    }

    @Test func movingThisAndTheFollowingOnesShiftsEachAlikeOrNoneWhenOneIsTaken() throws {
        let (database, business) = try DemoStore.open("series-move")
        let series = try database.bookSeries(business: business, request: request(start: at("2026-12-01", 10), end: .count(4), skip: false),
                                             now: Self.now, actor: .guest)
        // Someone has Thursday 2026-12-24 15:00 with Dana: moving the last two Tuesdays to Thursdays 15:00 fails as a whole
        _ = try database.book(business: business, request: BookingRequest(
            offerSlug: "consultation", start: at("2026-12-24", 15), customer: CustomerDetails(name: "Other", email: "o@example.com"),
            resourceSlugs: ["dana-doctor"], source: "api"), now: Self.now, actor: .guest)
        _ = try database.book(business: business, request: BookingRequest(
            offerSlug: "consultation", start: at("2026-12-24", 15), customer: CustomerDetails(name: "Other Two", email: "p@example.com"),
            resourceSlugs: ["sam-stylist"], source: "api"), now: Self.now, actor: .guest)
        #expect(throws: BookingFailure.self) {
            try database.moveSeries(business: business, publicID: series.id, from: at("2026-12-15", 10), to: at("2026-12-17", 15),
                                    now: Self.now, actor: .guest)
        }
        #expect(try database.seriesBookings(business: business, publicID: series.id).map(\.start) == series.bookings.map(\.start))
        let moved = try database.moveSeries(business: business, publicID: series.id, from: at("2026-12-15", 10), to: at("2026-12-17", 11),
                                            now: Self.now, actor: .guest)
        #expect(moved.map(\.start) == [at("2026-12-17", 11), at("2026-12-24", 11)])
        #expect(try database.seriesBookings(business: business, publicID: series.id).map(\.start)
                == [at("2026-12-01", 10), at("2026-12-08", 10), at("2026-12-17", 11), at("2026-12-24", 11)])
    }
}
