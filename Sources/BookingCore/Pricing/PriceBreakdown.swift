/// A quoted price: lines always sum exactly to `total`.
public struct PriceBreakdown: Hashable, Sendable, Codable {
    public struct Line: Hashable, Sendable, Codable {
        public var label: String
        /// Minor units; negative for discounts.
        public var amount: Int64

        public init(label: String, amount: Int64) {
            self.label = label
            self.amount = amount
        }
    }

    public var currency: String
    /// `fixed`, `hourly` or `per_person`.
    public var model: String
    public var lines: [Line]
    public var total: Int64
    /// Due up front (≤ total).
    public var deposit: Int64

    public init(currency: String, model: String, lines: [Line], total: Int64, deposit: Int64) {
        self.currency = currency
        self.model = model
        self.lines = lines
        self.total = total
        self.deposit = deposit
    }
}

extension PriceBreakdown {
    /// The price lowered to `total`, the difference a line called `label` (a promo code, a member
    /// discount); a deposit that was the whole price stays the whole price, a smaller one is capped.
    public func discounted(to total: Int64, label: String) -> PriceBreakdown {
        var discounted = self
        discounted.lines.append(.init(label: label, amount: total - self.total))
        discounted.total = total
        discounted.deposit = deposit >= self.total ? total : Swift.min(deposit, total)
        return discounted
    }
}

/// Rounding used everywhere in BookingCore: `value × numerator / denominator`, rounded half-up
/// (half away from zero) to a whole minor unit. Integer arithmetic only.
@inline(__always)
public func roundHalfUp(_ value: Int64, times numerator: Int64, over denominator: Int64) -> Int64 {
    precondition(denominator > 0)
    let p = value.multipliedFullWidth(by: numerator)
    let (q, r) = denominator.dividingFullWidth(p)
    // |r| * 2 >= denominator → round away from zero.
    if r != 0 && r.magnitude * 2 >= denominator.magnitude { return q + (r < 0 ? -1 : 1) }
    return q
}
