import Foundation
import Testing
import TestSupport
@testable import Outbound

/// HTTPClient against a real http.server on loopback (Tests/services/http_receiver.py), and the
/// destination policy's address classes.
struct HTTPClientTests {
    static let open = HTTPClient(policy: DestinationPolicy(allowPrivate: true))

    @Test func refusesLoopbackByDefaultWithoutConnecting() throws {
        let receiver = HTTPReceiver()
        try receiver.start()
        defer { receiver.stop() }
        for url in [receiver.baseURL + "/hook", "http://localhost:\(receiver.port)/hook", "http://[::1]:\(receiver.port)/",
                    "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0:\(receiver.port)/"] {
            do {
                _ = try HTTPClient().send(HTTPRequest(url: url))
                Issue.record("\(url) was not refused")
            } catch {
                #expect(error.isRefusedDestination, "\(url): \(error)")
            }
        }
        #expect(receiver.requests().isEmpty)
    }

    @Test func postsToLoopbackWhenPrivateAddressesAreAllowed() throws {
        let receiver = HTTPReceiver()
        try receiver.start()
        defer { receiver.stop() }
        let body = Array("{\"event\":\"booking.confirmed\",\"nul\":\"\0\"}".utf8)
        let response = try Self.open.send(HTTPRequest(method: "POST", url: receiver.baseURL + "/hook",
            headers: [("Content-Type", "application/json"), ("Bizing-Signature", "t=1,v1=abc")], body: body))
        #expect(response.status == 200)
        #expect(response.body == Array("ok".utf8))
        #expect(response.header("content-length") == "2")
        #expect(response.durationMicroseconds > 0)
        let request = try #require(receiver.requests().first)
        #expect(request.method == "POST")
        #expect(request.path == "/hook")
        #expect(request.header("Bizing-Signature") == "t=1,v1=abc")
        #expect(request.header("Expect") == nil)
        #expect(request.body == body)
    }

    @Test func answersWithAnErrorStatusAreResponsesNotErrors() throws {
        let receiver = HTTPReceiver(failFirst: 1)
        try receiver.start()
        defer { receiver.stop() }
        let request = HTTPRequest(method: "PUT", url: receiver.baseURL + "/hook", body: [1, 2, 3])
        #expect(try Self.open.send(request).status == 500)
        #expect(try Self.open.send(request).status == 200)
        #expect(receiver.requests().map(\.method) == ["PUT", "PUT"])
    }

    @Test func returnsARedirectWithoutFollowingIt() throws {
        let receiver = HTTPReceiver()
        try receiver.start()
        defer { receiver.stop() }
        let response = try Self.open.send(HTTPRequest(url: receiver.baseURL + "/redirect"))
        #expect(response.status == 302)
        #expect(response.header("Location") == "/target")
        #expect(receiver.requests().map(\.path) == ["/redirect"])
    }

    @Test func stopsReadingAtMaxResponseBytes() throws {
        let receiver = HTTPReceiver()
        try receiver.start()
        defer { receiver.stop() }
        let response = try Self.open.send(HTTPRequest(url: receiver.baseURL + "/big?bytes=5000000", maxResponseBytes: 1000))
        #expect(response.status == 200)
        #expect(response.body == Array(repeating: UInt8(ascii: "x"), count: 1000))
    }

    @Test func aSlowServerTimesOutAsTransient() throws {
        let receiver = HTTPReceiver()
        try receiver.start()
        defer { receiver.stop() }
        do {
            _ = try Self.open.send(HTTPRequest(url: receiver.baseURL + "/slow?seconds=4", timeoutSeconds: 1))
            Issue.record("no timeout")
        } catch {
            guard case .transient(nil, let text) = error else { Issue.record("\(error)"); return }
            #expect(text.hasPrefix("curl 28:"))
        }
    }

    @Test func refusesOtherSchemesMethodsAndHeaderInjection() {
        for url in ["file:///etc/passwd", "ftp://example.com/", "gopher://example.com/", "not a url"] {
            #expect(throws: OutboundError.self, "\(url)") { try Self.open.send(HTTPRequest(url: url)) }
        }
        #expect(throws: OutboundError.self) {
            try Self.open.send(HTTPRequest(url: "http://127.0.0.1:1/", headers: [("X-A", "1\r\nX-B: 2")]))
        }
        #expect(throws: OutboundError.self) { try Self.open.send(HTTPRequest(method: "GE T", url: "http://127.0.0.1:1/")) }
    }

    @Test func aClosedPortIsTransient() throws {
        let port = try freePort()
        #expect { try Self.open.send(HTTPRequest(url: "http://127.0.0.1:\(port)/")) } throws: { error in
            guard let error = error as? OutboundError, case .transient(nil, let text) = error else { return false }
            return text.hasPrefix("curl 7:")
        }
    }

    @Test func classifiesAddresses() {
        let refused: [[UInt8]] = [[127, 0, 0, 1], [10, 1, 2, 3], [172, 16, 0, 1], [172, 31, 255, 255], [192, 168, 1, 1],
                                  [169, 254, 169, 254], [100, 64, 0, 1], [100, 127, 255, 255], [0, 0, 0, 0], [224, 0, 0, 1],
                                  [255, 255, 255, 255], ipv6("::1"), ipv6("::"), ipv6("fc00::1"), ipv6("fd12::1"),
                                  ipv6("fe80::1"), ipv6("ff02::1"), ipv6("::ffff:127.0.0.1"), ipv6("::ffff:10.0.0.1"),
                                  ipv6("64:ff9b::a9fe:a9fe"), ipv6("2002:7f00:1::")]
        for address in refused { #expect(DestinationPolicy.refusal(address) != nil, "\(address)") }
        let allowed: [[UInt8]] = [[93, 184, 216, 34], [8, 8, 8, 8], [172, 32, 0, 1], [100, 128, 0, 1], [169, 253, 0, 1],
                                  ipv6("2606:4700::1111"), ipv6("::ffff:8.8.8.8")]
        for address in allowed { #expect(DestinationPolicy.refusal(address) == nil, "\(address)") }
        #expect(DestinationPolicy.refusal([169, 254, 169, 254]) == "link-local")
    }
}

func ipv6(_ text: String) -> [UInt8] {
    var address = in6_addr()
    _ = inet_pton(AF_INET6, text, &address)
    return withUnsafeBytes(of: address) { Array($0) }
}

extension OutboundError {
    var isRefusedDestination: Bool {
        if case .refusedDestination = self { return true }
        return false
    }
}
