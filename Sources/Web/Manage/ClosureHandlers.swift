import BookingCore
import Foundation
import HTTPServer
import Store

/// `/manage/{business}/closures`: business-wide closures and holidays (issue 20). One entry closes
/// every resource that date; customers read its note on the day ("Closed: Christmas Day").
struct ClosureHandlers: Sendable {
    struct Row: Sendable {
        let date: String
        let note: String
        let removeAction: String
    }

    struct Page: Sendable {
        let layout: Layout
        let nav: ManageNav
        let action: String
        let rows: [Row]
        let hasRows: Bool
        var date = ""
        var note = ""
        var errors = FormErrors()
    }

    func page(_ context: RequestContext, _ business: Business, _ nav: ManageNav) throws -> Page {
        let rows = try context.app.database.closures(businessID: business.id).map {
            Row(date: HumanTime.longDate($0.date), note: $0.note, removeAction: nav.base + "/closures/\($0.id)/remove")
        }
        return Page(layout: try context.layout(title: "Closures — \(business.name)", withForm: true), nav: nav,
                    action: nav.base + "/closures", rows: rows, hasRows: !rows.isEmpty)
    }

    func show(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        return context.app.page("manage/closures", try page(context, business, nav))
    }

    func add(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        let form = try context.form()
        var errors = FormErrors()
        let date = ManageInput.date(form["date"], field: "date", &errors)
        let note = ManageInput.trimmed(form["note"])
        if note.count > 200 { errors.add("note", "Use at most 200 characters for the note.") }
        if errors.isEmpty, let date {
            if try context.app.database.addClosure(businessID: business.id, date: date, note: note, actor: try context.auditActor(),
                                                   now: context.instant) {
                return .redirect(to: nav.base + "/closures")
            }
            errors.add("date", "The business is already closed on \(HumanTime.longDate(date)).")
        }
        var page = try page(context, business, nav)
        page.date = String((form["date"] ?? "").prefix(20))
        page.note = String(note.prefix(200))
        page.errors = errors
        return context.app.page("manage/closures", page, status: .unprocessable)
    }

    func remove(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        guard let id = Int64(try context.parameter("closure")) else { throw WebError.notFound() }
        do {
            try context.app.database.removeClosure(businessID: business.id, id: id, actor: try context.auditActor(), now: context.instant)
        } catch CatalogError.notFound {
            throw WebError.notFound()
        }
        return .redirect(to: nav.base + "/closures")
    }
}
