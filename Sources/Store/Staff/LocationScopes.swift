import BookingCore
import GRDB

/// `LocationScope` (BookingCore) applied to queries and writes, inside the caller's transaction.
enum LocationScopes {
    /// SQL: the order `b` uses a resource at the location bound to `?` (`LocationScope.admitsBooking`).
    static let orderIsAt = """
        EXISTS (SELECT 1 FROM resource_assignments la JOIN resources lr ON lr.business_id = la.business_id AND lr.id = la.resource_id
                WHERE la.business_id = b.business_id AND la.order_id = b.id AND lr.location_id = ?)
        """

    /// `sql`'s condition on the order `b` for `scope`, with its argument: empty for every location.
    static func condition(_ scope: LocationScope) -> (sql: String, arguments: [LocationID]) {
        guard let location = scope.location else { return ("", []) }
        return (" AND " + orderIsAt, [location])
    }

    /// A query's arguments followed by the location condition's.
    static func arguments(_ values: [any DatabaseValueConvertible], _ scoped: (sql: String, arguments: [LocationID])) -> StatementArguments {
        StatementArguments(values + scoped.arguments.map { $0 as any DatabaseValueConvertible })
    }

    /// The location of every resource of the business (nil: none).
    static func resourceLocations(_ db: Database, businessID: BusinessID) throws -> [ResourceID: LocationID?] {
        var map: [ResourceID: LocationID?] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT id, location_id FROM resources WHERE business_id = ?"),
                                    arguments: [businessID]) {
            map[row[0]] = row[1] as LocationID?
        }
        return map
    }

    /// The slugs of the resources at the scope's location (nil for every location: no limit).
    static func slugs(_ db: Database, businessID: BusinessID, scope: LocationScope) throws -> Set<String>? {
        guard let location = scope.location else { return nil }
        return Set(try String.fetchAll(db.cachedStatement(sql: "SELECT slug FROM resources WHERE business_id = ? AND location_id = ?"),
                                       arguments: [businessID, location]))
    }

    /// Is the offer held at the scope's location: may one of the resources it needs be there? (A
    /// class's sessions and roster are then the member's.) Always for every location.
    static func admits(_ db: Database, businessID: BusinessID, offer: OfferInfo, scope: LocationScope) throws -> Bool {
        guard let slugs = try slugs(db, businessID: businessID, scope: scope) else { return true }
        return try Catalog.resources(db, businessID: businessID).contains { r in
            slugs.contains(r.slug) && offer.spec.components.contains { $0.selector.matches(id: r.id, kind: r.kind, tags: r.tags) }
        }
    }

    /// Is the order visible in `scope`?
    static func admits(_ db: Database, order: OrderView, scope: LocationScope) throws -> Bool {
        try !admitted(db, orders: [order], businessID: order.businessID, scope: scope).isEmpty
    }

    /// The orders of the business visible in `scope`, in their order.
    static func admitted(_ db: Database, orders: [OrderView], businessID: BusinessID, scope: LocationScope) throws -> [OrderView] {
        guard scope.location != nil else { return orders }
        let locations = try resourceLocations(db, businessID: businessID)
        return orders.filter { scope.admitsBooking(resourceLocations: $0.resources.map { locations[$0.id] ?? nil }) }
    }

    /// Refuses, as an unknown resource, a resource outside the scope: `resourceNotFound(slug)`.
    static func requireResources(_ db: Database, businessID: BusinessID, ids: [ResourceID], scope: LocationScope) throws {
        guard scope.location != nil else { return }
        let locations = try resourceLocations(db, businessID: businessID)
        for id in ids where !scope.admitsResources([locations[id] ?? nil]) {
            let slug = try String.fetchOne(db, sql: "SELECT slug FROM resources WHERE business_id = ? AND id = ?", arguments: [businessID, id])
            throw BookingFailure.resourceNotFound(slug ?? "that")
        }
    }

    /// Only the slots whose every resource is in the scope.
    static func filter(_ slots: [AvailabilityReads.SlotView], slugs: Set<String>?) -> [AvailabilityReads.SlotView] {
        guard let slugs else { return slots }
        return slots.filter { !$0.resourceSlugs.isEmpty && $0.resourceSlugs.allSatisfy(slugs.contains) }
    }
}

extension StaffCalendarData {
    /// The calendar as a member limited to `location` sees it: that location's resources, the
    /// bookings using one of them, their blocked time and hours; the location filter offers it alone.
    func scoped(to location: LocationID) -> StaffCalendarData {
        let kept = Set(resources.filter { resourceLocations[$0.id] == location }.map(\.id))
        let keptSpans = spans.filter { kept.contains($0.resourceID) }
        let keptOrders = Set(keptSpans.map(\.orderID))
        var scoped = StaffCalendarData(
            resources: resources.filter { kept.contains($0.id) }, locations: locations.filter { $0.id == location },
            resourceLocations: resourceLocations.filter { kept.contains($0.key) },
            orders: orders.filter { keptOrders.contains($0.id) }, spans: spans.filter { keptOrders.contains($0.orderID) },
            blocked: blocked.filter { kept.contains($0.resourceID) }, openHours: openHours.filter { kept.contains($0.key) },
            closures: closures.filter { kept.contains($0.key) }, sensitiveOffers: sensitiveOffers)
        scoped.atRisk = atRisk.filter { id, _ in orders.contains { $0.publicID == id && keptOrders.contains($0.id) } }
        return scoped
    }
}
