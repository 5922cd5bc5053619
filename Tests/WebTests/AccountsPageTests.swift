import Foundation
import HTTPServer
@testable import Store
import Logging
import Testing
import TestSupport
@testable import Web

struct AccountsPageTests {
    let password = "correct horse battery"

    @Test func theAccountPageListsSessionsAndEndsAnother() throws {
        let test = try TestApp()
        let (laptop, user) = try test.member("ada@example.com")
        let phone = test.browser(userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1")
        try phone.logIn(email: "ada@example.com", password: password)
        let html = try laptop.get("/account").text
        #expect(html.contains("Firefox on Linux <strong>(this device)</strong>"))
        #expect(html.contains("Safari on iOS"))
        let phoneSession = try #require(try test.database.sessions(userID: user.id, now: test.nowSeconds).first { $0.userAgent.contains("iPhone") })
        let response = try laptop.post("/account/sessions/\(phoneSession.id)/end", [])
        #expect(response.headers["Location"] == "/account?done=session")
        #expect(try phone.get("/account").status == .seeOther)
        #expect(try laptop.get("/account").status == .ok)
    }

    @Test func nobodyEndsAnotherUsersSession() throws {
        let test = try TestApp()
        let (_, ada) = try test.member("ada@example.com")
        let (mallory, _) = try test.member("mallory@example.com")
        let adaSession = try #require(try test.database.sessions(userID: ada.id, now: test.nowSeconds).first)
        try mallory.get("/account")
        #expect(try mallory.post("/account/sessions/\(adaSession.id)/end", []).status == .notFound)
        #expect(try test.database.sessions(userID: ada.id, now: test.nowSeconds).count == 1)
    }

    @Test func passwordChangeNeedsTheCurrentPasswordAndEndsEveryOtherSession() throws {
        let test = try TestApp()
        let (laptop, user) = try test.member("ada@example.com")
        let phone = test.browser()
        try phone.logIn(email: "ada@example.com", password: password)
        try laptop.get("/account")
        // A wrong current password changes nothing
        let wrong = try laptop.post("/account/password", [("current_password", "not it at all"), ("new_password", "a brand new passphrase")])
        #expect(wrong.status == .unprocessable)
        #expect(wrong.text.contains(##"<a href="#current-password">"##))
        #expect(try phone.get("/account").status == .ok)
        // The right one changes it and logs out every other session
        let right = try laptop.post("/account/password", [("current_password", password), ("new_password", "a brand new passphrase")])
        #expect(right.headers["Location"] == "/account?done=password")
        #expect(try phone.get("/account").status == .seeOther)
        #expect(try laptop.get("/account").status == .ok)
        #expect(try test.browser().logIn(email: "ada@example.com", password: "a brand new passphrase").status == .seeOther)
        #expect(try test.database.accountEvents(userID: user.id).contains { $0.action == "password_changed" })
    }

    @Test func nameChangesAndIsValidated() throws {
        let test = try TestApp()
        let (browser, user) = try test.member("ada@example.com")
        try browser.get("/account")
        #expect(try browser.post("/account/name", [("name", "  Ada King  ")]).headers["Location"] == "/account?done=name")
        #expect(try test.database.user(id: user.id)?.name == "Ada King")
        let page = try browser.get("/account?done=name")
        #expect(page.text.contains("Your name was saved."))
        #expect(page.text.contains(">Ada King</a>"))
        let bad = try browser.post("/account/name", [("name", String(repeating: "x", count: 121))])
        #expect(bad.status == .unprocessable)
        #expect(bad.text.contains(#"id="name-error""#))
        #expect(try test.database.user(id: user.id)?.name == "Ada King")
    }

    @Test func householdMembersAreAddedValidatedAndRemoved() throws {
        let test = try TestApp()
        let (browser, user) = try test.member("ada@example.com")
        try browser.get("/account")
        #expect(try browser.post("/account/household", [("name", "Byron"), ("relationship", "son"), ("birth_date", "2018-04-30")]).status == .seeOther)
        #expect(try browser.post("/account/household", [("name", "Annabella"), ("relationship", ""), ("birth_date", "")]).status == .seeOther)
        let members = try test.database.household(userID: user.id)
        #expect(members.map(\.name) == ["Annabella", "Byron"])
        #expect(members.last?.birthDate == "2018-04-30")
        #expect(try browser.get("/account").text.contains(#"born <time datetime="2018-04-30">"#))
        for (date, message) in [("2018-02-30", "YYYY-MM-DD"), ("30/04/2018", "YYYY-MM-DD"), ("2099-01-01", "future")] {
            let bad = try browser.post("/account/household", [("name", "Ghost"), ("birth_date", date)])
            #expect(bad.status == .unprocessable)
            #expect(bad.text.contains(message))
            #expect(bad.text.contains(##"<a href="#member-birth-date">"##))
        }
        #expect(try browser.post("/account/household", [("name", " ")]).text.contains("Enter the person"))
        #expect(try test.database.household(userID: user.id).count == 2)
        let byron = try #require(members.last)
        #expect(try browser.post("/account/household/\(byron.id)/remove", []).status == .seeOther)
        #expect(try test.database.household(userID: user.id).map(\.name) == ["Annabella"])
    }

    @Test func nobodyRemovesAnotherUsersHouseholdMember() throws {
        let test = try TestApp()
        let (_, ada) = try test.member("ada@example.com")
        let child = try test.database.addHouseholdMember(userID: ada.id, name: "Byron", relationship: "son", birthDate: nil, now: 0)
        let (mallory, _) = try test.member("mallory@example.com")
        try mallory.get("/account")
        #expect(try mallory.post("/account/household/\(child.id)/remove", []).status == .notFound)
        #expect(try test.database.household(userID: ada.id).count == 1)
    }

    @Test func noPlaintextPasswordOrSessionTokenInTheDatabaseFileOrTheLogs() throws {
        let test = try TestApp()
        let secret = "Sup3r-Secret-Passphrase-42"
        let browser = test.browser()
        try browser.signUp(name: "Ada", email: "ada@example.com", password: secret)
        let signUpToken = try #require(browser.cookie)
        try browser.post("/logout", [])
        try browser.logIn(email: "ada@example.com", password: secret)
        let logInToken = try #require(browser.cookie)
        try browser.get("/account")
        try browser.post("/account/password", [("current_password", secret), ("new_password", secret + "-2")])
        try test.browser().logIn(email: "ada@example.com", password: "wrong " + secret)
        // Every byte SQLite wrote: the database, its WAL and shared memory
        var bytes: [UInt8] = []
        for suffix in ["", "-wal", "-shm"] {
            if let data = FileManager.default.contents(atPath: test.database.path + suffix) { bytes += data }
        }
        #expect(!bytes.isEmpty)
        for needle in [secret, secret + "-2", signUpToken, logInToken] {
            #expect(!Self.contains(bytes, Array(needle.utf8)), "found \(needle) in the database")
            #expect(!test.logs.all.contains(needle))
        }
        for raw in [signUpToken, logInToken].compactMap(Base64URL.decode) {
            #expect(!Self.contains(bytes, raw))
        }
    }

    @Test func aRealServerLogsNeitherPasswordsNorTokens() throws {
        let test = try TestApp()
        var configuration = ServerConfiguration()
        configuration.port = 0
        var logger = Logger(label: "server") { _ in CapturingLogHandler(store: test.logs) }
        logger.logLevel = .trace
        let server = try Server(configuration: configuration, application: test.app, logger: logger)
        defer { server.stop(grace: .seconds(1)) }
        let client = RawHTTPClient(port: server.port)
        let secret = "Sup3r-Secret-Passphrase-42"
        // Sign up over HTTP with the browser's form cookie and form token
        let form = try client.request("GET", "/signup?next=%2Faccount")
        let formCookie = try #require(form.header("Set-Cookie")?.split(separator: ";").first.map(String.init))
        #expect(formCookie.hasPrefix("bizing_form_"))
        let anonymous = String(formCookie.split(separator: "=", maxSplits: 1).last ?? "")
        let csrf = try #require(Browser.formToken(in: form.text))
        let body = FormData(pairs: [("_csrf", csrf), ("name", "Ada"), ("email", "ada@example.com"), ("password", secret)]).encoded
        let signUp = try client.request("POST", "/signup", headers: [("Cookie", formCookie),
                                                                    ("Content-Type", "application/x-www-form-urlencoded")],
                                        body: Array(body.utf8))
        #expect(signUp.status == 303)
        let token = try #require(Self.sessionCookie(signUp.header("Set-Cookie")))
        #expect(try client.request("GET", "/account", headers: [("Cookie", "bizing_session=\(token)")]).status == 200)
        let logs = test.logs.all
        #expect(logs.contains("/signup"))
        for needle in [secret, token, anonymous, csrf] { #expect(!logs.contains(needle)) }
    }

    static func sessionCookie(_ header: String?) -> String? {
        guard let header, header.hasPrefix("bizing_session=") else { return nil }
        return String(header.dropFirst("bizing_session=".count).prefix { $0 != ";" })
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        let first = needle[0]
        var i = 0
        while i <= haystack.count - needle.count {
            if haystack[i] == first && Array(haystack[i..<(i + needle.count)]) == needle { return true }
            i += 1
        }
        return false
    }
}
