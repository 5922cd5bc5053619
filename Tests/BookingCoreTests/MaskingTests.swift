import BookingCore
import Testing

struct MaskingTests {
    typealias V = Visibility

    /// The default policy written out: role → relation → field → visibility.
    static func expected(_ role: Role, _ relation: BookingRelation, _ field: CustomerField) -> V {
        if relation == .own { return .full }
        switch role {
        case .owner, .admin, .manager: return .full
        case .staff:
            switch field {
            case .name, .householdMember: return .masked
            case .source: return .full
            case .email, .phone, .notes, .pricePaid: return .hidden
            }
        case .provider: return relation == .assigned ? .full : .hidden
        case .client: return .hidden
        }
    }

    static let cases = Role.allCases.flatMap { role in
        BookingRelation.allCases.flatMap { rel in CustomerField.allCases.map { (role, rel, $0) } }
    }

    @Test(arguments: cases)
    func defaultPolicyTable(role: Role, relation: BookingRelation, field: CustomerField) {
        #expect(Masking.visibility(role: role, relation: relation, field: field) == Self.expected(role, relation, field))
    }

    @Test func aBusinessPolicyOverridesTheDefaults() {
        let policy = VisibilityPolicy(overrides: [.staff: [.phone: .masked, .name: .full], .provider: [.notes: .hidden],
                                                  .manager: [.pricePaid: .hidden]])
        #expect(Masking.visibility(role: .staff, relation: .other, field: .phone, policy: policy) == .masked)
        #expect(Masking.visibility(role: .staff, relation: .other, field: .name, policy: policy) == .full)
        #expect(Masking.visibility(role: .staff, relation: .other, field: .email, policy: policy) == .hidden)
        #expect(Masking.visibility(role: .provider, relation: .assigned, field: .notes, policy: policy) == .hidden)
        #expect(Masking.visibility(role: .provider, relation: .assigned, field: .email, policy: policy) == .full)
        #expect(Masking.visibility(role: .manager, relation: .other, field: .pricePaid, policy: policy) == .hidden)
        // Overrides never open other people's bookings to providers or clients.
        let open = VisibilityPolicy(overrides: [.provider: [.email: .full], .client: [.name: .full]])
        #expect(Masking.visibility(role: .provider, relation: .other, field: .email, policy: open) == .hidden)
        #expect(Masking.visibility(role: .client, relation: .other, field: .name, policy: open) == .hidden)
    }

    @Test func sensitiveServicesShowAsAppointmentToStaff() {
        #expect(!Masking.serviceLabelVisible(role: .staff, relation: .other, sensitive: true))
        #expect(Masking.serviceLabelVisible(role: .staff, relation: .other, sensitive: false))
        #expect(Masking.serviceLabelVisible(role: .provider, relation: .assigned, sensitive: true))
        #expect(!Masking.serviceLabelVisible(role: .provider, relation: .other, sensitive: true))
        #expect(Masking.serviceLabelVisible(role: .client, relation: .own, sensitive: true))
        #expect(Masking.serviceLabelVisible(role: .manager, relation: .other, sensitive: true))
        #expect(Masking.serviceLabel("Fertility consult", role: .staff, relation: .other, sensitive: true) == "Appointment")
    }

    @Test func masksNamesEmailsAndPhones() {
        #expect(Masking.maskName("Zelda Quinn") == "Zelda Q.")
        #expect(Masking.maskName("Mary Ann  Smith") == "Mary S.")
        #expect(Masking.maskName("Cher") == "Cher")
        #expect(Masking.maskEmail("zelda@example.com") == "z•••@example.com")
        #expect(Masking.maskEmail("nonsense") == "•••")
        #expect(Masking.maskPhone("+1 (555) 010-0142") == "•••• 0142")
        #expect(Masking.maskPhone("12") == "••••")
    }

    @Test func applyingAVisibilityNeverLeaksAHiddenValue() {
        #expect(Masking.apply(.hidden, field: .email, value: "zelda@example.com") == nil)
        #expect(Masking.apply(.masked, field: .name, value: "Zelda Quinn") == "Zelda Q.")
        #expect(Masking.apply(.masked, field: .notes, value: "allergic to latex") == "•••")
        #expect(Masking.apply(.full, field: .phone, value: "555") == "555")
    }
}
