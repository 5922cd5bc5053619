/// How an offer is sold.
public enum OfferMode: String, Hashable, Sendable, Codable, CaseIterable {
    /// Appointments cut from open hours.
    case slot
    /// Scheduled sessions with seats.
    case `class`
    /// Rentals spanning days: only the start and the end must fall in open hours.
    case multiDay = "multi_day"
}

/// A fixed duration, or a range of allowed durations `min, min+step, … ≤ max` (minutes).
public struct DurationSpec: Hashable, Sendable, Codable {
    public var minMinutes: Int
    public var maxMinutes: Int
    public var stepMinutes: Int

    public static func fixed(_ minutes: Int) -> DurationSpec {
        DurationSpec(minMinutes: minutes, maxMinutes: minutes, stepMinutes: minutes)
    }

    public init(minMinutes: Int, maxMinutes: Int, stepMinutes: Int) {
        self.minMinutes = minMinutes
        self.maxMinutes = maxMinutes
        self.stepMinutes = Swift.max(1, stepMinutes)
    }

    /// The duration to use for `requested` (nil → the minimum), or nil when not allowed.
    public func resolve(_ requested: Int?) -> Int? {
        let d = requested ?? minMinutes
        guard d > 0, d >= minMinutes, d <= maxMinutes, (d - minMinutes) % stepMinutes == 0 else { return nil }
        return d
    }
}

/// Which resources can fill a component.
public enum ResourceSelector: Hashable, Sendable, Codable {
    /// Exactly this resource.
    case resource(ResourceID)
    /// Any resource of this kind, carrying `tag` when given.
    case anyOf(kind: ResourceKind, tag: String?)

    public func matches(_ r: ResourceSchedule) -> Bool { matches(id: r.id, kind: r.kind, tags: r.tags) }

    /// Does the resource `id` of `kind` carrying `tags` answer this selector?
    public func matches(id: ResourceID, kind: ResourceKind, tags: some Collection<String>) -> Bool {
        switch self {
        case .resource(let wanted): return id == wanted
        case .anyOf(let wantedKind, let tag): return kind == wantedKind && (tag.map { tags.contains($0) } ?? true)
        }
    }
}

/// One kind of resource an offer needs (a host, a room, …).
public struct OfferComponent: Hashable, Sendable, Codable {
    public var selector: ResourceSelector
    /// How many distinct resources this component needs.
    public var count: Int
    /// A label such as "host" or "room".
    public var role: String
    /// Optional components are filled when possible and never make a start unavailable.
    public var required: Bool

    public init(selector: ResourceSelector, count: Int = 1, role: String, required: Bool = true) {
        self.selector = selector
        self.count = Swift.max(1, count)
        self.role = role
        self.required = required
    }
}

/// The immutable booking rules of a published offer version.
public struct OfferVersionSpec: Hashable, Sendable, Codable {
    public var mode: OfferMode
    public var duration: DurationSpec
    public var bufferBeforeMinutes: Int
    public var bufferAfterMinutes: Int
    /// Starts are wall-clock multiples of this from local midnight (slot and multi-day modes).
    public var slotIntervalMinutes: Int
    public var minimumNoticeMinutes: Int
    public var maximumAdvanceDays: Int
    /// Class capacity in seats (class mode).
    public var seats: Int
    public var holdMinutes: Int
    public var approvalRequired: Bool
    public var price: PriceModel
    public var pricingRules: [PricingRule]
    public var deposit: DepositRule?
    public var cancellationTiers: [CancellationTier]
    public var noShowFeePercent: Int
    public var rescheduleAllowed: Bool
    public var rescheduleCutoffHours: Int
    public var components: [OfferComponent]
    /// Classes: the fewest people a session runs with (0: no minimum), decided `decideHoursBefore` the start.
    public var minimumParticipants: Int = 0
    public var decideHoursBefore: Int = 24
    /// Per-offer hours: when set, a start is bookable only if its service fits one of these weekly
    /// windows too (business wall-clock time), within the resources' own hours. Empty: the resources'
    /// hours alone.
    public var hours: [WeeklyRule] = []
    /// Intake questions asked at checkout (issue 19), in order.
    public var questions: [IntakeQuestion] = []

    public init(mode: OfferMode = .slot, duration: DurationSpec, bufferBeforeMinutes: Int = 0,
                bufferAfterMinutes: Int = 0, slotIntervalMinutes: Int = 30, minimumNoticeMinutes: Int = 0,
                maximumAdvanceDays: Int = 365, seats: Int = 1, holdMinutes: Int = 10,
                approvalRequired: Bool = false, price: PriceModel, pricingRules: [PricingRule] = [],
                deposit: DepositRule? = nil, cancellationTiers: [CancellationTier] = [],
                noShowFeePercent: Int = 0, rescheduleAllowed: Bool = true, rescheduleCutoffHours: Int = 0,
                components: [OfferComponent]) {
        self.mode = mode
        self.duration = duration
        self.bufferBeforeMinutes = bufferBeforeMinutes
        self.bufferAfterMinutes = bufferAfterMinutes
        self.slotIntervalMinutes = Swift.max(1, slotIntervalMinutes)
        self.minimumNoticeMinutes = minimumNoticeMinutes
        self.maximumAdvanceDays = maximumAdvanceDays
        self.seats = seats
        self.holdMinutes = holdMinutes
        self.approvalRequired = approvalRequired
        self.price = price
        self.pricingRules = pricingRules
        self.deposit = deposit
        self.cancellationTiers = cancellationTiers
        self.noShowFeePercent = noShowFeePercent
        self.rescheduleAllowed = rescheduleAllowed
        self.rescheduleCutoffHours = rescheduleCutoffHours
        self.components = components
    }
}

/// Whether customers can book an offer: live (bookable), paused (hidden for now) or archived.
public enum OfferStatus: String, Hashable, Sendable, Codable, CaseIterable {
    case live, paused, archived
}
