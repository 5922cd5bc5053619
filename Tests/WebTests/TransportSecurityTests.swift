import Foundation
import HTTPServer
import Logging
@testable import Store
import Testing
@testable import Web

/// HSTS only where the request came over TLS: behind `--trust-proxy` with `X-Forwarded-Proto: https`.
/// (The server itself speaks plain HTTP, so there is no other way a request is "over TLS".)
struct TransportSecurityTests {
    func app(trustProxy: Bool) throws -> App {
        let directory = NSTemporaryDirectory() + "bizing-hsts-\(UUID().uuidString)"
        let paths = ResourcePaths(root: TestApp.root)
        let database = try AppDatabase(dataDirectory: directory, migrationsDirectory: paths.migrations)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return try App(database: database, paths: paths, logger: logger, trustForwardedProto: trustProxy)
    }

    func get(_ app: App, _ target: String, proto: String?) throws -> Response {
        let headers = proto.map { [("X-Forwarded-Proto", $0)] } ?? []
        return app.respond(to: try Request(method: "GET", target: target, headers: Headers(headers)))
    }

    @Test func httpsBehindATrustedProxyGetsHSTS() throws {
        let app = try app(trustProxy: true)
        #expect(try get(app, "/", proto: "https").headers["Strict-Transport-Security"] == "max-age=31536000")
        // Error pages and the API too
        #expect(try get(app, "/no-such-page", proto: "https").headers["Strict-Transport-Security"] != nil)
        #expect(try get(app, "/api/v1/nothing", proto: "https").headers["Strict-Transport-Security"] != nil)
    }

    @Test func plainHTTPOrAnUntrustedHeaderGetsNoHSTS() throws {
        let trusted = try app(trustProxy: true)
        #expect(try get(trusted, "/", proto: "http").headers["Strict-Transport-Security"] == nil)
        #expect(try get(trusted, "/", proto: nil).headers["Strict-Transport-Security"] == nil)
        let untrusted = try app(trustProxy: false)
        #expect(try get(untrusted, "/", proto: "https").headers["Strict-Transport-Security"] == nil)
    }
}
