import BookingCore
import HTTPServer
import Store

/// A data export as JSON (`JSONWriter`), served as a download: the customer's own
/// (`/account/data.json`) or, on request, the business's (`/manage/{business}/customers/{id}/data.json`).
enum PersonalDataJSON {
    static func response(_ data: PersonalData, generatedAt: Instant, fileName: String) -> Response {
        var response = Response.json(bytes(data, generatedAt: generatedAt))
        response.headers.set("Content-Disposition", "attachment; filename=\"\(fileName)\"")
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    static func bytes(_ data: PersonalData, generatedAt: Instant) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.field("generated_at", instant: generatedAt)
        if let record = data.record {
            json.key("customer")
            json.beginObject()
            json.field("id", record.id)
            json.field("name", record.name)
            json.key("emails")
            json.beginArray()
            for email in record.emails { json.value(email) }
            json.endArray()
            json.field("phone", record.phone)
            json.key("tags")
            json.beginArray()
            for tag in record.tags { json.value(tag) }
            json.endArray()
            json.field("staff_notes", record.notes)
            json.endObject()
        }
        json.key("bookings")
        json.beginArray()
        for booking in data.bookings {
            json.beginObject()
            json.field("business", booking.business)
            json.field("id", booking.publicID)
            json.field("offer", booking.offer)
            json.field("status", booking.status)
            json.field("start", instant: booking.start)
            json.field("end", instant: booking.end)
            json.field("name", booking.name)
            json.field("email", booking.email)
            json.field("phone", booking.phone)
            json.field("notes", booking.notes)
            json.field("party_size", booking.partySize)
            json.field("source", booking.source)
            json.field("price_total", booking.total)
            json.field("currency", booking.currency)
            json.field("created_at", instant: booking.createdAt)
            json.key("answers")
            json.beginArray()
            for answer in booking.answers {
                json.beginObject()
                json.field("key", answer.key)
                json.field("question", answer.question)
                json.field("answer", answer.answer)
                json.endObject()
            }
            json.endArray()
            json.endObject()
        }
        json.endArray()
        json.key("payments")
        json.beginArray()
        for payment in data.payments {
            json.beginObject()
            json.field("booking", payment.publicID)
            json.field("kind", payment.kind)
            json.field("amount", payment.amount)
            json.field("currency", payment.currency)
            json.field("method", payment.method)
            json.field("at", instant: payment.at)
            json.endObject()
        }
        json.endArray()
        json.key("messages")
        json.beginArray()
        for message in data.messages {
            json.beginObject()
            json.field("kind", message.kind)
            json.field("to", message.to)
            json.field("status", message.status)
            json.field("created_at", instant: message.createdAt)
            json.key("sent_at")
            if let sent = message.sentAt { json.value(instant: sent) } else { json.null() }
            json.endObject()
        }
        json.endArray()
        json.key("waitlist")
        json.beginArray()
        for entry in data.waitlist {
            json.beginObject()
            json.field("business", entry.business)
            json.field("start", instant: entry.start)
            json.field("name", entry.name)
            json.field("email", entry.email)
            json.field("phone", entry.phone)
            json.field("status", entry.status)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.bytes
    }
}
