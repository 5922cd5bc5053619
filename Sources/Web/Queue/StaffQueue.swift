import BookingCore
import Foundation
import HTTPServer
import Store

extension App {
    /// The staff's live queue: call next, start, complete, no-show, and joins at the desk.
    static func addStaffQueueRoutes(to table: inout RouteTable) {
        let queue = StaffQueue()
        table.add("GET", "/staff/:business/queues/:queue", requires: .permission(.calendarView), queue.show)
        table.add("POST", "/staff/:business/queues/:queue/call-next", requires: .permission(.bookingCheckIn), queue.callNext)
        table.add("POST", "/staff/:business/queues/:queue/join", requires: .permission(.bookingCreate), queue.join)
        table.add("POST", "/staff/:business/queues/:queue/tickets/:ticket/start", requires: .permission(.bookingCheckIn),
                  queue.move(to: .serving, done: "started"))
        table.add("POST", "/staff/:business/queues/:queue/tickets/:ticket/complete", requires: .permission(.bookingCheckIn),
                  queue.move(to: .done, done: "completed"))
        table.add("POST", "/staff/:business/queues/:queue/tickets/:ticket/no-show", requires: .permission(.bookingCheckIn),
                  queue.move(to: .noShow, done: "no_show"))
        table.add("POST", "/staff/:business/queues/:queue/tickets/:ticket/transfer", requires: .permission(.bookingCheckIn), queue.transfer)
        table.add("POST", "/staff/:business/queues/:queue/tickets/:ticket/to-back", requires: .permission(.bookingCheckIn), queue.toBack)
    }
}

struct StaffQueue: Sendable {
    struct Page: Sendable {
        struct Row: Sendable {
            let name: String
            let service: String
            /// "party of 3"; nil for one person.
            let party: String?
            let position: String
            let status: String
            let server: String
            let wait: String
            let since: String
            let startAction: String?
            let completeAction: String?
            let noShowAction: String?
            let transferAction: String?
            let toBackAction: String?
            let id: String
        }
        struct Option: Sendable {
            let slug: String
            let name: String
        }
        let layout: Layout
        let businessName: String
        let queueName: String
        let isOpen: Bool
        let notice: String?
        let active: [Row]
        let hasActive: Bool
        let waiting: [Row]
        let hasWaiting: Bool
        let servers: [Option]
        let services: [Option]
        let callAction: String
        let joinAction: String
        let publicURL: String
    }

    static func base(_ business: Business, _ queue: String) -> String {
        StaffCalendar.base(business.slug) + "/queues/" + PercentDecoding.encode(queue)
    }

    /// The member's business, when the queue of the path is served at their location (404 otherwise).
    func business(_ context: RequestContext) throws -> Business {
        let membership = try context.requireStaffMembership()
        guard let business = try context.app.database.business(id: membership.businessID),
              try context.app.database.queueIsIn(business: business, queueSlug: try context.parameter("queue"), scope: membership.scope) else {
            throw WebError.notFound()
        }
        return business
    }

