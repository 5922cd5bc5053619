/// A customer field shown on bookings.
public enum CustomerField: String, Hashable, Sendable, Codable, CaseIterable {
    case name, email, phone, notes
    case pricePaid = "price_paid"
    case householdMember = "household_member"
    case source
}

/// How much of a field a viewer may see. Hidden fields are never sent.
public enum Visibility: String, Hashable, Comparable, Sendable, Codable, CaseIterable {
    case hidden, masked, full

    public static func < (a: Visibility, b: Visibility) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// The viewer's relation to a booking.
public enum BookingRelation: String, Hashable, Sendable, Codable, CaseIterable {
    /// The viewer is the booking's provider.
    case assigned
    /// The viewer is the customer.
    case own
    case other
}

/// A business's field-visibility policy: overrides of the defaults per role and field.
public struct VisibilityPolicy: Hashable, Sendable, Codable {
    public var overrides: [Role: [CustomerField: Visibility]]

    public init(overrides: [Role: [CustomerField: Visibility]] = [:]) { self.overrides = overrides }

    public static let `default` = VisibilityPolicy()

    /// The default for a role that may see the booking: owner, admin, manager and providers (on
    /// their assigned bookings) see everything; staff see a masked name and household member,
    /// the source, and nothing else.
    public static func defaultVisibility(_ role: Role, _ field: CustomerField) -> Visibility {
        switch role {
        case .owner, .admin, .manager, .provider, .client: return .full
        case .staff:
            switch field {
            case .name, .householdMember: return .masked
            case .source: return .full
            case .email, .phone, .notes, .pricePaid: return .hidden
            }
        }
    }

    /// The visibility for `role` on `field`, override first.
    public func visibility(_ role: Role, _ field: CustomerField) -> Visibility {
        overrides[role]?[field] ?? Self.defaultVisibility(role, field)
    }
}

/// The masking decision, made on the server before any page model or JSON is built.
public enum Masking {
    /// What `role` with `relation` to a booking may see of `field`.
    /// - The customer (`own`) sees all of their own booking.
    /// - Providers see assigned bookings per the policy (default full); others' bookings hidden
    ///   (their calendar shows only "busy").
    /// - Clients see nothing of other people's bookings.
    /// - Owner, admin, manager and staff: per the policy, whatever the relation.
    public static func visibility(role: Role, relation: BookingRelation, field: CustomerField,
                                  policy: VisibilityPolicy = .default) -> Visibility {
        if relation == .own { return .full }
        switch role {
        case .provider: return relation == .assigned ? policy.visibility(role, field) : .hidden
        case .client: return .hidden
        case .owner, .admin, .manager, .staff: return policy.visibility(role, field)
        }
    }

    /// May the viewer see the real service name? For a sensitive offer, staff and unrelated
    /// viewers see only "Appointment".
    public static func serviceLabelVisible(role: Role, relation: BookingRelation, sensitive: Bool) -> Bool {
        if !sensitive || relation == .own { return true }
        switch role {
        case .owner, .admin, .manager: return true
        case .provider: return relation == .assigned
        case .staff, .client: return false
        }
    }

    /// The label to show for the service.
    public static func serviceLabel(_ name: String, role: Role, relation: BookingRelation, sensitive: Bool) -> String {
        serviceLabelVisible(role: role, relation: relation, sensitive: sensitive) ? name : "Appointment"
    }

    /// Applies a visibility to a value: nil when hidden.
    public static func apply(_ visibility: Visibility, field: CustomerField, value: String) -> String? {
        switch visibility {
        case .full: return value
        case .hidden: return nil
        case .masked:
            switch field {
            case .name, .householdMember: return maskName(value)
            case .email: return maskEmail(value)
            case .phone: return maskPhone(value)
            case .notes, .pricePaid, .source: return "•••"
            }
        }
    }

    /// "Zelda Quinn" → "Zelda Q."; a single name stays as is.
    public static func maskName(_ name: String) -> String {
        let parts = name.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let first = parts.first else { return "" }
        guard parts.count > 1, let initial = parts.last?.first else { return String(first) }
        return "\(first) \(initial)."
    }

    /// "zelda@example.com" → "z•••@example.com".
    public static func maskEmail(_ email: String) -> String {
        guard let at = email.lastIndex(of: "@"), let first = email.first, at != email.startIndex else { return "•••" }
        return "\(first)•••\(email[at...])"
    }

    /// "+1 555 010 0142" → "•••• 0142" (last four digits).
    public static func maskPhone(_ phone: String) -> String {
        let digits = phone.filter(\.isASCII).filter(\.isNumber)
        guard digits.count >= 4 else { return "••••" }
        return "•••• \(digits.suffix(4))"
    }
}
