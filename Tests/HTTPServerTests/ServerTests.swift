import Admission
import Foundation
import Logging
import Testing
import TestSupport
@testable import HTTPServer

/// A tiny application: echoes, a static directory, a slow route and a throwing one, and writes
/// that wait until a test opens `EchoApp.gate` (at most 10 s): `POST /gate` holding its write
/// thread's place at the core gate, `POST /away` out of line (as a commit wait is).
struct EchoApp: HTTPApplication {
    let files: StaticFiles
    static let gate = DispatchSemaphore(value: 0)
    static let atGate = DispatchSemaphore(value: 0)

    func respond(to request: Request) -> Response {
        var router = Router<String>()
        router.add("GET", "/hello", "hello")
        router.add("POST", "/echo", "echo")
        router.add("GET", "/slow", "slow")
        router.add("GET", "/thread", "thread")
        router.add("POST", "/gate", "gate")
        router.add("POST", "/away", "away")
        router.add("GET", "/public/*path", "static")
        switch router.match(method: request.method, path: request.path) {
        case .found("hello", _): return .text("hello")
        case .found("echo", _): return .text("\(request.body.count) bytes")
        case .found("thread", _): return .text("\(pthread_self())")
        case .found("gate", _):
            Self.atGate.signal()
            return .text(Self.gate.wait(timeout: .now() + 10) == .success ? "opened" : "timed out")
        case .found("away", _):
            let opened = CoreGate.whileAway {
                Self.atGate.signal()
                return Self.gate.wait(timeout: .now() + 10) == .success
            }
            return .text(opened ? "opened" : "timed out")
        case .found("slow", _):
            usleep(400_000)
            return .text("done")
        case .found("static", let parameters):
            return files.response(for: parameters["path"] ?? "", request: request) ?? errorResponse(.notFound, for: request)
        case .methodNotAllowed(let allow):
            var response = errorResponse(.methodNotAllowed, for: request)
            response.headers.set("Allow", allow.joined(separator: ", "))
            return response
        default: return errorResponse(.notFound, for: request)
        }
    }

    func errorResponse(_ status: HTTPStatus, for request: Request) -> Response {
        .html("<p>\(status.reason)</p>", status: status)
    }
}

