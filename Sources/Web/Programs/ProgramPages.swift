import BookingCore
import Foundation
import HTTPServer
import Store

/// The pages of programs with attendance: the owner sets a class up as a program and adds runs of
/// dated sessions (`/manage/{b}/programs…`); customers see the runs and enrol in a whole course
/// (`/b/{b}/programs/{offer}`); staff see each session's roster, mark attendance and book make-ups
/// (`/staff/{b}/programs…`). Every form carries CSRF; every handler is scoped to its business.
extension App {
    static func addProgramRoutes(to table: inout RouteTable) {
        addProgramAPIRoutes(to: &table)
        let manage = ProgramManagePages()
        table.add("GET", "/manage/:business/programs", requires: .permission(.serviceTemplateManage), manage.list)
        table.add("POST", "/manage/:business/programs", requires: .permission(.serviceTemplateManage), manage.setUp)
        table.add("GET", "/manage/:business/programs/:offer", requires: .permission(.serviceTemplateManage), manage.show)
        table.add("POST", "/manage/:business/programs/:offer/runs", requires: .permission(.serviceTemplateManage), manage.addRun)
        let staff = ProgramStaffPages()
        table.add("GET", "/staff/:business/programs/:offer", requires: .permission(.bookingViewOrg), staff.program)
        table.add("GET", "/staff/:business/program-sessions/:session", requires: .permission(.bookingViewOrg), staff.roster)
        table.add("POST", "/staff/:business/program-sessions/:session/attendance", requires: .permission(.bookingViewOrg), staff.mark)
        table.add("POST", "/staff/:business/program-sessions/:session/makeup", requires: .permission(.bookingViewOrg), staff.makeup)
        let customer = ProgramPublicPages()
        table.add("GET", "/b/:business/programs/:offer", customer.show)
        table.add("POST", "/b/:business/programs/:offer/enrol", customer.enrol)
    }
}

struct ProgramChoice: Sendable {
    let value: String
    let label: String
}

/// The sessions of a run as lines of text and links.
struct ProgramSessionLine: Sendable {
    let when: String
    let seats: String
    let rosterURL: String?
}

struct ProgramRunBlock: Sendable {
    let id: String
    let name: String
    let seats: String
    let open: Bool
    let full: Bool
    let sessions: [ProgramSessionLine]
    let radioID: String
}

enum ProgramWords {
    static func places(_ count: Int) -> String { count == 1 ? "1 place left" : "\(count) places left" }

    static func runs(_ program: ProgramView, clock: ZoneClock, rosterBase: String?) -> [ProgramRunBlock] {
        program.runs.enumerated().map { index, run in
            ProgramRunBlock(id: run.publicID, name: run.name, seats: places(run.seatsLeft), open: run.open, full: run.seatsLeft == 0,
                            sessions: run.sessions.map { session in
                                ProgramSessionLine(when: BookingFormat.span(session.start, session.end, clock), seats: places(session.seatsLeft),
                                                   rosterURL: rosterBase.map { $0 + "/program-sessions/" + session.id.description })
                            }, radioID: "run-\(index)")
        }
    }
}

/// `/manage/{b}/programs`: which classes are programs, make one, add runs.
struct ProgramManagePages: Sendable {
    struct ListPage: Sendable {
        let layout: Layout
        let nav: ManageNav
        let programs: [ProgramChoice]
        let hasPrograms: Bool
        let classes: [ProgramChoice]
        let hasClasses: Bool
        let action: String
    }

    struct ShowPage: Sendable {
        let layout: Layout
        let nav: ManageNav
        let name: String
        let seats: Int
        let price: String
        let offerURL: String
        let makeupsAllowed: Bool
        let setUpAction: String
        let slug: String
        let runAction: String
        let runs: [ProgramRunBlock]
        let hasRuns: Bool
        let notice: String?
        let zone: String
    }

    func list(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        let programs = try context.app.database.programs(businessID: business.id)
        let slugs = Set(programs.map(\.slug))
        let classes = try context.app.database.offerList(businessID: business.id)
            .filter { $0.mode == .class && !slugs.contains($0.slug) }
            .map { ProgramChoice(value: $0.slug, label: $0.name) }
        let page = ListPage(layout: try context.layout(title: "Programs — \(business.name)", withForm: true), nav: nav,
                            programs: programs.map { ProgramChoice(value: nav.base + "/programs/" + PercentDecoding.encode($0.slug), label: $0.name) },
                            hasPrograms: !programs.isEmpty, classes: classes, hasClasses: !classes.isEmpty, action: nav.base + "/programs")
        return context.app.page("manage/programs", page)
    }

