/// Erasing a customer on request (issue 19): what stops it and what is left in their place.
public enum ErasureRules {
    /// The domain of the address written where a row requires one after erasure.
    public static let erasedEmailDomain = "@erased.invalid"

    /// A booking that still lies ahead stops an erasure until it is cancelled: the business would
    /// otherwise lose who is coming. An unexpired hold counts; a past booking, whatever its
    /// status, does not.
    public static func blocksErasure(status: BookingStatus, end: Instant, holdExpiresAt: Instant?, now: Instant) -> Bool {
        switch status {
        case .held: (holdExpiresAt ?? 0) > now
        case .pending, .confirmed, .checkedIn: end > now
        case .completed, .cancelled, .noShow, .expired: false
        }
    }

    /// "Erased customer 3f9a0c1b": the name money and audit records keep. `token` is random, so
    /// the pseudonym says nothing about the person and two erasures never share one.
    public static func pseudonym(token: String) -> String { "Erased customer \(token)" }

    /// The address left where a row requires one: "erased-3f9a0c1b@erased.invalid".
    public static func erasedEmail(token: String) -> String { "erased-\(token)\(erasedEmailDomain)" }
}