@Suite(.serialized)
final class ServerTests {
    let server: Server
    let client: RawHTTPClient
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "bizing-static-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/css", withIntermediateDirectories: true)
        try "body{color:red}".write(toFile: directory + "/css/site.css", atomically: true, encoding: .utf8)
        try "secret".write(toFile: NSTemporaryDirectory() + "bizing-outside.txt", atomically: true, encoding: .utf8)
        server = try Self.echoServer(directory: directory) { $0.maxHeaderBytes = 8 * 1024 }
        client = RawHTTPClient(port: server.port)
    }

    /// An `EchoApp` over `directory` on a free loopback port with two threads; `configure` adjusts the rest.
    static func echoServer(directory: String, configure: (inout ServerConfiguration) -> Void = { _ in }) throws -> Server {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.threads = 2
        configure(&configuration)
        return try Server(configuration: configuration, application: EchoApp(files: try StaticFiles(directory: directory)),
                          logger: quietLogger)
    }

    deinit {
        server.stop(grace: .seconds(1))
        try? FileManager.default.removeItem(atPath: directory)
    }

    @Test func servesARoutedRequestWithSecurityHeaders() throws {
        let reply = try client.request("GET", "/hello")
        #expect(reply.status == 200)
        #expect(reply.text == "hello")
        #expect(reply.header("X-Content-Type-Options") == "nosniff")
        #expect(reply.header("Referrer-Policy") != nil)
    }

    @Test func htmlGetsContentSecurityPolicy() throws {
        let reply = try client.request("GET", "/nothing-here")
        #expect(reply.status == 404)
        #expect(reply.header("Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
        #expect(reply.header("Content-Security-Policy")?.contains("default-src 'self'") == true)
    }

    @Test func staticFileHasETagAndAnswers304() throws {
        let first = try client.request("GET", "/public/css/site.css")
        #expect(first.status == 200)
        #expect(first.header("Content-Type") == "text/css; charset=utf-8")
        let etag = try #require(first.header("ETag"))
        let second = try client.request("GET", "/public/css/site.css", headers: [("If-None-Match", etag)])
        #expect(second.status == 304)
        #expect(second.body.isEmpty)
    }

    @Test(arguments: ["/public/../bizing-outside.txt", "/public/%2e%2e/bizing-outside.txt", "/public/css/../../bizing-outside.txt",
                      "/public//etc/passwd", "/public/%2e%2e%2fbizing-outside.txt"])
    func staticFilesNeverEscapeTheirDirectory(_ target: String) throws {
        let reply = try client.request("GET", target)
        #expect(reply.status == 404 || reply.status == 400)
        #expect(!reply.text.contains("secret"))
    }

    @Test func wrongMethodIs405WithAllow() throws {
        let reply = try client.request("DELETE", "/hello")
        #expect(reply.status == 405)
        #expect(reply.header("Allow") == "GET, HEAD")
    }

    @Test func headSendsHeadersWithoutBody() throws {
        let reply = try client.request("HEAD", "/hello")
        #expect(reply.status == 200)
        #expect(reply.body.isEmpty)
        #expect(reply.header("Content-Length") == "5")
    }

    @Test func announcedOversizedBodyIs413BeforeReading() throws {
        let body = [UInt8](repeating: 65, count: 2 * 1024 * 1024)
        let reply = try client.request("POST", "/echo", body: body)
        #expect(reply.status == 413)
        #expect(try client.request("GET", "/hello").status == 200)
    }

    @Test func chunkedOversizedBodyIs413() throws {
        var raw = Array("POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        let chunk = [UInt8](repeating: 66, count: 256 * 1024)
        for _ in 0..<5 { raw += Array("40000\r\n".utf8) + chunk + Array("\r\n".utf8) }
        raw += Array("0\r\n\r\n".utf8)
        #expect(try client.send(raw, method: "POST").status == 413)
    }

    @Test func bodyUnderTheLimitArrivesWhole() throws {
        let reply = try client.request("POST", "/echo", body: [UInt8](repeating: 67, count: 1024 * 1024))
        #expect(reply.status == 200)
        #expect(reply.text == "1048576 bytes")
    }

    @Test func garbageRequestLineIs400AndServerStaysHealthy() throws {
        let raw = try client.exchange(Array("THIS IS NOT HTTP\r\n\r\n".utf8))
        #expect(String(decoding: raw, as: UTF8.self).hasPrefix("HTTP/1.1 400"))
        #expect(try client.request("GET", "/hello").status == 200)
    }

    @Test func malformedPercentEncodingIs400() throws {
        #expect(try client.request("GET", "/hello%zz").status == 400)
    }

    @Test func oversizedHeadersAreRefused() throws {
        let reply = try client.request("GET", "/hello", headers: [("X-Big", String(repeating: "a", count: 16 * 1024))])
        #expect(reply.status == 431 || reply.status == 413)
        #expect(try client.request("GET", "/hello").status == 200)
    }

    @Test func fourHundredParallelRequestsAllSucceed() async throws {
        let client = self.client
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<400 {
                group.addTask { try client.request("GET", "/hello").status }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.count == 400)
        #expect(statuses.allSatisfy { $0 == 200 })
    }

    @Test func aBurstOfKeepAliveConnectionsIsServedByEveryWorker() throws {
        // Sixteen connections opened at once and kept: each is served by the worker it was given.
        let sockets = try (0..<16).map { _ in try KeptConnection(port: server.port) }
        let threads = try Set(sockets.map { try $0.get("/thread") })
        #expect(threads.count == 2, "served by \(threads.count) of the 2 workers: \(threads)")
        // And each connection stays with its worker.
        #expect(try Set(sockets.map { try $0.get("/thread") }) == threads)
    }

    @Test func stopLetsInFlightRequestsFinish() throws {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.threads = 2
        let server = try Server(configuration: configuration,
                                application: EchoApp(files: try StaticFiles(directory: directory)), logger: quietLogger)
        let client = RawHTTPClient(port: server.port)
        let result = Mutex<Int?>(nil)
        let answered = DispatchSemaphore(value: 0)
        let thread = Thread {
            let status = try? client.request("GET", "/slow").status
            result.withLock { $0 = status }
            answered.signal()
        }
        thread.start()
        while server.inFlight == 0 { usleep(1000) }
        server.stop(grace: .seconds(5))
        // The server has sent the answer; the client may still be reading it.
        #expect(answered.wait(timeout: .now() + 5) == .success)
        #expect(result.withLock { $0 } == 200)
        #expect(throws: RawHTTPClient.Failure.self) { try client.request("GET", "/hello") }
    }
}

import Synchronization

/// One kept-alive HTTP/1.1 connection: GETs on it answer on the same socket.
final class KeptConnection {
    let fd: Int32

    init(port: UInt16) throws {
        fd = try RawHTTPClient(port: port).connected(timeoutSeconds: 10)
    }

    /// The body of a 200 answer to GET `path`.
    func get(_ path: String) throws -> String {
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        guard send(fd, request, request.count, 0) == request.count else { throw RawHTTPClient.Failure.connect }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { throw RawHTTPClient.Failure.connect }
            received += buffer[0..<count]
            let text = String(decoding: received, as: UTF8.self)
            guard let end = text.range(of: "\r\n\r\n"),
                  let lengthLine = text[..<end.lowerBound].split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-length:") }),
                  let length = Int(lengthLine.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) else { continue }
            let body = Array(text[end.upperBound...].utf8)
            if body.count >= length { return String(decoding: body.prefix(length), as: UTF8.self) }
        }
    }

    deinit { close(fd) }
}

let quietLogger: Logger = {
    var logger = Logger(label: "test")
    logger.logLevel = .warning
    return logger
}()

