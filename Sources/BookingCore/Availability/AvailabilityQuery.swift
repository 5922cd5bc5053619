public import Foundation  // TimeZone only.

/// Everything the engine needs for one offer version. All time is passed in.
public struct AvailabilityQuery: Sendable {
    public var offerID: Int64
    public var spec: OfferVersionSpec
    /// Candidate resources (others may be included; selectors pick from them).
    public var resources: [ResourceSchedule]
    /// The business's time zone: rules are in its wall-clock time.
    public var clock: ZoneClock
    public var now: Instant
    public var partySize: Int
    /// The customer picked this resource (e.g. a host) for the component it qualifies for.
    public var requestedResourceID: Int64?
    /// For duration ranges; nil = the minimum.
    public var durationMinutes: Int?
    public var strategy: AssignmentStrategy

    public init(offerID: Int64, spec: OfferVersionSpec, resources: [ResourceSchedule], timeZone: TimeZone,
                now: Instant, partySize: Int = 1, requestedResourceID: Int64? = nil,
                durationMinutes: Int? = nil, strategy: AssignmentStrategy = .leastRecentlyBooked) {
        self.offerID = offerID
        self.spec = spec
        self.resources = resources
        self.clock = ZoneClock(timeZone)
        self.now = now
        self.partySize = Swift.max(1, partySize)
        self.requestedResourceID = requestedResourceID
        self.durationMinutes = durationMinutes
        self.strategy = strategy
    }
}
