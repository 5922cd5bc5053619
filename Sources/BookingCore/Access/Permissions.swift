/// A member's role in a business. Raw values are stored.
public enum Role: String, Hashable, Comparable, Sendable, Codable, CaseIterable {
    case owner, admin, manager, staff, provider, client

    public static func < (a: Role, b: Role) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// What this role may do (see `Permission`).
    public var permissions: Set<Permission> { Permission.table[self] ?? [] }

    public func can(_ permission: Permission) -> Bool { permissions.contains(permission) }

    /// Whether a member of this role may give `role` to a team member or an API key: never more
    /// than their own, so only an owner makes an owner.
    public func canGrant(_ role: Role) -> Bool { self == .owner || (role != .owner && role >= self) }

    /// The roles this role may give, strongest first.
    public var grantableRoles: [Role] { Role.allCases.filter(canGrant) }
}

/// Something a role may do. Raw values are the seeds' permission strings.
public enum Permission: String, Hashable, Sendable, Codable, CaseIterable {
    case bookingCreate = "booking:create"
    case bookingViewOwn = "booking:view_own"
    case bookingViewLocation = "booking:view_location"
    case bookingViewAssigned = "booking:view_assigned"
    case bookingViewOrg = "booking:view_org"
    case bookingCheckIn = "booking:check_in"
    case bookingManageLocation = "booking:manage_location"
    case bookingManageOrg = "booking:manage_org"
    case serviceTemplateManage = "service_template:manage"
    case providerManageOrg = "provider:manage_org"
    case orgManage = "org:manage"
    case userManage = "user:manage"
    case auditView = "audit:view"
    case apiKeyManage = "api_key:manage"
    case calendarView = "calendar:view"
    case policyManage = "policy:manage"
    /// Hand the business to another owner (owner only).
    case orgTransferOwnership = "org:transfer_ownership"

    /// Role → permissions.
    /// - owner: everything;
    /// - admin: everything but transferring ownership;
    /// - manager: bookings, offers (service templates), providers, calendar — not users, org
    ///   settings, policies, API keys or the audit log;
    /// - staff (front desk): creates bookings, views the org's bookings and calendar, checks in;
    /// - provider: views bookings assigned to them and their own, the calendar; checks in (their own:
    ///   the caller also checks the relation);
    /// - client: creates bookings and views their own.
    static let table: [Role: Set<Permission>] = {
        let all = Set(Permission.allCases)
        let manager: Set<Permission> = [
            .bookingCreate, .bookingViewOwn, .bookingViewLocation, .bookingViewAssigned, .bookingViewOrg,
            .bookingCheckIn, .bookingManageLocation, .bookingManageOrg, .serviceTemplateManage,
            .providerManageOrg, .calendarView,
        ]
        return [
            .owner: all,
            .admin: all.subtracting([.orgTransferOwnership]),
            .manager: manager,
            .staff: [.bookingCreate, .bookingViewOwn, .bookingViewLocation, .bookingViewOrg,
                     .bookingCheckIn, .calendarView],
            .provider: [.bookingViewOwn, .bookingViewAssigned, .bookingCheckIn, .calendarView],
            .client: [.bookingCreate, .bookingViewOwn],
        ]
    }()
}
