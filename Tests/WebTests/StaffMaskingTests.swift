import BookingCore
import Foundation
@testable import Store
import Testing
@testable import Web

/// `StaffMasking.mask` over every role × relation × field × policy: each field is exactly what
/// `Masking` decides, busy-only bookings carry nothing, and the demo's defaults read as the issue says.
struct StaffMaskingTests {
    static let dana: ResourceID = 1, sam: ResourceID = 2
    static let customerUser: UserID = 77

    static func order(resource: ResourceID = dana, customerUser: UserID? = customerUser, email: String = "zelda.quinn@example.com",
                      status: BookingStatus = .confirmed) -> OrderView {
        OrderView(id: 1, publicID: "bk_1", businessID: 1, offerID: 9, offerSlug: "consultation", offerName: "Consultation",
                  offerVersionID: 1, status: status, start: 1_795_500_000, end: 1_795_501_800,
                  resources: [.init(id: resource, slug: "r\(resource)", name: "R\(resource)", role: "host")], partySize: 1,
                  customer: CustomerDetails(name: "Zelda Quinn", email: email, phone: "+1 212 555 0142", userID: customerUser,
                                            householdMemberID: 5, notes: "Prefers morning reminders."),
                  price: PriceBreakdown(currency: "USD", model: "fixed", lines: [], total: 4000, deposit: 0), holdExpiresAt: nil, source: "demo",
                  createdAt: 0, cancelReason: "", paid: 4000)
    }

    /// A viewer with `role` standing in `relation` to `order()`.
    static func viewer(_ role: Role, _ relation: BookingRelation) -> StaffViewer {
        switch relation {
        case .own: StaffViewer(role: role, resourceID: nil, userID: customerUser)
        case .assigned: StaffViewer(role: role, resourceID: dana, userID: 500)
        case .other: StaffViewer(role: role, resourceID: role == .provider ? sam : nil, userID: 500)
        }
    }

    static let policies: [VisibilityPolicy] = [
        .default,
        VisibilityPolicy(overrides: [.staff: [.phone: .masked, .name: .full, .email: .masked, .source: .hidden],
                                     .provider: [.notes: .hidden, .email: .masked], .manager: [.pricePaid: .hidden]]),
    ]

    static func raw(_ field: CustomerField, _ order: OrderView) -> String {
        switch field {
        case .name: order.customer.name
        case .email: order.customer.email
        case .phone: order.customer.phone
        case .notes: order.customer.notes
        case .pricePaid: "$40.00"
        case .householdMember: "Household member"
        case .source: order.source
        }
    }

    static func field(_ field: CustomerField, _ booking: MaskedBooking) -> String? {
        switch field {
        case .name: booking.customerName
        case .email: booking.email
        case .phone: booking.phone
        case .notes: booking.notes
        case .pricePaid: booking.pricePaid
        case .householdMember: booking.householdMember
        case .source: booking.source
        }
    }

    @Test(arguments: Role.allCases)
    func everyFieldIsWhatMaskingDecides(role: Role) {
        let order = Self.order()
        for policy in Self.policies {
            for relation in BookingRelation.allCases {
                for sensitive in [false, true] {
                    let viewer = Self.viewer(role, relation)
                    #expect(StaffMasking.relation(of: order, to: viewer) == relation)
                    let booking = StaffMasking.mask(order, viewer: viewer, policy: policy, sensitive: sensitive)
                    // Busy only exactly when no policy could show this viewer the customer.
                    let busy = (role == .provider && relation == .other) || (role == .client && relation != .own)
                    #expect(booking.busyOnly == busy, "\(role) \(relation) \(sensitive)")
                    if booking.busyOnly {
                        #expect(booking.serviceLabel == "Busy")
                        #expect(booking.publicID == nil && booking.status == nil && booking.cancelReason == nil)
                        for field in CustomerField.allCases { #expect(Self.field(field, booking) == nil) }
                        continue
                    }
                    #expect(booking.serviceLabel == Masking.serviceLabel("Consultation", role: role, relation: relation, sensitive: sensitive))
                    for field in CustomerField.allCases {
                        let visibility = Masking.visibility(role: role, relation: relation, field: field, policy: policy)
                        #expect(Self.field(field, booking) == Masking.apply(visibility, field: field, value: Self.raw(field, order)),
                                "\(role) \(relation) \(field) \(policy)")
                    }
                }
            }
        }
    }

    @Test func defaultsReadAsTheIssueSays() {
        let order = Self.order()
        let staff = StaffMasking.mask(order, viewer: Self.viewer(.staff, .other), policy: .default, sensitive: false)
        #expect(staff.customerName == "Zelda Q.")
        #expect(staff.email == nil && staff.phone == nil && staff.notes == nil && staff.pricePaid == nil)
        #expect(staff.serviceLabel == "Consultation")
        #expect(StaffMasking.mask(order, viewer: Self.viewer(.staff, .other), policy: .default, sensitive: true).serviceLabel == "Appointment")

        let assigned = StaffMasking.mask(order, viewer: Self.viewer(.provider, .assigned), policy: .default, sensitive: true)
        #expect(assigned.customerName == "Zelda Quinn" && assigned.email == "zelda.quinn@example.com" && assigned.serviceLabel == "Consultation")
        let busy = StaffMasking.mask(order, viewer: Self.viewer(.provider, .other), policy: .default, sensitive: false)
        #expect(busy.busyOnly && busy.serviceLabel == "Busy" && busy.customerName == nil)
        #expect(StaffMasking.mask(order, viewer: Self.viewer(.client, .other), policy: .default, sensitive: false).busyOnly)

        let owner = StaffMasking.mask(order, viewer: Self.viewer(.owner, .other), policy: .default, sensitive: true)
        #expect(owner.customerName == "Zelda Quinn" && owner.phone == "+1 212 555 0142" && owner.serviceLabel == "Consultation")

        let masked = StaffMasking.mask(order, viewer: Self.viewer(.staff, .other), policy: Self.policies[1], sensitive: false)
        #expect(masked.phone == "•••• 0142" && masked.email == "z•••@example.com" && masked.source == nil)
    }

    @Test func actionsFollowPermissionsAndRelation() {
        let order = Self.order()
        func booking(_ role: Role, _ relation: BookingRelation) -> (MaskedBooking, StaffViewer) {
            let viewer = Self.viewer(role, relation)
            return (StaffMasking.mask(order, viewer: viewer, policy: .default, sensitive: false), viewer)
        }
        let (assigned, dana) = booking(.provider, .assigned)
        #expect(StaffMasking.canHandle(assigned, viewer: dana))
        #expect(!StaffMasking.canCancel(assigned, viewer: dana))
        let (other, sam) = booking(.provider, .other)
        #expect(!StaffMasking.canHandle(other, viewer: sam))
        let (desk, staff) = booking(.staff, .other)
        #expect(StaffMasking.canHandle(desk, viewer: staff) && !StaffMasking.canCancel(desk, viewer: staff))
        let (managed, manager) = booking(.manager, .other)
        #expect(StaffMasking.canHandle(managed, viewer: manager) && StaffMasking.canCancel(managed, viewer: manager))
    }

    @Test func walkInPlaceholderEmailIsNeverShown() {
        let order = Self.order(email: "walk-in" + StaffMasking.placeholderEmailDomain)
        #expect(StaffMasking.mask(order, viewer: Self.viewer(.owner, .other), policy: .default, sensitive: false).email == nil)
    }
}
