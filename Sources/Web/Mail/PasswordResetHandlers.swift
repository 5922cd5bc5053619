import Foundation
import HTTPServer
import Passwords
import Store

/// `GET|POST /password/forgot` (field `email`) and `GET|POST /password/reset/{token}` (field
/// `password`). The request answers the same whether or not the account exists; the link works
/// once, for an hour, and ends every session of the account.
struct PasswordResetHandlers: Sendable {
    struct ForgotPage: Sendable {
        let layout: Layout
        var email = ""
        var sent = false
        var errors = FormErrors()
    }

    struct ResetPage: Sendable {
        let layout: Layout
        let action: String
        var valid = true
        var done = false
        var errors = FormErrors()
        let minPassword = AccountInput.passwordLength.lowerBound
        let maxPassword = AccountInput.passwordLength.upperBound
    }

    let throttle = MailRequestThrottle()

    func forgotForm(_ context: RequestContext) throws -> Response {
        context.app.page("accounts/forgot", ForgotPage(layout: try context.layout(title: "Forgot your password? — Bizing", withForm: true)))
    }

    func forgot(_ context: RequestContext) throws -> Response {
        let form = try context.form()
        var page = ForgotPage(layout: try context.layout(title: "Forgot your password? — Bizing", withForm: true))
        switch AccountInput.email(form["email"]) {
        case .invalid(let message):
            var errors = FormErrors()
            errors.add("email", message)
            page.email = String((form["email"] ?? "").prefix(AccountInput.maxEmailLength))
            page.errors = errors
            return context.app.page("accounts/forgot", page, status: .unprocessable)
        case .valid(let email):
            try throttle.admit(kind: "forgot", email: email, context: context)
            try context.app.database.requestPasswordReset(email: email, now: context.instant)
            page.email = email
            page.sent = true
            return context.app.page("accounts/forgot", page)
        }
    }

    func resetForm(_ context: RequestContext) throws -> Response {
        let token = context.request.parameters["token"] ?? ""
        var page = ResetPage(layout: try context.layout(title: "Choose a new password — Bizing", withForm: true), action: action(token))
        page.valid = try context.app.database.passwordResetUser(token: token, now: context.instant) != nil
        return context.app.page("accounts/reset", page, status: page.valid ? .ok : .gone)
    }

    func reset(_ context: RequestContext) throws -> Response {
        let token = context.request.parameters["token"] ?? ""
        let form = try context.form()
        var page = ResetPage(layout: try context.layout(title: "Choose a new password — Bizing", withForm: true), action: action(token))
        let app = context.app
        guard try app.database.passwordResetUser(token: token, now: context.instant) != nil else {
            page.valid = false
            return app.page("accounts/reset", page, status: .gone)
        }
        switch AccountInput.newPassword(form["password"]) {
        case .invalid(let message):
            var errors = FormErrors()
            errors.add("password", message)
            page.errors = errors
            return app.page("accounts/reset", page, status: .unprocessable)
        case .valid(let password):
            let hash = try app.security.passwords.hash(password)
            do {
                _ = try app.database.resetPassword(token: token, newHash: hash, ip: context.request.clientAddress, now: context.instant)
            } catch PasswordResetError.invalidOrExpired {
                page.valid = false
                return app.page("accounts/reset", page, status: .gone)
            }
            // Every session of the account has ended, this browser's too if it was signed in.
            context.auth.clear()
            var done = ResetPage(layout: try context.layout(title: "Password changed — Bizing"), action: action(token))
            done.done = true
            return app.page("accounts/reset", done)
        }
    }

    private func action(_ token: String) -> String { "/password/reset/" + PercentEncoded.component(token) }
}
