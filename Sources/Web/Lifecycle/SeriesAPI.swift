import BookingCore
import Foundation
import HTTPServer
import Store

/// `/api/v1/booking-series` (CONTRACT.md): book a weekly series in one go, see it, cancel it from an
/// occurrence on.
extension App {
    static let seriesFields: Set<String> = ["offer", "start", "customer", "party_size", "resources", "notes", "repeat", "on_conflict", "preview"]

    static func addSeriesAPIRoutes(to table: inout RouteTable) {
        table.add("POST", "/api/v1/booking-series", requires: .apiKey(.bookingCreate)) { context in
            let principal = try context.apiPrincipal()
            let json = try StrictJSON(body: context.request.body, allowed: seriesFields)
            let booking = try bookingRequest(context, allowed: seriesFields)
            let request = SeriesRequest(booking: booking, rule: try seriesRule(json),
                                        skipConflicts: try onConflictSkips(json.string("on_conflict", maxLength: 10)))
            let preview = try json.bool("preview") ?? false
            let result = try context.app.database.bookSeries(business: principal.business, request: request, now: context.instant,
                                                             actor: .apiKey(principal.keyID), preview: preview)
            return .json(SeriesJSON.body(result, mask: try context.apiMask(principal)), status: preview ? .ok : .created)
        }
        table.add("GET", "/api/v1/booking-series/:id", requires: .apiKey(.bookingViewOrg)) { context in
            let principal = try context.apiPrincipal()
            let id = try context.parameter("id")
            let orders = try context.app.database.seriesBookings(business: principal.business, publicID: id)
            return .json(SeriesJSON.body(SeriesResult(id: id, bookings: orders, skipped: []), mask: try context.apiMask(principal)))
        }
        table.add("POST", "/api/v1/booking-series/:id/move", requires: .apiKey(.bookingManageOrg)) { context in
            let principal = try context.apiPrincipal()
            let json = try StrictJSON(body: context.request.body, allowed: ["from", "start"])
            let id = try context.parameter("id")
            let moved = try context.app.database.moveSeries(business: principal.business, publicID: id, from: try json.requiredInstant("from"),
                                                            to: try json.requiredInstant("start"), now: context.instant,
                                                            actor: .apiKey(principal.keyID))
            return .json(SeriesJSON.body(SeriesResult(id: id, bookings: moved, skipped: []), mask: try context.apiMask(principal)))
        }
        table.add("POST", "/api/v1/booking-series/:id/cancel", requires: .apiKey(.bookingManageOrg)) { context in
            let principal = try context.apiPrincipal()
            let body = context.request.body.isEmpty ? nil : try StrictJSON(body: context.request.body, allowed: ["from", "reason"])
            var from: Instant?
            if let text = try body?.string("from", maxLength: 40) {
                guard let parsed = RFC3339.parse(text) else {
                    throw WebError.unprocessable("validation_failed", "from must be an RFC 3339 UTC time like 2026-12-01T14:00:00Z.", field: "from")
                }
                from = parsed
            }
            let id = try context.parameter("id")
            let cancelled = try context.app.database.cancelSeries(business: principal.business, publicID: id, from: from,
                                                                  reason: try body?.string("reason", maxLength: 500) ?? "",
                                                                  now: context.instant, actor: .apiKey(principal.keyID))
            return .json(SeriesJSON.cancelBody(id: id, cancelled.map(\.order), mask: try context.apiMask(principal)))
        }
    }

    /// `repeat`: `{"frequency":"weekly","interval"?,"count"|"until"}`; neither count nor until is a standing reservation.
    static func seriesRule(_ json: StrictJSON) throws -> SeriesRule {
        guard let repeating = try json.object("repeat", allowed: ["frequency", "interval", "count", "until"]) else {
            throw WebError.unprocessable("validation_failed", "repeat is required ({\"frequency\":\"weekly\",\"count\":10}).", field: "repeat")
        }
        guard try repeating.requiredString("frequency", maxLength: 10) == "weekly" else {
            throw WebError.unprocessable("validation_failed", "repeat.frequency must be weekly.", field: "repeat.frequency")
        }
        let interval = try repeating.int("interval", in: 1...SeriesRule.maximumIntervalWeeks) ?? 1
        let count = try repeating.int("count", in: 1...SeriesRule.maximumCount)
        let until = try repeating.string("until", maxLength: 10).map { try Validation.date($0, field: "repeat.until") }
        switch (count, until) {
        case (let count?, nil): return SeriesRule(intervalWeeks: interval, end: .count(count))
        case (nil, let until?): return SeriesRule(intervalWeeks: interval, end: .until(until))
        case (nil, nil): return SeriesRule(intervalWeeks: interval, end: .none)
        default:
            throw WebError.unprocessable("validation_failed", "Give repeat.count or repeat.until, not both.", field: "repeat.until")
        }
    }

    static func onConflictSkips(_ text: String?) throws -> Bool {
        switch text ?? "fail" {
        case "fail": return false
        case "skip": return true
        default: throw WebError.unprocessable("validation_failed", "on_conflict must be fail or skip.", field: "on_conflict")
        }
    }
}

enum SeriesJSON {
    /// `{"id","bookings":[…],"skipped":[{"start","reason"}]}`.
    static func body(_ result: SeriesResult, mask: APIMask?) -> [UInt8] {
        var json = JSONWriter(capacity: 128 + result.bookings.count * 560)
        json.beginObject()
        json.field("id", result.id.isEmpty ? nil : result.id)
        json.key("bookings")
        json.beginArray()
        for order in result.bookings { APIModels.write(order, mask: mask, to: &json) }
        json.endArray()
        json.key("skipped")
        json.beginArray()
        for skip in result.skipped {
            json.beginObject()
            json.field("start", instant: skip.start)
            json.field("reason", skip.reason)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.bytes
    }

    static func cancelBody(id: String, _ orders: [OrderView], mask: APIMask?) -> [UInt8] {
        var json = JSONWriter(capacity: 64 + orders.count * 560)
        json.beginObject()
        json.field("id", id)
        json.key("cancelled")
        json.beginArray()
        for order in orders { APIModels.write(order, mask: mask, to: &json) }
        json.endArray()
        json.endObject()
        return json.bytes
    }
}
