import BookingCore
import Foundation
import HTTPServer
import Passwords
import Store

/// The account page and its forms. Every route here requires a signed-in user.
struct AccountHandlers: Sendable {
    func show(_ context: RequestContext) throws -> Response {
        let user = try context.requireUser()
        return context.app.page("accounts/account", try AccountPage.load(context, user: user))
    }

    func changeName(_ context: RequestContext) throws -> Response {
        let user = try context.requireUser()
        let form = try context.form()
        switch AccountInput.name(form["name"]) {
        case .valid(let name):
            try context.app.database.updateName(userID: user.id, name: name)
            return .redirect(to: "/account?done=name")
        case .invalid(let message):
            var errors = FormErrors()
            errors.add("name", message)
            return try failure(context, user: user, errors) { $0.nameValue = String((form["name"] ?? "").prefix(AccountInput.maxNameLength)) }
        }
    }

    /// Needs the current password; ends every other session of the user.
    func changePassword(_ context: RequestContext) throws -> Response {
        let user = try context.requireUser()
        let form = try context.form()
        let app = context.app
        let now = context.instant
        let address = context.request.clientAddress
        var errors = FormErrors()
        let current = form["current_password"] ?? ""
        if current.isEmpty { errors.add("current-password", "Enter your current password.") }
        var newPassword = ""
        switch AccountInput.newPassword(form["new_password"]) {
        case .valid(let value): newPassword = value
        case .invalid(let message): errors.add("new-password", message)
        }
        if errors.isEmpty {
            // A stolen session must not become a way to guess the password: same throttle as log-in.
            if let until = try app.security.throttle.blockedUntil(email: user.email, address: address, database: app.database, now: now) {
                throw LoginThrottle.refusal(until: until, now: now)
            }
            if app.security.passwords.verify(current, against: user.passwordHash) {
                let hash = try app.security.passwords.hash(newPassword)
                try app.database.changePassword(userID: user.id, newHash: hash, keeping: try context.currentSession()?.session.id,
                                                ip: address, now: now)
                return .redirect(to: "/account?done=password")
            }
            try app.database.recordLoginFailure(email: user.email, address: address, userID: user.id,
                                                window: app.security.throttle.window, now: now)
            errors.add("current-password", "The current password is wrong.")
        }
        return try failure(context, user: user, errors)
    }

    func endSession(_ context: RequestContext) throws -> Response {
        let user = try context.requireUser()
        guard let id = SessionID(try context.parameter("session")) else { throw WebError.notFound() }
        do {
            try context.app.database.endSession(id: id, userID: user.id, ip: context.request.clientAddress, now: context.instant)
        } catch AccountStoreError.notFound {
            throw WebError.notFound("That session has already ended.")
        }
        if id == (try context.currentSession())?.session.id {
            context.auth.clear()
            return .redirect(to: "/")
        }
        return .redirect(to: "/account?done=session")
    }

    func addHouseholdMember(_ context: RequestContext) throws -> Response {
        let user = try context.requireUser()
        let form = try context.form()
        var errors = FormErrors()
        var name = "", relationship = "", birthDate: String?
        switch AccountInput.name(form["name"], what: "the person's name") {
        case .valid(let value): name = value
        case .invalid(let message): errors.add("member-name", message)
        }
        switch AccountInput.relationship(form["relationship"]) {
        case .valid(let value): relationship = value
        case .invalid(let message): errors.add("member-relationship", message)
        }
        switch AccountInput.birthDate(form["birth_date"], today: Self.latestToday(context.instant)) {
        case .valid(let value): birthDate = value
        case .invalid(let message): errors.add("member-birth-date", message)
        }
        guard errors.isEmpty else {
            return try failure(context, user: user, errors) {
                $0.memberName = String((form["name"] ?? "").prefix(AccountInput.maxNameLength))
                $0.memberRelationship = String((form["relationship"] ?? "").prefix(AccountInput.maxRelationshipLength))
                $0.memberBirthDate = String((form["birth_date"] ?? "").prefix(10))
            }
        }
        try context.app.database.addHouseholdMember(userID: user.id, name: name, relationship: relationship,
                                                    birthDate: birthDate, now: context.instant)
        return .redirect(to: "/account?done=member-added")
    }

    func removeHouseholdMember(_ context: RequestContext) throws -> Response {
        let user = try context.requireUser()
        guard let id = HouseholdMemberID(try context.parameter("member")) else { throw WebError.notFound() }
        do {
            try context.app.database.removeHouseholdMember(id: id, userID: user.id)
        } catch AccountStoreError.notFound {
            throw WebError.notFound()
        } catch AccountStoreError.memberHasBookings {
            throw WebError.conflict("member_has_bookings",
                                    "This person is named on bookings you made, so they stay in your household to keep those bookings right.")
        }
        return .redirect(to: "/account?done=member-removed")
    }

    /// The account page again with the form's errors; nothing was changed.
    private func failure(_ context: RequestContext, user: User, _ errors: FormErrors,
                         sticky: (inout AccountPage) -> Void = { _ in }) throws -> Response {
        var page = try AccountPage.load(context, user: user)
        page.fail(errors)
        sticky(&page)
        return context.app.page("accounts/account", page, status: .unprocessable)
    }

    /// The latest calendar date anywhere on Earth at `now` (UTC+14): a birth date after it is in the future.
    static func latestToday(_ now: Instant) -> LocalDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: TimeInterval(now + 14 * 3600)))
        return LocalDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1) ?? LocalDate(year: 1970, month: 1, day: 1)!
    }
}
