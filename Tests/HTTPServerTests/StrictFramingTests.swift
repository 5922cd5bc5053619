import Foundation
import Testing
import TestSupport
@testable import HTTPServer

/// Request smuggling: a header block this server and a proxy could read differently is answered
/// 400 (501 for an unknown transfer coding) and the connection closed, before any body is awaited.
/// Raw bytes over a socket to a real server on a loopback port.
@Suite(.serialized)
final class StrictFramingTests {
    let server: Server
    let client: RawHTTPClient
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "bizing-framing-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        server = try ServerTests.echoServer(directory: directory)
        client = RawHTTPClient(port: server.port)
    }

    deinit {
        server.stop(grace: .seconds(1))
        try? FileManager.default.removeItem(atPath: directory)
    }

    static let refused: [(String, String, Int)] = [
        ("Content-Length with Transfer-Encoding",
         "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        ("two differing Content-Length",
         "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400),
        ("a Content-Length list that differs",
         "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 6\r\n\r\nhello!", 400),
        ("a transfer coding other than chunked", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
        ("chunked after another coding",
         "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501),
        ("space before a colon", "GET /hello HTTP/1.1\r\nHost: x\r\nFoo : bar\r\n\r\n", 400),
        ("space before the colon of Content-Length",
         "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length : 5\r\n\r\nhello", 400),
        ("tab before a colon", "GET /hello HTTP/1.1\r\nHost: x\r\nFoo\t: bar\r\n\r\n", 400),
        ("NUL in a value", "GET /hello HTTP/1.1\r\nHost: x\r\nFoo: b\u{0}ar\r\n\r\n", 400),
        ("CR in a value", "GET /hello HTTP/1.1\r\nHost: x\r\nFoo: b\rar\r\n\r\n", 400),
        ("LF in a value", "GET /hello HTTP/1.1\r\nHost: x\r\nFoo: b\nar: x\r\n\r\n", 400),
        ("HTTP/1.1 without Host", "GET /hello HTTP/1.1\r\n\r\n", 400),
    ]

    @Test(arguments: refused.indices)
    func refusesAmbiguousFramingAndCloses(_ index: Int) throws {
        let (name, raw, status) = Self.refused[index]
        // When the request is sent without `Connection: close`
        let started = ContinuousClock.now
        let reply = try client.send(Array(raw.utf8))
        let elapsed = ContinuousClock.now - started
        // Then the answer comes at once and the server closes the connection (no waiting for a body)
        #expect(reply.status == status, "\(name)")
        #expect(elapsed < .seconds(3), "\(name): the connection stayed open")
        // And the server is still healthy
        #expect(try client.request("GET", "/hello").status == 200)
    }

    @Test func soundRequestsStillPass() throws {
        #expect(try client.send(Array("GET /hello HTTP/1.0\r\n\r\n".utf8)).status == 200)
        let chunked = "POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
        let reply = try client.send(Array(chunked.utf8), method: "POST")
        #expect(reply.status == 200)
        #expect(reply.text == "5 bytes")
        let same = "POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello"
        #expect(try client.send(Array(same.utf8), method: "POST").status == 200)
        #expect(try client.request("GET", "/hello", headers: [("Foo", "trailing space ")]).status == 200)
    }

    @Test func anIdleConnectionIsClosedAfterTheTimeout() throws {
        let server = try ServerTests.echoServer(directory: directory) { $0.connectionTimeoutSeconds = 1 }
        defer { server.stop(grace: .seconds(1)) }
        // Given a client that sends half a request line and then nothing (slowloris)
        let started = ContinuousClock.now
        _ = try RawHTTPClient(port: server.port).exchange(Array("GET /hel".utf8), timeoutSeconds: 8)
        // Then the server closes the connection after its idle timeout, not the client's 8 s
        #expect(ContinuousClock.now - started < .seconds(4))
    }
}
