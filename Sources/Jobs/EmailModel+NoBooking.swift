import BookingCore
import Foundation
import Store

/// Messages about something that is not (yet) a booking, so the outbox row names no order and
/// `data["about"]` says what it is about (the outbox's kinds are reused, see the templates):
/// - `waitlist_claim` (kind `waitlist_offer`): a place announced to everyone waiting (first to
///   confirm wins), with the entry's claim link;
/// - `series_skip` (kind `cancellation` to the customer, `staff_alert` to the business): a date of
///   a standing reservation that could not be booked, and why;
/// - `purchase` (kind `confirmation`): a package or gift card bought online and paid (by card, or at
///   the venue), with the gift card's code or the credits' expiry;
/// - `queue_next` (kind `waitlist_offer`): a walk-in queue's ticket is next in line; the plain
///   text body is the one line in `data.text`, the same words a text message would carry;
/// - `membership` (kind `confirmation`): a membership started, waits for payment, was paused, resumed
///   or cancelled, a month paid or its card payment failed, money refunded (`data.event`); `data.text` is
///   the sentence, `data.plan` the plan's name.
extension EmailModel {
    mutating func fillWithoutBooking(about: String, data: [String: String], business: Business, baseURL: String) {
        if about == "purchase" {
            let clock = ZoneClock(identifier: business.timeZone) ?? ZoneClock(identifier: "UTC")!
            let currency = data["currency"] ?? ""
            purchase = Purchase(
                productName: data["product_name"].map(Self.oneLine) ?? "",
                amount: Currency.format(data["amount"].flatMap(Int64.init) ?? 0, currency),
                paid: ["card": "paid by card", "cash": "paid in cash"][data["paid"] ?? ""] ?? "paid at the venue",
                code: data["code"], credits: data["credits"],
                // The last day the credits can be used: the day before the expiry instant (the wallet page's words).
                validUntil: data["expires"].flatMap(Int64.init).map { HumanTime.longDate(clock.local($0 - 1).date) },
                walletURL: "\(baseURL)/account/wallet")
            offerName = purchase?.productName ?? ""
            return
        }
        if about == "queue_next" {
            queueNext = true
            queueText = data["text"].map(Self.oneLine)
            offerName = data["queue_name"].map(Self.oneLine) ?? ""
            if let ticket = data["ticket"] { ticketURL = "\(baseURL)/q/\(business.slug)/tickets/\(ticket)" }
            return
        }
        if about == "membership" {
            membershipText = data["text"].map(Self.oneLine)
            offerName = data["plan"].map(Self.oneLine) ?? ""
            walletURL = "\(baseURL)/account/wallet"
            return
        }
        guard let clock = ZoneClock(identifier: business.timeZone), let start = data["start"].flatMap(Int64.init) else { return }
        let local = clock.local(start)
        zone = business.timeZone
        offerName = data["offer_name"].map(Self.oneLine) ?? ""
        when = "\(HumanTime.longDate(local.date)) at \(local.time) (\(business.timeZone))"
        whenShort = "\(HumanTime.longDate(local.date)) at \(local.time) \(Self.zoneLabel(clock.timeZone, at: start))"
        // Slugs, public ids and tokens are URL-safe (letters, digits, "-" and "_"), like the other emails' links.
        let slug = business.slug
        switch about {
        case "waitlist_claim":
            firstToConfirm = true
            if let entry = data["entry"], let token = data["token"] {
                claimURL = "\(baseURL)/b/\(slug)/waitlist/\(entry)?token=\(token)"
            }
            heldUntil = data["until"].flatMap(Int64.init).map { "\(clock.local($0).time) on \(HumanTime.longDate(clock.local($0).date))" }
        case "series_skip":
            seriesSkipped = true
            skipReason = data["reason"]
            // Only owners get the business's copy (they see every customer field).
            customerName = data["staff"] == "1" ? data["customer_name"].map(Self.oneLine) : nil
            if let series = data["series"] {
                seriesURL = data["staff"] == "1"
                    ? "\(baseURL)/staff/\(slug)/series/\(series)"
                    : "\(baseURL)/b/\(slug)/series/\(series)"
                staffURL = data["staff"] == "1" ? seriesURL : nil
            }
        default:
            break
        }
    }
}
