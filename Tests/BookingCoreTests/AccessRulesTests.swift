import Testing
@testable import BookingCore

/// The access rules Web and the API share: who may grant which role, what a member may do with a
/// booking, the notice waiver, the walk-in window and the blocked range of a booking.
struct AccessRulesTests {
    @Test(arguments: Role.allCases)
    func aRoleGrantsNothingStrongerThanItselfAndOnlyOwnersMakeOwners(_ role: Role) {
        for other in Role.allCases {
            let expected = role == .owner || (other != .owner && other >= role)
            #expect(role.canGrant(other) == expected, "\(role) granting \(other)")
        }
        #expect(role.grantableRoles.allSatisfy(role.canGrant))
    }

    @Test func anAdminMayMakeAnAdminButNotAnOwnerAndAManagerNotAnAdmin() {
        #expect(Role.admin.canGrant(.admin))
        #expect(!Role.admin.canGrant(.owner))
        #expect(!Role.manager.canGrant(.admin))
        #expect(Role.manager.canGrant(.staff))
        #expect(Role.owner.grantableRoles == Role.allCases)
    }

    @Test func providersHandleOnlyTheBookingsTheyProvide() {
        #expect(BookingAccess(role: .provider, relation: .assigned).canHandle)
        #expect(!BookingAccess(role: .provider, relation: .other).canHandle)
        #expect(BookingAccess(role: .provider, relation: .other).busyOnly)
        #expect(!BookingAccess(role: .provider, relation: .assigned).canCancel)
    }

    @Test func theFrontDeskHandlesEveryBookingButCannotCancel() {
        let access = BookingAccess(role: .staff, relation: .other)
        #expect(access.canView && access.canHandle)
        #expect(!access.canCancel)
    }

    @Test(arguments: [Role.owner, .admin, .manager])
    func managersAndAboveViewHandleAndCancelAnyBooking(_ role: Role) {
        let access = BookingAccess(role: role, relation: .other)
        #expect(access.canView && access.canHandle && access.canCancel)
    }

    @Test func aClientSeesOnlyThatAnotherCustomersTimeIsTaken() {
        #expect(BookingAccess(role: .client, relation: .other).busyOnly)
        #expect(!BookingAccess(role: .client, relation: .other).canHandle)
        #expect(!BookingAccess(role: .client, relation: .own).busyOnly)
    }

    @Test func anExplanationNamesTheHoldingBookingOnlyToManagersAndItsProvider() {
        let naming = Role.allCases.filter { BookingAccess(role: $0, relation: .other).namesHolder }
        #expect(naming == [.owner, .admin, .manager])
        #expect(BookingAccess(role: .provider, relation: .assigned).namesHolder)
        #expect(!BookingAccess(role: .staff, relation: .assigned).namesHolder)
    }

    @Test func onlyRolesWithTheCalendarAndBookingCreationGetTheNoticeWaiverAndItLiftsOnlyTheNotice() {
        #expect(Role.allCases.filter { NoticeWaiver(role: $0) != nil } == [.owner, .admin, .manager, .staff])
        var spec = OfferVersionSpec(duration: .fixed(30), price: .fixed(Money(1000, "USD")), components: [])
        spec.minimumNoticeMinutes = 120
        spec.maximumAdvanceDays = 30
        let waived = NoticeWaiver(role: .staff)!.apply(to: spec)
        #expect(waived.minimumNoticeMinutes == 0)
        var unchanged = waived
        unchanged.minimumNoticeMinutes = spec.minimumNoticeMinutes
        #expect(unchanged == spec)
    }

    @Test func aStartWithinNinetyMinutesIsAWalkInAndLaterAStaffBooking() {
        #expect(WalkIn.source(start: 1_000 + 90 * 60, now: 1_000) == "walk_in")
        #expect(WalkIn.source(start: 1_000 + 90 * 60 + 1, now: 1_000) == "staff")
    }

    @Test func aBookingBlocksItsServiceWithTheBuffersAroundItAndStartsAsItsVersionSays() {
        var spec = OfferVersionSpec(duration: .fixed(30), bufferBeforeMinutes: 5, bufferAfterMinutes: 10, price: .fixed(Money(1000, "USD")), components: [])
        #expect(spec.blockedRange(for: TimeRange(start: 3_600, end: 5_400)) == TimeRange(start: 3_300, end: 6_000))
        #expect(spec.initialStatus(holding: true) == .held)
        #expect(spec.initialStatus(holding: false) == .confirmed)
        spec.approvalRequired = true
        #expect(spec.initialStatus(holding: false) == .pending)
    }
}