    /// Makes a class a program (from the list) or sets whether it allows make-ups (from its page).
    func setUp(_ context: RequestContext) throws -> Response {
        let (business, membership, nav) = try context.managedBusiness()
        let form = try context.form()
        let slug = ManageInput.trimmed(form["offer"])
        guard !slug.isEmpty, slug.count <= 60 else {
            throw WebError.unprocessable("validation_failed", "Choose the class to sell as a program.", field: "offer")
        }
        try context.app.database.setUpProgram(business: business, slug: slug, makeupsAllowed: form["makeups"] == "yes",
                                              now: context.instant, actor: .user(membership.userID))
        return .redirect(to: nav.base + "/programs/" + PercentDecoding.encode(slug) + "?done=saved")
    }

    func show(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        guard let clock = ZoneClock(identifier: business.timeZone) else { throw WebError.notFound() }
        let slug = try context.parameter("offer")
        let program = try context.app.database.program(business: business, slug: slug, now: context.instant)
        let notice: String? = switch context.request.query["done"] {
        case "saved": "Saved."
        case "run": "Run added: it is on sale now."
        default: nil
        }
        let base = nav.base + "/programs/" + PercentDecoding.encode(slug)
        let page = ShowPage(layout: try context.layout(title: "\(program.offer.name) — program", withForm: true), nav: nav,
                            name: program.offer.name, seats: program.seats, price: BookingFormat.money(program.price.total, program.price.currency),
                            offerURL: nav.base + "/offers/" + PercentDecoding.encode(slug), makeupsAllowed: program.makeupsAllowed,
                            setUpAction: nav.base + "/programs", slug: slug, runAction: base + "/runs",
                            runs: ProgramWords.runs(program, clock: clock, rosterBase: StaffCalendar.base(business.slug)),
                            hasRuns: !program.runs.isEmpty, notice: notice, zone: business.timeZone)
        return context.app.page("manage/program", page)
    }

    /// Adds a run: a name and one session per line, `YYYY-MM-DD HH:MM` in the business's zone.
    func addRun(_ context: RequestContext) throws -> Response {
        let (business, membership, nav) = try context.managedBusiness()
        guard let clock = ZoneClock(identifier: business.timeZone) else { throw WebError.notFound() }
        let slug = try context.parameter("offer")
        let form = try context.form()
        let lines = (form["sessions"] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard lines.count <= ProgramRules.maximumSessions else {
            throw WebError.unprocessable("validation_failed", "A run has at most \(ProgramRules.maximumSessions) sessions.", field: "sessions")
        }
        var starts: [Instant] = []
        for line in lines {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2, let date = LocalDate(String(parts[0])), let wall = WallTime(String(parts[1])),
                  let start = clock.instant(date, wall) else {
                throw WebError.unprocessable("validation_failed",
                                             "Write each session on its own line as a date and a time, like 2027-01-12 18:00 (\(line.prefix(40)) is not).",
                                             field: "sessions")
            }
            starts.append(start)
        }
        _ = try context.app.database.addProgramRun(business: business, slug: slug,
                                                   request: ProgramRunRequest(name: form["name"] ?? "", starts: starts),
                                                   now: context.instant, actor: .user(membership.userID))
        return .redirect(to: nav.base + "/programs/" + PercentDecoding.encode(slug) + "?done=run")
    }
}

/// `/staff/{b}/programs/{offer}` and a session's roster: attendance and make-ups.
struct ProgramStaffPages: Sendable {
    struct ProgramPage: Sendable {
        let layout: Layout
        let name: String
        let calendarURL: String
        let runs: [ProgramRunBlock]
        let hasRuns: Bool
    }

    struct RosterRow: Sendable {
        let name: String
        let kind: String
        let mark: String
        let booking: String
        let detailURL: String
        let makeup: Bool
        let selectID: String
    }

