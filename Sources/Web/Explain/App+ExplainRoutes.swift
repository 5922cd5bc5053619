import BookingCore
import Foundation
import HTTPServer
import Store

/// "Why can't I book this?" (issue 20): the API's explain endpoint and the staff "check a time" page.
extension App {
    static func addExplainRoutes(to table: inout RouteTable) {
        table.add("GET", "/api/v1/offers/:offer/explain", requires: .apiKey(nil)) { context in
            let principal = try context.apiPrincipal()
            let query = context.request.query
            // An unknown offer is a 404 before a missing or unreadable start is a 422.
            let start = query["start"].flatMap { $0.utf8.count <= 40 ? RFC3339.parse($0) : nil }
            let explanation = try context.app.database.explainStart(
                businessID: principal.business.id, offerSlug: try context.parameter("offer"), at: start.map { .instant($0) },
                resourceSlug: query["resource"], now: context.instant,
                unlisted: principal.role.can(.serviceTemplateManage))
            return .json(ExplainAPI.body(explanation, role: principal.role))
        }
        let check = CheckTimePage()
        table.add("GET", "/staff/:business/check", requires: .permission(.calendarView), check.show)
        // The builder rules issue 20 added pages for: who gets "any host", meeting links.
        addBuilderRuleRoutes(to: &table)
    }
}

/// The JSON of an explanation: `{"bookable","reasons":[{"code","resource","message","booking"}]}`.
enum ExplainAPI {
    static func body(_ e: StartExplanation, role: Role) -> [UInt8] {
        let day = e.clock.local(e.start).date
        var json = JSONWriter(capacity: 256)
        json.beginObject()
        json.field("bookable", e.bookable)
        json.key("reasons")
        json.beginArray()
        func write(_ reason: ExplainedReason, resource: String?) {
            // API keys have no relation to bookings: the role alone decides.
            let names = BookingAccess(role: role, relation: .other).namesHolder
            json.beginObject()
            json.field("code", reason.code.rawValue)
            json.field("resource", resource)
            json.field("message", ExplainWords.sentence(reason, clock: e.clock, day: day, namesHolder: names,
                                                        showsNotes: role.can(.calendarView)) + ".")
            json.field("booking", names ? reason.booking?.publicID : nil)
            json.endObject()
        }
        for reason in e.offerReasons { write(reason, resource: nil) }
        for r in e.resources { for reason in r.reasons { write(reason, resource: r.resource.slug) } }
        json.endArray()
        json.endObject()
        return json.bytes
    }
}
