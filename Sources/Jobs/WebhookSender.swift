public import BookingCore
import Crypto
import Foundation
public import Outbound
public import Store

/// Sends claimed webhook deliveries over the one libcurl wrapper (`HTTPClient`, with its SSRF
/// guard: no redirects followed, 10 s, at most 64 KB of the answer read) and says what became of
/// each. The body is written once, at the first attempt, by `payload` (the API's booking shape
/// lives in Web; the composition root passes it in) and frozen by the store, so every retry and
/// redelivery sends the same bytes, signed afresh with the time of sending.
public struct WebhookSender: Sendable {
    public typealias PayloadWriter = @Sendable (WebhookJob) -> String

    let client: HTTPClient
    let payload: PayloadWriter

    public init(client: HTTPClient, payload: @escaping PayloadWriter) {
        self.client = client
        self.payload = payload
    }

    /// `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`; the key is the whole
    /// secret (`whsec_…`) as UTF-8 bytes.
    public static func signature(secret: String, timestamp: Instant, body: [UInt8]) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array("\(timestamp).".utf8) + body, using: SymmetricKey(data: Array(secret.utf8)))
        return "t=\(timestamp),v1=" + Tokens.hex(Array(code))
    }

    /// One attempt of `job` at `now`; `later` gives the instant the outcome is decided at (after the
    /// request) and `jitter` the retry spread.
    func attempt(_ job: WebhookJob, now: Instant, later: () -> Instant, jitter: Double) -> WebhookAttemptReport {
        let body = job.payload ?? payload(job)
        let bytes = Array(body.utf8)
        let signature = Self.signature(secret: job.secret, timestamp: now, body: bytes)
        let request = HTTPRequest(method: "POST", url: job.url,
                                  headers: [("Content-Type", "application/json"), ("User-Agent", "Bizing-Webhooks/1"),
                                            ("Bizing-Event", job.event.rawValue), ("Bizing-Delivery", job.publicID),
                                            ("Bizing-Signature", signature)],
                                  body: bytes, timeoutSeconds: 10, maxResponseBytes: 64 * 1024)
        let started = ContinuousClock.now
        var status: Int?
        var answer = ""
        var failure = ""
        do {
            let response = try client.send(request)
            status = response.status
            answer = String(decoding: response.body.prefix(2048), as: UTF8.self)
            if !WebhookRetry.isDelivered(status: response.status) {
                failure = response.status / 100 == 3 ? "HTTP \(response.status): redirects are not followed" : "HTTP \(response.status)"
            }
        } catch {
            failure = error.description
        }
        let elapsed = ContinuousClock.now - started
        let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        let delivered = status.map(WebhookRetry.isDelivered(status:)) ?? false
        let decided = later()
        return WebhookAttemptReport(
            deliveryID: job.id, payload: body,
            attempt: WebhookAttempt(number: job.attempts, at: now, url: job.url, signature: signature, statusCode: status,
                                    responseBody: answer, durationMilliseconds: milliseconds, error: failure),
            retryAt: delivered ? nil : WebhookRetry.next(afterAttempt: job.attempts, eventAt: job.eventAt, now: decided, jitter: jitter),
            delivered: delivered)
    }
}
