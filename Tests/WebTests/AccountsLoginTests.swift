import Foundation
import HTTPServer
import Passwords
@testable import Store
import Testing
@testable import Web

struct AccountsLoginTests {
    let password = "correct horse battery"

    func harnessWithAda() throws -> TestApp {
        let test = try TestApp()
        try test.browser().signUp(name: "Ada", email: "ada@example.com", password: password)
        return test
    }

    @Test func rightPasswordGoesWhereTheUserWasGoing() throws {
        let test = try harnessWithAda()
        let response = try test.browser().logIn(email: "ada@example.com", password: password, next: "/b/demo?date=2026-12-01")
        #expect(response.status == .seeOther)
        #expect(response.headers["Location"] == "/b/demo?date=2026-12-01")
        #expect(try test.database.accountEvents().first?.action == "login")
    }

    @Test func unknownEmailAndWrongPasswordGetTheSameGenericAnswer() throws {
        let test = try harnessWithAda()
        let wrong = try test.browser().logIn(email: "ada@example.com", password: "not the password")
        let unknown = try test.browser().logIn(email: "nobody@example.com", password: "not the password")
        #expect(wrong.status == .unprocessable)
        #expect(unknown.status == wrong.status)
        #expect(wrong.text.contains("email or password is wrong"))
        #expect(unknown.text.contains("email or password is wrong"))
        #expect(Self.withoutTokens(wrong.text) == Self.withoutTokens(unknown.text.replacingOccurrences(of: "nobody@", with: "ada@")))
        let failures = try test.database.accountEvents().filter { $0.action == "login_failed" }
        #expect(failures.count == 2)
        #expect(failures.contains { $0.email == "nobody@example.com" && $0.userID == nil })
    }

    @Test func theDummyHashCostsWhatARealOneCosts() throws {
        let test = try TestApp(passwords: Passwords())
        // The dummy an unknown email is checked against has the current (recommended) parameters
        let dummy = test.app.security.dummyHash
        #expect(dummy.hasPrefix("$argon2id$v=19$m=19456,t=2,p=1$"))
        #expect(!test.app.security.passwords.needsRehash(dummy))
    }

    @Test(arguments: ["//evil.example/x", "https://evil.example", "http:evil.example", "/\\evil.example",
                      "\\\\evil.example", "/\t/evil.example", "javascript:alert(1)", "evil.example", "/%0a/x\n"])
    func nextNeverLeadsToAnotherSite(_ next: String) throws {
        let test = try harnessWithAda()
        let response = try test.browser().logIn(email: "ada@example.com", password: password, next: next)
        #expect(response.status == .seeOther)
        #expect(response.headers["Location"] == "/account")
    }

    @Test func nextFromTheQueryIsCarriedThroughTheForm() throws {
        let test = try harnessWithAda()
        let browser = test.browser()
        let page = try browser.get("/login?next=%2Fmanage%2Fdemo%2F")
        #expect(page.text.contains(#"name="next" value="/manage/demo/""#))
        let evil = try browser.get("/login?next=%2F%2Fevil.example")
        #expect(!evil.text.contains("evil.example"))
    }

    @Test func weakerHashIsUpgradedAtLogIn() throws {
        // Given a user whose hash was made with weaker parameters than the server's now
        let directory = NSTemporaryDirectory() + "bizing-rehash-\(UUID().uuidString)"
        let weak = try TestApp(directory: directory)
        try weak.browser().signUp(name: "Ada", email: "ada@example.com", password: password)
        let stronger = Passwords(parameters: .init(memoryKiB: 2048, iterations: 2, parallelism: 1))
        let test = try TestApp(passwords: stronger, directory: directory)
        #expect(stronger.needsRehash(try #require(try test.database.user(email: "ada@example.com")).passwordHash))
        // When they log in
        #expect(try test.browser().logIn(email: "ada@example.com", password: password).status == .seeOther)
        // Then the stored hash has the new parameters and still matches
        let hash = try #require(try test.database.user(email: "ada@example.com")).passwordHash
        #expect(hash.contains("m=2048,t=2,p=1"))
        #expect(stronger.verify(password, against: hash))
    }

