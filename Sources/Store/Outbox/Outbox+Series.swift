import BookingCore
import Foundation
import GRDB

extension Outbox {
    /// A date of a standing reservation could not be booked: the customer is told (kind
    /// `cancellation`, with `about` = `series_skip`; the series' page is linked for a signed-in
    /// customer) and so are the business's owners (kind `staff_alert`, linking the staff series page).
    /// The outbox's kinds are reused: widening its CHECK would mean rebuilding the shared table.
    static func standingDateSkipped(_ db: Database, businessID: BusinessID, series: String, offerName: String, customer: CustomerDetails,
                                    skip: SeriesResult.Skipped, now: Instant) throws {
        let reason = UnavailableReason(rawValue: skip.reason)?.phrase ?? skip.reason
        let common = [("about", "series_skip"), ("start", String(skip.start)), ("offer_name", offerName), ("reason", reason)]
        try enqueue(db, businessID: businessID, kind: .cancellation, email: customer.email, name: customer.name,
                    data: common + (customer.userID != nil ? [("series", series)] : []), orderID: nil, due: now, now: now)
        let owners = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT u.email, u.name FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.business_id = ? AND m.role = 'owner' ORDER BY m.id
            """), arguments: [businessID])
        for owner in owners {
            try enqueue(db, businessID: businessID, kind: .staffAlert, email: owner["email"], name: owner["name"],
                        data: common + [("series", series), ("staff", "1"), ("customer_name", customer.name)], orderID: nil, due: now,
                        now: now)
        }
    }
}
