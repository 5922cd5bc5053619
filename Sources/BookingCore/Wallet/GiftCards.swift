/// Why a gift card cannot pay for a booking; the checkout says the sentence.
public enum GiftCardRefusal: Error, Hashable, Sendable {
    /// Nothing is left on the card.
    case empty
    /// The card is in another currency than the booking.
    case otherCurrency(String)
    /// The booking is already paid in part by another card.
    case anotherCard
}

/// The rules of gift cards (issue 18). A card's balance is the sum of its movements (issue +,
/// redeem −, refund +) and never goes below zero; a card pays what it can of a booking's price and
/// the rest is paid as before (online by card, or at the venue: split tender). Pure.
public enum GiftCards {
    /// What a card with `balance` pays of `price`: the whole price, up to the balance.
    public static func pays(balance: Int64, of price: PriceBreakdown) -> Int64 {
        Swift.max(0, Swift.min(balance, price.total))
    }

    /// The price once the card paid `amount` of it: a line naming the card (by the end of its code
    /// only, as the code is what spends it), the total left to pay, and the deposit never above it
    /// (still the whole price when it was).
    public static func apply(code: String, amount: Int64, to price: PriceBreakdown) -> PriceBreakdown {
        var paid = price
        paid.lines.append(.init(label: "Gift card \(masked(code))", amount: -amount))
        paid.total = price.total - amount
        paid.deposit = price.deposit >= price.total ? paid.total : Swift.min(price.deposit, paid.total)
        return paid
    }

    /// A code as printed on bookings and receipts: its last four characters.
    public static func masked(_ code: String) -> String { "…" + code.suffix(4) }

    /// A cancellation's refund when a card paid `giftPaid` of the booking: the tiers' refund of
    /// everything paid (`whole`, computed over card and payment together) goes back to the card
    /// first, up to what it paid, and only the rest to the payment.
    public static func split(_ whole: Refund, giftPaid: Int64) -> (toGiftCard: Int64, toPayment: Refund) {
        let toCard = Swift.min(whole.amount, Swift.max(0, giftPaid))
        return (toCard, Refund(amount: whole.amount - toCard, percent: whole.percent))
    }

    /// A new code from 12 random values (0…31 each): `GC-XXXX-XXXX-XXXX` in Crockford's alphabet
    /// (no I, L, O, U), 60 bits.
    public static func code(_ random: [UInt8]) -> String {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        let symbols = random.prefix(12).map { alphabet[Int($0 % 32)] }
        return "GC-" + [0, 4, 8].map { String(symbols[$0..<$0 + 4]) }.joined(separator: "-")
    }
}
