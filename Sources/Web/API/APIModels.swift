import BookingCore
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

    struct Slot: Encodable {
        let start: String
        let end: String
        let resources: [String]
        let seats_left: Int
    }

    struct Line: Encodable {
        let label: String
        let amount: Int64
    }

    struct BookingPrice: Encodable {
        let total: Int64
        let amount: Int64
        let currency: String
        let model: String
        let deposit: Int64
        let lines: [Line]
    }

    struct Customer: Encodable {
        let name: String
        let email: String
        let phone: String
    }

    struct Booking: Encodable {
        let id: String
        let status: String
        let offer: String
        let start: String
        let end: String
        let resources: [String]
        let party_size: Int
        let customer: Customer
        let price: BookingPrice
        let paid: Int64
        let expires_at: String?
        let created_at: String
    }

    struct Refund: Encodable {
        let amount: Int64
        let currency: String
        let percent: Int
    }

    struct CancelAnswer: Encodable {
        let id: String
        let status: String
        let refund: Refund
        let booking: Booking
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

    static func booking(_ order: OrderView) -> Booking {
        Booking(id: order.publicID, status: order.status.rawValue, offer: order.offerSlug, start: RFC3339.format(order.start),
                end: RFC3339.format(order.end), resources: order.resources.map(\.slug), party_size: order.partySize,
                customer: Customer(name: order.customer.name, email: order.customer.email, phone: order.customer.phone),
                price: BookingPrice(total: order.price.total, amount: order.price.total, currency: order.price.currency,
                                    model: order.price.model, deposit: order.price.deposit,
                                    lines: order.price.lines.map { Line(label: $0.label, amount: $0.amount) }),
                paid: order.paid, expires_at: order.holdExpiresAt.map(RFC3339.format), created_at: RFC3339.format(order.createdAt))
    }
}

/// The hot shapes written directly (same fields and names as the Encodable ones above).
extension APIModels {
    static func write(_ order: OrderView, to json: inout JSONWriter) {
        json.beginObject()
        json.field("id", order.publicID)
        json.field("status", order.status.rawValue)
        json.field("offer", order.offerSlug)
        json.field("start", RFC3339.format(order.start))
        json.field("end", RFC3339.format(order.end))
        json.field("resources", strings: order.resources.map { $0.slug })
        json.field("party_size", order.partySize)
        json.key("customer")
        json.beginObject()
        json.field("name", order.customer.name)
        json.field("email", order.customer.email)
        json.field("phone", order.customer.phone)
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
        json.field("created_at", RFC3339.format(order.createdAt))
        json.endObject()
    }

    static func bookingBody(_ order: OrderView) -> [UInt8] {
        var json = JSONWriter(capacity: 512)
        write(order, to: &json)
        return json.bytes
    }

    static func slotsBody(_ slots: [AvailabilityReads.SlotView]) -> [UInt8] {
        var json = JSONWriter(capacity: 64 + slots.count * 110)
        json.beginObject()
        json.key("slots")
        json.beginArray()
        for slot in slots {
            json.beginObject()
            json.field("start", RFC3339.format(slot.start))
            json.field("end", RFC3339.format(slot.end))
            json.field("resources", strings: slot.resourceSlugs)
            json.field("seats_left", slot.seatsLeft)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.bytes
    }
}
