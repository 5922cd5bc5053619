import BookingCore
import Foundation
import GRDB
@testable import Store
import Testing

/// Programs with attendance (issue 17, UC-14, UC-39): the demo's yoga class (studio, 10 places,
/// Mon–Fri 12:00) sold as courses of dated sessions.
struct ProgramStoreTests {
    static let now = DemoStore.seededAt
    let clock = ZoneClock(identifier: "America/New_York")!

    func noon(_ date: String) -> Int64 { clock.instant(LocalDate(date)!, WallTime(hour: 12, minute: 0)!)! }

    var tuesdays: [Int64] { ["2026-12-01", "2026-12-08", "2026-12-15"].map(noon) }
    var wednesdays: [Int64] { ["2026-12-02", "2026-12-09", "2026-12-16"].map(noon) }

    func person(_ name: String) -> BookingRequest {
        let email = name.lowercased().replacingOccurrences(of: " ", with: ".") + "@example.com"
        return BookingRequest(offerSlug: "yoga-class", start: 0, customer: CustomerDetails(name: name, email: email), source: "api")
    }

    /// Yoga as a program with a Tuesday run and a Wednesday run.
    func program(_ name: String, makeups: Bool = true,
                 before: (AppDatabase, Business) throws -> Void = { _, _ in }) throws -> (AppDatabase, Business, String, String) {
        let (database, business) = try DemoStore.open(name)
        try before(database, business)
        try database.setUpProgram(business: business, slug: "yoga-class", makeupsAllowed: makeups, now: Self.now, actor: .user(1))
        let tuesday = try database.addProgramRun(business: business, slug: "yoga-class",
                                                 request: ProgramRunRequest(name: "Tuesdays", starts: tuesdays), now: Self.now, actor: .user(1))
        let wednesday = try database.addProgramRun(business: business, slug: "yoga-class",
                                                   request: ProgramRunRequest(name: "Wednesdays", starts: wednesdays), now: Self.now,
                                                   actor: .user(1))
        return (database, business, tuesday, wednesday)
    }

    func placesTaken(_ database: AppDatabase, at start: Int64) throws -> Int {
        try database.pool.read {
            try Int.fetchOne($0, sql: """
                SELECT COALESCE(SUM(b.party_size), 0) FROM fulfillment_units u JOIN booking_orders b ON b.id = u.order_id
                WHERE u.starts_at = ? AND b.status IN ('pending', 'confirmed')
                """, arguments: [start]) ?? 0
        }
    }

