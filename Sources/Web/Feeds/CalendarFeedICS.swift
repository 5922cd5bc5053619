import BookingCore
import Crypto
import Foundation
import Store

/// A calendar feed's text: every booking of the feed masked for its member (`StaffMasking`, the
/// staff pages' one masking path) and written by `BookingCore.ICalendar`. Deterministic for the same
/// bookings (DTSTAMP is when each booking was made), so its hash is the feed's ETag.
enum CalendarFeedICS {
    static func text(_ content: CalendarFeedContent, origin: String) -> String {
        let viewer = StaffViewer(content.membership)
        let slug = PercentEncoded.component(content.business.slug)
        var events: [ICalendar.Event] = []
        for order in content.orders {
            guard content.scope.includes(StaffMasking.relation(of: order, to: viewer)) else { continue }
            let booking = StaffMasking.mask(order, viewer: viewer, policy: content.policy,
                                            sensitive: content.sensitiveOffers.contains(order.offerID))
            if booking.busyOnly {
                events.append(ICalendar.Event(uid: "busy-" + digest(order.publicID, length: 24), stamp: order.createdAt, start: order.start,
                                              end: order.end, summary: "Busy", status: nil))
                continue
            }
            var details: [String] = []
            if let partySize = booking.partySize, partySize > 1 { details.append("Party of \(partySize)") }
            if let email = booking.email { details.append("Email: \(email)") }
            if let phone = booking.phone { details.append("Phone: \(phone)") }
            if let notes = booking.notes { details.append("Notes: \(notes)") }
            if let reason = booking.cancelReason, booking.status == .cancelled { details.append("Cancelled: \(reason)") }
            if let id = booking.publicID { details.append("\(origin)/staff/\(slug)/bookings/\(PercentEncoded.component(id))") }
            events.append(ICalendar.Event(
                uid: booking.publicID ?? order.publicID, stamp: order.createdAt, start: order.start, end: order.end,
                summary: [booking.serviceLabel, booking.customerName].compactMap { $0 }.joined(separator: " — "),
                location: booking.resourceNames.joined(separator: ", "), description: details.joined(separator: "\n"),
                status: booking.status))
        }
        let name = content.scope == .business ? "\(content.business.name): all bookings" : "\(content.business.name): my bookings"
        return ICalendar.calendar(events, name: name, refreshMinutes: CalendarFeedScope.refreshMinutes)
    }

    /// A strong validator of the feed's bytes.
    static func etag(_ text: String) -> String {
        "\"" + digest(text, length: 32) + "\""
    }

    private static func digest(_ text: String, length: Int) -> String {
        String(SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined().prefix(length))
    }
}
