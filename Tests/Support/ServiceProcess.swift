import Foundation

/// A Python test service from Tests/services, run by `.build/test-venv/bin/python` (made by
/// scripts/test-venv.sh) in a temporary directory of its own. The script writes the loopback port it
/// listens on to `DIR/port`; `stop()` kills it by PID and removes the directory.
final class ServiceProcess: @unchecked Sendable {   // mutated only by start/stop, from the test
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    let directory: URL
    public private(set) var port = 0
    private var process: Process?
    private let script: String
    private let arguments: [String]

    /// The repository root, found from this file's path (Tests/Support/ServiceProcess.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    public init(script: String, arguments: [String]) {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("bizing-\(script.split(separator: ".")[0])-\(UUID().uuidString)")
        self.script = script
        self.arguments = arguments
    }

    deinit { stop() }

    /// Starts the script and waits (up to 10 s) until it listens.
    public func start() throws {
        let python = Self.root.appendingPathComponent(".build/test-venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw Failure(description: "\(python.path) is missing: run scripts/test-venv.sh")
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let log = directory.appendingPathComponent("service.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = python
        process.arguments = ["-W", "ignore", Self.root.appendingPathComponent("Tests/services/\(script)").path,
                             directory.path] + arguments
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        self.process = process
        let portFile = directory.appendingPathComponent("port")
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let port = Int(text) {
                self.port = port
                return
            }
            guard process.isRunning else { break }
            usleep(20_000)
        }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        stop()
        throw Failure(description: "\(script) did not start: \(output.suffix(2000))")
    }

    public var pid: Int32? { process?.processIdentifier }

    /// Kills the service by PID (SIGKILL), waits for it, and removes its directory.
    public func stop() {
        if let process, process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        process = nil
        try? FileManager.default.removeItem(at: directory)
    }

    /// The JSON records the service wrote, in file-name order, with the file's base name.
    func records() -> [(name: String, json: [String: Any])] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".json") }.sorted()
        return names.compactMap { name in
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path),
                  let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
            return (String(name.dropLast(5)), json)
        }
    }

    /// Polls `count()` until it reaches `count` or `timeout` seconds pass.
    func wait(until count: Int, timeout: Double, _ current: () -> Int) {
        let deadline = Date().addingTimeInterval(timeout)
        while current() < count && Date() < deadline { usleep(10_000) }
    }
}
