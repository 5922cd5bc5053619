/// What a member may do with one booking, decided from their role and their relation to it: the
/// one decision the staff pages and the API share (Web turns it into links and refusals).
public struct BookingAccess: Sendable, Hashable {
    public let role: Role
    public let relation: BookingRelation

    public init(role: Role, relation: BookingRelation) {
        self.role = role
        self.relation = relation
    }

    /// A policy that lets every role see every field: what `Masking` still hides under it is
    /// hidden by the viewer's relation to the booking, not by a business's policy.
    static let permissive = VisibilityPolicy(overrides: Dictionary(uniqueKeysWithValues: Role.allCases.map { role in
        (role, Dictionary(uniqueKeysWithValues: CustomerField.allCases.map { ($0, Visibility.full) }))
    }))

    /// The viewer may only know that the time is taken ("Busy"): a provider on someone else's
    /// booking, a client on another's — whatever the business's policy says.
    public var busyOnly: Bool {
        Masking.visibility(role: role, relation: relation, field: .name, policy: Self.permissive) == .hidden
    }

    /// May open the booking's detail (masked by the policy).
    public var canView: Bool { !busyOnly }

    /// In an explanation of why a time is not bookable, may the viewer learn which booking holds
    /// it? Who manages the business's bookings, and a provider for the bookings they provide; the
    /// front desk (and anyone else) reads only "taken".
    public var namesHolder: Bool {
        canView && (role.can(.bookingManageOrg) || (role == .provider && relation == .assigned))
    }

    /// Check in, complete, no-show, move to another time: `booking:check_in`, and a provider only
    /// on the bookings they provide.
    public var canHandle: Bool {
        canView && role.can(.bookingCheckIn) && (role != .provider || relation == .assigned)
    }

    /// Cancel: `booking:manage_org` or `booking:manage_location`.
    public var canCancel: Bool {
        canView && (role.can(.bookingManageOrg) || role.can(.bookingManageLocation))
    }
}
