import BookingCore
import Foundation
import HTTPServer
import Store

/// `/api/v1/programs` (issue 17, programs with attendance): read a program with its runs and
/// places left, enrol a customer in a whole course, book a make-up for a missed session.
extension App {
    static let enrolmentFields: Set<String> = ["run", "customer", "party_size", "notes"]

    static func addProgramAPIRoutes(to table: inout RouteTable) {
        table.add("GET", "/api/v1/programs/:offer", requires: .apiKey(nil)) { context in
            let principal = try context.apiPrincipal()
            let program = try context.app.database.program(business: principal.business, slug: try context.parameter("offer"),
                                                           now: context.instant)
            return .json(ProgramJSON.programBody(program))
        }
        table.add("POST", "/api/v1/programs/:offer/enrollments", requires: .apiKey(.bookingCreate)) { context in
            let principal = try context.apiPrincipal()
            let json = try StrictJSON(body: context.request.body, allowed: enrolmentFields)
            guard let customer = try json.object("customer", allowed: ["name", "email", "phone"]) else {
                throw WebError.unprocessable("validation_failed", "customer is required (name, email, optional phone).", field: "customer")
            }
            let run = try json.requiredString("run", maxLength: 100)
            let request = BookingRequest(
                offerSlug: try context.parameter("offer"), start: 0,
                customer: CustomerDetails(name: try customer.requiredString("name", maxLength: 120),
                                          email: try Validation.normalizedEmail(customer.requiredString("email", maxLength: 254)) ?? "",
                                          phone: try customer.string("phone", maxLength: 40) ?? "",
                                          notes: try json.string("notes", maxLength: 2000) ?? ""),
                partySize: try json.int("party_size", in: 1...1000) ?? 1, source: "api")
            let (order, token) = try context.app.database.enrol(business: principal.business, runPublicID: run, request: request,
                                                                now: context.instant, actor: .apiKey(principal.keyID))
            let sessions = try context.app.database.programSessions(business: principal.business, orderID: order.id)
            return .json(ProgramJSON.enrolmentBody(order, run: run, sessions: sessions, mask: try context.apiMask(principal),
                                                   manageURL: context.manageURL(order, token: token)),
                         status: .created)
        }
        table.add("POST", "/api/v1/bookings/:id/makeups", requires: .apiKey(.bookingManageOrg)) { context in
            let principal = try context.apiPrincipal()
            let json = try StrictJSON(body: context.request.body, allowed: ["missed", "session"])
            let (order, token) = try context.app.database.bookMakeup(
                business: principal.business, orderPublicID: try context.parameter("id"), missedStart: try json.requiredInstant("missed"),
                sessionStart: try json.requiredInstant("session"), now: context.instant, actor: .apiKey(principal.keyID))
            return .json(APIModels.bookingBody(order, manageURL: context.manageURL(order, token: token)), status: .created)
        }
    }
}

