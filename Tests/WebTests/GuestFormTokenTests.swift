import Foundation
import HTTPServer
import Synchronization
import Testing
@testable import Web

/// A guest's first page issues an anonymous session (cookie) and its form token; the next POST must
/// never be refused. Stress tests for an intermittent 403 seen on guest booking flows.
@Suite struct GuestFormTokenTests {
    /// Every way a token travels: `Set-Cookie` → the test browser → `Cookie` → `Request.cookies` →
    /// `SessionToken(cookie:)`, and the form token → HTML → form body → `FormData` → HMAC check.
    @Test func randomSessionAndFormTokensSurviveEveryEncodingOnTheWay() throws {
        let test = try AccountsHarness()
        let security = test.app.security
        var lostCookies: [String] = [], refusedTokens: [String] = []
        for _ in 0..<10_000 {
            // Given a fresh session token and its form token
            let token = SessionToken.generate()
            let csrf = security.csrfToken(forSessionHash: token.hash)
            // When the cookie goes out and comes back
            let setCookie = Cookie(name: Security.cookieName, value: token.value).headerValue
            let kept = String(setCookie.dropFirst("bizing_session=".count).prefix { $0 != ";" })
            let request = Request(method: "POST", path: "/", headers: Headers([("Cookie", "other=1; bizing_session=\(kept)")]),
                                  body: Array(FormData(pairs: [("_csrf", Browser.formToken(in: #"<input name="_csrf" value="\#(csrf)">"#) ?? "")]).encoded.utf8))
            // Then the session and its form token are recognised
            if SessionToken(cookie: request.cookies[Security.cookieName] ?? "")?.hash != token.hash { lostCookies.append(token.value) }
            let submitted = try request.form()["_csrf"] ?? ""
            if !security.isValidCSRF(submitted, forSessionHash: token.hash) { refusedTokens.append(csrf) }
        }
        #expect(lostCookies.isEmpty, "\(lostCookies.prefix(5))")
        #expect(refusedTokens.isEmpty, "\(refusedTokens.prefix(5))")
    }

    /// One fresh guest: the slot page, then a hold with an unreadable start. The CSRF check runs
    /// first, so a valid token gives the handler's 400 and a refused one 403.
    static func guestFlow(_ test: BookingPagesHarness, address: String) throws -> [String] {
        let browser = test.browser(address)
        let page = try browser.get("/b/demo/consultation?date=2026-11-30")
        var problems: [String] = []
        if page.status != .ok { problems.append("slot page \(page.status.code)") }
        if browser.cookie == nil { problems.append("no session cookie") }
        if browser.csrf == nil { problems.append("no form token") }
        let answer = try browser.post("/b/demo/consultation/hold", [("start", "not a time")])
        if answer.status != .badRequest { problems.append("hold \(answer.status.code)") }
        return problems
    }

    @Test func manyFreshGuestsOneAfterAnotherAreNeverRefused() throws {
        let test = try BookingPagesHarness()
        var problems: [String] = []
        for i in 0..<150 { problems += try Self.guestFlow(test, address: "198.51.100.\(i)") }
        #expect(problems.isEmpty, "\(problems.prefix(10))")
    }

    @Test func freshGuestsAtTheSameMomentAreNeverRefused() throws {
        // Given one app answering on several threads at once, as libmicrohttpd's thread pool does
        let test = try BookingPagesHarness()
        let problems = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for i in 0..<40 {
                let found = (try? Self.guestFlow(test, address: "203.0.113.\(thread * 40 + i)")) ?? ["threw"]
                problems.withLock { $0 += found }
            }
        }
        #expect(problems.withLock { $0 }.isEmpty, "\(problems.withLock { $0.prefix(10) })")
    }

    @Test func aRefusedFormIsLoggedWithItsReasonAndNoToken() throws {
        let test = try AccountsHarness()
        let browser = test.browser()
        try browser.get("/login")
        let token = try #require(browser.csrf)
        // A token of another session, then no token at all
        let other = test.browser()
        try other.get("/login")
        #expect(try browser.post("/login", [("email", "a@example.com")], csrf: .some(other.csrf)).status == .forbidden)
        #expect(try browser.post("/login", [("email", "a@example.com")], csrf: .some(nil)).status == .forbidden)
        #expect(try test.browser().post("/login", [("email", "a@example.com")], csrf: .some(token)).status == .forbidden)
        let logs = test.logs.all
        #expect(logs.contains("CSRF refused: the token belongs to another session"))
        #expect(logs.contains("CSRF refused: the form carries no token"))
        #expect(logs.contains("CSRF refused: no session cookie"))
        #expect(!logs.contains(token))
        #expect(!logs.contains(try #require(browser.cookie)))
    }
}
