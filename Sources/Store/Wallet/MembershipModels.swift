public import BookingCore

/// A membership plan as the builder, the public page and the API show it.
public struct MembershipPlanInfo: Sendable, Hashable {
    public let id: Int64
    /// The `packages` row (kind `membership`) whose lots carry each period's credits.
    public let packageID: PackageID
    public let name: String
    /// Minor units of `currency`, per month (one period).
    public let pricePerMonth: Int64
    public let currency: String
    public let offers: [PackageInfo.Offer]
    public let rules: MembershipPlanRules
}

/// What the builder's form (or the API) gives for a new membership plan.
public struct NewMembershipPlan: Sendable, Hashable {
    public var name: String
    public var pricePerMonth: Int64
    public var creditsPerPeriod: Int
    public var offerIDs: [OfferID]
    public var rollover: Bool
    public var rolloverCap: Int
    public var discountPercent: Int
    public var maxPauseMonths: Int
    /// nil: cancel at the end of the current period; N: with N days' notice.
    public var cancelNoticeDays: Int?

    public init(name: String, pricePerMonth: Int64, creditsPerPeriod: Int, offerIDs: [OfferID], rollover: Bool, rolloverCap: Int,
                discountPercent: Int, maxPauseMonths: Int, cancelNoticeDays: Int?) {
        self.name = name
        self.pricePerMonth = pricePerMonth
        self.creditsPerPeriod = creditsPerPeriod
        self.offerIDs = offerIDs
        self.rollover = rollover
        self.rolloverCap = rolloverCap
        self.discountPercent = discountPercent
        self.maxPauseMonths = maxPauseMonths
        self.cancelNoticeDays = cancelNoticeDays
    }
}

/// Where a customer's membership is, as the pages say it.
public enum MembershipState: String, Sendable, Hashable {
    /// Signed up; starts once the first month is paid.
    case pending
    case active
    /// Active, but the current period is paused.
    case paused
    /// Cancelled: runs until `endsAt`.
    case ending
    case ended
    /// Ended because its card was declined on the last retry of a month's charge.
    case suspended
}

/// How a membership's months are paid: recorded by staff at the venue, or by card online (the
/// first month on the page, later months charged to the saved card by the worker).
public enum MembershipPayMethod: String, Sendable, Hashable {
    case venue
    case card
}

/// One attempt to take a month's money by card (`membership_charges`).
public struct MembershipCharge: Sendable, Hashable {
    public let id: Int64
    public let businessID: BusinessID
    public let membershipID: Int64
    public let periodIndex: Int
    public let attempt: Int
    /// The customer pays on the page (true), or the worker charges the saved card.
    public let onSession: Bool
    /// Stripe's `Idempotency-Key` for the PaymentIntent of this attempt.
    public let idempotencyKey: String
    public let amount: Int64
    public let currency: String
    public let dueAt: Instant
    /// `started`, `succeeded`, `failed` or `abandoned`.
    public let status: String
    public let stripeIntent: String?
    public let clientSecret: String
    public let lastError: String
    public let userID: UserID
    public let customerEmail: String
    public let planName: String
    public let businessName: String
    /// The Stripe customer and saved payment method of the membership (nil before the first payment).
    public let stripeCustomer: String?
    public let paymentMethod: String?
}

/// What recording a membership's card payment did.
public enum MembershipSettlement: Sendable, Hashable {
    /// The first month was paid: the membership started and its credits were granted.
    case activated
    /// A later month was paid: its credits were granted.
    case paid
    /// Recorded before (the return page and the webhook both came, or an event was replayed).
    case alreadyPaid
    /// The money came for a membership no longer waiting for it (abandoned, or already paid at
    /// the desk): recorded, nothing granted, refunded by the worker; or less than the price arrived.
    case notGranted
}

/// One period of a membership that has started.
public struct MembershipPeriodInfo: Sendable, Hashable {
    public let index: Int
    public let range: TimeRange
    /// `due`, `paid` or `paused`.
    public let state: String
    public let amount: Int64
    public let entitlementID: EntitlementID?
}

/// A refund of a membership's card money (`membership_refunds`): `open` (the worker is making it),
/// `succeeded`, or `failed` with Stripe's reason.
public struct MembershipRefundInfo: Sendable, Hashable {
    public let amount: Int64
    public let currency: String
    public let status: String
    public let error: String
}

/// A customer's membership with what the wallet pages show.
public struct MembershipInfo: Sendable, Hashable {
    public let id: Int64
    public let businessID: BusinessID
    public let businessName: String
    public let timeZone: String
    public let plan: MembershipPlanInfo
    public let state: MembershipState
    /// When the next period starts (nil when pending, or when it ends first).
    public let nextRenewal: Instant?
    public let endsAt: Instant?
    /// Paused periods by index, [from, until).
    public let pause: Range<Int>?
    /// The current period's index (nil when pending).
    public let currentIndex: Int?
    public let periods: [MembershipPeriodInfo]
    public let startedOn: LocalDate?
    public let payMethod: MembershipPayMethod
    /// Why the last card payment of a month still due failed ("" when none did).
    public let lastPaymentError: String
    /// When the worker tries the saved card again (nil: no retry planned).
    public let nextChargeAt: Instant?
    /// Money taken by card for a month that could not be granted, and how its refund stands, oldest first.
    public let refunds: [MembershipRefundInfo]

    /// Periods started and not yet paid, oldest first.
    public var due: [MembershipPeriodInfo] { periods.filter { $0.state == "due" } }
}

/// Why a membership change was refused; nothing changed.
public enum MembershipFailure: Error, Equatable, Sendable {
    /// No such plan or membership at this business (or not this customer's).
    case notFound
    /// The customer already has a live membership of this plan.
    case alreadyMember
    /// A pause, resume, cancel or payment that the membership's state or rules do not allow, and why.
    case refused(String)
}