    @Test func anEveryLogInGetsAFreshTokenAndThePreLoginOneStopsWorking() throws {
        let test = try harnessWithAda()
        let browser = test.browser()
        try browser.get("/login")
        // A session cookie from before log-in (anonymous visitors no longer get one: their forms
        // are bound to a form cookie; an old anonymous session must still not survive log-in)
        let old = SessionToken.generate()
        _ = try test.database.createAnonymousSession(NewSession(tokenHash: old.hash, expiresAt: test.nowSeconds + 3600, userAgent: "", ip: ""),
                                                     now: test.nowSeconds)
        browser.cookie = old.value
        let anonymous = try #require(browser.cookie)
        try browser.post("/login", [("email", "ada@example.com"), ("password", password)])
        let signedIn = try #require(browser.cookie)
        #expect(signedIn != anonymous)
        // The pre-login token is not the user's session: presenting it gets the log-in redirect
        let attacker = test.browser()
        attacker.cookie = anonymous
        let response = try attacker.get("/account")
        #expect(response.status == .seeOther)
        #expect(response.headers["Location"]?.hasPrefix("/login") == true)
        #expect(try browser.get("/account").status == .ok)
    }

    @Test func logOutDeletesTheSessionSoTheOldCookieIsUseless() throws {
        let test = try harnessWithAda()
        let browser = test.browser()
        try browser.logIn(email: "ada@example.com", password: password)
        let old = try #require(browser.cookie)
        try browser.get("/account")
        let response = try browser.post("/logout", [])
        #expect(response.status == .seeOther)
        #expect(response.headers.values("Set-Cookie").contains { $0.hasPrefix("bizing_session=;") && $0.contains("Max-Age=0") })
        let replay = test.browser()
        replay.cookie = old
        #expect(try replay.get("/account").status == .seeOther)
        #expect(try test.database.accountEvents().first?.action == "logout")
    }

    @Test func cookieIsSecureOnlyBehindATrustedTLSProxy() throws {
        let untrusted = try TestApp()
        let plain = try untrusted.browser().get("/login", headers: [("X-Forwarded-Proto", "https")])
        #expect(plain.headers["Set-Cookie"]?.contains("Secure") == false)
        let trusted = try TestApp(trustForwardedProto: true)
        let secure = try trusted.browser().get("/login", headers: [("X-Forwarded-Proto", "https")])
        #expect(secure.headers["Set-Cookie"]?.contains("; Secure") == true)
        let overHTTP = try trusted.browser().get("/login")
        #expect(overHTTP.headers["Set-Cookie"]?.contains("Secure") == false)
    }

    @Test func idleSessionExpiresAfterSevenDaysAndUseKeepsItAlive() throws {
        let test = try harnessWithAda()
        let browser = test.browser()
        try browser.logIn(email: "ada@example.com", password: password)
        // Used every six days, it stays alive
        for _ in 0..<3 {
            test.advance(seconds: 6 * 86_400)
            #expect(try browser.get("/account").status == .ok)
        }
        // Left alone for seven days, it ends
        test.advance(seconds: 7 * 86_400)
        #expect(try browser.get("/account").status == .seeOther)
    }

    @Test func lastSeenIsWrittenAtMostOncePerMinute() throws {
        let test = try harnessWithAda()
        let browser = test.browser()
        try browser.logIn(email: "ada@example.com", password: password)
        let userID = try #require(try test.database.user(email: "ada@example.com")).id
        func lastSeen() throws -> Int64 { try #require(try test.database.sessions(userID: userID, now: test.nowSeconds).first).lastSeenAt }
        let start = try lastSeen()
        test.advance(seconds: 30)
        try browser.get("/account")
        #expect(try lastSeen() == start)
        test.advance(seconds: 31)
        try browser.get("/account")
        #expect(try lastSeen() == start + 61)
    }

    @Test func sessionEndsThirtyDaysAfterLogInHoweverActive() throws {
        let test = try harnessWithAda()
        let browser = test.browser()
        try browser.logIn(email: "ada@example.com", password: password)
        for _ in 0..<29 {
            test.advance(seconds: 86_400)
            #expect(try browser.get("/account").status == .ok)
        }
        test.advance(seconds: 86_400)
        #expect(try browser.get("/account").status == .seeOther)
    }

    static func withoutTokens(_ html: String) -> String {
        html.replacingOccurrences(of: #"value="([A-Za-z0-9_-]{54}|b\.[0-9a-f]{12}\.[A-Za-z0-9_-]{43})""#, with: "", options: .regularExpression)
    }
}
