import BookingCore
import Foundation
import HTTPServer
import Store

/// Approvals and waitlists (issue 17): the API endpoints, the staff approval queue and the
/// customer's waitlist pages.
extension App {
    static func addLifecycleRoutes(to table: inout RouteTable) {
        addApprovalAPIRoutes(to: &table)
        addWaitlistAPIRoutes(to: &table)
        addSeriesAPIRoutes(to: &table)
        let approvals = ApprovalPages()
        table.add("GET", "/staff/:business/approvals", requires: .permission(.bookingManageLocation), approvals.queue)
        table.add("POST", "/staff/:business/bookings/:id/approve", requires: .permission(.bookingManageLocation), approvals.approve)
        table.add("POST", "/staff/:business/bookings/:id/decline", requires: .permission(.bookingManageLocation), approvals.decline)
        let waitlist = WaitlistPages()
        table.add("POST", "/b/:business/:offer/waitlist", waitlist.join)
        table.add("GET", "/b/:business/waitlist/:entry", waitlist.show)
        table.add("POST", "/b/:business/waitlist/:entry/leave", waitlist.leave)
        table.add("POST", "/b/:business/waitlist/:entry/claim", waitlist.claim)
        let series = SeriesPages()
        table.add("GET", "/b/:business/:offer/series", series.show)
        table.add("POST", "/b/:business/:offer/series", series.submit)
        let customerSeries = SeriesManagePages(side: .customer)
        table.add("GET", "/b/:business/series/:series", customerSeries.show)
        table.add("GET", "/b/:business/series/:series/move", customerSeries.moveForm)
        table.add("POST", "/b/:business/series/:series/move", customerSeries.move)
        table.add("POST", "/b/:business/series/:series/cancel", customerSeries.cancel)
        let staffSeries = SeriesManagePages(side: .staff)
        table.add("GET", "/staff/:business/series/:series", requires: .permission(.bookingManageLocation), staffSeries.show)
        table.add("GET", "/staff/:business/series/:series/move", requires: .permission(.bookingManageLocation), staffSeries.moveForm)
        table.add("POST", "/staff/:business/series/:series/move", requires: .permission(.bookingManageLocation), staffSeries.move)
        table.add("POST", "/staff/:business/series/:series/cancel", requires: .permission(.bookingManageLocation), staffSeries.cancel)
    }

    private static func addApprovalAPIRoutes(to table: inout RouteTable) {
        for approve in [true, false] {
            table.add("POST", "/api/v1/bookings/:id/\(approve ? "approve" : "decline")", requires: .apiKey(.bookingManageOrg)) { context in
                let principal = try context.apiPrincipal()
                let body = context.request.body.isEmpty ? nil : try StrictJSON(body: context.request.body, allowed: ["reason"])
                let reason = try body?.string("reason", maxLength: 500) ?? ""
                let id = try context.parameter("id")
                let actor = Actor.apiKey(principal.keyID)
                let order = approve
                    ? try context.app.database.approveBooking(business: principal.business, publicID: id, now: context.instant, actor: actor)
                    : try context.app.database.declineBooking(business: principal.business, publicID: id, reason: reason,
                                                              now: context.instant, actor: actor)
                return .json(APIModels.bookingBody(order, mask: try context.apiMask(principal)))
            }
        }
    }

    private static func addWaitlistAPIRoutes(to table: inout RouteTable) {
        table.add("POST", "/api/v1/waitlist", requires: .apiKey(.bookingCreate)) { context in
            let principal = try context.apiPrincipal()
            let request = try bookingRequest(context, allowed: ["offer", "start", "customer", "party_size"])
            let joined = try context.app.database.joinWaitlist(business: principal.business, request: request, now: context.instant,
                                                               actor: .apiKey(principal.keyID))
            return .json(WaitlistJSON.entryBody(joined.entry, mask: try context.apiMask(principal)), status: .created)
        }
        table.add("GET", "/api/v1/waitlist", requires: .apiKey(.bookingViewOrg)) { context in
            let principal = try context.apiPrincipal()
            let query = context.request.query
            guard let offer = query["offer"], !offer.isEmpty, offer.count <= 60 else {
                throw WebError.unprocessable("validation_failed", "offer is required (the offer's slug).", field: "offer")
            }
            guard let start = query["start"].flatMap(RFC3339.parse) else {
                throw WebError.unprocessable("validation_failed", "start must be an RFC 3339 UTC time like 2026-12-01T14:00:00Z.", field: "start")
            }
            let entries = try context.app.database.waitlist(businessID: principal.business.id, offerSlug: offer, start: start)
            return .json(WaitlistJSON.listBody(entries, mask: try context.apiMask(principal)))
        }
        table.add("DELETE", "/api/v1/waitlist/:id", requires: .apiKey(.bookingManageOrg)) { context in
            let principal = try context.apiPrincipal()
            let entry = try context.app.database.leaveWaitlist(business: principal.business, publicID: try context.parameter("id"),
                                                               now: context.instant, actor: .apiKey(principal.keyID))
            return .json(WaitlistJSON.entryBody(entry, mask: try context.apiMask(principal)))
        }
    }
}

/// The waitlist's JSON shapes (CONTRACT.md): `{"id","position","status","offer","start","party_size","hold_id"?,"customer"}`.
enum WaitlistJSON {
    static func write(_ entry: WaitlistEntry, mask: APIMask?, to json: inout JSONWriter) {
        json.beginObject()
        json.field("id", entry.publicID)
        json.field("position", entry.position)
        json.field("status", entry.status.rawValue)
        json.field("offer", entry.offerSlug)
        json.field("start", instant: entry.start)
        json.field("party_size", entry.partySize)
        if entry.status == .offered, let hold = entry.holdID {
            json.field("hold_id", hold)
            json.field("hold_expires_at", entry.holdExpiresAt.map(RFC3339.format))
        }
        if entry.status == .offered {
            // The claim window: until the offered hold lapses, or (first to confirm) until the open offer closes.
            json.field("claim_expires_at", (entry.holdExpiresAt ?? entry.offerExpiresAt).map(RFC3339.format))
        }
        let shown = mask.map { _ in (String?.none, String?.none, String?.none) }
            ?? (entry.customer.name, entry.customer.email, entry.customer.phone)
        json.key("customer")
        json.beginObject()
        json.field("name", shown.0)
        json.field("email", shown.1)
        json.field("phone", shown.2)
        json.endObject()
        json.endObject()
    }

    static func entryBody(_ entry: WaitlistEntry, mask: APIMask?) -> [UInt8] {
        var json = JSONWriter(capacity: 400)
        write(entry, mask: mask, to: &json)
        return json.bytes
    }

    static func listBody(_ entries: [WaitlistEntry], mask: APIMask?) -> [UInt8] {
        var json = JSONWriter(capacity: 64 + entries.count * 380)
        json.beginObject()
        json.key("entries")
        json.beginArray()
        for entry in entries { write(entry, mask: mask, to: &json) }
        json.endArray()
        json.endObject()
        return json.bytes
    }
}