enum ProgramJSON {
    static func programBody(_ program: ProgramView) -> [UInt8] {
        var json = JSONWriter(capacity: 512 + program.runs.count * 400)
        json.beginObject()
        json.field("offer", program.offer.slug)
        json.field("name", program.offer.name)
        json.field("seats", program.seats)
        json.field("makeups_allowed", program.makeupsAllowed)
        json.key("price")
        json.beginObject()
        json.field("amount", program.price.total)
        json.field("currency", program.price.currency)
        json.field("model", program.price.model)
        json.endObject()
        json.key("runs")
        json.beginArray()
        for run in program.runs {
            json.beginObject()
            json.field("id", run.publicID)
            json.field("name", run.name)
            json.field("open", run.open)
            json.field("seats_left", run.seatsLeft)
            json.key("sessions")
            json.beginArray()
            for session in run.sessions {
                json.beginObject()
                json.field("start", instant: session.start)
                json.field("end", instant: session.end)
                json.field("seats_left", session.seatsLeft)
                json.endObject()
            }
            json.endArray()
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.bytes
    }

    static func enrolmentBody(_ order: OrderView, run: String, sessions: ProgramBookingSessions?, mask: APIMask?,
                              manageURL: String?) -> [UInt8] {
        var json = JSONWriter(capacity: 1024)
        json.beginObject()
        json.field("run", run)
        json.key("booking")
        APIModels.write(order, mask: mask, manageURL: manageURL, clientSecret: nil, to: &json)
        json.key("sessions")
        json.beginArray()
        for entry in sessions?.entries ?? [] {
            json.beginObject()
            json.field("start", instant: entry.start)
            json.field("end", instant: entry.end)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.bytes
    }
}

extension APISpec {
    static let programPath = Parameter(name: "offer", location: "path", required: true, description: "The program's offer slug.", schema: .slug)

    static let programOperations: [Operation] = [
        Operation(method: "GET", path: "/api/v1/programs/{offer}", id: "getProgram", tag: "Programs", summary: "A program and its courses",
                  description: "A class sold as whole courses: places per course (`seats`), the price of one course, whether a missed session may be made up in another run, and every run not yet over with its dated sessions and the places left in each (a course's `seats_left` is its fullest session's). An offer that is not a program is 404.",
                  permission: nil, parameters: [programPath], status: 200, answer: "Program", errors: [401, 404, 429]),
        Operation(method: "POST", path: "/api/v1/programs/{offer}/enrollments", id: "enrolInProgram", tag: "Programs",
                  summary: "Enrol in a whole course",
                  description: "Books one place (for `party_size` people) in every session of the run, as one booking priced once, checked and written in one transaction: if any session lacks room nothing is booked (409 `slot_unavailable`). A run whose first session has started is 422 `validation_failed` (field `run`); an unknown run or program is 404. The customer is emailed like any booking. When the course takes a payment online (a deposit or prepayment, with Stripe connected) enrolment is refused with 409 `program_payment_unsupported`: courses are not sold through the hold and payment step, and never unpaid. Booking a program's class with `POST /api/v1/bookings` is 409 `sold_as_program`.",
                  permission: .bookingCreate, parameters: [programPath],
                  body: ("EnrolmentRequest", true, #"{"run":"pr_0123456789abcdef0123456789abcdef0123456789abcdef","customer":{"name":"Zed Racer","email":"zed@example.com"}}"#),
                  status: 201, answer: "Enrolment", errors: [400, 401, 403, 404, 409, 413, 422, 429]),
        Operation(method: "POST", path: "/api/v1/bookings/{id}/makeups", id: "bookMakeup", tag: "Programs", summary: "Make up a missed session",
                  description: "For a course booking whose session starting at `missed` was marked absent, books a place (no charge) in the session of another run of the same program starting at `session`. Refused with 409 `makeup_refused` when the program does not allow make-ups, the session was not marked absent, it already has a make-up, `session` is of the same run, or it has started; 409 `slot_unavailable` when that session has no room; 422 when `missed` or `session` is not such a session; 404 when the booking is not a live course booking.",
                  permission: .bookingManageOrg, parameters: [idPath],
                  body: ("MakeupRequest", true, #"{"missed":"2026-12-01T17:00:00Z","session":"2026-12-09T17:00:00Z"}"#),
                  status: 201, answer: "Booking", errors: [400, 401, 403, 404, 409, 413, 422, 429]),
    ]

    static let programSchemas: [(String, Schema)] = [
        ("ProgramSession", .object([("start", .time), ("end", .time), ("seats_left", .integer(minimum: 0))],
                                   required: ["start", "end", "seats_left"])),
        ("ProgramRun", .object([("id", .text), ("name", .text), ("open", .boolean), ("seats_left", .integer(minimum: 0)),
                                ("sessions", .array(.ref("ProgramSession")))],
                               required: ["id", "name", "open", "seats_left", "sessions"],
                               description: "open: the first session has not started, so the course is on sale")),
        ("Program", .object([("offer", .text), ("name", .text), ("seats", .integer(minimum: 1)), ("makeups_allowed", .boolean),
                             ("price", .object([("amount", .money), ("currency", .string(pattern: "^[A-Z]{3}$")),
                                                ("model", .string(enumeration: priceModels))], required: ["amount", "currency", "model"])),
                             ("runs", .array(.ref("ProgramRun")))],
                            required: ["offer", "name", "seats", "makeups_allowed", "price", "runs"])),
        ("EnrolmentRequest", .object([
            ("run", .string(maxLength: 100, description: "the run's id (`pr_…`)")),
            ("customer", .object([("name", .string(maxLength: 120)), ("email", .string(format: "email", maxLength: 254)),
                                  ("phone", .string(maxLength: 40))], required: ["name", "email"])),
            ("party_size", .integer(minimum: 1, maximum: 1000, description: "at most the program's places")),
            ("notes", .string(maxLength: 2000)),
        ], required: ["run", "customer"])),
        ("Enrolment", .object([("run", .text), ("booking", .ref("Booking")),
                               ("sessions", .array(.object([("start", .time), ("end", .time)], required: ["start", "end"])))],
                              required: ["run", "booking", "sessions"])),
        ("MakeupRequest", .object([("missed", .string(format: "date-time", maxLength: 40, description: "start of the missed session of the course")),
                                   ("session", .string(format: "date-time", maxLength: 40, description: "start of a session of another run"))],
                                  required: ["missed", "session"])),
    ]
}
