public import BookingCore
import Foundation
public import GRDB

/// Bookable slots of an offer over business-local dates, for pages and the API alike.
public enum AvailabilityReads {
    public struct SlotView: Sendable, Hashable {
        public let start: Instant
        public let end: Instant
        public let resourceSlugs: [String]
        public let seatsLeft: Int
    }

    public static let maxDays = 62

    public static func slots(_ db: Database, business: Business, offer: OfferInfo, from: LocalDate, to: LocalDate,
                             now: Instant, partySize: Int = 1, resourceSlug: String? = nil) throws -> [SlotView] {
        guard let zone = TimeZone(identifier: business.timeZone) else { return [] }
        var requested: Int64?
        if let resourceSlug {
            guard let id = try Catalog.resourceID(db, businessID: business.id, slug: resourceSlug) else {
                throw BookingFailure.resourceNotFound(resourceSlug)
            }
            requested = id
        }
        let clock = ZoneClock(zone)
        let spanDays = 2 + (offer.spec.duration.maxMinutes + offer.spec.bufferAfterMinutes) / 1440
        let window = TimeRange(start: clock.day(from.adding(days: -2)).start, end: clock.day(to.adding(days: 2 + spanDays)).start)
        let schedules = try ScheduleLoader.schedules(db, businessID: business.id, spec: offer.spec, window: window, now: now)
        let query = AvailabilityQuery(offerID: offer.id, spec: offer.spec, resources: schedules, timeZone: zone, now: now,
                                      partySize: partySize, requestedResourceIDs: requested.map { [$0] } ?? [])
        let slugs = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db.cachedStatement(sql: "SELECT id, slug FROM resources WHERE business_id = ?"),
                                                                      arguments: [business.id]).map { ($0["id"] as Int64, $0["slug"] as String) })
        return AvailabilityEngine(query: query, from: from, to: to).slots().map { slot in
            SlotView(start: slot.start, end: slot.end, resourceSlugs: slot.resourceIDs.compactMap { slugs[$0] }, seatsLeft: slot.seatsLeft)
        }
    }
}
