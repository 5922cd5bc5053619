import BookingCore
import Foundation
import HTTPServer
import Store

/// The links at the top of every management page, shown as the member's role allows.
struct ManageNav: Sendable {
    let base: String
    let businessName: String
    let resources: Bool
    let offers: Bool
    let settings: Bool
    let audit: Bool
    let team: Bool
    let customers: Bool
    let exports: Bool

    init(_ membership: Membership) {
        base = "/manage/\(PercentDecoding.encode(membership.businessSlug))"
        businessName = membership.businessName
        let role = membership.role
        resources = role.can(.providerManageOrg)
        offers = role.can(.serviceTemplateManage)
        settings = role.can(.orgManage)
        audit = role.can(.auditView)
        team = role.can(.userManage)
        customers = role.can(.bookingViewOrg)
        exports = role.can(.bookingManageOrg)
    }
}

extension RequestContext {
    /// The route's business (its membership was checked centrally) with the nav of the member.
    func managedBusiness() throws -> (Business, Membership, ManageNav) {
        let membership = try requireMembership()
        guard let business = try app.database.managedBusiness(id: membership.businessID) else {
            throw WebError.notFound()
        }
        return (business, membership, ManageNav(membership))
    }

}

/// `/manage/{business}/`: counts, the public link and what is left to do.
struct DashboardHandlers: Sendable {
    struct Step: Sendable {
        let text: String
        let url: String
        let done: Bool
    }

    struct Page: Sendable {
        let layout: Layout
        let nav: ManageNav
        let businessName: String
        let publicPath: String
        let bookingsToday: Int
        let bookingsUpcoming: Int
        let liveOffers: Int
        let resources: Int
        let incomplete: [String]
        let hasIncomplete: Bool
        let steps: [Step]
    }

    func redirect(_ context: RequestContext) throws -> Response {
        .redirect(to: "/manage/\(PercentDecoding.encode(try context.parameter("business")))/", status: .movedPermanently)
    }

    func show(_ context: RequestContext) throws -> Response {
        let (business, membership, nav) = try context.managedBusiness()
        let overview = try context.app.database.dashboard(business: business, now: context.instant, scope: membership.scope)
        var incomplete: [String] = []
        if overview.liveOffers == 0 { incomplete.append("No service is bookable yet: publish an offer.") }
        if overview.resources == 0 { incomplete.append("Nobody and nothing can be booked: add a resource.") }
        for name in overview.resourcesWithoutHours { incomplete.append("\(name) has no weekly hours, so it is never free.") }
        for name in overview.offersWithoutPublished { incomplete.append("\(name) has no published version yet.") }
        if overview.drafts > 0 { incomplete.append("\(overview.drafts) draft version(s) are waiting to be published.") }
        let steps = [
            Step(text: "Open your public booking page and make a test booking", url: "/b/\(PercentDecoding.encode(business.slug))",
                 done: false),
            Step(text: "Add another host, a room or equipment", url: nav.base + "/resources", done: overview.resources > 1),
            Step(text: "Add a service, or set buffers, deposits and a cancellation policy", url: nav.base + "/offers",
                 done: overview.liveOffers > 1),
            Step(text: "Add a holiday closure or time off", url: nav.base + "/resources", done: false),
            Step(text: "Invite your team", url: nav.base + "/members", done: false),
        ]
        let page = Page(layout: try context.layout(title: "\(business.name) — Bizing"), nav: nav, businessName: business.name,
                        publicPath: "/b/\(PercentDecoding.encode(business.slug))", bookingsToday: overview.bookingsToday,
                        bookingsUpcoming: overview.bookingsUpcoming, liveOffers: overview.liveOffers,
                        resources: overview.resources, incomplete: incomplete, hasIncomplete: !incomplete.isEmpty, steps: steps)
        return context.app.page("manage/dashboard", page)
    }
}
