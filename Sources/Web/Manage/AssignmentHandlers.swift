import BookingCore
import Foundation
import HTTPServer
import Store

/// `/manage/{business}/assignment`: who gets a booking when the customer picks no host (issue 20).
/// Least recently booked, or the owner's priority order arranged with up/down buttons (plain
/// forms, no JavaScript). The booking check follows the choice inside its write transaction.
struct AssignmentHandlers: Sendable {
    struct Row: Sendable {
        let position: Int
        let name: String
        let kind: String
        let slug: String
        let upLabel: String
        let downLabel: String
        let first: Bool
        let last: Bool
    }

    struct Page: Sendable {
        let layout: Layout
        let nav: ManageNav
        let action: String
        let moveAction: String
        let priority: Bool
        let rows: [Row]
        let hasRows: Bool
        var saved = false
    }

    func show(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        let settings = try context.app.database.assignmentSettings(businessID: business.id)
        let count = settings.order.count
        let rows = settings.order.enumerated().map { index, r in
            Row(position: index + 1, name: r.name, kind: r.kind.rawValue, slug: r.slug, upLabel: "Move \(r.name) up",
                downLabel: "Move \(r.name) down", first: index == 0, last: index == count - 1)
        }
        var isPriority = false
        if case .priority = settings.strategy { isPriority = true }
        var page = Page(layout: try context.layout(title: "Any host — \(business.name)", withForm: true), nav: nav,
                        action: nav.base + "/assignment", moveAction: nav.base + "/assignment/move", priority: isPriority,
                        rows: rows, hasRows: !rows.isEmpty)
        page.saved = context.request.query["saved"] != nil
        return context.app.page("manage/assignment", page)
    }

    func save(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        let priority: Bool
        switch try context.form()["strategy"] {
        case "priority": priority = true
        case "least_recently_booked": priority = false
        default: throw WebError.unprocessable("invalid_strategy", "Choose least recently booked or your priority order.", field: "strategy")
        }
        try context.app.database.setAssignmentStrategy(businessID: business.id, priority: priority, actor: try context.auditActor(),
                                                       now: context.instant)
        return .redirect(to: nav.base + "/assignment?saved=1")
    }

    func move(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        let form = try context.form()
        guard let move = AssignmentStrategy.Move(rawValue: form["move"] ?? "") else {
            throw WebError.unprocessable("invalid_move", "Choose up or down.", field: "move")
        }
        do {
            try context.app.database.moveInPriority(businessID: business.id, resourceSlug: form["resource"] ?? "", move: move,
                                                    actor: try context.auditActor(), now: context.instant)
        } catch CatalogError.notFound {
            throw WebError.notFound("We could not find that resource.")
        }
        return .redirect(to: nav.base + "/assignment?saved=1#resource-\(PercentDecoding.encode(form["resource"] ?? ""))")
    }
}

extension App {
    /// Builder pages of issue 20 beyond the offer form: "any host" and virtual resources' meeting links.
    static func addBuilderRuleRoutes(to table: inout RouteTable) {
        table.add("POST", "/manage/:business/resources/:resource/meeting-link", requires: .permission(.providerManageOrg),
                  ResourceHandlers().saveMeetingLink)
        let handlers = AssignmentHandlers()
        table.add("GET", "/manage/:business/assignment", requires: .permission(.providerManageOrg), handlers.show)
        table.add("POST", "/manage/:business/assignment", requires: .permission(.providerManageOrg), handlers.save)
        table.add("POST", "/manage/:business/assignment/move", requires: .permission(.providerManageOrg), handlers.move)
    }
}
