import BookingCore
import Testing

/// "First to confirm wins" as a rule (issue 17): a claim gets the place only while it is open and a
/// place fits; the reason phrases pages and emails share.
struct WaitlistClaimRulesTests {
    @Test func aClaimIsGrantedOnlyWhileOpenAndWhenAPlaceFits() {
        #expect(WaitlistPolicy.claimOutcome(offerExpiresAt: 1_000, now: 999, fits: true) == .granted)
        #expect(WaitlistPolicy.claimOutcome(offerExpiresAt: 1_000, now: 999, fits: false) == .taken)
        // At the closing second and after, and for an entry never told: too late, whatever is free
        #expect(WaitlistPolicy.claimOutcome(offerExpiresAt: 1_000, now: 1_000, fits: true) == .expired)
        #expect(WaitlistPolicy.claimOutcome(offerExpiresAt: 1_000, now: 2_000, fits: false) == .expired)
        #expect(WaitlistPolicy.claimOutcome(offerExpiresAt: nil, now: 0, fits: true) == .expired)
    }

    @Test func theModeDefaultsToInOrderAndIsStoredByItsName() {
        #expect(WaitlistPolicy.standard.mode == .inOrder)
        #expect(WaitlistPolicy.Mode(rawValue: "first_to_confirm") == .firstToConfirm)
        #expect(WaitlistPolicy.Mode(rawValue: "lottery") == nil)
        // Both modes give a claim the same time
        #expect(WaitlistPolicy(offerMinutes: 15, mode: .firstToConfirm).holdExpiry(now: 100) == 100 + 15 * 60)
    }

    @Test func everyUnavailableReasonHasItsOwnPhrase() {
        let phrases = UnavailableReason.allCases.map(\.phrase)
        #expect(!phrases.contains(""))
        #expect(Set(phrases).count == UnavailableReason.allCases.count)
        #expect(UnavailableReason.taken.phrase == "already booked")
    }
}
