public import BookingCore
import Foundation
import GRDB

/// Programs with attendance: one transaction per use case (see `Programs`).
extension AppDatabase {
    /// The program `slug` with its current runs and places left.
    public func program(business: Business, slug: String, now: Instant, scope: LocationScope = .everywhere) throws -> ProgramView {
        try read { db in
            let view = try Programs.view(db, business: business, slug: slug, now: now)
            guard try LocationScopes.admits(db, businessID: business.id, offer: view.offer, scope: scope) else {
                throw BookingFailure.programNotFound
            }
            return view
        }
    }

    /// The business's programs (offer slug and name), by name.
    public func programs(businessID: BusinessID) throws -> [(slug: String, name: String)] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT o.slug, o.name FROM programs p JOIN offers o ON o.business_id = p.business_id AND o.id = p.offer_id
                WHERE p.business_id = ? ORDER BY o.name, o.id
                """), arguments: [businessID]).map { (slug: $0["slug"] as String, name: $0["name"] as String) }
        }
    }

    /// Owner: makes the class `slug` a program, or sets whether it allows make-ups.
    public func setUpProgram(business: Business, slug: String, makeupsAllowed: Bool, now: Instant, actor: Actor) throws {
        try write { db in try Programs.setUp(db, business: business, slug: slug, makeupsAllowed: makeupsAllowed, now: now, actor: actor) }
    }

    /// Owner: adds a run of dated sessions; answers its public id.
    public func addProgramRun(business: Business, slug: String, request: ProgramRunRequest, now: Instant, actor: Actor) throws -> String {
        try write { db in try Programs.addRun(db, business: business, slug: slug, request: request, now: now, actor: actor) }
    }

    /// Sells one place in a whole course (every session checked and written in one transaction);
    /// the order and the guest's access token (shown once).
    public func enrol(business: Business, runPublicID: String, request: BookingRequest, now: Instant,
                      actor: Actor) throws -> (order: OrderView, token: String) {
        try write { db in try Programs.enrol(db, business: business, runPublicID: runPublicID, request: request, now: now, actor: actor) }
    }

    /// Staff: marks a booking's place in a session attended or absent.
    public func markAttendance(business: Business, sessionID: ProgramSessionID, orderPublicID: String,
                               attendance: ProgramRules.Attendance, now: Instant, actor: Actor,
                               scope: LocationScope = .everywhere) throws {
        try write { db in
            try Programs.mark(db, business: business, sessionID: sessionID, orderPublicID: orderPublicID, attendance: attendance,
                              now: now, actor: actor, scope: scope)
        }
    }

    /// A make-up for a missed session of a course, in a session of another run with a free place.
    public func bookMakeup(business: Business, orderPublicID: String, missedStart: Instant, sessionStart: Instant, now: Instant,
                           actor: Actor, scope: LocationScope = .everywhere) throws -> (order: OrderView, token: String) {
        try write { db in
            try Programs.bookMakeup(db, business: business, orderPublicID: orderPublicID, missedStart: missedStart,
                                    sessionStart: sessionStart, now: now, actor: actor, scope: scope)
        }
    }

    /// The sessions of a program booking with their marks; nil for any other booking.
    public func programSessions(business: Business, orderID: BookingID) throws -> ProgramBookingSessions? {
        try read { db in try Programs.sessions(db, business: business, orderID: orderID) }
    }

    /// Staff: one session's roster.
    public func programRoster(business: Business, sessionID: ProgramSessionID, scope: LocationScope = .everywhere) throws -> ProgramRoster {
        try read { db in try Programs.roster(db, business: business, sessionID: sessionID, scope: scope) }
    }
}
