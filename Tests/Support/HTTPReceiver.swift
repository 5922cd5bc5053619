import Foundation

/// A real HTTP server for webhook tests: Python's http.server (Tests/services/http_receiver.py) on a
/// free loopback port, recording every request. `/redirect` answers 302, `/big?bytes=N` a large body,
/// `/slow?seconds=S` a late answer; other paths answer 500 for the first `failFirst` requests, then 200.
public final class HTTPReceiver: @unchecked Sendable {   // see ServiceProcess
    public struct Request: Sendable {
        public let method: String
        public let path: String
        public let headers: [(name: String, value: String)]
        public let body: [UInt8]
        public let status: Int

        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    private let service: ServiceProcess

    public init(failFirst: Int = 0) {
        service = ServiceProcess(script: "http_receiver.py", arguments: ["--fail-first", String(failFirst)])
    }

    public func start() throws { try service.start() }

    /// Serves `text` at `/file/NAME` from now on (replacing what was there); nil removes it (404).
    public func serve(_ text: String?, as name: String) throws {
        let files = service.directory.appendingPathComponent("files")
        try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
        let file = files.appendingPathComponent(name)
        if let text { try Data(text.utf8).write(to: file, options: .atomic) } else { try? FileManager.default.removeItem(at: file) }
    }
    public func stop() { service.stop() }
    public var port: Int { service.port }
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Every request received so far, in order.
    public func requests() -> [Request] {
        service.records().map { _, json in
            Request(method: json["method"] as? String ?? "",
                    path: json["path"] as? String ?? "",
                    headers: (json["headers"] as? [[String]] ?? []).compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil },
                    body: (json["body_base64"] as? String).flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) } ?? [],
                    status: json["status"] as? Int ?? 0)
        }
    }

    @discardableResult
    public func waitForRequests(count: Int, timeout: Double = 5) -> [Request] {
        service.wait(until: count, timeout: timeout) { service.records().count }
        return requests()
    }
}
