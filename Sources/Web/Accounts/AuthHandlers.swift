import Foundation
import HTTPServer
import Passwords
import Store

/// Sign-up, log-in and log-out.
struct AuthHandlers: Sendable {
    // MARK: Sign-up

    func signupForm(_ context: RequestContext) throws -> Response {
        if try context.currentUser() != nil { return .redirect(to: NextPath.or(context.request.query["next"])) }
        let page = SignupPage(layout: try context.layout(title: "Sign up — Bizing", withForm: true),
                              next: NextPath.or(context.request.query["next"]))
        return context.app.page("accounts/signup", page)
    }

    func signup(_ context: RequestContext) throws -> Response {
        let form = try context.form()
        let next = NextPath.or(form["next"])
        var errors = FormErrors()
        var name = "", email = "", password = ""
        switch AccountInput.name(form["name"]) {
        case .valid(let value): name = value
        case .invalid(let message): errors.add("name", message)
        }
        switch AccountInput.email(form["email"]) {
        case .valid(let value): email = value
        case .invalid(let message): errors.add("email", message)
        }
        switch AccountInput.newPassword(form["password"]) {
        case .valid(let value): password = value
        case .invalid(let message): errors.add("password", message)
        }
        let app = context.app
        let address = context.request.clientAddress
        if let until = try app.security.throttle.blockedUntil(email: "", address: address, database: app.database,
                                                              now: context.instant) {
            throw LoginThrottle.refusal(until: until, now: context.instant)
        }
        if errors.isEmpty {
            let hash = try app.security.passwords.hash(password)
            let token = SessionToken.generate()
            do {
                let (user, session) = try app.database.signUp(
                    email: email, name: name, passwordHash: hash, session: newSession(token, context),
                    replacing: try context.currentSession()?.session.tokenHash, now: context.instant)
                context.auth.issue(.init(session: session, user: user, issuedToken: token.value), persistent: true)
                return .redirect(to: next)
            } catch AccountStoreError.emailTaken {
                // Counted against the address: probing which emails have accounts is throttled like log-ins.
                try app.database.recordAddressFailure(address: address, now: context.instant)
                errors.add("email", "An account with this email already exists. Log in instead, or use another email.")
            }
        }
        var page = SignupPage(layout: try context.layout(title: "Sign up — Bizing", withForm: true), next: next)
        page.name = String((form["name"] ?? "").prefix(AccountInput.maxNameLength))
        page.email = String((form["email"] ?? "").prefix(AccountInput.maxEmailLength))
        page.fail(errors)
        return app.page("accounts/signup", page, status: .unprocessable)
    }

    // MARK: Log-in

    func loginForm(_ context: RequestContext) throws -> Response {
        if try context.currentUser() != nil { return .redirect(to: NextPath.or(context.request.query["next"])) }
        let page = LoginPage(layout: try context.layout(title: "Log in — Bizing", withForm: true),
                             next: NextPath.or(context.request.query["next"]))
        return context.app.page("accounts/login", page)
    }

    static let wrongCredentials = "The email or password is wrong."

    func login(_ context: RequestContext) throws -> Response {
        let form = try context.form()
        let next = NextPath.or(form["next"] ?? context.request.query["next"])
        let rawEmail = form["email"] ?? ""
        let password = form["password"] ?? ""
        var errors = FormErrors()
        if rawEmail.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { errors.add("email", "Enter your email address.") }
        if password.isEmpty { errors.add("password", "Enter your password.") }

        let app = context.app
        let now = context.instant
        let address = context.request.clientAddress
        if errors.isEmpty {
            let key = AccountInput.loginKey(rawEmail)
            // Checked before any argon2 work, and the same for existing and unknown emails.
            if let until = try app.security.throttle.blockedUntil(email: key, address: address, database: app.database, now: now) {
                throw LoginThrottle.refusal(until: until, now: now)
            }
            let user = try app.database.user(email: key)
            // An unknown email is verified against the dummy hash: the same argon2 work either way.
            let matches = app.security.passwords.verify(password, against: user?.passwordHash ?? app.security.dummyHash)
            if let user, matches {
                let rehash = app.security.passwords.needsRehash(user.passwordHash) ? try app.security.passwords.hash(password) : nil
                let token = SessionToken.generate()
                let session = try app.database.logIn(userID: user.id, email: user.email, session: newSession(token, context),
                                                     replacing: try context.currentSession()?.session.tokenHash,
                                                     rehash: rehash, now: now)
                context.auth.issue(.init(session: session, user: user, issuedToken: token.value), persistent: true)
                return .redirect(to: next)
            }
            try app.database.recordLoginFailure(email: key, address: address, userID: user?.id,
                                                window: app.security.throttle.window, now: now)
            errors.add("email", Self.wrongCredentials)
        }
        var page = LoginPage(layout: try context.layout(title: "Log in — Bizing", withForm: true), next: next)
        page.email = String(rawEmail.prefix(AccountInput.maxEmailLength))
        page.fail(errors)
        return app.page("accounts/login", page, status: .unprocessable)
    }

    // MARK: Log-out

    func logout(_ context: RequestContext) throws -> Response {
        if let current = try context.currentSession() {
            try context.app.database.logOut(tokenHash: current.session.tokenHash, ip: context.request.clientAddress,
                                            now: context.instant)
        }
        context.auth.clear()
        return .redirect(to: "/")
    }

    private func newSession(_ token: SessionToken, _ context: RequestContext) -> NewSession {
        NewSession(tokenHash: token.hash, expiresAt: context.instant + context.app.security.sessions.absoluteLifetime,
                   userAgent: context.request.headers["User-Agent"] ?? "", ip: context.request.clientAddress)
    }
}

extension RequestContext {
    /// The request body as a form; a body that is not one is a 400 with a sentence.
    func form() throws -> FormData {
        do { return try request.form() } catch {
            throw WebError.badRequest("The form could not be read. Please go back and try again.")
        }
    }
}
