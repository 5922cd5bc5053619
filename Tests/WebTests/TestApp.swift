import Foundation
import HTTPServer
import Logging
import Store
@testable import Web

/// An app over a fresh real database file, with the repository's templates and files.
struct TestApp {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    let app: App
    let database: AppDatabase
    let directory: String

    init(now: Date = Date(timeIntervalSince1970: 1_795_000_000)) throws {
        directory = NSTemporaryDirectory() + "bizing-web-\(UUID().uuidString)"
        let paths = ResourcePaths(root: Self.root)
        database = try AppDatabase(dataDirectory: directory, migrationsDirectory: paths.migrations)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        app = try App(database: database, paths: paths, logger: logger, clock: { now })
    }

    func get(_ target: String, headers: [(String, String)] = []) throws -> Response {
        try app.respond(to: Request(method: "GET", target: target, headers: Headers(headers)))
    }

    func post(_ target: String, form: [(String, String)], headers: [(String, String)] = []) throws -> Response {
        let body = FormData(pairs: form.map { (name: $0.0, value: $0.1) }).encoded
        return app.respond(to: try Request(method: "POST", target: target,
                                           headers: Headers([("Content-Type", "application/x-www-form-urlencoded")] + headers),
                                           body: Array(body.utf8)))
    }
}

extension Response {
    var text: String { String(decoding: body, as: UTF8.self) }
}
