public import Foundation  // TimeZone only.

/// Everything the engine needs for one offer version. All time is passed in.
public struct AvailabilityQuery: Sendable {
    public var offerID: OfferID
    public var spec: OfferVersionSpec
    /// Candidate resources (others may be included; selectors pick from them).
    public var resources: [ResourceSchedule]
    /// The business's time zone: rules are in its wall-clock time.
    public var clock: ZoneClock
    public var now: Instant
    public var partySize: Int
    /// Resources the customer picked (e.g. a host): each one serves the first component it
    /// qualifies for, and that component then uses only the picked resources.
    public var requestedResourceIDs: [ResourceID]
    /// For duration ranges; nil = the minimum.
    public var durationMinutes: Int?
    public var strategy: AssignmentStrategy
    /// Open hours per resource and date kept from earlier engines (nil: computed here). It checks
    /// each resource's rules itself, so any memo gives the same answer; the Store passes the one of
    /// its compiled schedules.
    public var hoursMemo: OpenHoursMemo?

    public init(offerID: OfferID, spec: OfferVersionSpec, resources: [ResourceSchedule], timeZone: TimeZone,
                now: Instant, partySize: Int = 1, requestedResourceIDs: [ResourceID] = [],
                durationMinutes: Int? = nil, strategy: AssignmentStrategy = .leastRecentlyBooked,
                hoursMemo: OpenHoursMemo? = nil) {
        self.offerID = offerID
        self.spec = spec
        self.resources = resources
        self.clock = ZoneClock(timeZone)
        self.now = now
        self.partySize = Swift.max(1, partySize)
        self.requestedResourceIDs = requestedResourceIDs
        self.durationMinutes = durationMinutes
        self.strategy = strategy
        self.hoursMemo = hoursMemo
    }

    /// The single picked resource, when there is one.
    public var requestedResourceID: ResourceID? {
        get { requestedResourceIDs.first }
        set { requestedResourceIDs = newValue.map { [$0] } ?? [] }
    }
}
