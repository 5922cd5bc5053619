/// What a member may see and do on a business's customer records (`/manage/{business}/customers`):
/// the booking field policy, read as if the record were someone else's booking (`relation: .other`),
/// so a front desk that sees "Zelda Q." on the calendar sees the same on the customer's page.
public struct CustomerAccess: Sendable, Hashable {
    public let role: Role
    public let policy: VisibilityPolicy

    public init(role: Role, policy: VisibilityPolicy) {
        self.role = role
        self.policy = policy
    }

    /// Opens the list and records: who views the business's bookings (`booking:view_org`).
    public var canView: Bool { role.can(.bookingViewOrg) }

    public func visibility(_ field: CustomerField) -> Visibility {
        Masking.visibility(role: role, relation: .other, field: field, policy: policy)
    }

    /// The value of `field` as this viewer may see it; nil when hidden or empty.
    public func show(_ field: CustomerField, _ value: String) -> String? {
        value.isEmpty ? nil : Masking.apply(visibility(field), field: field, value: value)
    }

    /// A search may match a field only when the viewer sees at least part of it, so searching never
    /// reveals who holds an address or a number the viewer may not read.
    public func searches(_ field: CustomerField) -> Bool { visibility(field) != .hidden }

    /// Edits tags and private notes, and merges records: who manages the business's bookings and
    /// reads the notes in full.
    public var canEdit: Bool { role.can(.bookingManageOrg) && visibility(.notes) == .full }
}

/// Input rules for customer records.
public enum CustomerRules {
    public static let maxTags = 20
    public static let maxTagLength = 40
    public static let maxNotesLength = 4000

    /// "VIP, allergy: nuts ,vip" → ["allergy: nuts", "vip"]: comma-separated, trimmed, lower-cased,
    /// de-duplicated and sorted; a tag too long or too many tags is a `ValidationError`.
    public static func tags(_ text: String) throws(ValidationError) -> [String] {
        let tags = Set(text.split(separator: ",").map { String($0).trimmingASCIISpaces().lowercased() }.filter { !$0.isEmpty })
        if let long = tags.first(where: { $0.count > maxTagLength }) {
            throw ValidationError(field: "tags", message: "Keep each tag under \(maxTagLength + 1) characters (“\(long.prefix(20))…” is longer).")
        }
        guard tags.count <= maxTags else {
            throw ValidationError(field: "tags", message: "Use at most \(maxTags) tags.")
        }
        return tags.sorted()
    }

    /// Private notes: at most `maxNotesLength` characters, trimmed.
    public static func notes(_ text: String) throws(ValidationError) -> String {
        let notes = text.trimmingASCIISpaces()
        guard notes.count <= maxNotesLength else {
            throw ValidationError(field: "notes", message: "Keep the notes under \(maxNotesLength + 1) characters.")
        }
        return notes
    }

    /// The digits of a search, for matching phone numbers however they were typed ("(212) 555-0100"
    /// finds "+1 212 555 0100"); nil when fewer than three digits.
    public static func phoneDigits(_ query: String) -> String? {
        let digits = query.filter { $0.isASCII && $0.isNumber }
        return digits.count >= 3 ? digits : nil
    }
}
