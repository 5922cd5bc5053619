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
    /// No such gift card amount (or gift card) at the business.
    case giftCardNotFound
    /// No account with that email: a wallet belongs to a signed-up customer.
    case customerNotFound
    /// No such purchase at the business (or not one staff record at the venue).
    case purchaseNotFound
    /// The purchase is already paid or cancelled: nothing changed.
    case purchaseClosed(PurchaseStatus)
    case invalid(field: String, message: String)
}

/// What a booking pays with besides money (the API's `redeem`).
public enum Redemption: Sendable, Hashable {
    /// One of the customer's credits valid for the offer pays the whole price.
    case credit
    /// A promo code discounts the price, or a gift card pays part or all of it.
    case code(String)
}

/// A gift card amount the business sells (product kind `gift_card`).
public struct GiftCardProduct: Sendable, Hashable {
    public let id: Int64
    public let name: String
    /// Minor units of `currency`.
    public let amount: Int64
    public let currency: String
}

/// One gift card with its balance (the sum of its movements) and history.
public struct GiftCardInfo: Sendable, Hashable {
    public struct Movement: Sendable, Hashable {
        /// `issue`, `redeem` or `refund`.
        public let kind: String
        /// Signed minor units: positive in, negative out.
        public let amount: Int64
        public let at: Instant
    }

    public let id: Int64
    public let businessID: BusinessID
    public let businessName: String
    public let timeZone: String
    public let code: String
    public let currency: String
    public let movements: [Movement]
    public let createdAt: Instant

    public var balance: Int64 { movements.reduce(0) { $0 + $1.amount } }
}

/// What a customer record's accounts hold at its business.
public struct CustomerHoldings: Sendable {
    public let lots: [WalletEntry]
    public let giftCards: [GiftCardInfo]
    public let memberships: [MembershipInfo]
}
