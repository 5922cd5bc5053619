import Foundation  // trimming only.

/// A promo code's rules (issue 18): percent or amount off, the offers it applies to, the business-local
/// dates it can be used on, and total and per-customer limits.
public struct PromoRule: Hashable, Sendable {
    public enum Discount: Hashable, Sendable {
        /// 1…100 percent off the price.
        case percent(Int)
        /// A fixed amount off, in minor units (never below a price of 0).
        case amount(Int64)
    }

    public var code: String
    public var discount: Discount
    /// The offers it applies to; empty: every offer.
    public var offerIDs: Set<OfferID>
    /// First and last business-local dates it can be used on (inclusive); nil: open.
    public var validFrom: LocalDate?
    public var validUntil: LocalDate?
    public var totalLimit: Int?
    public var perCustomerLimit: Int?

    public init(code: String, discount: Discount, offerIDs: Set<OfferID> = [], validFrom: LocalDate? = nil, validUntil: LocalDate? = nil,
                totalLimit: Int? = nil, perCustomerLimit: Int? = nil) {
        self.code = code
        self.discount = discount
        self.offerIDs = offerIDs
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.totalLimit = totalLimit
        self.perCustomerLimit = perCustomerLimit
    }
}

/// Why a promo code does not apply; the checkout page says the sentence.
public enum PromoRefusal: Error, Hashable, Sendable {
    case unknown
    case notForOffer
    case notYet(LocalDate)
    case ended(LocalDate)
    /// Every use of the code is taken.
    case usedUp
    /// This customer has used it as often as allowed.
    case usedByCustomer(Int)
}

/// The rules of promo codes. Pure: today's date and the use counts are passed in.
public enum PromoCodes {
    /// How codes are compared and stored: trimmed, upper case.
    public static func normalize(_ code: String) -> String {
        code.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
    }

    /// Whether `rule` can discount a booking of `offerID` on `today` (business-local), given the uses so far.
    public static func check(_ rule: PromoRule, offerID: OfferID, today: LocalDate, usesTotal: Int,
                             usesByCustomer: Int) -> PromoRefusal? {
        if !rule.offerIDs.isEmpty && !rule.offerIDs.contains(offerID) { return .notForOffer }
        if let from = rule.validFrom, today < from { return .notYet(from) }
        if let until = rule.validUntil, today > until { return .ended(until) }
        if let limit = rule.totalLimit, usesTotal >= limit { return .usedUp }
        if let limit = rule.perCustomerLimit, usesByCustomer >= limit { return .usedByCustomer(limit) }
        return nil
    }

    /// The price with the code's discount as its own line (half-up for percentages, never below 0);
    /// the deposit stays the whole price when it was, and never exceeds the new total.
    public static func apply(_ rule: PromoRule, to price: PriceBreakdown) -> PriceBreakdown {
        let total: Int64
        let label: String
        switch rule.discount {
        case .percent(let percent):
            let p = Int64(Swift.min(100, Swift.max(0, percent)))
            total = roundHalfUp(price.total, times: 100 - p, over: 100)
            label = "Promo code \(rule.code) −\(p)%"
        case .amount(let amount):
            total = price.total - Swift.min(price.total, Swift.max(0, amount))
            label = "Promo code \(rule.code)"
        }
        return price.discounted(to: total, label: label)
    }
}
