import BookingCore
import Foundation
import HTTPServer
import Store

/// A business's team and their roles (read-only; changes go through `AppDatabase.setMembership`).
struct TeamHandlers: Sendable {
    struct TeamPage: Sendable {
        struct Row: Sendable {
            let name: String
            let email: String
            let role: String
        }
        let layout: Layout
        let businessName: String
        let members: [Row]
    }

    func show(_ context: RequestContext) throws -> Response {
        let membership = try context.requireMembership()
        let members = try context.app.database.team(businessID: membership.businessID).map {
            TeamPage.Row(name: $0.name, email: $0.email, role: $0.role.rawValue)
        }
        let page = TeamPage(layout: try context.layout(title: "Team — \(membership.businessName)"),
                            businessName: membership.businessName, members: members)
        return context.app.page("accounts/team", page)
    }
}
