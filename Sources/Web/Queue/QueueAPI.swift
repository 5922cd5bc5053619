import BookingCore
import Foundation
import HTTPServer
import Store

/// `/api/v1/queues/{queue}` and `/api/v1/queue-tickets/{id}` (CONTRACT.md): join, the queue's
/// state, call next, start, complete, no-show.
extension App {
    static func addQueueAPIRoutes(to table: inout RouteTable) {
        table.add("POST", "/api/v1/queues/:queue/tickets", requires: .apiKey(.bookingCreate)) { context in
            let principal = try context.apiPrincipal()
            let json = try StrictJSON(body: context.request.body, allowed: ["name", "email", "phone", "party_size", "service"])
            // The queue is looked up before the body is judged: another business's queue is 404 whatever the body.
            let join = QueueJoin(name: try json.string("name", maxLength: 120) ?? "",
                                 email: try json.string("email", maxLength: 254).map { Validation.normalizedEmail($0) ?? $0 } ?? "",
                                 phone: try json.string("phone", maxLength: 40) ?? "", partySize: try json.int("party_size", in: 1...20) ?? 1,
                                 serviceSlug: try json.string("service", maxLength: 60), source: "api")
            let ticket = try context.app.database.joinQueue(business: principal.business, queueSlug: try context.parameter("queue"),
                                                            join: join, now: context.instant)
            return .json(QueueJSON.ticketBody(ticket), status: .created)
        }
        table.add("GET", "/api/v1/queues/:queue", requires: .apiKey(.bookingViewOrg)) { context in
            let principal = try context.apiPrincipal()
            let state = try context.app.database.queueState(business: principal.business, queueSlug: try context.parameter("queue"),
                                                            now: context.instant)
            return .json(QueueJSON.stateBody(state))
        }
        table.add("POST", "/api/v1/queues/:queue/call-next", requires: .apiKey(.bookingCheckIn)) { context in
            let principal = try context.apiPrincipal()
            let body = context.request.body.isEmpty ? nil : try StrictJSON(body: context.request.body, allowed: ["resource"])
            let ticket = try context.app.database.callNext(business: principal.business, queueSlug: try context.parameter("queue"),
                                                           serverSlug: try body?.string("resource", maxLength: 60), now: context.instant,
                                                           actor: .apiKey(principal.keyID))
            return .json(QueueJSON.ticketBody(ticket))
        }
        for (action, status) in [("start", TicketStatus.serving), ("complete", .done), ("no-show", .noShow)] {
            table.add("POST", "/api/v1/queue-tickets/:id/\(action)", requires: .apiKey(.bookingCheckIn)) { context in
                let principal = try context.apiPrincipal()
                let ticket = try context.app.database.moveTicket(business: principal.business, publicID: try context.parameter("id"),
                                                                 to: status, now: context.instant, actor: .apiKey(principal.keyID))
                return .json(QueueJSON.ticketBody(ticket))
            }
        }
    }
}

enum QueueJSON {
    static func write(_ ticket: QueueTicket, to json: inout JSONWriter) {
        json.beginObject()
        json.field("id", ticket.publicID)
        json.field("queue", ticket.queueSlug)
        json.field("status", ticket.status.rawValue)
        json.key("position")
        if let position = ticket.position { json.value(position) } else { json.null() }
        if let wait = ticket.wait {
            json.key("estimated_wait_minutes")
            json.beginObject()
            json.field("low", wait.low)
            json.field("high", wait.high)
            json.endObject()
        }
        json.field("service", ticket.serviceSlug)
        json.field("name", ticket.customerName)
        json.field("party_size", ticket.partySize)
        json.field("resource", ticket.serverSlug)
        json.field("joined_at", instant: ticket.joinedAt)
        json.key("called_at")
        if let called = ticket.calledAt { json.value(instant: called) } else { json.null() }
        json.endObject()
    }

    static func ticketBody(_ ticket: QueueTicket) -> [UInt8] {
        var json = JSONWriter(capacity: 400)
        write(ticket, to: &json)
        return json.bytes
    }

    /// `{"queue","open","tickets":[…]}`: being served and called first, then the line in order.
    static func stateBody(_ state: QueueState) -> [UInt8] {
        var json = JSONWriter(capacity: 128 + state.tickets.count * 400)
        json.beginObject()
        json.field("queue", state.queue.slug)
        json.field("open", state.isOpen)
        json.key("tickets")
        json.beginArray()
        for ticket in state.tickets { write(ticket, to: &json) }
        json.endArray()
        json.endObject()
        return json.bytes
    }
}

extension APISpec {
    static let queuePath = Parameter(name: "queue", location: "path", required: true, description: "The queue's slug.", schema: .slug)
    static let ticketPath = Parameter(name: "id", location: "path", required: true, description: "The ticket's id (`qt_…`).", schema: .token)

