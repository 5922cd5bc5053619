/// A member's calendar subscription (`/feeds/{token}.ics`): what it holds and who may have it.
/// Bookings in it are masked for the member's role as it is when the feed is read.
public enum CalendarFeedScope: String, Sendable, Hashable, CaseIterable, Codable {
    /// The bookings the member provides (their resource) and their own bookings as a customer.
    case mine
    /// Every booking of the business: for those who run it (`org:manage`: owners and admins).
    case business

    /// May a member with `role` have (and keep reading) this feed?
    public func allowed(role: Role) -> Bool {
        switch self {
        case .mine: role.can(.calendarView)
        case .business: role.can(.orgManage)
        }
    }

    /// Does the feed hold a booking standing in `relation` to its member?
    public func includes(_ relation: BookingRelation) -> Bool {
        self == .business || relation != .other
    }

    /// Bookings starting from this many days before now …
    public static let pastDays = 60
    /// … to this many days after it.
    public static let futureDays = 400
    /// How often a subscribing calendar is asked to fetch the feed again.
    public static let refreshMinutes = 15
}
