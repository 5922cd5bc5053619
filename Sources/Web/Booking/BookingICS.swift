import BookingCore
import Store

/// One booking as an iCalendar file: `BookingCore.ICalendar`, which the confirmation email attaches too.
enum BookingICS {
    static func event(order: OrderView, business: Business, location: String, sequence: Int, now: Instant) -> String {
        ICalendar.event(uid: order.publicID, sequence: sequence, start: order.start, end: order.end,
                        summary: "\(order.offerName) — \(business.name)", location: location, status: order.status, now: now)
    }
}
