/// What happens to a booking waiting for approval that nobody decides: after `autoAfterHours` the
/// worker takes `decision`. Without hours, it waits for staff however long that takes.
public struct ApprovalPolicy: Sendable, Hashable {
    public enum Decision: String, Sendable, Hashable, CaseIterable {
        case approve, decline
    }

    public static let maximumHours = 720

    public var autoAfterHours: Int?
    public var decision: Decision

    public init(autoAfterHours: Int? = nil, decision: Decision = .approve) {
        self.autoAfterHours = autoAfterHours
        self.decision = decision
    }

    public static let manual = ApprovalPolicy()

    /// When a booking requested at `requestedAt` is decided automatically; nil when never.
    public func decidesAt(requestedAt: Instant) -> Instant? {
        autoAfterHours.map { requestedAt + Int64($0) * 3_600 }
    }

    /// The newest request time that is due at `now`: requests made at or before it are decided.
    public func dueBefore(now: Instant) -> Instant? {
        autoAfterHours.map { now - Int64($0) * 3_600 }
    }

    /// The status the automatic decision moves a pending booking to.
    public var decidedStatus: BookingStatus { decision == .approve ? .confirmed : .cancelled }
}

/// How a freed place is offered to those waiting for it.
public struct WaitlistPolicy: Sendable, Hashable {
    /// How a freed place is offered to those waiting.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// Held for the first who fits; unclaimed, it passes to the next.
        case inOrder = "in_order"
        /// Everyone waiting who fits is told at once; the first to claim gets it, the others are
        /// told it is taken and stay in line.
        case firstToConfirm = "first_to_confirm"
    }

    public static let maximumOfferMinutes = 1440
    /// How long the hold made for a waiting customer lasts before it passes to the next (in
    /// order), or how long everyone told may claim (first to confirm).
    public var offerMinutes: Int
    public var mode: Mode

    public init(offerMinutes: Int = 30, mode: Mode = .inOrder) {
        self.offerMinutes = offerMinutes
        self.mode = mode
    }

    public static let standard = WaitlistPolicy()

    public func holdExpiry(now: Instant) -> Instant { now + Int64(offerMinutes) * 60 }

    /// Whether a waiting party of `partySize` is worth offering a freed place to, once a party of
    /// `smallestMisfit` did not fit: a party as large or larger will not fit either.
    public static func worthTrying(partySize: Int, smallestMisfit: Int?) -> Bool {
        smallestMisfit.map { partySize < $0 } ?? true
    }

    /// Of `free` places at a start, how many the public may take: the places kept for open
    /// first-to-confirm claims (`kept`) are not theirs, nor those the waiting parties (`waiting`, in
    /// line order) would be offered at the next settle, each party that fits what is left taking
    /// its size (one that does not fit is passed over, as `promote` does). Never below zero.
    public static func placesForPublic(free: Int, kept: Int, waiting: [Int]) -> Int {
        var left = free - kept
        for party in waiting where party <= left { left -= party }
        return max(0, left)
    }

    /// What a first-to-confirm claim comes to: the place, if the claim is still open and a place
    /// fits the party; else why not. `fits` is the engine's answer for the party now.
    public static func claimOutcome(offerExpiresAt: Instant?, now: Instant, fits: Bool) -> ClaimOutcome {
        guard let offerExpiresAt, offerExpiresAt > now else { return .expired }
        return fits ? .granted : .taken
    }

    public enum ClaimOutcome: String, Sendable, Hashable {
        /// The place is held for the claimant (a hold to confirm at checkout).
        case granted
        /// Someone claimed first: the claimant stays in line.
        case taken
        /// The time to claim ran out: out of the line.
        case expired
    }
}
