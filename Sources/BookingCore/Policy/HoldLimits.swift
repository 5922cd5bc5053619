/// How many times one visitor may hold at once at one business before finishing a booking: enough
/// for a family booking a few appointments side by side, too few for a script to hold every time of
/// a day. A visitor is the signed-in customer, or else the address a request came from. Holds lapse
/// after the offer's hold minutes, so the limit frees itself.
///
/// The same number bounds one email address (issue 19): a script spreading its holds over many
/// addresses still gives one email at checkout. What counts against an email is what the public
/// pages keep open under it without a booking yet made: live holds carrying it (signed-in holds,
/// holds waiting at the payment or card step) and bookings waiting for the business's approval,
/// which keep their time like a hold until approved or declined.
public enum HoldLimits {
    public static let liveHoldsPerVisitor = 6
    public static let openRequestsPerEmail = 6

    /// Whether a visitor who already keeps `live` unexpired holds at the business may hold another.
    public static func allowsAnother(live: Int) -> Bool { live < liveHoldsPerVisitor }

    /// Whether an email with `open` live holds and bookings awaiting approval (this one left out) may have another.
    public static func allowsAnother(openForEmail open: Int) -> Bool { open < openRequestsPerEmail }
}
