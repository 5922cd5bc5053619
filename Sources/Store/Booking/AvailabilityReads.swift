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
        var requested: Int64?
        if let resourceSlug {
            guard let id = try Catalog.resourceID(db, businessID: business.id, slug: resourceSlug) else {
                throw BookingFailure.resourceNotFound(resourceSlug)
            }
            requested = id
        }
        return try slots(db, business: business, offerID: offer.id, spec: offer.spec, from: from, to: to, now: now, partySize: partySize,
                         requested: requested.map { [$0] } ?? [])
    }

    /// The times `order` could move to: its own offer version, duration and party size, with the
    /// order itself left out of the busy time (as `Bookings.reschedule` checks it), its current
    /// start excluded.
    public static func rescheduleSlots(_ db: Database, business: Business, order: OrderView, from: LocalDate, to: LocalDate,
                                       now: Instant) throws -> [SlotView] {
        guard let spec = try Catalog.offerVersion(db, businessID: business.id, versionID: order.offerVersionID) else {
            throw BookingFailure.offerNotFound
        }
        return try slots(db, business: business, offerID: order.offerID, spec: spec, from: from, to: to, now: now,
                         partySize: order.partySize, requested: [], excludingOrder: order.id,
                         durationMinutes: Int((order.end - order.start) / 60)).filter { $0.start != order.start }
    }

    static func slots(_ db: Database, business: Business, offerID: Int64, spec: OfferVersionSpec, from: LocalDate, to: LocalDate,
                      now: Instant, partySize: Int, requested: [Int64], excludingOrder: Int64? = nil,
                      durationMinutes: Int? = nil) throws -> [SlotView] {
        guard let zone = TimeZone(identifier: business.timeZone) else { return [] }
        let clock = ZoneClock(zone)
        let spanDays = 2 + (spec.duration.maxMinutes + spec.bufferAfterMinutes) / 1440
        let window = TimeRange(start: clock.day(from.adding(days: -2)).start, end: clock.day(to.adding(days: 2 + spanDays)).start)
        let schedules = try ScheduleLoader.schedules(db, businessID: business.id, spec: spec, window: window, now: now,
                                                     excludingOrder: excludingOrder)
        let query = AvailabilityQuery(offerID: offerID, spec: spec, resources: schedules, timeZone: zone, now: now,
                                      partySize: partySize, requestedResourceIDs: requested, durationMinutes: durationMinutes)
        let slugs = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db.cachedStatement(sql: "SELECT id, slug FROM resources WHERE business_id = ?"),
                                                                      arguments: [business.id]).map { ($0["id"] as Int64, $0["slug"] as String) })
        return AvailabilityEngine(query: query, from: from, to: to).slots().map { slot in
            SlotView(start: slot.start, end: slot.end, resourceSlugs: slot.resourceIDs.compactMap { slugs[$0] }, seatsLeft: slot.seatsLeft)
        }
    }
}
