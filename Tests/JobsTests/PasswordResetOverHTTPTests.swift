import Foundation
import GRDB
import HTTPServer
import Jobs
import Logging
@testable import Store
import Outbound
import TestSupport
import Testing

/// Password reset end to end: the real server on loopback, the real worker, a real SMTP sink.
@Suite(.serialized) struct PasswordResetOverHTTPTests {
    /// A visitor over raw HTTP: keeps its cookies (the session, the form cookie) and the last form token.
    final class Visitor {
        let client: RawHTTPClient
        var cookies: [String: String] = [:]
        var csrf = ""
        init(port: UInt16) { client = RawHTTPClient(port: port) }

        private var cookieHeader: [(String, String)] {
            cookies.isEmpty ? [] : [("Cookie", cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))]
        }

        func get(_ target: String) throws -> RawHTTPClient.Reply {
            remember(try client.request("GET", target, headers: cookieHeader))
        }

        func post(_ target: String, _ fields: [(String, String)]) throws -> RawHTTPClient.Reply {
            let body = FormData(pairs: (fields + [("_csrf", csrf)]).map { (name: $0.0, value: $0.1) }).encoded
            return remember(try client.request("POST", target, headers: cookieHeader + [("Content-Type", "application/x-www-form-urlencoded")],
                                               body: Array(body.utf8)))
        }

        private func remember(_ reply: RawHTTPClient.Reply) -> RawHTTPClient.Reply {
            for (name, value) in reply.headers where name.lowercased() == "set-cookie" {
                let pair = value.prefix { $0 != ";" }
                guard let equals = pair.firstIndex(of: "=") else { continue }
                let cookie = String(pair[..<equals]), content = String(pair[pair.index(after: equals)...])
                if content.isEmpty { cookies[cookie] = nil } else { cookies[cookie] = content }
            }
            if let range = reply.text.range(of: #"name="_csrf" value=""#) {
                csrf = String(reply.text[range.upperBound...].prefix { $0 != "\"" })
            }
            return reply
        }
    }

    @Test func forgottenPasswordIsResetThroughTheEmailedLinkOnce() throws {
        let test = try MailHarness()
        let sink = SMTPSink()
        try sink.start()
        defer { sink.stop() }
        let worker = try test.worker(try SMTPTransport(url: sink.url))
        worker.start()
        defer { worker.stop() }
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.threads = 2
        var logger = Logger(label: "reset-test")
        logger.logLevel = .critical
        let server = try Server(configuration: configuration, application: test.app, logger: logger)
        defer { server.stop(grace: .seconds(2)) }

        let visitor = Visitor(port: server.port)
        #expect(try visitor.get("/password/forgot").status == 200)
        #expect(try visitor.post("/password/forgot", [("email", "owner@demo.test")]).status == 200)
        let mail = try #require(sink.waitForMessages(count: 1).first)
        #expect(mail.recipients == ["owner@demo.test"] && mail.header("Subject") == "Reset your Bizing password")
        let text = try #require(mail.textPart)
        let url = try #require(text.split(whereSeparator: \.isWhitespace).first { $0.contains("/password/reset/") })
        let path = String(url.dropFirst(MailHarness.baseURL.count))
        #expect(try visitor.get(path).status == 200)
        #expect(try visitor.post(path, [("password", "a brand new password")]).text.contains("Your password has been changed"))
        // The link works once; the new password signs in.
        #expect(try visitor.get(path).status == 410)
        #expect(try visitor.get("/login").status == 200)
        let login = try visitor.post("/login", [("email", "owner@demo.test"), ("password", "a brand new password")])
        #expect(login.status == 303)
        // The token was removed from the outbox row once the email was sent.
        #expect(try test.database.pool.read { try String.fetchOne($0, sql: "SELECT data FROM outbox WHERE kind = 'password_reset'") } == "{}")
    }
}
