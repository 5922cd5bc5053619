import BookingCore
import Foundation
import Store

/// Response shapes of the JSON API (CONTRACT.md). Times are RFC 3339 UTC; money in minor units.
enum APIModels {
    /// `{"amount","currency","model"}` of a version's price.
    static func write(price spec: OfferVersionSpec, to json: inout JSONWriter) {
        let (money, model) = switch spec.price {
        case .fixed(let money): (money, "fixed")
        case .perPerson(let money): (money, "per_person")
        case .hourly(let rate, _, _): (rate, "hourly")
        }
        json.beginObject()
        json.field("amount", money.minorUnits)
        json.field("currency", money.currency)
        json.field("model", model)
        json.endObject()
    }

    /// `{"offers":[{"duration_minutes","mode","name","price","seats"?,"slug"}]}`.
    static func offersBody(_ offers: [OfferInfo]) -> [UInt8] {
        var json = JSONWriter(capacity: 64 + offers.count * 160)
        json.beginObject()
        json.key("offers")
        json.beginArray()
        for info in offers {
            json.beginObject()
            json.field("duration_minutes", info.spec.duration.minMinutes)
            json.field("mode", info.mode.rawValue)
            json.field("name", info.name)
            json.key("price")
            write(price: info.spec, to: &json)
            if info.mode == .class { json.field("seats", info.spec.seats) }
            json.field("slug", info.slug)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.bytes
    }
}

/// Bookings are written directly (no Encodable twin): the list of 200 is hot, and one definition
/// serves every answer that carries a booking.
extension APIModels {
    /// `manageURL`: the customer's manage link, in the answer that made the booking only; `clientSecret`:
    /// the PaymentIntent's, while a hold waits for its payment.
    static func write(_ order: OrderView, mask: APIMask? = nil, manageURL: String? = nil, clientSecret: String? = nil,
                      to json: inout JSONWriter) {
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
        json.key("payment")
        json.beginObject()
        json.field("status", order.paymentStatus.rawValue)
        json.field("amount_due_now", order.paymentDue)
        json.field("amount_paid", order.charged)
        json.field("amount_refunded", order.refunded)
        if let clientSecret { json.field("client_secret", clientSecret) }
        json.endObject()
        json.field("expires_at", order.holdExpiresAt.map(RFC3339.format))
        json.field("created_at", instant: order.createdAt)
        // Intake answers by question key (issue 19): a sensitive one is "•••" for a key whose role
        // may not read notes, and absent where the role may not see the customer at all.
        json.key("answers")
        json.beginObject()
        for (key, value) in mask?.answers(order) ?? order.answers.map({ ($0.key, $0.answer) }) { json.field(key, value) }
        json.endObject()
        if let manageURL { json.field("manage_url", manageURL) }
        json.endObject()
    }

