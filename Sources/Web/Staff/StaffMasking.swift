import BookingCore
import Store

/// Who is looking at a staff page: their role in the business, the resource they provide (a
/// provider's own calendar) and their user id (their own bookings).
struct StaffViewer: Sendable, Hashable {
    let role: Role
    let resourceID: ResourceID?
    let userID: UserID

    init(role: Role, resourceID: ResourceID?, userID: UserID) {
        self.role = role
        self.resourceID = resourceID
        self.userID = userID
    }

    init(_ membership: Membership) {
        self.init(role: membership.role, resourceID: membership.resourceID, userID: membership.userID)
    }
}

/// A booking as a staff page may show it: every customer field already full, masked or absent
/// (nil) for this viewer. Templates and page models only ever see this, never an `OrderView`.
struct MaskedBooking: Sendable, Hashable {
    let relation: BookingRelation
    /// The viewer may only know the time is taken ("Busy"): no service, status, customer or link.
    let busyOnly: Bool
    /// nil when `busyOnly` (no detail page to open).
    let publicID: String?
    let start: Instant
    let end: Instant
    /// The service name, "Appointment" for a sensitive offer the viewer may not name, "Busy" when busy only.
    let serviceLabel: String
    let status: BookingStatus?
    let resourceIDs: [ResourceID]
    let resourceNames: [String]
    let partySize: Int?
    let customerName: String?
    let email: String?
    let phone: String?
    let notes: String?
    let pricePaid: String?
    let householdMember: String?
    let source: String?
    let cancelReason: String?
    /// The intake answers this viewer may know of: sensitive ones withheld ("•••") unless the
    /// policy lets the role read notes (`IntakeRules.visibility`).
    var answers: [MaskedAnswer] = []
}

/// The one place staff pages mask bookings. The decisions are `BookingCore.Masking`'s; this
/// applies them to an order, so a hidden value is dropped here and never reaches a page model.
enum StaffMasking {
    /// Walk-ins booked without an email get this placeholder address, never shown.
    static let placeholderEmailDomain = "@no-email.invalid"

    static func relation(of order: OrderView, to viewer: StaffViewer) -> BookingRelation {
        if let customer = order.customer.userID, customer == viewer.userID { return .own }
        if let resource = viewer.resourceID, order.resources.contains(where: { $0.id == resource }) { return .assigned }
        return .other
    }

    /// The viewer may only know that the time is taken (`BookingAccess.busyOnly`).
    static func busyOnly(role: Role, relation: BookingRelation) -> Bool {
        BookingAccess(role: role, relation: relation).busyOnly
    }

    static func mask(_ order: OrderView, viewer: StaffViewer, policy: VisibilityPolicy, sensitive: Bool) -> MaskedBooking {
        let relation = relation(of: order, to: viewer)
        func value(_ field: CustomerField, _ raw: String) -> String? {
            guard !raw.isEmpty else { return nil }
            let visibility = Masking.visibility(role: viewer.role, relation: relation, field: field, policy: policy)
            return Masking.apply(visibility, field: field, value: raw)
        }
        if busyOnly(role: viewer.role, relation: relation) {
            return MaskedBooking(relation: relation, busyOnly: true, publicID: nil, start: order.start, end: order.end,
                                 serviceLabel: "Busy", status: nil, resourceIDs: order.resources.map(\.id),
                                 resourceNames: order.resources.map(\.name), partySize: nil, customerName: nil, email: nil,
                                 phone: nil, notes: nil, pricePaid: nil, householdMember: nil, source: nil, cancelReason: nil)
        }
        let email = order.customer.email.hasSuffix(placeholderEmailDomain) ? "" : order.customer.email
        var masked = MaskedBooking(
            relation: relation, busyOnly: false, publicID: order.publicID, start: order.start, end: order.end,
            serviceLabel: Masking.serviceLabel(order.offerName, role: viewer.role, relation: relation, sensitive: sensitive),
            status: order.status, resourceIDs: order.resources.map(\.id), resourceNames: order.resources.map(\.name),
            partySize: order.partySize,
            customerName: value(.name, order.customer.name),
            email: value(.email, email),
            phone: value(.phone, order.customer.phone),
            notes: value(.notes, order.customer.notes),
            pricePaid: value(.pricePaid, BookingFormat.money(order.paid, order.price.currency)),
            householdMember: order.customer.householdMemberID == nil ? nil : value(.householdMember, "Household member"),
            source: value(.source, order.source),
            cancelReason: value(.notes, order.cancelReason))
        masked.answers = IntakeRules.masked(order.answers, role: viewer.role, relation: relation, policy: policy)
        return masked
    }

    // MARK: What the viewer may do with a masked booking (`BookingAccess` decides)

    static func canHandle(_ booking: MaskedBooking, viewer: StaffViewer) -> Bool {
        !booking.busyOnly && BookingAccess(role: viewer.role, relation: booking.relation).canHandle
    }

    static func canCancel(_ booking: MaskedBooking, viewer: StaffViewer) -> Bool {
        !booking.busyOnly && BookingAccess(role: viewer.role, relation: booking.relation).canCancel
    }
}

extension Membership {
    /// Where the member works (`LocationScope`): their membership's location, or everywhere.
    var scope: LocationScope { LocationScope(locationID) }
}
