public import BookingCore

/// One line of the customer list, unmasked (Web masks it with `CustomerAccess` before any page model).
public struct CustomerSummary: Sendable, Hashable {
    public let id: CustomerID
    public let name: String
    /// The address the record was made with (the first, when staff merged several into it).
    public let email: String
    public let phone: String
    public let bookings: Int
    public let lastStart: Instant?
}

/// One booking of a customer's history.
public struct CustomerVisit: Sendable, Hashable {
    public let publicID: String
    public let offerName: String
    /// The offer is marked sensitive: the front desk reads "Appointment".
    public let sensitive: Bool
    public let status: BookingStatus
    public let start: Instant
    public let end: Instant
    /// What the ledger holds for it (charges less refunds), in the business's currency.
    public let paid: Int64
    /// The household member it was for, when not the account holder.
    public let householdMember: String?
}

/// A customer's page, unmasked.
public struct CustomerRecord: Sendable {
    public let business: Business
    public let policy: VisibilityPolicy
    public let id: CustomerID
    public let name: String
    public let emails: [String]
    public let phone: String
    public let notes: String
    public let tags: [String]
    public let createdAt: Instant
    /// Newest first; holds and expired holds left out.
    public let bookings: [CustomerVisit]

    public var noShows: Int { bookings.filter { $0.status == .noShow }.count }
    /// The ledger's sum over every booking: what the customer has paid, net of refunds.
    public var spend: Int64 { bookings.reduce(0) { $0 + $1.paid } }
}

/// The customer list for a search: the business, its policy and the matches.
public struct CustomerList: Sendable {
    public let business: Business
    public let policy: VisibilityPolicy
    public let customers: [CustomerSummary]
    /// More matched than the list shows.
    public let truncated: Bool
}

/// What a search may match, decided by the viewer's visibility (`CustomerAccess.searches`).
public struct CustomerSearch: Sendable, Hashable {
    public var text: String
    public var byName: Bool
    public var byEmail: Bool
    public var byPhone: Bool

    public init(text: String, byName: Bool = true, byEmail: Bool = true, byPhone: Bool = true) {
        self.text = text
        self.byName = byName
        self.byEmail = byEmail
        self.byPhone = byPhone
    }
}