/// A request that may change data is answered on a write thread, its connection suspended meanwhile.
extension ServerTests {
    /// A reply that comes on another thread.
    final class PendingReply: Sendable {
        let reply = Mutex<RawHTTPClient.Reply?>(nil)
        let finished = DispatchSemaphore(value: 0)
    }

    /// Sends `POST path` (with `body`) on its own thread; the reply lands in the returned box when it comes.
    func postToTheGate(port: UInt16, path: String = "/gate", body: [UInt8] = []) -> PendingReply {
        let pending = PendingReply()
        Thread {
            let reply = try? RawHTTPClient(port: port).request("POST", path, body: body)
            pending.reply.withLock { $0 = reply }
            pending.finished.signal()
        }.start()
        return pending
    }

    /// With one libmicrohttpd thread, a write waiting (for the writer's commit; here for a gate) holds
    /// up no other connection, and is answered when it is done. Answered in place, the GET would wait
    /// for the gate, which opens only after the GET.
    @Test func aWriteThatWaitsHoldsUpNoOtherConnection() throws {
        let single = try Self.echoServer(directory: directory) { $0.threads = 1 }
        defer { single.stop(grace: .seconds(1)) }
        let write = postToTheGate(port: single.port)
        #expect(EchoApp.atGate.wait(timeout: .now() + 10) == .success)
        let quick = try RawHTTPClient(port: single.port).request("GET", "/hello")
        #expect(quick.status == 200 && quick.text == "hello")
        #expect(write.reply.withLock { $0 } == nil, "the write was answered before the read")
        EchoApp.gate.signal()
        #expect(write.finished.wait(timeout: .now() + 10) == .success)
        let answer = try #require(write.reply.withLock { $0 })
        #expect(answer.status == 200 && answer.text == "opened")
        #expect(answer.header("X-Content-Type-Options") == "nosniff")
    }

    /// Stopping waits for an answer a write thread is making (libmicrohttpd must not stop with a
    /// connection suspended): the write is answered, then the server stops.
    @Test func stoppingWaitsForAWriteBeingAnswered() throws {
        let single = try Self.echoServer(directory: directory) { $0.threads = 1 }
        let write = postToTheGate(port: single.port)
        #expect(EchoApp.atGate.wait(timeout: .now() + 10) == .success)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { EchoApp.gate.signal() }
        single.stop(grace: .zero)
        #expect(write.finished.wait(timeout: .now() + 10) == .success)
        #expect(write.reply.withLock { $0 }?.text == "opened")
    }

    /// Bodies still arrive whole on the write path, and keep-alive connections carry one write after another.
    @Test func writesOnAKeptConnectionAreAnsweredInOrder() throws {
        for size in [0, 1, 70_000] {
            let reply = try client.request("POST", "/echo", body: [UInt8](repeating: 66, count: size))
            #expect(reply.status == 200 && reply.text == "\(size) bytes")
        }
    }

    /// Write threads do their CPU work at most `writeCores` at once: with one, a write that holds
    /// its place (here waiting at the gate without stepping away) holds up the next write.
    @Test func writesBeyondTheCoresWaitTheirTurn() throws {
        let single = try Self.echoServer(directory: directory) { $0.writeCores = 1 }
        defer { single.stop(grace: .seconds(1)) }
        let holding = postToTheGate(port: single.port)
        #expect(EchoApp.atGate.wait(timeout: .now() + 10) == .success)
        let next = postToTheGate(port: single.port, path: "/echo", body: [1, 2, 3])
        #expect(next.finished.wait(timeout: .now() + 0.5) == .timedOut, "the second write ran beside the first")
        EchoApp.gate.signal()
        #expect(holding.finished.wait(timeout: .now() + 10) == .success)
        #expect(next.finished.wait(timeout: .now() + 10) == .success)
        #expect(next.reply.withLock { $0 }?.text == "3 bytes")
        #expect(holding.reply.withLock { $0 }?.text == "opened")
    }

    /// A write waiting out of line (as for the writer's commit, or another server) gives its place
    /// away: with one core's place, the next write is answered while the first still waits.
    @Test func aWriteWaitingAwayHoldsUpNoOtherWrite() throws {
        let single = try Self.echoServer(directory: directory) { $0.writeCores = 1 }
        defer { single.stop(grace: .seconds(1)) }
        let waiting = postToTheGate(port: single.port, path: "/away")
        #expect(EchoApp.atGate.wait(timeout: .now() + 10) == .success)
        let next = try RawHTTPClient(port: single.port).request("POST", "/echo", body: [1, 2, 3])
        #expect(next.text == "3 bytes")
        #expect(waiting.reply.withLock { $0 } == nil, "the waiting write was answered before the next")
        EchoApp.gate.signal()
        #expect(waiting.finished.wait(timeout: .now() + 10) == .success)
        #expect(waiting.reply.withLock { $0 }?.text == "opened")
    }
}
