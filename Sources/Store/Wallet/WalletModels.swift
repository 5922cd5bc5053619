public import BookingCore

/// A package as the builder and the staff page show it.
public struct PackageInfo: Sendable, Hashable {
    public struct Offer: Sendable, Hashable {
        public let id: OfferID
        public let name: String
    }

    public let id: PackageID
    public let name: String
    public let credits: Int
    public let validDays: Int
    /// Minor units of `currency`.
    public let price: Int64
    public let currency: String
    public let shareable: Bool
    public let offers: [Offer]
}

/// What the builder's form gives for a new package.
public struct NewPackage: Sendable, Hashable {
    public var name: String
    public var credits: Int
    public var validDays: Int
    public var price: Int64
    public var shareable: Bool
    public var offerIDs: [OfferID]

    public init(name: String, credits: Int, validDays: Int, price: Int64, shareable: Bool, offerIDs: [OfferID]) {
        self.name = name
        self.credits = credits
        self.validDays = validDays
        self.price = price
        self.shareable = shareable
        self.offerIDs = offerIDs
    }
}

/// How a package sale was paid (`entitlements.method`).
public enum PackagePayment: String, Sendable, Hashable, CaseIterable {
    case atVenue = "at_venue"
    case cash
    case card
}

/// One lot of a customer's wallet with what the pages show beside it.
public struct WalletEntry: Sendable, Hashable {
    public let businessID: BusinessID
    public let businessName: String
    public let timeZone: String
    public let lot: EntitlementLot
    public let offerNames: [String]
    public let pricePaid: Int64
    public let currency: String
    public let method: PackagePayment
    public let purchasedAt: Instant
}

/// Why a wallet write was refused; nothing changed.
public enum WalletFailure: Error, Equatable, Sendable {
    case packageNotFound
    /// No account with that email: a wallet belongs to a signed-up customer.
    case customerNotFound
    case invalid(field: String, message: String)
}
