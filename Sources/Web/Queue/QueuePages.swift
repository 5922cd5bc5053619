import BookingCore
import Foundation
import HTTPServer
import Store

extension App {
    /// The customer's side of a walk-in queue: join at `/q/{business}/{queue}`, then a ticket page
    /// with the position and the wait that reloads itself (no JavaScript needed).
    static func addQueuePageRoutes(to table: inout RouteTable) {
        let pages = QueuePages()
        table.add("GET", "/q/:business/:queue", pages.joinPage)
        table.add("POST", "/q/:business/:queue", pages.join)
        table.add("GET", "/q/:business/tickets/:ticket", pages.ticket)
        table.add("POST", "/q/:business/tickets/:ticket/leave", pages.leave)
    }
}

struct QueuePages: Sendable {
    static let refreshSeconds = 30

    struct JoinPage: Sendable {
        struct Service: Sendable {
            let slug: String
            let name: String
            let selected: Bool
        }
        let layout: Layout
        let businessName: String
        let queueName: String
        let description: String
        let isOpen: Bool
        let waitingText: String
        let services: [Service]
        let hasChoice: Bool
        let action: String
        let name: String
        let email: String
        let phone: String
        let partySize: String
        /// The owner's party size limits (the input's min and max).
        var minPartySize = 1
        var maxPartySize = 20
        var errors = FormErrors()
    }

    struct TicketPage: Sendable {
        let layout: Layout
        let businessName: String
        let queueName: String
        let customerName: String
        let service: String
        let waiting: Bool
        let positionText: String?
        let waitText: String?
        let statusText: String
        let leaveAction: String?
        let joinURL: String
    }

    static func queueURL(_ business: Business, _ slug: String) -> String {
        "/q/\(PercentDecoding.encode(business.slug))/\(PercentDecoding.encode(slug))"
    }

    static func ticketURL(_ business: Business, _ ticket: QueueTicket) -> String {
        "/q/\(PercentDecoding.encode(business.slug))/tickets/\(PercentDecoding.encode(ticket.publicID))"
    }

    func joinPage(_ context: RequestContext) throws -> Response {
        try page(context, form: nil, errors: FormErrors(), status: .ok)
    }

    private func page(_ context: RequestContext, form: FormData?, errors: FormErrors, status: HTTPStatus) throws -> Response {
        let state = try context.app.database.queueState(businessSlug: try context.parameter("business"),
                                                        queueSlug: try context.parameter("queue"), now: context.instant)
        let queue = state.queue
        let count = state.waiting.count
        var waitingText = count == 0 ? "Nobody is waiting." : count == 1 ? "1 person is waiting." : "\(count) people are waiting."
        if let last = state.waiting.last?.wait { waitingText += " Joining now, your wait is \(last.text) or a little more." }
        let user = try context.currentUser()
        let chosen = form?["service"] ?? queue.services.first?.slug
        var model = JoinPage(
            layout: try context.layout(title: "\(queue.name) — \(state.business.name)", withForm: true),
            businessName: state.business.name, queueName: queue.name, description: queue.description, isOpen: state.isOpen,
            waitingText: waitingText,
            services: queue.services.map { .init(slug: $0.slug, name: "\($0.name) (about \($0.priorMinutes) min)", selected: $0.slug == chosen) },
            hasChoice: queue.services.count > 1, action: QueuePages.queueURL(state.business, queue.slug),
            name: form?["name"] ?? user?.name ?? "", email: form?["email"] ?? user?.email ?? "", phone: form?["phone"] ?? "",
            partySize: form?["party_size"] ?? String(queue.minPartySize))
        model.minPartySize = queue.minPartySize
        model.maxPartySize = queue.maxPartySize
        model.errors = errors
        var response = context.app.page("queue/join", model, status: status)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    func join(_ context: RequestContext) throws -> Response {
        let form = try context.form()
        var errors = FormErrors()
        let partySize = Int(form["party_size"] ?? "1")
        if partySize == nil { errors.add("party_size", "Enter how many people, 1 to 20.") }
        let join = QueueJoin(name: form["name"] ?? "", email: Validation.normalizedEmail(form["email"] ?? "") ?? (form["email"] ?? ""),
                             phone: (form["phone"] ?? "").trimmingCharacters(in: .whitespaces), partySize: partySize ?? 1,
                             serviceSlug: form["service"], source: "web")
        guard errors.isEmpty else { return try page(context, form: form, errors: errors, status: .unprocessable) }
        do {
            let (business, ticket) = try context.app.database.joinQueue(businessSlug: try context.parameter("business"),
                                                                        queueSlug: try context.parameter("queue"), join: join, now: context.instant)
            return .redirect(to: Self.ticketURL(business, ticket))
        } catch QueueFailure.invalid(let field, let message) {
            errors.add(field, message.capitalizedFirst + ".")
            return try page(context, form: form, errors: errors, status: .unprocessable)
        } catch QueueFailure.closed {
            errors.add("name", "This queue is closed right now. Please come back during opening hours.")
            return try page(context, form: form, errors: errors, status: .conflict)
        }
    }

    func ticket(_ context: RequestContext) throws -> Response {
        let found = try context.app.database.queueTicket(businessSlug: try context.parameter("business"),
                                                         publicID: try context.parameter("ticket"), now: context.instant)
        let ticket = found.ticket
        var layout = try context.layout(title: "Your place — \(found.queue.name)", withForm: true)
        let open = ticket.status == .waiting || ticket.status == .called
        if open { layout.refreshSeconds = String(Self.refreshSeconds) }
        let status: String = switch ticket.status {
        case .waiting: ticket.position == 1 ? "You are next." : "You are in the queue."
        case .called: "It is your turn: please go to \(ticket.serverName ?? "the desk") now."
        case .serving: "You are being served."
        case .done: "All done. Thank you!"
        case .noShow: "We called you but could not find you. Join again if you still need us."
        case .left: "You left the queue."
        }
        let model = TicketPage(
            layout: layout, businessName: found.business.name, queueName: found.queue.name, customerName: ticket.customerName,
            service: ticket.serviceName, waiting: ticket.status == .waiting,
            positionText: ticket.position.map { "You are \(ordinal($0)) in line" }, waitText: ticket.wait?.text, statusText: status,
            leaveAction: ticket.status == .waiting ? Self.ticketURL(found.business, ticket) + "/leave" : nil,
            joinURL: Self.queueURL(found.business, found.queue.slug))
        var response = context.app.page("queue/ticket", model)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    func leave(_ context: RequestContext) throws -> Response {
        let found = try context.app.database.queueTicket(businessSlug: try context.parameter("business"),
                                                         publicID: try context.parameter("ticket"), now: context.instant)
        _ = try context.app.database.moveTicket(business: found.business, publicID: found.ticket.publicID, to: .left,
                                                now: context.instant, actor: .guest)
        return .redirect(to: Self.ticketURL(found.business, found.ticket))
    }
}
