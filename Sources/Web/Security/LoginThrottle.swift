import Foundation
import HTTPServer
import Store

/// Failed log-ins per account and per client address over a sliding window.
///
/// Kept in the database (`login_failures`), not in memory: a restart (or a crash an attacker can
/// provoke) does not wipe the count, every server thread sees the same numbers without a lock, and
/// a failed log-in already writes its `account_events` row in the same transaction, so it costs no
/// extra write. The account key is the normalised email whether or not an account has it, so the
/// answer (429 or not) never reveals which emails exist.
struct LoginThrottle: Sendable {
    /// Failures of one account (email) in the window before it is refused.
    var accountLimit = 5
    /// Failures from one address in the window (higher: offices and phones share addresses).
    var addressLimit = 30
    var window: Int64 = 15 * 60

    /// The instant both keys may try again, or nil when neither is throttled.
    func blockedUntil(email: String, address: String, database: AppDatabase, now: Int64) throws -> Int64? {
        let account = try database.throttledUntil(scope: .account, key: email, limit: accountLimit, window: window, now: now)
        let client = try database.throttledUntil(scope: .address, key: address, limit: addressLimit, window: window, now: now)
        return [account, client].compactMap { $0 }.max()
    }

    /// The 429 a throttled attempt gets: a sentence with the wait, and `Retry-After`.
    static func refusal(until: Int64, now: Int64) -> WebError {
        let seconds = max(1, until - now)
        let minutes = (seconds + 59) / 60
        let wait = minutes == 1 ? "1 minute" : "\(minutes) minutes"
        var error = WebError(.tooManyRequests, code: "rate_limited",
                             "There have been too many failed log-ins. Please wait \(wait) and try again.")
        error.headers.append(("Retry-After", String(seconds)))
        return error
    }
}
