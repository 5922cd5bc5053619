public import BookingCore
import Foundation
import GRDB

/// The owner's report for a date range (business-local days) and, optionally, one location.
/// Bookings are counted by their start; money by the ledger entry's time.
public struct BusinessReport: Sendable {
    public struct StatusCount: Sendable, Hashable {
        public let status: BookingStatus
        public let count: Int
    }
    /// One resource's booked time against its open time in the range.
    public struct Utilisation: Sendable, Hashable {
        public let resourceID: ResourceID
        public let name: String
        /// Service time of its bookings (not buffers): a class session counts once however many
        /// came; on a resource of capacity N, a booking counts its party size ÷ N.
        public let bookedSeconds: Double
        /// Open time from its schedule (weekly hours, special hours, closures) in the business's zone.
        public let openSeconds: Int64
        public var percent: Double? { ReportMath.percent(bookedSeconds, of: Double(openSeconds)) }
    }
    public let business: Business
    public let locations: [StaffLocation]
    public let statuses: [StatusCount]
    /// Charges, deposits and fees (minor units of the business's currency).
    public let takings: Int64
    /// Refunds, as a positive amount.
    public let refunds: Int64
    /// Credits and disputes (signed).
    public let adjustments: Int64
    /// The ledger's sum: takings − refunds + adjustments.
    public let net: Int64
    public let noShows: Int
    /// Checked in or completed.
    public let attended: Int
    public let utilisation: [Utilisation]
    /// Bookings (not cancelled) by the local hour they start in, 0–23.
    public let startsByHour: [Int]
}

extension AppDatabase {
    /// The report of `range` at `location` (nil: every location), in one read transaction; nil for
    /// an unknown business. A location that is not the business's: `ValidationError` on `location`.
    public func report(businessID: BusinessID, range: ExportRange, location: LocationID?) throws -> BusinessReport? {
        try read { db in
            guard let business = try Catalog.business(db, id: businessID), let clock = ZoneClock(identifier: business.timeZone) else {
                return nil
            }
            let locations = try Row.fetchAll(db.cachedStatement(sql: "SELECT id, name FROM locations WHERE business_id = ? ORDER BY name, id"),
                                             arguments: [business.id]).map { StaffLocation(id: $0["id"], name: $0["name"]) }
            if let location, !locations.contains(where: { $0.id == location }) {
                throw ValidationError(field: "location", message: "Choose a location from the list.")
            }
            let window = range.instants(clock)
            let scoped = LocationScopes.condition(LocationScope(location))
            let arguments = LocationScopes.arguments([business.id, window.start, window.end], scoped)
            let statuses = try Row.fetchAll(db, sql: """
                SELECT b.status, count(*) FROM booking_orders b
                WHERE b.business_id = ? AND b.starts_at >= ? AND b.starts_at < ? AND b.status NOT IN ('held', 'expired')\(scoped.sql)
                GROUP BY b.status
                """, arguments: arguments).compactMap { row -> BusinessReport.StatusCount? in
                BookingStatus(rawValue: row[0]).map { BusinessReport.StatusCount(status: $0, count: row[1]) }
            }.sorted { $0.status.rawValue < $1.status.rawValue }
            let money = try Row.fetchOne(db, sql: """
                SELECT COALESCE(SUM(CASE WHEN l.kind IN ('charge', 'deposit', 'fee') THEN l.amount END), 0),
                  COALESCE(SUM(CASE WHEN l.kind = 'refund' THEN -l.amount END), 0),
                  COALESCE(SUM(CASE WHEN l.kind NOT IN ('charge', 'deposit', 'fee', 'refund') THEN l.amount END), 0),
                  COALESCE(SUM(l.amount), 0)
                FROM ledger_entries l JOIN booking_orders b ON b.business_id = l.business_id AND b.id = l.order_id
                WHERE l.business_id = ? AND l.at >= ? AND l.at < ?\(scoped.sql)
                """, arguments: arguments)
            // Starts counted per quarter hour in SQL; each quarter's local hour is read in the zone.
            let buckets = try Row.fetchAll(db, sql: """
                SELECT b.starts_at - b.starts_at % 900 AS bucket, count(*) FROM booking_orders b
                WHERE b.business_id = ? AND b.starts_at >= ? AND b.starts_at < ?
                  AND b.status NOT IN ('held', 'expired', 'cancelled')\(scoped.sql)
                GROUP BY bucket
                """, arguments: arguments).map { (start: $0[0] as Instant, count: $0[1] as Int) }
            let count = { (status: BookingStatus) -> Int in statuses.first { $0.status == status }?.count ?? 0 }
            let sums: [Int64] = (0..<4).map { index -> Int64 in money.map { $0[index] as Int64 } ?? 0 }
            return BusinessReport(
                business: business, locations: locations, statuses: statuses,
                takings: sums[0], refunds: sums[1], adjustments: sums[2], net: sums[3],
                noShows: count(.noShow), attended: count(.checkedIn) + count(.completed),
                utilisation: try Self.utilisation(db, business: business, clock: clock, range: range, window: window, location: location),
                startsByHour: ReportMath.byLocalHour(buckets, clock: clock))
        }
    }

