import Foundation
import HTTPServer
import Passwords
@testable import Store
import Testing
@testable import Web

struct AccountsSignupTests {
    @Test func signUpCreatesTheAccountSignsInAndGoesToTheAccountPage() throws {
        let test = try TestApp()
        let browser = test.browser()
        // When a visitor signs up
        let response = try browser.signUp(name: "Ada Lovelace", email: "ada@example.com", password: "analytical engine")
        // Then they are sent on, signed in, with a session cookie of the contract's shape
        #expect(response.status == .seeOther)
        #expect(response.headers["Location"] == "/account")
        let cookie = try #require(response.headers.values("Set-Cookie").first { $0.hasPrefix("bizing_session=") })
        #expect(cookie.contains("HttpOnly"))
        #expect(cookie.contains("SameSite=Lax"))
        #expect(cookie.contains("Path=/"))
        #expect(!cookie.contains("Secure"))
        let account = try browser.get("/account")
        #expect(account.status == .ok)
        #expect(account.text.contains("ada@example.com"))
        #expect(account.text.contains("Ada Lovelace"))
        #expect(try test.database.accountEvents().first?.action == "signup")
    }

    @Test func emailIsTrimmedAndLowerCasedSoEitherSpellingLogsIn() throws {
        let test = try TestApp()
        try test.browser().signUp(name: "Ada", email: "  Ada@Example.COM ", password: "analytical engine")
        #expect(try test.database.user(email: "ada@example.com") != nil)
        let response = try test.browser().logIn(email: "ADA@example.com ", password: "analytical engine")
        #expect(response.status == .seeOther)
    }

    @Test func aTakenEmailIsRefusedAndNothingChanges() throws {
        let test = try TestApp()
        try test.browser().signUp(name: "Ada", email: "ada@example.com", password: "analytical engine")
        let response = try test.browser().signUp(name: "Impostor", email: "ADA@example.com", password: "something else entirely")
        #expect(response.status == .unprocessable)
        #expect(response.text.contains("already exists"))
        #expect(try test.database.user(email: "ada@example.com")?.name == "Ada")
    }

    @Test(arguments: [
        ("123456789", false),                       // 9 characters
        ("1234567890", true),                       // 10
        (String(repeating: "é", count: 10), true),  // 10 characters, 20 bytes
        (String(repeating: "🙂", count: 9), false), // 9 characters, 36 bytes
        (String(repeating: "a", count: 128), true),
        (String(repeating: "a", count: 129), false),
    ])
    func passwordLengthIsCountedInCharacters(_ password: String, accepted: Bool) throws {
        let test = try TestApp()
        let response = try test.browser().signUp(name: "Ada", email: "ada@example.com", password: password)
        #expect((response.status == .seeOther) == accepted)
        #expect((try test.database.user(email: "ada@example.com") != nil) == accepted)
    }

    @Test func errorsAreShownNextToEachFieldAndInASummaryLinkingToIt() throws {
        let test = try TestApp()
        let response = try test.browser().signUp(name: "", email: "not-an-email", password: "short")
        #expect(response.status == .unprocessable)
        let html = response.text
        #expect(html.contains(#"role="alert""#))
        for field in ["name", "email", "password"] {
            #expect(html.contains(##"<a href="#\##(field)">"##))
            #expect(html.contains(#"id="\#(field)-error""#))
        }
        #expect(html.contains(#"aria-invalid="true""#))
        #expect(html.contains("Enter your name."))
        #expect(html.contains("name@example.com"))
        // What was typed stays, except the password
        #expect(html.contains(#"value="not-an-email""#))
        #expect(!html.contains(#"value="short""#))
        #expect(try test.database.accountEvents().isEmpty)
    }

    @Test func overlongNameAndEmailAreRefused() throws {
        let test = try TestApp()
        let longName = String(repeating: "n", count: 121)
        let longEmail = String(repeating: "e", count: 60) + "@" + String(repeating: "d", count: 190) + ".com"
        let response = try test.browser().signUp(name: longName, email: longEmail, password: "analytical engine")
        #expect(response.status == .unprocessable)
        #expect(response.text.contains("at most 120 characters"))
        #expect(response.text.contains("at most 254 characters"))
        #expect(try test.database.accountEvents().isEmpty)
    }

    @Test func formsHaveLabelsAutocompleteAndAFormToken() throws {
        let test = try TestApp()
        let signup = try test.browser().get("/signup").text
        for (id, autocomplete) in [("name", "name"), ("email", "email"), ("password", "new-password")] {
            #expect(signup.contains(#"<label for="\#(id)">"#))
            #expect(signup.contains(#"id="\#(id)" name="\#(id)""#))
            #expect(signup.contains(#"autocomplete="\#(autocomplete)""#))
        }
        let login = try test.browser().get("/login").text
        #expect(login.contains(#"autocomplete="current-password""#))
        #expect(login.contains(#"<label for="email">"#))
        for html in [signup, login] {
            #expect(Browser.formToken(in: html) != nil)
            #expect(html.contains(#"<html lang="en">"#))
        }
    }

    @Test func theArgonHashIsStoredNotThePassword() throws {
        let test = try TestApp()
        try test.browser().signUp(name: "Ada", email: "ada@example.com", password: "analytical engine")
        let user = try #require(try test.database.user(email: "ada@example.com"))
        #expect(user.passwordHash.hasPrefix("$argon2id$"))
        #expect(TestApp.fastPasswords.verify("analytical engine", against: user.passwordHash))
    }
}