    @Test func aCourseWithOneFullSessionIsNotSoldAndOnceThereIsRoomItIsSoldWhole() throws {
        // Given: the 8 December class already full with drop-ins before yoga became a program
        var dropIn = ""
        let (database, business, tuesday, _) = try program("program-full-session") { database, business in
            dropIn = try database.book(business: business, request: BookingRequest(
                offerSlug: "yoga-class", start: noon("2026-12-08"), customer: CustomerDetails(name: "Big Group", email: "big@example.com"),
                partySize: 10, source: "api"), now: Self.now, actor: .guest).order.publicID
        }
        // When: someone enrols in the Tuesday course; Then: nothing is sold, not even the free sessions
        #expect(throws: BookingFailure.self) {
            try database.enrol(business: business, runPublicID: tuesday, request: person("Ann Potter"), now: Self.now, actor: .guest)
        }
        #expect(try placesTaken(database, at: tuesdays[0]) == 0)
        #expect(try database.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM program_orders") } == 0)
        #expect(try database.program(business: business, slug: "yoga-class", now: Self.now).runs.first?.seatsLeft == 0)
        // Once the group cancels, one purchase books every session, once priced, emailed once
        _ = try database.cancelBooking(business: business, publicID: dropIn, reason: "", now: Self.now, actor: .guest)
        let (order, token) = try database.enrol(business: business, runPublicID: tuesday, request: person("Ann Potter"), now: Self.now,
                                                actor: .guest)
        #expect(order.status == .confirmed && !token.isEmpty && order.start == tuesdays[0])
        #expect(order.resources.map(\.slug).contains("studio") && Set(order.resources.map(\.slug)).count == order.resources.count)
        let sessions = try #require(try database.programSessions(business: business, orderID: order.id))
        #expect(sessions.entries.map(\.start) == tuesdays && sessions.runName == "Tuesdays" && sessions.kind == "course")
        #expect(try tuesdays.map { try placesTaken(database, at: $0) } == [1, 1, 1])
        let view = try database.program(business: business, slug: "yoga-class", now: Self.now)
        #expect(view.runs.map(\.seatsLeft) == [9, 10] && view.seats == 10 && view.makeupsAllowed)
        #expect(try database.pool.read {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM outbox WHERE kind = 'confirmation' AND order_id = ?", arguments: [order.id])
        } == 1)
        // A session of a program is not sold alone
        #expect(throws: BookingFailure.soldAsProgram("yoga-class")) {
            try database.book(business: business, request: BookingRequest(
                offerSlug: "yoga-class", start: noon("2026-12-03"), customer: CustomerDetails(name: "Drop In", email: "d@example.com"),
                source: "api"), now: Self.now, actor: .guest)
        }
        // Cancelling the course frees every session at once
        _ = try database.cancelBooking(business: business, publicID: order.publicID, reason: "", now: Self.now, actor: .guest)
        #expect(try database.program(business: business, slug: "yoga-class", now: Self.now).runs.map(\.seatsLeft) == [10, 10])
    }

    @Test func racingBuyersOfTheLastPlaceInACourseExactlyOneGetsIt() throws {
        let (database, business, tuesday, _) = try program("program-race")
        for index in 1...9 {
            _ = try database.enrol(business: business, runPublicID: tuesday, request: person("Early \(index)"), now: Self.now, actor: .guest)
        }
        let won = RaceList()
        DispatchQueue.concurrentPerform(iterations: 24) { index in
            if let enrolled = try? database.enrol(business: business, runPublicID: tuesday, request: person("Racer \(index)"),
                                                  now: Self.now, actor: .guest) {
                won.append(enrolled.order.publicID)
            }
        }
        #expect(won.values.count == 1)
        #expect(try tuesdays.map { try placesTaken(database, at: $0) } == [10, 10, 10])
        #expect(try database.program(business: business, slug: "yoga-class", now: Self.now).runs.first?.seatsLeft == 0)
    }

    @Test func aMissedSessionIsMadeUpInAnotherRunsSessionWithRoom() throws {
        let (database, business, tuesday, _) = try program("program-makeup")
        let course = try database.enrol(business: business, runPublicID: tuesday, request: person("Ann Potter"), now: Self.now,
                                        actor: .guest).order
        // Attendance opens an hour before the session
        #expect(throws: BookingFailure.self) {
            try database.markAttendance(business: business, sessionID: try sessionID(database, tuesdays[0]), orderPublicID: course.publicID,
                                        attendance: .absent, now: tuesdays[0] - 2 * 3_600, actor: .user(2))
        }
        let after = tuesdays[0] + 30 * 60
        // Not marked absent yet: nothing to make up
        #expect(throws: BookingFailure.makeupRefused(.notMissed)) {
            try database.bookMakeup(business: business, orderPublicID: course.publicID, missedStart: tuesdays[0], sessionStart: wednesdays[1],
                                    now: after, actor: .user(2))
        }
        try database.markAttendance(business: business, sessionID: try sessionID(database, tuesdays[0]), orderPublicID: course.publicID,
                                    attendance: .absent, now: after, actor: .user(2))
        // A session of the same run is not a make-up
        #expect(throws: BookingFailure.makeupRefused(.sameRun)) {
            try database.bookMakeup(business: business, orderPublicID: course.publicID, missedStart: tuesdays[0], sessionStart: tuesdays[2],
                                    now: after, actor: .user(2))
        }
        let (makeup, _) = try database.bookMakeup(business: business, orderPublicID: course.publicID, missedStart: tuesdays[0],
                                                  sessionStart: wednesdays[1], now: after, actor: .user(2))
        #expect(makeup.start == wednesdays[1] && makeup.price.total == 0 && makeup.status == .confirmed)
        #expect(try placesTaken(database, at: wednesdays[1]) == 1)
        #expect(try database.programSessions(business: business, orderID: makeup.id)?.kind == "makeup")
        let entries = try #require(try database.programSessions(business: business, orderID: course.id)).entries
        #expect(entries[0].attendance == .absent && entries[0].madeUpAt == wednesdays[1])
        // Once is enough
        #expect(throws: BookingFailure.makeupRefused(.alreadyMadeUp)) {
            try database.bookMakeup(business: business, orderPublicID: course.publicID, missedStart: tuesdays[0], sessionStart: wednesdays[2],
                                    now: after, actor: .user(2))
        }
        // The roster of the Wednesday session shows the make-up
        let roster = try database.programRoster(business: business, sessionID: try sessionID(database, wednesdays[1]))
        #expect(roster.entries.map(\.kind) == ["makeup"] && roster.runName == "Wednesdays")
    }

    @Test func aMakeUpIsRefusedWhenTheOwnerDoesNotAllowThem() throws {
        let (database, business, tuesday, _) = try program("program-no-makeups", makeups: false)
        let course = try database.enrol(business: business, runPublicID: tuesday, request: person("Ann Potter"), now: Self.now,
                                        actor: .guest).order
        let after = tuesdays[0] + 30 * 60
        try database.markAttendance(business: business, sessionID: try sessionID(database, tuesdays[0]), orderPublicID: course.publicID,
                                    attendance: .absent, now: after, actor: .user(2))
        #expect(throws: BookingFailure.makeupRefused(.notAllowed)) {
            try database.bookMakeup(business: business, orderPublicID: course.publicID, missedStart: tuesdays[0], sessionStart: wednesdays[1],
                                    now: after, actor: .user(2))
        }
        #expect(try placesTaken(database, at: wednesdays[1]) == 0)
    }

    @Test func aRunRefusesPastRepeatedAndTakenSessionTimes() throws {
        let (database, business, _, _) = try program("program-runs")
        func add(_ starts: [Int64]) throws {
            _ = try database.addProgramRun(business: business, slug: "yoga-class", request: ProgramRunRequest(name: "More", starts: starts),
                                           now: Self.now, actor: .user(1))
        }
        #expect(throws: BookingFailure.self) { try add([Self.now - 3_600]) }
        #expect(throws: BookingFailure.self) { try add([noon("2026-12-22"), noon("2026-12-22")]) }
        #expect(throws: BookingFailure.self) { try add([tuesdays[1]]) }              // a session of the Tuesday run
        #expect(throws: BookingFailure.self) { try add([noon("2026-12-22") + 3_600]) }  // the class does not run at 13:00
        #expect(throws: BookingFailure.programNotFound) {
            try database.addProgramRun(business: business, slug: "consultation", request: ProgramRunRequest(name: "X", starts: tuesdays),
                                       now: Self.now, actor: .user(1))
        }
    }

    func sessionID(_ database: AppDatabase, _ start: Int64) throws -> ProgramSessionID {
        try #require(try database.pool.read {
            try ProgramSessionID.fetchOne($0, sql: "SELECT id FROM program_sessions WHERE starts_at = ?", arguments: [start])
        })
    }
}
