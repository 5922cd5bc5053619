import Foundation
import HTTPServer
import Testing
@testable import Web

/// Links that leave the site (manage links, feed URLs, Stripe's return URLs) take their origin from
/// one place: `--base-url`, else the request's `Host` when it is a plain host name, else localhost;
/// https only when a trusted proxy says the request came over TLS.
struct PublicOriginTests {
    func origin(_ test: TestApp, _ headers: [(String, String)]) throws -> (context: String, payments: String) {
        let context = RequestContext(request: try Request(method: "GET", target: "/", headers: Headers(headers)), app: test.app, now: test.now)
        return (context.publicOrigin, test.app.publicOrigin(context))
    }

    @Test(arguments: [
        ("shop.example.com", "http://shop.example.com"),
        ("127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("[::1]:8080", "http://[::1]:8080"),
        ("Shop-2.Example.com", "http://Shop-2.Example.com"),
        ("evil.example/path?x=", "http://localhost"),
        ("evil.example@other.example", "http://localhost"),
        ("exämple.com", "http://localhost"),
        ("a b", "http://localhost"),
        ("host\r\nSet-Cookie: x", "http://localhost"),
        ("", "http://localhost"),
    ])
    func aHostThatIsNotAPlainHostNameGivesLocalhost(_ host: String, _ expected: String) throws {
        let test = try TestApp()
        let both = try origin(test, [("Host", host)])
        #expect(both.context == expected)
        #expect(both.payments == expected)
    }

    @Test func aLongHostGivesLocalhost() throws {
        let test = try TestApp()
        #expect(try origin(test, [("Host", String(repeating: "a", count: 255))]).context == "http://" + String(repeating: "a", count: 255))
        #expect(try origin(test, [("Host", String(repeating: "a", count: 256))]).context == "http://localhost")
    }

    @Test func httpsOnlyWhenATrustedProxySaysSo() throws {
        let trusting = try TestApp(trustForwardedProto: true)
        #expect(try origin(trusting, [("Host", "shop.example.com"), ("X-Forwarded-Proto", "https")]).payments == "https://shop.example.com")
        #expect(try origin(trusting, [("Host", "shop.example.com")]).context == "http://shop.example.com")
        let untrusting = try TestApp()
        #expect(try origin(untrusting, [("Host", "shop.example.com"), ("X-Forwarded-Proto", "https")]).context == "http://shop.example.com")
    }
}
