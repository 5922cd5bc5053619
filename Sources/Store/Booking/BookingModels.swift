public import BookingCore

/// Who the booking is for.
public struct CustomerDetails: Sendable, Hashable {
    public var name: String
    public var email: String
    public var phone: String
    public var userID: UserID?
    public var householdMemberID: HouseholdMemberID?
    public var notes: String
    /// Intake answers as sent, by question key (issue 19); nil when this step asks none (a web hold,
    /// a walk-in): what is stored stays. Given, they are checked against the version's questions.
    public var answers: [String: String]?

    public init(name: String, email: String, phone: String = "", userID: UserID? = nil, householdMemberID: HouseholdMemberID? = nil,
                notes: String = "", answers: [String: String]? = nil) {
        self.answers = answers
        self.name = name
        self.email = email
        self.phone = phone
        self.userID = userID
        self.householdMemberID = householdMemberID
        self.notes = notes
    }
}

/// A request to hold or book one start of an offer.
public struct BookingRequest: Sendable, Hashable {
    public var offerSlug: String
    public var start: Instant
    public var customer: CustomerDetails
    public var partySize: Int
    /// Chosen resource slugs (a host picked by the customer); empty means "any".
    public var resourceSlugs: [String]
    public var durationMinutes: Int?
    public var source: String
    /// Whether the customer's name and email must be valid now. A web hold is made before
    /// checkout asks for them (false); everything that books, and confirming a hold, needs them.
    public var contactRequired: Bool
    /// A rental by date (`multi_day` offers with rental terms): the dates decide `start` and the end.
    public var rental: RentalDates?
    /// What the booking pays with besides money (API `redeem`): a credit, a promo code or a gift card.
    public var redeem: Redemption?

    public init(offerSlug: String, start: Instant, customer: CustomerDetails, partySize: Int = 1,
                resourceSlugs: [String] = [], durationMinutes: Int? = nil, source: String, contactRequired: Bool = true,
                rental: RentalDates? = nil) {
        self.contactRequired = contactRequired
        self.rental = rental
        self.offerSlug = offerSlug
        self.start = start
        self.customer = customer
        self.partySize = partySize
        self.resourceSlugs = resourceSlugs
        self.durationMinutes = durationMinutes
        self.source = source
    }
}

/// Who made a change: `user:12`, `api_key:3`, `guest`, `system`. Recorded in events and the audit log.
public struct Actor: Sendable, Hashable {
    public let label: String
    /// The key acting, when it is an API key (recorded on what it creates).
    public let apiKeyID: APIKeyID?
    public init(_ label: String) { self.init(label, apiKeyID: nil) }
    private init(_ label: String, apiKeyID: APIKeyID?) {
        self.label = label
        self.apiKeyID = apiKeyID
    }
    public static func user(_ id: UserID) -> Actor { Actor("user:\(id)") }
    public static func apiKey(_ id: APIKeyID) -> Actor { Actor("api_key:\(id)", apiKeyID: id) }
    public static let guest = Actor("guest")
    public static let system = Actor("system")
}

/// `"user:1"` in tests and fixtures: a label without a key.
extension Actor: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self.init(value) }
}

/// Why a booking operation was refused. Web maps each case to one status and sentence.
public enum BookingFailure: Error, Equatable, Sendable {
    case businessNotFound
    case offerNotFound
    /// The chosen host does not provide this offer.
    case hostNotOffered(String)
    case resourceNotFound(String)
    /// Not a bookable time at all (outside hours, misaligned, notice, advance…): 422.
    case invalidStart([UnavailableReason])
    /// A bookable time that is taken (or has no seats left): 409.
    case slotUnavailable([UnavailableReason])
    case orderNotFound
    case holdExpired
    case illegalTransition(IllegalTransition)
    /// The booking cannot be moved (its status, its start has passed, the offer's rules), with the sentence why.
    case notMovable(String)
    /// A legal move before its time (a no-show before the start and grace period…): 409.
    case tooEarly(TooEarly)
    case invalid(field: String, message: String)
    /// An `Idempotency-Key` used before with a different request body.
    case idempotencyMismatch
    /// The hold asks for an online payment that has not succeeded yet: 409 `payment_required`.
    case paymentRequired
    /// Joining the waitlist of a start that still has room: book it instead (409).
    case slotAvailable
    case waitlistEntryNotFound
    case seriesNotFound
    /// Paying with a credit was asked for and no credit of the customer can pay for this booking.
    case creditRefused(CreditRefusal)
    /// The promo code typed at checkout does not apply (unknown, another offer, its dates, its limits).
    case promoRefused(PromoRefusal)
    /// The gift card typed at checkout cannot pay (nothing left, another currency, another card).
    case giftCardRefused(GiftCardRefusal)
    /// The visitor already keeps this many live holds at the business (`HoldLimits`): 429.
    case tooManyHolds(Int)
    /// The class is a program, sold as whole courses (`AppDatabase.enrol`), never a session alone.
    case soldAsProgram(String)
    /// No such program, run or session of the business.
    case programNotFound
    /// The program's course takes a payment online (a deposit or prepayment, Stripe connected), and a
    /// course is not sold through the hold → payment step: enrolment is refused rather than given unpaid.
    case programNeedsOnlinePayment
    /// A make-up the program's rules refuse (the seat itself is the engine's: `slotUnavailable`).
    case makeupRefused(ProgramRules.MakeupRefusal)
    /// The email given already has this many live holds and bookings awaiting approval at the
    /// business (`HoldLimits.openRequestsPerEmail`): 429.
    case tooManyHoldsForEmail(Int)

