public import BookingCore

/// What a customer buys online (issue 18): a package of credits or a gift card amount.
public enum ProductRef: Sendable, Hashable, CustomStringConvertible {
    case package(PackageID)
    case giftCard(Int64)

    /// `package-12` or `gift_card-3`, as the products page's forms send it; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[1].count <= 18, parts[1].allSatisfy(\.isASCII), let id = Int64(parts[1]), id > 0 else { return nil }
        switch parts[0] {
        case "package": self = .package(PackageID(rawValue: id))
        case "gift_card": self = .giftCard(id)
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .package(let id): "package-\(id)"
        case .giftCard(let id): "gift_card-\(id)"
        }
    }
}

/// How a purchase is to be paid: online by card (Stripe), or at the venue (staff record it).
public enum PurchaseMethod: String, Sendable, Hashable {
    case card
    case atVenue = "at_venue"
}

/// `pending` until paid (then granted, once) or cancelled.
public enum PurchaseStatus: String, Sendable, Hashable {
    case pending, paid, cancelled
}

/// One purchase with what the pages show of it.
public struct PurchaseInfo: Sendable, Hashable {
    public let id: Int64
    public let publicID: String
    public let businessID: BusinessID
    public let businessSlug: String
    public let businessName: String
    public let timeZone: String
    public let userID: UserID
    public let customerName: String
    public let customerEmail: String
    public let product: ProductRef
    public let name: String
    /// Minor units of `currency`.
    public let amount: Int64
    public let currency: String
    public let method: PurchaseMethod
    public let status: PurchaseStatus
    public let stripeIntent: String?
    public let clientSecret: String
    /// Why the last card payment did not go through ("" when none failed).
    public let lastError: String
    /// The gift card it granted: its code is shown to the buyer.
    public let giftCardCode: String?
    /// When the credits it granted expire.
    public let creditsExpireAt: Instant?
    public let createdAt: Instant
}

/// What recording a payment did to a purchase.
public enum PurchaseSettlement: Sendable, Hashable {
    /// Paid now: the credits or the gift card were granted.
    case granted(PurchaseInfo)
    /// Paid before (the webhook and the return page both came, or an event was replayed): nothing more granted.
    case alreadyPaid(PurchaseInfo)
    /// Cancelled before the money came, or less arrived than the price: nothing granted.
    case notGranted(PurchaseInfo)
}
