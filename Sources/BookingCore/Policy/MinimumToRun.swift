/// Whether a class session runs: with a minimum, it is decided `decideHoursBefore` its start; below
/// the minimum then, it is cancelled (every booking refunded in full). Before that it is "at risk"
/// while below the minimum.
public enum MinimumToRun {
    public enum Verdict: Sendable, Hashable {
        /// No minimum, or enough people.
        case fine
        /// Below the minimum, decided later: staff see it at risk.
        case atRisk(decidesAt: Instant)
        /// Below the minimum at (or after) its decision time, before the start: cancel it.
        case cancel
    }

    public static func verdict(participants: Int, spec: OfferVersionSpec, start: Instant, now: Instant) -> Verdict {
        guard spec.mode == .class, spec.minimumParticipants > 0, participants < spec.minimumParticipants, now < start else { return .fine }
        let decidesAt = start - Int64(spec.decideHoursBefore) * 3_600
        return now >= decidesAt ? .cancel : .atRisk(decidesAt: decidesAt)
    }
}