    /// Booked ÷ open time per resource (at `location` when given), by name.
    static func utilisation(_ db: Database, business: Business, clock: ZoneClock, range: ExportRange, window: TimeRange,
                            location: LocationID?) throws -> [BusinessReport.Utilisation] {
        let locations = try LocationScopes.resourceLocations(db, businessID: business.id)
        let resources = try Catalog.resources(db, businessID: business.id)
            .filter { location == nil || (locations[$0.id] ?? nil) == location }
        var booked: [ResourceID: Double] = [:]
        // Service time clipped to the range: every booking on a resource (party size ÷ capacity
        // when it holds several at once), and each class session once.
        for row in try Row.fetchAll(db, sql: """
            SELECT resource_id, SUM(seconds) FROM (
              SELECT a.resource_id, (MIN(a.ends_at, ?2) - MAX(a.starts_at, ?1)) * 1.0
                       * (CASE WHEN r.capacity > 1 THEN a.party_size ELSE 1 END) / r.capacity AS seconds
              FROM resource_assignments a
              JOIN booking_orders b ON b.business_id = a.business_id AND b.id = a.order_id
              JOIN resources r ON r.business_id = a.business_id AND r.id = a.resource_id
              WHERE a.business_id = ?3 AND a.is_class = 0 AND a.starts_at < ?2 AND a.ends_at > ?1
                AND b.status IN ('pending', 'confirmed', 'checked_in', 'completed', 'no_show')
              UNION ALL
              SELECT resource_id, (MIN(ends_at, ?2) - MAX(starts_at, ?1)) * 1.0 FROM (
                SELECT DISTINCT a.resource_id, a.starts_at, a.ends_at FROM resource_assignments a
                JOIN booking_orders b ON b.business_id = a.business_id AND b.id = a.order_id
                WHERE a.business_id = ?3 AND a.is_class = 1 AND a.starts_at < ?2 AND a.ends_at > ?1
                  AND b.status IN ('pending', 'confirmed', 'checked_in', 'completed', 'no_show'))
            ) GROUP BY resource_id
            """, arguments: [window.start, window.end, business.id]) {
            booked[row[0]] = row[1]
        }
        let schedules = Dictionary(try CompiledSchedules.load(db, businessID: business.id).resources.map { ($0.template.id, $0.template) },
                                   uniquingKeysWith: { first, _ in first })
        let days = (0...max(0, range.first.days(to: range.last))).map { clock.day(range.first.adding(days: $0)) }
        return resources.map { resource in
            let open = schedules[resource.id].map { schedule in
                days.reduce(Int64(0)) { $0 + ReportMath.seconds(of: schedule.openRanges(on: $1, offerID: nil), within: window) }
            } ?? 0
            return BusinessReport.Utilisation(resourceID: resource.id, name: resource.name, bookedSeconds: booked[resource.id] ?? 0,
                                              openSeconds: open)
        }.sorted { ($0.name, $0.resourceID.rawValue) < ($1.name, $1.resourceID.rawValue) }
    }
}
