import Foundation
import HTTPServer
@testable import Store
import Testing
@testable import Web

struct AccountsThrottleTests {
    let password = "correct horse battery"

    @Test func fiveFailuresLockTheAccountEvenForTheRightPasswordThenItReleases() throws {
        let test = try TestApp()
        try test.browser().signUp(name: "Ada", email: "ada@example.com", password: password)
        // Five failures from five addresses
        for i in 0..<5 {
            #expect(try test.browser("198.51.100.\(i)").logIn(email: "ada@example.com", password: "guess \(i)").status == .unprocessable)
        }
        // The sixth attempt is refused, right password or not, with the wait
        let refused = try test.browser("192.0.2.1").logIn(email: "ada@example.com", password: password)
        #expect(refused.status == .tooManyRequests)
        #expect(refused.headers["Retry-After"] == "900")
        #expect(refused.text.contains("Please wait 15 minutes"))
        // After the window it releases
        test.advance(seconds: 901)
        #expect(try test.browser("192.0.2.1").logIn(email: "ada@example.com", password: password).status == .seeOther)
    }

    @Test func anUnknownEmailIsThrottledTheSameWay() throws {
        let test = try TestApp()
        try test.browser().signUp(name: "Ada", email: "ada@example.com", password: password)
        var answers: [String: (Int, String?)] = [:]
        for email in ["ada@example.com", "nobody@example.com"] {
            for i in 0..<5 { try test.browser("198.51.100.\(i)").logIn(email: email, password: "guess") }
            let response = try test.browser("192.0.2.9").logIn(email: email, password: "guess")
            answers[email] = (response.status.code, response.headers["Retry-After"])
        }
        #expect(answers["ada@example.com"]?.0 == 429)
        #expect(answers["nobody@example.com"]?.0 == 429)
        #expect(answers["ada@example.com"]?.1 == answers["nobody@example.com"]?.1)
    }

    @Test func oneAddressTryingManyAccountsIsThrottled() throws {
        let test = try TestApp()
        let limit = test.app.security.throttle.addressLimit
        for i in 0..<limit {
            #expect(try test.browser().logIn(email: "user\(i)@example.com", password: "guess").status == .unprocessable)
        }
        let response = try test.browser().logIn(email: "fresh@example.com", password: "guess")
        #expect(response.status == .tooManyRequests)
        #expect(response.headers["Retry-After"] != nil)
        // Another address is not affected
        #expect(try test.browser("192.0.2.50").logIn(email: "fresh@example.com", password: "guess").status == .unprocessable)
    }

    @Test func theLockSurvivesARestart() throws {
        let directory = NSTemporaryDirectory() + "bizing-throttle-\(UUID().uuidString)"
        let first = try TestApp(directory: directory)
        for i in 0..<5 { try first.browser("198.51.100.\(i)").logIn(email: "ada@example.com", password: "guess") }
        let restarted = try TestApp(directory: directory)
        #expect(try restarted.browser().logIn(email: "ada@example.com", password: "guess").status == .tooManyRequests)
    }

    @Test func aSuccessfulLogInForgetsTheAccountsEarlierFailures() throws {
        let test = try TestApp()
        try test.browser().signUp(name: "Ada", email: "ada@example.com", password: password)
        for i in 0..<4 { try test.browser("198.51.100.\(i)").logIn(email: "ada@example.com", password: "guess") }
        #expect(try test.browser().logIn(email: "ada@example.com", password: password).status == .seeOther)
        for i in 0..<4 { try test.browser("198.51.100.\(i)").logIn(email: "ada@example.com", password: "guess") }
        #expect(try test.browser().logIn(email: "ada@example.com", password: password).status == .seeOther)
    }
}
