import Store

extension MembershipFailure {
    /// The one status and sentence of each refusal (pages and API alike).
    var webError: WebError {
        switch self {
        case .notFound:
            .notFound("We could not find that membership.")
        case .alreadyMember:
            .conflict("already_member", "You already have this membership. See it in your wallet.")
        case .refused(let reason):
            .conflict("membership_refused", reason)
        }
    }
}