    struct RosterPage: Sendable {
        let layout: Layout
        let title: String
        let when: String
        let programURL: String
        let rows: [RosterRow]
        let hasRows: Bool
        let markAction: String
        let makeupAction: String
        let sessions: [ProgramChoice]
        let mayMark: Bool
        let notice: String?
        let missed: String
    }

    private func staffBusiness(_ context: RequestContext) throws -> (Business, Membership, ZoneClock) {
        let membership = try context.requireMembership()
        guard let business = try context.app.database.business(id: membership.businessID),
              let clock = ZoneClock(identifier: business.timeZone) else { throw WebError.notFound() }
        return (business, membership, clock)
    }

    func program(_ context: RequestContext) throws -> Response {
        let (business, membership, clock) = try staffBusiness(context)
        let program = try context.app.database.program(business: business, slug: try context.parameter("offer"), now: context.instant,
                                                       scope: membership.scope)
        let base = StaffCalendar.base(business.slug)
        let page = ProgramPage(layout: try context.layout(title: "\(program.offer.name) — sessions"), name: program.offer.name,
                               calendarURL: base + "/calendar", runs: ProgramWords.runs(program, clock: clock, rosterBase: base),
                               hasRuns: !program.runs.isEmpty)
        return context.app.page("staff/program", page)
    }

    func roster(_ context: RequestContext) throws -> Response {
        let (business, membership, clock) = try staffBusiness(context)
        let sessionID = try self.sessionID(context)
        let roster = try context.app.database.programRoster(business: business, sessionID: sessionID, scope: membership.scope)
        let policy = try context.app.database.fieldVisibilityPolicy(businessID: business.id)
        let viewer = StaffViewer(membership)
        let base = StaffCalendar.base(business.slug)
        let program = try context.app.database.program(business: business, slug: roster.offerSlug, now: context.instant)
        let others = program.runs.filter { run in !run.sessions.contains { $0.id == sessionID } }
            .flatMap { run in run.sessions.filter { $0.start > context.instant && $0.seatsLeft > 0 }.map { (run, $0) } }
            .map { run, session in ProgramChoice(value: RFC3339.format(session.start),
                                                 label: "\(run.name): \(BookingFormat.span(session.start, session.end, clock))") }
        let rows = roster.entries.enumerated().map { index, entry in
            RosterRow(name: StaffMasking.mask(entry.order, viewer: viewer, policy: policy, sensitive: false).customerName ?? "Customer",
                      kind: entry.kind == "makeup" ? "Make-up" : "Course",
                      mark: entry.attendance.map { $0 == .attended ? "Attended" : "Absent" } ?? "Not marked",
                      booking: entry.order.publicID, detailURL: base + "/bookings/" + PercentDecoding.encode(entry.order.publicID),
                      makeup: program.makeupsAllowed && entry.kind == "course" && entry.attendance == .absent && !others.isEmpty,
                      selectID: "makeup-\(index)")
        }
        let sessionBase = base + "/program-sessions/" + sessionID.description
        let notice: String? = switch context.request.query["done"] {
        case "marked": "Attendance saved."
        case "makeup": "Make-up booked: the customer has been emailed."
        default: nil
        }
        let page = RosterPage(layout: try context.layout(title: "\(roster.offerName) — \(roster.runName)", withForm: true),
                              title: "\(roster.offerName) — \(roster.runName)", when: BookingFormat.span(roster.start, roster.end, clock),
                              programURL: base + "/programs/" + PercentDecoding.encode(roster.offerSlug), rows: rows, hasRows: !rows.isEmpty,
                              markAction: sessionBase + "/attendance", makeupAction: sessionBase + "/makeup", sessions: others,
                              mayMark: ProgramRules.mayMarkAttendance(membership.role), notice: notice, missed: RFC3339.format(roster.start))
        var response = context.app.page("staff/program-roster", page)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    func mark(_ context: RequestContext) throws -> Response {
        let (business, membership, _) = try staffBusiness(context)
        guard ProgramRules.mayMarkAttendance(membership.role) else { throw WebError.notFound() }
        let sessionID = try self.sessionID(context)
        let form = try context.form()
        guard let attendance = form["status"].flatMap(ProgramRules.Attendance.init(rawValue:)) else {
            throw WebError.badRequest("Choose attended or absent.", field: "status")
        }
        guard let booking = form["booking"], !booking.isEmpty, booking.count <= 100 else {
            throw WebError.badRequest("Choose a booking of the session.", field: "booking")
        }
        try context.app.database.markAttendance(business: business, sessionID: sessionID, orderPublicID: booking, attendance: attendance,
                                                now: context.instant, actor: Actor(try context.auditActor()), scope: membership.scope)
        return .redirect(to: StaffCalendar.base(business.slug) + "/program-sessions/" + sessionID.description + "?done=marked")
    }

    func makeup(_ context: RequestContext) throws -> Response {
        let (business, membership, _) = try staffBusiness(context)
        guard ProgramRules.mayMarkAttendance(membership.role) else { throw WebError.notFound() }
        let sessionID = try self.sessionID(context)
        let form = try context.form()
        guard let booking = form["booking"], !booking.isEmpty, booking.count <= 100,
              let missed = form["missed"].flatMap(RFC3339.parse) else {
            throw WebError.badRequest("Choose a booking of the session.", field: "booking")
        }
        guard let target = form["session"].flatMap(RFC3339.parse) else {
            throw WebError.badRequest("Choose the session to make it up in.", field: "session")
        }
        _ = try context.app.database.bookMakeup(business: business, orderPublicID: booking, missedStart: missed, sessionStart: target,
                                                now: context.instant, actor: Actor(try context.auditActor()), scope: membership.scope)
        return .redirect(to: StaffCalendar.base(business.slug) + "/program-sessions/" + sessionID.description + "?done=makeup")
    }

    private func sessionID(_ context: RequestContext) throws -> ProgramSessionID {
        guard let id = ProgramSessionID(try context.parameter("session")) else { throw WebError.notFound() }
        return id
    }
}

/// `/b/{b}/programs/{offer}`: the runs on sale and the enrolment form (one place in a whole course).
struct ProgramPublicPages: Sendable {
    struct Page: Sendable {
        let layout: Layout
        let businessName: String
        let name: String
        let description: String
        let price: String
        let makeupsAllowed: Bool
        let runs: [ProgramRunBlock]
        let hasOpenRuns: Bool
        let action: String
        let customerName: String
        let email: String
    }

