import BookingCore
import Foundation
import HTTPServer
import Store

extension App {
    /// The owner's view of how honest the queue's estimates were.
    static func addQueueReportRoutes(to table: inout RouteTable) {
        table.add("GET", "/manage/:business/queues/:queue", requires: .permission(.serviceTemplateManage), QueueReport().show)
        addQueueSetupRoutes(to: &table)
    }
}

struct QueueReport: Sendable {
    static let weeks = 8

    struct Page: Sendable {
        struct Week: Sendable {
            let week: String
            let tickets: Int
            let estimated: String
            let actual: String
            let within: String
            let late: Int
        }
        let layout: Layout
        let businessName: String
        let queueName: String
        let weeks: [Week]
        let hasWeeks: Bool
        let liveURL: String
    }

    func show(_ context: RequestContext) throws -> Response {
        let membership = try context.requireMembership()
        guard let business = try context.app.database.business(id: membership.businessID),
              let clock = ZoneClock(identifier: business.timeZone) else { throw WebError.notFound() }
        let found = try context.app.database.queueObservations(business: business, queueSlug: try context.parameter("queue"),
                                                               weeks: Self.weeks, now: context.instant)
        let weeks = QueueAccuracy.weeks(found.observations, clock: clock).map { week in
            Page.Week(week: "Week of \(BookingFormat.longDate(week.monday))", tickets: week.tickets,
                      estimated: "\(Int(week.meanEstimated.rounded())) min", actual: "\(Int(week.meanActual.rounded())) min",
                      within: "\(week.withinRange) of \(week.tickets) (\(week.withinRange * 100 / max(1, week.tickets)) %)", late: week.late)
        }
        let page = Page(layout: try context.layout(title: "\(found.queue.name): estimates and waits"), businessName: business.name,
                        queueName: found.queue.name, weeks: weeks, hasWeeks: !weeks.isEmpty,
                        liveURL: StaffQueue.base(business, found.queue.slug))
        return context.app.page("queue/report", page)
    }
}
