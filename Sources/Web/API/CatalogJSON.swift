import BookingCore
import Foundation
import HTTPServer
import Store

/// The catalog shapes of the API: a resource with its schedule, and an offer with its draft and
/// published settings (the same names a draft is written with).
enum CatalogJSON {
    static let offerStatuses = ["live", "paused", "archived"]

    static func notFound(_ what: String) -> WebError {
        WebError(.notFound, code: "not_found", "There is no such \(what) in this key's business.")
    }

    /// Weekly hours as `{"mon":{"opens","closes"}}`: the first window of each day (the builder edits one a day).
    static func write(hours rules: [WeeklyRule], to json: inout JSONWriter) {
        json.beginObject()
        for (index, day) in ManageInput.dayKeys.enumerated() {
            guard let rule = rules.first(where: { $0.weekday.rawValue == index + 1 }) else { continue }
            json.key(day)
            json.beginObject()
            json.field("closes", rule.closes.description)
            json.field("opens", rule.opens.description)
            json.endObject()
        }
        json.endObject()
    }

    static func write(closure row: ManageCatalog.OverlayRow, to json: inout JSONWriter) {
        json.beginObject()
        json.field("closes", row.closes?.description)
        json.field("date", row.date)
        json.field("id", row.id)
        json.field("kind", row.kind)
        json.field("note", row.note)
        json.field("opens", row.opens?.description)
        json.endObject()
    }

    static func write(block row: ManageCatalog.BlockedRow, to json: inout JSONWriter) {
        json.beginObject()
        json.field("end", instant: row.end)
        json.field("id", row.id)
        json.field("reason", row.reason)
        json.field("start", instant: row.start)
        json.endObject()
    }

    static func closureBody(_ row: ManageCatalog.OverlayRow) -> [UInt8] {
        var json = JSONWriter(capacity: 160)
        write(closure: row, to: &json)
        return json.bytes
    }

    static func blockBody(_ row: ManageCatalog.BlockedRow) -> [UInt8] {
        var json = JSONWriter(capacity: 160)
        write(block: row, to: &json)
        return json.bytes
    }

    /// `{"slug","name","kind","capacity","tags","hours",…,"closures":[…],"blocks":[…]}`.
    static func resourceBody(_ page: AppDatabase.ResourcePage) -> [UInt8] {
        let detail = page.detail
        var json = JSONWriter(capacity: 512 + detail.overlays.count * 120 + detail.blocked.count * 120)
        json.beginObject()
        json.key("blocks")
        json.beginArray()
        for row in detail.blocked { write(block: row, to: &json) }
        json.endArray()
        json.field("capacity", detail.resource.capacity)
        json.key("closures")
        json.beginArray()
        for row in detail.overlays where row.kind != "blackout" { write(closure: row, to: &json) }
        json.endArray()
        json.key("hours")
        write(hours: detail.rules.filter { $0.validFrom == nil && $0.validUntil == nil }, to: &json)
        json.field("kind", detail.resource.kind.rawValue)
        json.key("max_bookings_per_day")
        if let perDay = page.limits.maxBookingsPerDay { json.value(perDay) } else { json.null() }
        json.key("min_rest_minutes")
        if let rest = page.limits.minRestMinutes { json.value(rest) } else { json.null() }
        json.field("name", detail.resource.name)
        json.field("slug", detail.resource.slug)
        json.field("tags", strings: detail.resource.tags)
        json.endObject()
        return json.bytes
    }

    /// A version's settings in the names `POST /api/v1/offers/{offer}/draft` takes.
    static func write(settings spec: OfferVersionSpec, resources: [ResourceInfo], to json: inout JSONWriter) {
        json.beginObject()
        json.field("approval_required", spec.approvalRequired)
        json.field("buffer_after_minutes", spec.bufferAfterMinutes)
        json.field("buffer_before_minutes", spec.bufferBeforeMinutes)
        json.key("cancellation_tiers")
        json.beginArray()
        for tier in spec.cancellationTiers.sorted(by: { $0.minHoursBefore > $1.minHoursBefore }) {
            json.beginObject()
            json.field("hours_before", tier.minHoursBefore)
            json.field("refund_percent", tier.refundPercent)
            json.endObject()
        }
        json.endArray()
        json.field("decide_hours_before", spec.decideHoursBefore)
        json.key("deposit")
        json.beginObject()
        switch spec.deposit {
        case nil: json.field("kind", "none")
        case .percent(let percent)?: json.field("kind", "percent"); json.field("percent", percent)
        case .fixed(let amount)?: json.field("amount", amount); json.field("kind", "fixed")
        }
        json.endObject()
        json.field("duration_max_minutes", spec.duration.maxMinutes)
        json.field("duration_minutes", spec.duration.minMinutes)
        json.field("duration_step_minutes", spec.duration.stepMinutes)
        json.field("hold_minutes", spec.holdMinutes)
        json.key("hours")
        write(hours: spec.hours, to: &json)
        json.field("maximum_advance_days", spec.maximumAdvanceDays)
        json.field("min_participants", spec.minimumParticipants)
        json.field("minimum_notice_minutes", spec.minimumNoticeMinutes)
        json.field("no_show_fee_percent", spec.noShowFeePercent)
        json.key("price")
        json.beginObject()
        let (model, money, increment, minimum): (String, Money, Int, Int) = switch spec.price {
        case .fixed(let m): ("fixed", m, 60, 0)
        case .perPerson(let m): ("per_person", m, 60, 0)
        case .hourly(let m, let increment, let minimum): ("hourly", m, increment, minimum)
        }
        json.field("amount", money.minorUnits)
        json.field("currency", money.currency)
        json.field("increment_minutes", increment)
        json.field("minimum_minutes", minimum)
        json.field("model", model)
        json.endObject()
        json.field("pricing_rules", spec.pricingRules.count)
        json.field("reschedule_allowed", spec.rescheduleAllowed)
        json.field("reschedule_cutoff_hours", spec.rescheduleCutoffHours)
        json.key("resources")
        json.beginArray()
        let slugs = Dictionary(uniqueKeysWithValues: resources.map { ($0.id, $0.slug) })
        for component in spec.components {
            json.beginObject()
            json.field("count", component.count)
            switch component.selector {
            case .resource(let id):
                json.field("kind", nil as String?)
                json.field("resource", slugs[id])
                json.field("tag", nil as String?)
            case .anyOf(let kind, let tag):
                json.field("kind", kind.rawValue)
                json.field("resource", nil as String?)
                json.field("tag", tag)
            }
            json.field("required", component.required)
            json.field("role", component.role)
            json.endObject()
        }
        json.endArray()
        json.field("seats", spec.seats)
        json.field("slot_interval_minutes", spec.slotIntervalMinutes)
        json.endObject()
    }

    /// `{"slug","name","mode","status","published_version","draft_version","published","draft"}`.
    static func offerBody(_ editor: AppDatabase.OfferEditor) -> [UInt8] {
        var json = JSONWriter(capacity: 2048)
        json.beginObject()
        for (name, version) in [("draft", editor.draft), ("published", editor.published)] {
            json.key(name)
            if let version { write(settings: version.spec, resources: editor.resources, to: &json) } else { json.null() }
            json.key(name + "_version")
            if let version { json.value(version.version) } else { json.null() }
        }
        json.field("mode", editor.offer.mode.rawValue)
        json.field("name", editor.offer.name)
        json.field("slug", editor.offer.slug)
        json.field("status", editor.offer.status.rawValue)
        json.endObject()
        return json.bytes
    }
}
