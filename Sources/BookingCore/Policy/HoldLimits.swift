/// How many times one visitor may hold at once at one business before finishing a booking: enough
/// for a family booking a few appointments side by side, too few for a script to hold every time of
/// a day. A visitor is the signed-in customer, or else the address a request came from. Holds lapse
/// after the offer's hold minutes, so the limit frees itself.
public enum HoldLimits {
    public static let liveHoldsPerVisitor = 6

    /// Whether a visitor who already keeps `live` unexpired holds at the business may hold another.
    public static func allowsAnother(live: Int) -> Bool { live < liveHoldsPerVisitor }
}
