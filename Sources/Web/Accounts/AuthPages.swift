/// The sign-up page (`accounts/signup`).
struct SignupPage: Sendable {
    let layout: Layout
    let next: String
    let loginURL: String
    var name = ""
    var email = ""
    var errors = FormErrors()
    let minPassword = AccountInput.passwordLength.lowerBound
    let maxPassword = AccountInput.passwordLength.upperBound

    init(layout: Layout, next: String) {
        self.layout = layout
        self.next = next
        self.loginURL = "/login" + (next == NextPath.fallback ? "" : "?" + Self.query(next))
    }

    mutating func fail(_ errors: FormErrors) {
        self.errors = errors
    }

    static func query(_ next: String) -> String { "next=" + PercentEncoded.component(next) }
}

/// The log-in page (`accounts/login`).
struct LoginPage: Sendable {
    let layout: Layout
    let next: String
    let signupURL: String
    var email = ""
    var errors = FormErrors()

    init(layout: Layout, next: String) {
        self.layout = layout
        self.next = next
        self.signupURL = "/signup" + (next == NextPath.fallback ? "" : "?" + SignupPage.query(next))
    }

    mutating func fail(_ errors: FormErrors) {
        self.errors = errors
    }
}

import HTTPServer

enum PercentEncoded {
    static func component(_ text: String) -> String { PercentDecoding.encode(text) }
}