    static let queueOperations: [Operation] = [
        Operation(method: "POST", path: "/api/v1/queues/{queue}/tickets", id: "joinQueue", tag: "Queues", summary: "Join a walk-in queue",
                  description: "Takes a ticket at the end of the line, with its position and the wait estimated now (a range of minutes from the service times observed, pulled toward the owner's prior). Needs an email or a phone. Outside the queue's opening hours: 409 `queue_closed`.",
                  permission: .bookingCreate, parameters: [queuePath],
                  body: ("QueueTicketRequest", true, #"{"name":"Zed Racer","phone":"+1 212 555 0100","party_size":1}"#),
                  status: 201, answer: "QueueTicket", errors: [400, 401, 403, 404, 409, 413, 422, 429]),
        Operation(method: "GET", path: "/api/v1/queues/{queue}", id: "getQueue", tag: "Queues", summary: "The queue now",
                  description: "Tickets being served and called, then those waiting in order, each waiting one with its position and estimated wait.",
                  permission: .bookingViewOrg, parameters: [queuePath], status: 200, answer: "QueueState", errors: [401, 403, 404, 429]),
        Operation(method: "POST", path: "/api/v1/queues/{queue}/call-next", id: "callNextInQueue", tag: "Queues", summary: "Call the next customer",
                  description: "Calls the first waiting ticket to `resource` (a server of the queue; without it, the first server not busy). Two servers calling at once never get the same ticket. Nobody waiting: 409 `queue_empty`.",
                  permission: .bookingCheckIn, parameters: [queuePath], body: ("CallNextRequest", false, #"{"resource":"sam-stylist"}"#),
                  status: 200, answer: "QueueTicket", errors: [400, 401, 403, 404, 409, 413, 422, 429]),
        Operation(method: "POST", path: "/api/v1/queue-tickets/{id}/start", id: "startQueueTicket", tag: "Queues", summary: "Start serving",
                  description: "A called ticket is being served (its service time is measured from now). Any other status: 409 `illegal_transition`.",
                  permission: .bookingCheckIn, parameters: [ticketPath], status: 200, answer: "QueueTicket", errors: [401, 403, 404, 409, 429]),
        Operation(method: "POST", path: "/api/v1/queue-tickets/{id}/complete", id: "completeQueueTicket", tag: "Queues", summary: "Done",
                  description: "A ticket being served is done; its service time feeds the estimates. Any other status: 409 `illegal_transition`.",
                  permission: .bookingCheckIn, parameters: [ticketPath], status: 200, answer: "QueueTicket", errors: [401, 403, 404, 409, 429]),
        Operation(method: "POST", path: "/api/v1/queue-tickets/{id}/no-show", id: "noShowQueueTicket", tag: "Queues", summary: "Did not come",
                  description: "A waiting or called ticket leaves the line; everyone behind moves up. Any other status: 409 `illegal_transition`.",
                  permission: .bookingCheckIn, parameters: [ticketPath], status: 200, answer: "QueueTicket", errors: [401, 403, 404, 409, 429]),
    ]

    static let queueSchemas: [(String, Schema)] = [
        ("QueueTicketRequest", .object([("name", .string(maxLength: 120)), ("email", .string(format: "email", maxLength: 254)),
                                        ("phone", .string(maxLength: 40)), ("party_size", .integer(minimum: 1, maximum: 20,
                                                                  description: "the queue's own limits, set by its owner, may be narrower: 422 outside them")),
                                        ("service", .string(maxLength: 60, description: "the service's slug; default the queue's first"))],
                                       required: ["name"])),
        ("CallNextRequest", .object([("resource", .string(maxLength: 60, description: "the server's slug"))], required: [])),
        ("QueueTicket", .object([
            ("id", .text), ("queue", .text), ("status", .string(enumeration: TicketStatus.allCases.map(\.rawValue))),
            ("position", .integer(minimum: 1, nullable: true, description: "waiting tickets: 1 for the next")),
            ("estimated_wait_minutes", .ref("WaitRange")), ("service", .text), ("name", .text),
            ("party_size", .integer(minimum: 1)), ("resource", .string(nullable: true, description: "the server called to")),
            ("joined_at", .time), ("called_at", .string(format: "date-time", nullable: true)),
        ], required: ["id", "queue", "status", "position", "service", "name", "party_size", "resource",
                      "joined_at", "called_at"])),
        ("WaitRange", .object([("low", .integer(minimum: 0)), ("high", .integer(minimum: 0))], required: ["low", "high"],
                              description: "waiting tickets, when someone serves the queue")),
        ("QueueState", .object([("queue", .text), ("open", .boolean), ("tickets", .array(.ref("QueueTicket")))],
                               required: ["queue", "open", "tickets"])),
    ]
}
