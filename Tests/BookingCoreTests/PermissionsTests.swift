import BookingCore
import Testing

struct PermissionsTests {
    /// The expected table, written out by hand: role → permissions it has.
    static let expected: [Role: Set<String>] = {
        let managerSet: Set<String> = [
            "booking:create", "booking:view_own", "booking:view_location", "booking:view_assigned", "booking:view_org",
            "booking:check_in", "booking:manage_location", "booking:manage_org", "service_template:manage",
            "provider:manage_org", "calendar:view",
        ]
        let everything = Set(Permission.allCases.map(\.rawValue))
        return [
            .owner: everything,
            .admin: everything.subtracting(["org:transfer_ownership"]),
            .manager: managerSet,
            .staff: ["booking:create", "booking:view_own", "booking:view_location", "booking:view_org",
                     "booking:check_in", "calendar:view"],
            .provider: ["booking:view_own", "booking:view_assigned", "booking:check_in", "calendar:view"],
            .client: ["booking:create", "booking:view_own"],
        ]
    }()

    static let pairs = Role.allCases.flatMap { r in Permission.allCases.map { (r, $0) } }

    @Test(arguments: pairs)
    func roleHasExactlyTheTablesPermissions(role: Role, permission: Permission) {
        #expect(role.can(permission) == Self.expected[role]!.contains(permission.rawValue))
    }

    @Test func permissionStringsMatchTheSeeds() {
        #expect(Permission.allCases.count == 17)
        for name in ["booking:create", "booking:view_own", "booking:view_location", "booking:view_assigned",
                     "booking:view_org", "booking:check_in", "booking:manage_location", "booking:manage_org",
                     "service_template:manage", "provider:manage_org", "org:manage", "user:manage", "audit:view",
                     "api_key:manage", "calendar:view", "policy:manage"] {
            #expect(Permission(rawValue: name) != nil, "\(name)")
        }
        #expect(Role.allCases.map(\.rawValue) == ["owner", "admin", "manager", "staff", "provider", "client"])
    }

    @Test func onlyTheOwnerCanTransferOwnership() {
        #expect(Role.allCases.filter { $0.can(.orgTransferOwnership) } == [.owner])
    }
}