    static func bookingBody(_ order: OrderView, mask: APIMask? = nil, manageURL: String? = nil, clientSecret: String? = nil) -> [UInt8] {
        var json = JSONWriter(capacity: 512)
        write(order, mask: mask, manageURL: manageURL, clientSecret: clientSecret, to: &json)
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

    /// `{"slots":[{"start","end","resources","seats_left"}…]}`, written in place into one buffer
    /// sized beforehand: each run of slots with the same resources (the answer shares their slug
    /// list) encoded once by `JSONWriter`, each day's date once (`RFC3339.DayWriter`), the fixed
    /// parts copied whole — no append per byte. A month is ~1,000 slots.
    static func slotsBody(_ slots: [AvailabilityReads.SlotView]) -> [UInt8] {
        // Each slot's most bytes besides its resource list: the fixed parts, two stamps, a number, a comma.
        let perSlot = 48 + 2 * RFC3339.DayWriter.maxBytes + 20 + 1
        var lists: [[UInt8]] = []
        var lastSlugs: [String]?
        var bound = 12
        for slot in slots {
            if slot.resourceSlugs != lastSlugs {
                var list = JSONWriter(capacity: 64)
                list.beginArray()
                for slug in slot.resourceSlugs { list.value(slug) }
                list.endArray()
                lists.append(list.bytes)
                lastSlugs = slot.resourceSlugs
            }
            bound += perSlot + lists[lists.count - 1].count
        }
        return [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            let base = buffer.baseAddress!
            var p = base
            @inline(__always) func put(_ text: StaticString) {
                p.initialize(from: text.utf8Start, count: text.utf8CodeUnitCount)
                p += text.utf8CodeUnitCount
            }
            var stamps = RFC3339.DayWriter()
            var lastSlugs: [String]?, run = -1
            put(#"{"slots":["#)
            for (i, slot) in slots.enumerated() {
                if i > 0 { p.initialize(to: UInt8(ascii: ",")); p += 1 }
                put(#"{"start":""#)
                p += stamps.write(slot.start, to: p)
                put(#"","end":""#)
                p += stamps.write(slot.end, to: p)
                put(#"","resources":"#)
                if slot.resourceSlugs != lastSlugs {
                    run += 1
                    lastSlugs = slot.resourceSlugs
                }
                lists[run].withUnsafeBufferPointer { p.initialize(from: $0.baseAddress!, count: $0.count); p += $0.count }
                put(#","seats_left":"#)
                p += JSONWriter.writeDecimal(Int64(slot.seatsLeft), to: p)
                p.initialize(to: UInt8(ascii: "}")); p += 1
            }
            put("]}")
            count = p - base
        }
    }

    /// A rental offer's availability: `{"slots":[],"days":[{"date","available"}]}`.
    static func daysBody(_ days: [RentalCalendar.Day]) -> [UInt8] {
        var json = JSONWriter(capacity: 64 + days.count * 40)
        json.beginObject()
        json.key("slots")
        json.beginArray()
        json.endArray()
        json.key("days")
        json.beginArray()
        for day in days {
            json.beginObject()
            json.field("date", day.date.description)
            json.field("available", day.available)
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

    /// `{"resources":[{"capacity","kind","name","slug","tags"}]}`.
    /// `{"packages": [...]}`: each package with its price and the slugs of the live offers it pays for.
    static func packagesBody(_ packages: [PackageInfo], offers: [OfferInfo]) -> [UInt8] {
        let slugs = Dictionary(offers.map { ($0.id, $0.slug) }, uniquingKeysWith: { first, _ in first })
        var json = JSONWriter(capacity: 64 + packages.count * 200)
        json.beginObject()
        json.key("packages")
        json.beginArray()
        for package in packages { write(package, slugs: slugs, kind: false, to: &json) }
        json.endArray()
        json.endObject()
        return json.bytes
    }

    /// A package's shape; `kind` adds `"kind": "package"` (the products list tells kinds apart).
    static func write(_ package: PackageInfo, slugs: [OfferID: String], kind: Bool, to json: inout JSONWriter) {
        json.beginObject()
        json.field("credits", package.credits)
        json.field("id", package.id)
        if kind { json.field("kind", "package") }
        json.field("name", package.name)
        json.field("offers", strings: package.offers.compactMap { slugs[$0.id] })
        json.key("price")
        json.beginObject()
        json.field("amount", package.price)
        json.field("currency", package.currency)
        json.endObject()
        json.field("shareable", package.shareable)
        json.field("valid_days", package.validDays)
        json.endObject()
    }

    /// `{"email": …, "lots": [...]}`: a customer's lots at one business with their movements.
    static func walletBody(email: String, _ entries: [WalletEntry], offers: [OfferInfo], now: Instant) -> [UInt8] {
        let slugs = Dictionary(offers.map { ($0.id, $0.slug) }, uniquingKeysWith: { first, _ in first })
        var json = JSONWriter(capacity: 64 + entries.count * 300)
        json.beginObject()
        json.field("email", email)
        json.key("lots")
        json.beginArray()
        for entry in entries {
            let lot = entry.lot
            json.beginObject()
            json.field("balance", max(0, lot.balance))
            json.field("expires_at", instant: lot.expiresAt)
            json.field("id", lot.id)
            json.key("movements")
            json.beginArray()
            for movement in lot.movements {
                json.beginObject()
                json.field("at", instant: movement.at)
                json.field("credits", movement.credits)
                json.field("kind", movement.kind.rawValue)
                json.endObject()
            }
            json.endArray()
            json.field("offers", strings: lot.offerIDs.compactMap { slugs[$0] }.sorted())
            json.field("package", lot.packageName)
            json.field("usable", lot.usable(at: now))
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.bytes
    }

    static func resourcesBody(_ resources: [ResourceInfo]) -> [UInt8] {
        var json = JSONWriter(capacity: 64 + resources.count * 120)
        json.beginObject()
        json.key("resources")
        json.beginArray()
        for info in resources {
            json.beginObject()
            json.field("capacity", info.capacity)
            json.field("kind", info.kind.rawValue)
            json.field("name", info.name)
            json.field("slug", info.slug)
            json.field("tags", strings: info.tags)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.bytes
    }

    /// `{"offer","versions":[{"created_at","published_at","status","summary":{…},"version"}]}`.
    static func versionsBody(offer: String, _ versions: [APIReads.Version]) -> [UInt8] {
        var json = JSONWriter(capacity: 64 + versions.count * 600)
        json.beginObject()
        json.field("offer", offer)
        json.key("versions")
        json.beginArray()
        for version in versions {
            let spec = version.spec
            json.beginObject()
            json.field("created_at", instant: version.createdAt)
            json.field("published_at", version.publishedAt.map(RFC3339.format))   // null while a draft
            json.field("status", version.status)
            json.key("summary")
            json.beginObject()
            json.field("approval_required", spec.approvalRequired)
            json.field("buffer_after_minutes", spec.bufferAfterMinutes)
            json.field("buffer_before_minutes", spec.bufferBeforeMinutes)
            json.field("cancellation_tiers", spec.cancellationTiers.count)
            json.key("duration_minutes")
            json.beginObject()
            json.field("max", spec.duration.maxMinutes)
            json.field("min", spec.duration.minMinutes)
            json.field("step", spec.duration.stepMinutes)
            json.endObject()
            json.field("hold_minutes", spec.holdMinutes)
            json.field("maximum_advance_days", spec.maximumAdvanceDays)
            json.field("minimum_notice_minutes", spec.minimumNoticeMinutes)
            json.field("mode", spec.mode.rawValue)
            json.field("no_show_fee_percent", spec.noShowFeePercent)
            json.key("price")
            write(price: spec, to: &json)
            json.key("questions")
            json.beginArray()
            for question in spec.questions {
                json.beginObject()
                json.field("key", question.key)
                json.field("kind", question.kind.rawValue)
                json.field("label", question.label)
                json.field("options", strings: question.options)
                json.field("required", question.required)
                json.field("sensitive", question.sensitive)
                json.endObject()
            }
            json.endArray()
            json.field("reschedule_allowed", spec.rescheduleAllowed)
            json.field("seats", spec.seats)
            json.field("slot_interval_minutes", spec.slotIntervalMinutes)
            json.endObject()
            json.field("version", version.number)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.bytes
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
        return APIReads.Cursor(startsAt: start, id: BookingID(rawValue: id))
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

    /// The answers this role may know of, by key: withheld ones as "•••" (`IntakeRules.visibility`).
    func answers(_ order: OrderView) -> [(String, String)] {
        IntakeRules.masked(order.answers, role: viewer.role, relation: .other, policy: policy).map { ($0.key, $0.raw) }
    }
}

extension APIMask {
    /// What `role` sees: nil (nothing masked) for owner, admin and manager. `policy` is read only
    /// when it matters.
    static func `for`(_ role: Role, policy: () throws -> VisibilityPolicy) rethrows -> APIMask? {
        guard ![.owner, .admin, .manager].contains(role) else { return nil }
        return APIMask(viewer: StaffViewer(role: role, resourceID: nil, userID: -1), policy: try policy())
    }
}

extension RequestContext {
    /// nil (nothing masked) for owner, admin and manager keys.
    func apiMask(_ principal: APIKeys.Principal) throws -> APIMask? {
        try APIMask.for(principal.role) { try app.database.fieldVisibilityPolicy(businessID: principal.business.id) }
    }
}
