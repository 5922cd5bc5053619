import BookingCore
import Testing

/// Customer records' rules: tags, notes, phone search and who sees and edits what.
struct CustomerRulesTests {
    @Test func tagsAreTrimmedLowerCasedDeduplicatedAndSorted() throws {
        #expect(try CustomerRules.tags(" VIP, allergy: nuts ,vip,, ") == ["allergy: nuts", "vip"])
        #expect(try CustomerRules.tags("") == [])
    }

    @Test func refusesATagTooLongOrTooManyTags() {
        #expect(throws: ValidationError.self) { try CustomerRules.tags(String(repeating: "x", count: 41)) }
        let many = (1...21).map { "t\($0)" }.joined(separator: ",")
        #expect(throws: ValidationError.self) { try CustomerRules.tags(many) }
        #expect((try? CustomerRules.tags((1...20).map { "t\($0)" }.joined(separator: ",")))?.count == 20)
    }

    @Test func refusesNotesOverTheLimit() throws {
        #expect(try CustomerRules.notes("  Likes tea.\n") == "Likes tea.")
        #expect(throws: ValidationError.self) { try CustomerRules.notes(String(repeating: "n", count: 4001)) }
    }

    @Test func phoneSearchUsesDigitsHoweverTyped() {
        #expect(CustomerRules.phoneDigits("(212) 555-0142") == "2125550142")
        #expect(CustomerRules.phoneDigits("zelda") == nil)
        #expect(CustomerRules.phoneDigits("a1b2") == nil)
    }

    @Test func frontDeskSeesAMaskedNameNoContactNoNotesAndCannotEdit() {
        let access = CustomerAccess(role: .staff, policy: .default)
        #expect(access.canView)
        #expect(access.show(.name, "Zelda Quinn") == "Zelda Q.")
        #expect(access.show(.email, "zelda@example.com") == nil)
        #expect(access.show(.notes, "Allergic to latex") == nil)
        #expect(access.searches(.name) && !access.searches(.email) && !access.searches(.phone))
        #expect(!access.canEdit)
    }

    @Test func policyDecidesWhatTheFrontDeskSearches() {
        let policy = VisibilityPolicy(overrides: [.staff: [.phone: .masked, .name: .hidden]])
        let access = CustomerAccess(role: .staff, policy: policy)
        #expect(access.searches(.phone) && !access.searches(.name))
        #expect(access.show(.phone, "+1 212 555 0142") == "•••• 0142")
    }

    @Test func managersEditUnlessThePolicyHidesTheNotesFromThem() {
        #expect(CustomerAccess(role: .manager, policy: .default).canEdit)
        #expect(CustomerAccess(role: .owner, policy: .default).show(.email, "a@b.co") == "a@b.co")
        #expect(!CustomerAccess(role: .manager, policy: VisibilityPolicy(overrides: [.manager: [.notes: .masked]])).canEdit)
        #expect(!CustomerAccess(role: .provider, policy: .default).canView)
        #expect(!CustomerAccess(role: .client, policy: .default).canView)
    }
}
