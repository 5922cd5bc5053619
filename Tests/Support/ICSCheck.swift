import Foundation

/// Tests/services/ics_check.py over an iCalendar text: the raw RFC 5545 checks and a parse with
/// Python's `icalendar` (from `.build/test-venv`, made by scripts/test-venv.sh).
public enum ICSCheck {
    public struct Event: Decodable, Sendable, Equatable {
        public let uid: String
        public let summary: String
        public let description: String
        public let location: String
        public let status: String
        public let start: Int64
        public let end: Int64
    }

    public struct Report: Decodable, Sendable {
        /// Empty when the text is valid.
        public let problems: [String]
        public let events: [Event]
    }

    public static func check(_ text: String) throws -> Report {
        let python = ServiceProcess.root.appendingPathComponent(".build/test-venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw ServiceProcess.Failure(description: "\(python.path) is missing: run scripts/test-venv.sh")
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bizing-feed-\(UUID().uuidString).ics")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = python
        process.arguments = ["-W", "ignore", ServiceProcess.root.appendingPathComponent("Tests/services/ics_check.py").path, file.path]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let failure = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ServiceProcess.Failure(description: "ics_check.py failed: " + String(decoding: failure.suffix(2000), as: UTF8.self))
        }
        return try JSONDecoder().decode(Report.self, from: data)
    }
}