    /// Splits engine reasons into "not a bookable time" and "taken".
    /// Misaligned, too soon, too far ahead: never bookable (422). Otherwise, when something occupies
    /// the time (`UnavailableReason.isConflict`: a booking, its buffer, full seats, a limit, time
    /// off): taken (409). Closed or outside hours everywhere: not a bookable time (422).
    static func from(_ reasons: [UnavailableReason]) -> BookingFailure {
        let never: Set<UnavailableReason> = [.misaligned, .notice, .advance, .invalidDuration, .noQualifiedResource]
        if reasons.contains(where: never.contains) { return .invalidStart(reasons) }
        return reasons.contains(where: \.isConflict) ? .slotUnavailable(reasons) : .invalidStart(reasons)
    }
}

/// A booking as read back: everything pages and the API show (masking happens in Web).
public struct OrderView: Sendable, Hashable {
    public struct AssignedResource: Sendable, Hashable {
        public let id: ResourceID
        public let slug: String
        public let name: String
        public let role: String
    }

    public let id: BookingID
    public let publicID: String
    public let businessID: BusinessID
    public let offerID: OfferID
    public let offerSlug: String
    public let offerName: String
    public let offerVersionID: OfferVersionID
    public let status: BookingStatus
    public let start: Instant
    public let end: Instant
    public let resources: [AssignedResource]
    public let partySize: Int
    public let customer: CustomerDetails
    public let price: PriceBreakdown
    public let holdExpiresAt: Instant?
    public let source: String
    public let createdAt: Instant
    public let cancelReason: String
    /// Sum of the order's ledger entries: what the customer has paid, net of refunds.
    public let paid: Int64
    /// Sum of the ledger's refunds and disputes, as a positive amount.
    public internal(set) var refunded: Int64 = 0
    /// What was asked for online at booking (0: nothing, pay at the venue).
    public internal(set) var paymentDue: Int64 = 0
    /// The intake answers, frozen with the question text as asked (unmasked: Web masks them by role).
    public internal(set) var answers: [IntakeAnswer] = []

    /// Sum of the ledger's charges, deposits and fees.
    public var charged: Int64 { paid + refunded }

    /// The CONTRACT's `payment.status`, from the ledger.
    public var paymentStatus: PaymentStatus { PaymentStatus.derive(due: paymentDue, charged: charged, refunded: refunded) }
}

/// The answer of a cancellation: the order and the refund the policy gave.
public struct Cancellation: Sendable, Hashable {
    public let order: OrderView
    public let refund: Refund
    /// The refund Stripe must make (the booking was paid through Stripe); the ledger row is written
    /// once Stripe has made it (`recordRefund`).
    public internal(set) var stripeRefund: StripeRefundDue?
}

/// A refund owed through Stripe on a booking's payment.
public struct StripeRefundDue: Sendable, Hashable {
    public let orderID: BookingID
    public let paymentIntent: String
    public let amount: Int64
    public let currency: String
    public let percent: Int
    /// What makes this refund another than an earlier one of the same amount on the same payment
    /// (a reschedule's moment): without it, Stripe would answer the second with the first.
    public let occasion: String?

    public init(orderID: BookingID, paymentIntent: String, amount: Int64, currency: String, percent: Int, occasion: String? = nil) {
        self.orderID = orderID
        self.paymentIntent = paymentIntent
        self.amount = amount
        self.currency = currency
        self.percent = percent
        self.occasion = occasion
    }

    /// The refund's own name: Stripe's idempotency key for it, and the `stripe_id` of the row that
    /// keeps it owed (`payment_intents`, purpose `refund`) until Stripe has made it.
    public var reference: String {
        "bizing-refund-\(paymentIntent)-\(amount)-\(percent)" + (occasion.map { "~\($0)" } ?? "")
    }

    /// Reads a refund back from its `reference` (nil for anything else).
    public init?(reference: String, orderID: BookingID, currency: String) {
        let prefix = "bizing-refund-"
        guard reference.hasPrefix(prefix) else { return nil }
        let named = reference.dropFirst(prefix.count).split(separator: "~", maxSplits: 1, omittingEmptySubsequences: false)
        let parts = named[0].split(separator: "-")
        guard parts.count >= 3, let amount = Int64(parts[parts.count - 2]), let percent = Int(parts[parts.count - 1]), amount > 0 else { return nil }
        self.init(orderID: orderID, paymentIntent: parts.dropLast(2).joined(separator: "-"), amount: amount, currency: currency, percent: percent,
                  occasion: named.count > 1 ? String(named[1]) : nil)
    }
}
