import Foundation
import HTTPServer
import Testing
import TestSupport
@testable import Web

/// The API as an integrator meets it: a real server on loopback and a client whose every answer is
/// checked against the OpenAPI document (its status documented for the operation, its body matching
/// that status's schema). Shared by the integrator and catalog suites.
struct DocumentedAPIClient {
    struct Answer {
        let status: Int
        let json: JSONValue
        let reply: RawHTTPClient.Reply
        var code: String? { json["error"]?["code"]?.string }
        var field: String? { json["error"]?["field"]?.string }
    }

    let server: Server
    let client: RawHTTPClient
    let checker: APISchemaChecker

    init(_ test: TestApp) throws {
        (server, client) = try test.serve()
        checker = APISchemaChecker(document: try JSONValue.parse(APISpec.json))
    }

    func stop() { server.stop(grace: .seconds(2)) }

    /// `method path` with `bearer` (none: no Authorization), checked against the operation `spec`
    /// (the OpenAPI path; found from `path` when nil), and answered in JSON (but a 204).
    func call(_ method: String, _ path: String, _ body: String, bearer: String?, headers: [(String, String)], spec: String?,
              sourceLocation: SourceLocation) throws -> Answer {
        var all = headers
        if let bearer { all.append(("Authorization", "Bearer \(bearer)")) }
        if !body.isEmpty { all.append(("Content-Type", "application/json")) }
        let reply = try client.request(method, path, headers: all, body: Array(body.utf8))
        let json = (try? JSONValue.parse(reply.body)) ?? .null
        checker.expectDocumented(method, spec ?? Self.template(for: path), reply, json: json, sourceLocation: sourceLocation)
        if reply.status != 204 {
            #expect(reply.header("Content-Type")?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
        }
        return Answer(status: reply.status, json: json, reply: reply)
    }

    /// The OpenAPI path a concrete path belongs to (matched segment by segment).
    static func template(for path: String) -> String {
        let concrete = path.split(separator: "?").first.map(String.init) ?? path
        let parts = concrete.split(separator: "/")
        for operation in APISpec.operations {
            let pattern = operation.path.split(separator: "/")
            guard pattern.count == parts.count else { continue }
            if zip(pattern, parts).allSatisfy({ $0.hasPrefix("{") || $0 == $1 }) { return operation.path }
        }
        return concrete
    }
}