    func show(_ context: RequestContext) throws -> Response {
        let business = try self.business(context)
        let state = try context.app.database.queueState(business: business, queueSlug: try context.parameter("queue"), now: context.instant)
        let clock = ZoneClock(identifier: business.timeZone)
        let base = Self.base(business, state.queue.slug)
        func row(_ t: QueueTicket) -> Page.Row {
            let url = base + "/tickets/" + PercentDecoding.encode(t.publicID)
            let since = t.startedAt ?? t.calledAt ?? t.joinedAt
            return Page.Row(
                name: t.customerName, service: t.serviceName, party: t.partySize > 1 ? "party of \(t.partySize)" : nil, position: t.position.map(ordinal) ?? "",
                status: t.status.label, server: t.serverName ?? "", wait: t.wait?.text ?? "",
                since: clock.map { $0.local(since).time.description } ?? "",
                startAction: t.status == .called ? url + "/start" : nil, completeAction: t.status == .serving ? url + "/complete" : nil,
                noShowAction: t.status.canMove(to: .noShow) ? url + "/no-show" : nil,
                transferAction: t.status == .called || t.status == .serving ? url + "/transfer" : nil,
                toBackAction: t.status == .waiting ? url + "/to-back" : nil, id: t.publicID)
        }
        let active = state.tickets.filter { $0.status != .waiting }.map(row)
        let waiting = state.waiting.map(row)
        let notice: String? = switch context.request.query["done"] {
        case "called": "Called the next customer."
        case "started": "Started."
        case "completed": "Completed."
        case "no_show": "Marked as a no-show; everyone behind moved up."
        case "joined": "Added to the queue."
        case "transferred": "Handed to another server."
        case "to_back": "Moved to the back of the line."
        case "empty": "Nobody is waiting."
        default: nil
        }
        let page = Page(
            layout: try context.layout(title: "\(state.queue.name) — live queue", withForm: true), businessName: business.name,
            queueName: state.queue.name, isOpen: state.isOpen, notice: notice, active: active, hasActive: !active.isEmpty,
            waiting: waiting, hasWaiting: !waiting.isEmpty,
            servers: state.queue.servers.map { .init(slug: $0.slug, name: $0.name) },
            services: state.queue.services.map { .init(slug: $0.slug, name: $0.name) },
            callAction: base + "/call-next", joinAction: base + "/join", publicURL: QueuePages.queueURL(business, state.queue.slug))
        var response = context.app.page("queue/staff", page)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    func callNext(_ context: RequestContext) throws -> Response {
        let business = try self.business(context)
        let slug = try context.parameter("queue")
        let server = try context.request.form()["resource"].flatMap { $0.isEmpty ? nil : $0 }
        do {
            _ = try context.app.database.callNext(business: business, queueSlug: slug, serverSlug: server, now: context.instant,
                                                  actor: Actor(try context.auditActor()))
        } catch QueueFailure.noneWaiting {
            return .redirect(to: Self.base(business, slug) + "?done=empty")
        }
        return .redirect(to: Self.base(business, slug) + "?done=called")
    }

    func move(to next: TicketStatus, done: String) -> @Sendable (RequestContext) throws -> Response {
        { context in
            let business = try self.business(context)
            let slug = try context.parameter("queue")
            _ = try context.app.database.moveTicket(business: business, publicID: try context.parameter("ticket"), to: next,
                                                    now: context.instant, actor: Actor(try context.auditActor()))
            return .redirect(to: Self.base(business, slug) + "?done=" + done)
        }
    }

    func transfer(_ context: RequestContext) throws -> Response {
        let business = try self.business(context)
        let slug = try context.parameter("queue")
        _ = try context.app.database.transferTicket(business: business, publicID: try context.parameter("ticket"),
                                                    serverSlug: try context.request.form()["resource"] ?? "", now: context.instant,
                                                    actor: Actor(try context.auditActor()))
        return .redirect(to: Self.base(business, slug) + "?done=transferred")
    }

    func toBack(_ context: RequestContext) throws -> Response {
        let business = try self.business(context)
        let slug = try context.parameter("queue")
        _ = try context.app.database.moveTicketToBack(business: business, publicID: try context.parameter("ticket"), now: context.instant,
                                                      actor: Actor(try context.auditActor()))
        return .redirect(to: Self.base(business, slug) + "?done=to_back")
    }

    func join(_ context: RequestContext) throws -> Response {
        let business = try self.business(context)
        let slug = try context.parameter("queue")
        let form = try context.request.form()
        let join = QueueJoin(name: form["name"] ?? "", email: Validation.normalizedEmail(form["email"] ?? "") ?? (form["email"] ?? ""),
                             phone: form["phone"] ?? "", partySize: Int(form["party_size"] ?? "1") ?? 0, serviceSlug: form["service"],
                             source: "desk")
        _ = try context.app.database.joinQueue(business: business, queueSlug: slug, join: join, now: context.instant)
        return .redirect(to: Self.base(business, slug) + "?done=joined")
    }
}
