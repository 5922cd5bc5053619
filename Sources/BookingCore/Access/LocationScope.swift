/// Where a member works: a membership limited to one location sees and books only that location's
/// resources, and the bookings that use one of them (issue 19). Without a location: everywhere.
/// Store's SQL (`LocationScopes.orderIsAt`) states the same rule for its queries.
public struct LocationScope: Sendable, Hashable {
    public let location: LocationID?

    public init(_ location: LocationID?) { self.location = location }

    /// Every location (an unscoped member).
    public static let everywhere = LocationScope(nil)

    /// A booking whose resources are at `resourceLocations` (nil: a resource with no location) is
    /// visible when one of them is at the member's location.
    public func admitsBooking(resourceLocations: [LocationID?]) -> Bool {
        guard let location else { return true }
        return resourceLocations.contains(location)
    }

    /// A resource (or a start that would use these resources) may be booked or blocked by the
    /// member only when every one of them is at the member's location.
    public func admitsResources(_ resourceLocations: [LocationID?]) -> Bool {
        guard let location else { return true }
        return resourceLocations.allSatisfy { $0 == location }
    }
}