    func show(_ context: RequestContext) throws -> Response {
        guard let business = try context.app.database.business(slug: try context.parameter("business")),
              let clock = ZoneClock(identifier: business.timeZone) else { throw BookingFailure.businessNotFound }
        let program = try context.app.database.program(business: business, slug: try context.parameter("offer"), now: context.instant)
        let user = try context.currentUser()
        let runs = ProgramWords.runs(program, clock: clock, rosterBase: nil)
        let page = Page(layout: try context.layout(title: "\(program.offer.name) — \(business.name)", withForm: true),
                        businessName: business.name, name: program.offer.name, description: program.offer.description,
                        price: BookingFormat.money(program.price.total, program.price.currency), makeupsAllowed: program.makeupsAllowed,
                        runs: runs, hasOpenRuns: runs.contains { $0.open && !$0.full },
                        action: "/b/\(PercentDecoding.encode(business.slug))/programs/\(PercentDecoding.encode(program.offer.slug))/enrol",
                        customerName: user?.name ?? "", email: user?.email ?? "")
        return context.app.page("booking/program", page)
    }

    func enrol(_ context: RequestContext) throws -> Response {
        guard let business = try context.app.database.business(slug: try context.parameter("business")) else {
            throw BookingFailure.businessNotFound
        }
        let form = try context.form()
        guard let run = form["run"], !run.isEmpty, run.count <= 100 else {
            throw WebError.badRequest("Choose the course to enrol in.", field: "run")
        }
        let user = try context.currentUser()
        let request = BookingRequest(offerSlug: try context.parameter("offer"), start: 0,
                                     customer: CustomerDetails(name: ManageInput.trimmed(form["name"]),
                                                               email: Validation.normalizedEmail(form["email"] ?? "") ?? (form["email"] ?? ""),
                                                               phone: ManageInput.trimmed(form["phone"]), userID: user?.id),
                                     source: "web")
        let (order, token) = try context.app.database.enrol(business: business, runPublicID: run, request: request, now: context.instant,
                                                            actor: user.map { .user($0.id) } ?? .guest)
        return .redirect(to: "/bookings/\(PercentDecoding.encode(order.publicID))?token=\(PercentDecoding.encode(token))")
    }
}
