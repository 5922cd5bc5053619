import BookingCore
import HTTPServer
import Store

extension App {
    /// Password reset, "resend my confirmation", the owner's outbox page and email settings (issue 14).
    static func addMailRoutes(to table: inout RouteTable) {
        let reset = PasswordResetHandlers()
        table.add("GET", "/password/forgot", reset.forgotForm)
        table.add("POST", "/password/forgot", reset.forgot)
        table.add("GET", "/password/reset/:token", reset.resetForm)
        table.add("POST", "/password/reset/:token", reset.reset)

        let resend = ResendHandlers()
        table.add("GET", "/b/:business/resend", resend.form)
        table.add("POST", "/b/:business/resend", resend.submit)

        let outbox = OutboxHandlers()
        table.add("GET", "/manage/:business/outbox", requires: .permission(.orgManage), outbox.list)
        table.add("POST", "/manage/:business/outbox/:message/retry", requires: .permission(.orgManage), outbox.retry)
        table.add("POST", "/manage/:business/settings/email", requires: .permission(.orgManage), outbox.saveSettings)
    }
}

/// Requests that send an email to whoever's address is typed in (a password reset, a resent
/// confirmation) are throttled like log-ins: per email and per client address over a sliding
/// window, counted whether or not the address is known, so the answer never tells which are.
struct MailRequestThrottle: Sendable {
    var emailLimit = 5
    var addressLimit = 30
    var window: Int64 = 15 * 60

    /// Refuses (429) when either key has had too many requests; otherwise counts this one.
    func admit(kind: String, email: String, context: RequestContext) throws {
        let database = context.app.database, now = context.instant, address = context.request.clientAddress
        let byEmail = try database.throttledUntil(scope: .account, key: kind + ":" + email, limit: emailLimit, window: window, now: now)
        let byAddress = try database.throttledUntil(scope: .address, key: kind + ":" + address, limit: addressLimit, window: window, now: now)
        if let until = [byEmail, byAddress].compactMap({ $0 }).max() {
            let seconds = max(1, until - now), minutes = (seconds + 59) / 60
            var error = WebError(.tooManyRequests, code: "rate_limited",
                                 "There have been too many requests. Please wait \(minutes == 1 ? "1 minute" : "\(minutes) minutes") and try again.")
            error.headers.append(("Retry-After", String(seconds)))
            throw error
        }
        try database.recordThrottledRequest(kind: kind, email: email, address: address, window: window, now: now)
    }
}
