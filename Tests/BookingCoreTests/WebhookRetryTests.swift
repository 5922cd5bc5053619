import BookingCore
import Testing

struct WebhookRetryTests {
    @Test(arguments: [0.0, 0.5, 0.999_999])
    func theFirstRetryComesWithin30SecondsAndEachWaitIsLongerUntilTheCap(jitter: Double) {
        #expect(WebhookRetry.delay(afterAttempt: 1, jitter: jitter) <= 30)
        for attempt in 1..<9 {
            // Worst case: this wait at its longest, the next at its shortest.
            #expect(WebhookRetry.delay(afterAttempt: attempt + 1, jitter: 0) > WebhookRetry.delay(afterAttempt: attempt, jitter: 0.999_999))
        }
        #expect(WebhookRetry.delay(afterAttempt: 40, jitter: jitter) <= WebhookRetry.capSeconds * 5 / 4)
    }

    @Test(arguments: [0.0, 0.999_999])
    func aDeliveryIsGivenUpOnlyAfterAtLeastEightAttemptsOverAtLeastADay(jitter: Double) {
        var now: Instant = 1000
        var attempts = 1
        while let next = WebhookRetry.next(afterAttempt: attempts, eventAt: 1000, now: now, jitter: jitter) {
            attempts += 1
            now = next
        }
        #expect(attempts >= 8)
        #expect(now - 1000 >= 86_400)
        #expect(attempts < 30)
    }

    @Test func onlyA2xxIsDeliveredAndADayOfFailuresDisables() {
        #expect(WebhookRetry.isDelivered(status: 200))
        #expect(WebhookRetry.isDelivered(status: 204))
        #expect(!WebhookRetry.isDelivered(status: 302))
        #expect(!WebhookRetry.isDelivered(status: 500))
        #expect(!WebhookRetry.shouldDisable(failingSince: 0, now: 86_399))
        #expect(WebhookRetry.shouldDisable(failingSince: 0, now: 86_400))
    }
}
