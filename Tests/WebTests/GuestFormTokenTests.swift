import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Synchronization
import Testing
@testable import Web

/// A guest's first page issues an anonymous session (cookie) and its form token; the next POST must
/// never be refused. Stress tests for an intermittent 403 seen on guest booking flows.
@Suite struct GuestFormTokenTests {
    /// Every way a token travels: `Set-Cookie` → the test browser → `Cookie` → `Request.cookies` →
    /// `SessionToken(cookie:)`, and the form token → HTML → form body → `FormData` → HMAC check.
    @Test func randomSessionAndFormTokensSurviveEveryEncodingOnTheWay() throws {
        let test = try TestApp()
        let security = test.app.security
        var lostCookies: [String] = [], refusedTokens: [String] = []
        for _ in 0..<10_000 {
            // Given a fresh session token and its form token
            let token = SessionToken.generate()
            let sessionID = SessionID(rawValue: Int64.random(in: 1...Int64.max))
            let csrf = security.csrfToken(sessionID: sessionID, hash: token.hash)
            // When the cookie goes out and comes back
            let setCookie = Cookie(name: Security.cookieName, value: token.value).headerValue
            let kept = String(setCookie.dropFirst("bizing_session=".count).prefix { $0 != ";" })
            let request = Request(method: "POST", path: "/", headers: Headers([("Cookie", "other=1; bizing_session=\(kept)")]),
                                  body: Array(FormData(pairs: [("_csrf", Browser.formToken(in: #"<input name="_csrf" value="\#(csrf)">"#) ?? "")]).encoded.utf8))
            // Then the session and its form token are recognised
            if SessionToken(cookie: request.cookies[Security.cookieName] ?? "")?.hash != token.hash { lostCookies.append(token.value) }
            let submitted = try request.form()["_csrf"] ?? ""
            if !security.isValidCSRF(submitted, sessionID: sessionID, hash: token.hash) { refusedTokens.append(csrf) }
        }
        #expect(lostCookies.isEmpty, "\(lostCookies.prefix(5))")
        #expect(refusedTokens.isEmpty, "\(refusedTokens.prefix(5))")
    }

    /// One fresh guest: the slot page, then a hold with an unreadable start. The CSRF check runs
    /// first, so a valid token gives the handler's 400 and a refused one 403.
    static func guestFlow(_ test: TestApp, address: String) throws -> [String] {
        let browser = test.browser(address)
        let page = try browser.get("/b/demo/consultation?date=2026-11-30")
        var problems: [String] = []
        if page.status != .ok { problems.append("slot page \(page.status.code)") }
        if browser.formCookies.isEmpty { problems.append("no form cookie") }
        if browser.csrf == nil { problems.append("no form token") }
        let answer = try browser.post("/b/demo/consultation/hold", [("start", "not a time")])
        if answer.status != .badRequest { problems.append("hold \(answer.status.code)") }
        return problems
    }

    @Test func manyFreshGuestsOneAfterAnotherAreNeverRefused() throws {
        let test = try TestApp.bookingPages()
        var problems: [String] = []
        for i in 0..<150 { problems += try Self.guestFlow(test, address: "198.51.100.\(i)") }
        #expect(problems.isEmpty, "\(problems.prefix(10))")
    }

    @Test func freshGuestsAtTheSameMomentAreNeverRefused() throws {
        // Given one app answering on several threads at once, as libmicrohttpd's thread pool does
        let test = try TestApp.bookingPages()
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
        let test = try TestApp()
        let browser = test.browser()
        try browser.get("/login")
        let token = try #require(browser.csrf)
        // A token naming another session but not made for it, then no token at all
        let other = test.browser()
        try other.get("/login")
        var forged = Array(try #require(other.csrf))
        forged[30] = forged[30] == "A" ? "B" : "A"
        #expect(try browser.post("/login", [("email", "a@example.com")], csrf: .some(String(forged))).status == .forbidden)
        #expect(try browser.post("/login", [("email", "a@example.com")], csrf: .some(nil)).status == .forbidden)
        #expect(try test.browser().post("/login", [("email", "a@example.com")], csrf: .some(token)).status == .forbidden)
        let logs = test.logs.all
        #expect(logs.contains("CSRF refused: the token belongs to another browser"))
        #expect(logs.contains("CSRF refused: the form carries no token"))
        #expect(logs.contains("CSRF refused: no form cookie"))
        #expect(!logs.contains(token))
        #expect(!logs.contains(try #require(browser.formCookies.values.first)))
    }

    /// Two pages opened at once on a first visit: each sets a form cookie of its own name, the
    /// browser keeps both, and the form of each page must work.
    @Test func twoPagesOpenedAtOnceOnAFirstVisitCanBothBeSubmitted() throws {
        let test = try TestApp.bookingPages()
        let firstTab = test.browser("198.51.100.77"), secondTab = test.browser("198.51.100.77")
        try firstTab.get("/b/demo/consultation?date=2026-11-30")
        try secondTab.get("/b/demo/consultation?date=2026-11-30")
        let firstToken = try #require(firstTab.csrf)
        #expect(firstTab.formCookies != secondTab.formCookies)
        // One browser: it keeps every cookie it was sent (a later one of the same name would win)
        firstTab.formCookies.merge(secondTab.formCookies) { _, last in last }
        firstTab.cookie = secondTab.cookie
        let held = try firstTab.post("/b/demo/consultation/hold", [("start", TestApp.Pages.mondayNine), ("resource", "dana-doctor")],
                                     csrf: .some(firstToken))
        #expect(held.status == .seeOther)
        #expect(held.headers["Location"]?.hasPrefix("/b/demo/checkout/bk_") == true)
    }

    /// Issue 22: no exceptions. Another visitor's form token is refused even though it is genuine,
    /// and malformed tokens are refused before any lookup.
    @Test func anotherAnonymousVisitorsTokenIsRefused() throws {
        let test = try TestApp()
        let mallory = test.browser(), victim = test.browser()
        try mallory.get("/login")
        try victim.get("/login")
        let malloryToken = try #require(mallory.csrf)
        // Log-in CSRF: the victim's browser posts Mallory's genuine token
        let refused = try victim.post("/login", [("email", "mallory@example.com"), ("password", "whatever1234")], csrf: .some(malloryToken))
        #expect(refused.status == .forbidden)
        #expect(test.logs.all.contains("CSRF refused: the token belongs to another browser"))
        #expect(try test.database.accountEvents().isEmpty)
        // Mallory's own form still works for Mallory
        #expect(try mallory.post("/login", [("email", "mallory@example.com"), ("password", "whatever1234")]).status == .unprocessable)
        // Malformed: wrong length, non-ASCII, a session-length token that is not base64url
        for bad in ["short", String(repeating: "é", count: 27), String(repeating: "!", count: 54), "b." + String(repeating: "z", count: 56)] {
            #expect(try victim.post("/login", [("email", "a@example.com")], csrf: .some(bad)).status == .forbidden)
        }
        #expect(test.logs.all.contains("CSRF refused: the token is malformed"))
    }

    @Test func aSignedInVisitorsFormMustBeTheirOwnSessions() throws {
        let test = try TestApp()
        let anonymous = test.browser()
        try anonymous.get("/login")
        let anonymousToken = try #require(anonymous.csrf)
        let signedIn = test.browser()
        let signedUp = try signedIn.signUp(name: "Tab Tester", email: "tabs@example.com", password: "a long enough password")
        #expect(signedUp.status == .seeOther)
        try signedIn.get("/account")
        // An anonymous session's form posted with a signed-in cookie is refused.
        #expect(try signedIn.post("/logout", [], csrf: .some(anonymousToken)).status == .forbidden)
        // So is any form without a cookie at all (a cross-site POST under SameSite=Lax).
        #expect(try test.browser().post("/login", [("email", "a@example.com")], csrf: .some(anonymousToken)).status == .forbidden)
        // An anonymous session that ended does not vouch for forms any more.
        try test.app.database.pool.write { try $0.execute(sql: "DELETE FROM sessions WHERE user_id IS NULL") }
        let third = test.browser()
        try third.get("/login")
        #expect(try third.post("/login", [("email", "a@example.com"), ("password", "x")], csrf: .some(anonymousToken)).status == .forbidden)
    }
}
