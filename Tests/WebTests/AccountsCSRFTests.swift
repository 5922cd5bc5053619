import Foundation
import HTTPServer
import Passwords
@testable import Store
import Testing
@testable import Web

struct AccountsCSRFTests {
    enum Forgery: CaseIterable { case missing, invalid, otherSession }

    func token(_ forgery: Forgery, _ test: TestApp) throws -> String? {
        switch forgery {
        case .missing: return nil
        case .invalid: return String(repeating: "A", count: 54)
        case .otherSession:
            // A signed-in session's token. (An anonymous visitor's form may carry the token of
            // another live anonymous session: two first-visit tabs; see GuestFormTokenTests.)
            let (other, _) = try test.member("other-\(UUID().uuidString.prefix(8).lowercased())@example.com")
            try other.get("/account")
            return other.csrf
        }
    }

    @Test(arguments: Forgery.allCases)
    func signUpWithoutItsOwnFormTokenIsRefusedAndCreatesNothing(_ forgery: Forgery) throws {
        let test = try TestApp()
        let browser = test.browser()
        try browser.get("/signup")
        let response = try browser.post("/signup", [("name", "Ada"), ("email", "ada@example.com"), ("password", "analytical engine")],
                                        csrf: .some(try token(forgery, test)))
        #expect(response.status == .forbidden)
        #expect(response.isHTML)
        #expect(response.text.contains("nothing was changed"))
        #expect(try test.database.user(email: "ada@example.com") == nil)
    }

    @Test(arguments: Forgery.allCases)
    func accountChangesWithoutTheSessionsTokenAreRefused(_ forgery: Forgery) throws {
        let test = try TestApp()
        let (browser, user) = try test.member("ada@example.com")
        try browser.get("/account")
        let forged = try token(forgery, test)
        #expect(try browser.post("/account/name", [("name", "Mallory")], csrf: .some(forged)).status == .forbidden)
        #expect(try browser.post("/account/household", [("name", "Eve")], csrf: .some(forged)).status == .forbidden)
        #expect(try browser.post("/account/password", [("current_password", "correct horse battery"),
                                                       ("new_password", "attacker chosen pw")], csrf: .some(forged)).status == .forbidden)
        #expect(try test.database.user(id: user.id)?.name == "ada@example.com")
        #expect(try test.database.household(userID: user.id).isEmpty)
        #expect(TestApp.fastPasswords.verify("correct horse battery", against: try #require(try test.database.user(id: user.id)).passwordHash))
    }

    @Test func logOutWithoutTheTokenKeepsTheSession() throws {
        let test = try TestApp()
        let (browser, _) = try test.member("ada@example.com")
        #expect(try browser.post("/logout", [], csrf: .some(nil)).status == .forbidden)
        #expect(try browser.get("/account").status == .ok)
    }

    @Test func aPostWithNoSessionAtAllIsRefused() throws {
        let test = try TestApp()
        let browser = test.browser()
        let response = try browser.post("/login", [("email", "a@example.com"), ("password", "whatever1234")], csrf: .some(nil))
        #expect(response.status == .forbidden)
        #expect(try test.database.accountEvents().isEmpty)
    }

    @Test func theTokenOfTheAnonymousSessionWorksForLogInAndTheSignedInOneAfter() throws {
        let test = try TestApp()
        let (browser, _) = try test.member("ada@example.com")
        // Sign-up answers with a redirect (no form): a page gives the signed-in session's token
        try browser.get("/account")
        let signedInToken = try #require(browser.csrf)
        #expect(try browser.post("/logout", []).status == .seeOther)
        #expect(try browser.get("/login").status == .ok)
        // A token from before log-out belongs to a deleted session
        #expect(try browser.post("/login", [("email", "ada@example.com"), ("password", "correct horse battery")],
                                 csrf: .some(signedInToken)).status == .forbidden)
        #expect(try browser.post("/login", [("email", "ada@example.com"), ("password", "correct horse battery")]).status == .seeOther)
    }
}
