import BookingCore
import Foundation
import Store

/// Response shapes of the JSON API (CONTRACT.md). Times are RFC 3339 UTC; money in minor units.
enum APIModels {
    struct Price: Encodable {
        let amount: Int64
        let currency: String
        let model: String
    }

    struct Offer: Encodable {
        let slug: String
        let name: String
        let mode: String
        let duration_minutes: Int
        let price: Price
        let seats: Int?
    }

    static func price(_ spec: OfferVersionSpec) -> Price {
        switch spec.price {
        case .fixed(let money): Price(amount: money.minorUnits, currency: money.currency, model: "fixed")
        case .perPerson(let money): Price(amount: money.minorUnits, currency: money.currency, model: "per_person")
        case .hourly(let rate, _, _): Price(amount: rate.minorUnits, currency: rate.currency, model: "hourly")
        }
    }

    static func offer(_ info: OfferInfo) -> Offer {
        Offer(slug: info.slug, name: info.name, mode: info.mode.rawValue, duration_minutes: info.spec.duration.minMinutes,
              price: price(info.spec), seats: info.mode == .class ? info.spec.seats : nil)
    }
}

/// Bookings are written directly (no Encodable twin): the list of 200 is hot, and one definition
/// serves every answer that carries a booking.
extension APIModels {
    static func write(_ order: OrderView, mask: APIMask? = nil, to json: inout JSONWriter) {
        let customer = mask?.customer(order) ?? (order.customer.name, order.customer.email, order.customer.phone)
        json.beginObject()
        json.field("id", order.publicID)
        json.field("status", order.status.rawValue)
        json.field("offer", order.offerSlug)
        json.field("start", instant: order.start)
        json.field("end", instant: order.end)
        json.field("resources", strings: order.resources.map { $0.slug })
        json.field("party_size", order.partySize)
        json.key("customer")
        json.beginObject()
        json.field("name", customer.name)
        json.field("email", customer.email)
        json.field("phone", customer.phone)
        json.endObject()
        json.key("price")
        json.beginObject()
        json.field("total", order.price.total)
        json.field("amount", order.price.total)
        json.field("currency", order.price.currency)
        json.field("model", order.price.model)
        json.field("deposit", order.price.deposit)
        json.key("lines")
        json.beginArray()
        for line in order.price.lines {
            json.beginObject()
            json.field("label", line.label)
            json.field("amount", line.amount)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        json.field("paid", order.paid)
        json.field("expires_at", order.holdExpiresAt.map(RFC3339.format))
        json.field("created_at", instant: order.createdAt)
        json.endObject()
    }

    static func bookingBody(_ order: OrderView, mask: APIMask? = nil) -> [UInt8] {
        var json = JSONWriter(capacity: 512)
        write(order, mask: mask, to: &json)
        return json.bytes
    }

    /// `{"id","status","refund":{"amount","currency","percent"},"booking":{…}}` (CONTRACT.md).
    static func cancelBody(_ order: OrderView, refund: Refund, mask: APIMask?) -> [UInt8] {
        var json = JSONWriter(capacity: 640)
        json.beginObject()
        json.field("id", order.publicID)
        json.field("status", order.status.rawValue)
        json.key("refund")
        json.beginObject()
        json.field("amount", refund.amount)
        json.field("currency", order.price.currency)
        json.field("percent", refund.percent)
        json.endObject()
        json.key("booking")
        write(order, mask: mask, to: &json)
        json.endObject()
        return json.bytes
    }

    static func slotsBody(_ slots: [AvailabilityReads.SlotView]) -> [UInt8] {
        var json = JSONWriter(capacity: 64 + slots.count * 110)
        json.beginObject()
        json.key("slots")
        json.beginArray()
        for slot in slots {
            json.beginObject()
            json.field("start", instant: slot.start)
            json.field("end", instant: slot.end)
            json.field("resources", strings: slot.resourceSlugs)
            json.field("seats_left", slot.seatsLeft)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.bytes
    }
}

/// Shapes added for integrators: paged bookings, resources, offer versions.
extension APIModels {
    static func bookingListBody(_ orders: [OrderView], next: String?, mask: APIMask? = nil) -> [UInt8] {
        var json = JSONWriter(capacity: 64 + orders.count * 520)
        json.beginObject()
        json.key("bookings")
        json.beginArray()
        for order in orders { write(order, mask: mask, to: &json) }
        json.endArray()
        json.field("next_cursor", next)
        json.endObject()
        return json.bytes
    }

    struct Resource: Encodable {
        let slug: String
        let name: String
        let kind: String
        let capacity: Int
        let tags: [String]
    }

    static func resource(_ info: ResourceInfo) -> Resource {
        Resource(slug: info.slug, name: info.name, kind: info.kind.rawValue, capacity: info.capacity, tags: info.tags)
    }

    struct Duration: Encodable {
        let min: Int
        let max: Int
        let step: Int
    }

    struct VersionSummary: Encodable {
        let mode: String
        let duration_minutes: Duration
        let buffer_before_minutes: Int
        let buffer_after_minutes: Int
        let slot_interval_minutes: Int
        let minimum_notice_minutes: Int
        let maximum_advance_days: Int
        let seats: Int
        let hold_minutes: Int
        let approval_required: Bool
        let price: Price
        let no_show_fee_percent: Int
        let reschedule_allowed: Bool
        let cancellation_tiers: Int
    }

    struct OfferVersion: Encodable {
        let version: Int
        let status: String
        let created_at: String
        let published_at: String?
        let summary: VersionSummary

        enum CodingKeys: String, CodingKey { case version, status, created_at, published_at, summary }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(version, forKey: .version)
            try container.encode(status, forKey: .status)
            try container.encode(created_at, forKey: .created_at)
            try container.encode(published_at, forKey: .published_at)   // null while a draft
            try container.encode(summary, forKey: .summary)
        }
    }

    struct OfferVersionList: Encodable {
        let offer: String
        let versions: [OfferVersion]
    }

    static func version(_ version: APIReads.Version) -> OfferVersion {
        let spec = version.spec
        return OfferVersion(
            version: version.number, status: version.status, created_at: RFC3339.format(version.createdAt),
            published_at: version.publishedAt.map(RFC3339.format),
            summary: VersionSummary(mode: spec.mode.rawValue,
                                    duration_minutes: Duration(min: spec.duration.minMinutes, max: spec.duration.maxMinutes,
                                                               step: spec.duration.stepMinutes),
                                    buffer_before_minutes: spec.bufferBeforeMinutes, buffer_after_minutes: spec.bufferAfterMinutes,
                                    slot_interval_minutes: spec.slotIntervalMinutes, minimum_notice_minutes: spec.minimumNoticeMinutes,
                                    maximum_advance_days: spec.maximumAdvanceDays, seats: spec.seats, hold_minutes: spec.holdMinutes,
                                    approval_required: spec.approvalRequired, price: price(spec),
                                    no_show_fee_percent: spec.noShowFeePercent, reschedule_allowed: spec.rescheduleAllowed,
                                    cancellation_tiers: spec.cancellationTiers.count))
    }
}

/// The opaque `cursor` of booking pages: base64url of "starts_at.id" (the last row of the page).
enum APICursor {
    static func encode(_ cursor: APIReads.Cursor) -> String {
        Data("\(cursor.startsAt).\(cursor.id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> APIReads.Cursor? {
        guard text.count <= 100 else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let plain = String(data: data, encoding: .utf8) else { return nil }
        let parts = plain.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = Int64(parts[0]), let id = Int64(parts[1]) else { return nil }
        return APIReads.Cursor(startsAt: start, id: id)
    }
}

/// What a key of a role other than owner, admin or manager may see of a booking's customer: the
/// same as a person of that role (StaffMasking, with the business's field-visibility policy). A key
/// is nobody's own booking and provides no resource, so providers and clients see nothing.
struct APIMask: Sendable {
    let viewer: StaffViewer
    let policy: VisibilityPolicy

    func customer(_ order: OrderView) -> (name: String?, email: String?, phone: String?) {
        let masked = StaffMasking.mask(order, viewer: viewer, policy: policy, sensitive: false)
        return (masked.customerName, masked.email, masked.phone)
    }
}

extension RequestContext {
    /// nil (nothing masked) for owner, admin and manager keys.
    func apiMask(_ principal: APIKeys.Principal) throws -> APIMask? {
        guard ![.owner, .admin, .manager].contains(principal.role) else { return nil }
        let policy = try app.database.pool.read { try FieldVisibilityStore.policy($0, businessID: principal.business.id) }
        return APIMask(viewer: StaffViewer(role: principal.role, resourceID: nil, userID: -1), policy: policy)
    }
}
