import Foundation
import Testing
import TestSupport

/// The `bizing` executable as a process: flags, exit codes, start-up, graceful stop.
@Suite(.serialized)
struct CLITests {
    /// The binary SwiftPM built next to this test bundle.
    static let binary: String = {
        let bundle = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).resolvingSymlinksInPath()
        var directory = bundle.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("bizing").path), directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("bizing").path
    }()
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    func run(_ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: Self.root)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                       stderr: String(decoding: stderr, as: UTF8.self))
    }

    func temporaryDirectory() -> String { NSTemporaryDirectory() + "bizing-cli-\(UUID().uuidString)" }

    @Test func badFlagIsOneLineAndExitTwo() throws {
        for arguments in [["serve", "--port", "abc"], ["serve", "--bogus"], ["serve", "--threads", "0"], ["serve", "--write-cores", "-1"], ["nonsense"]] {
            let outcome = try run(arguments)
            #expect(outcome.status == 2, "\(arguments)")
            #expect(outcome.stderr.split(separator: "\n").count == 1, "\(arguments): \(outcome.stderr)")
        }
    }

    @Test func unusableDataDirectoryIsOneLineAndExitTwo() throws {
        let file = temporaryDirectory()
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        let outcome = try run(["migrate", "--data-dir", file])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("not usable"))
        #expect(outcome.stderr.split(separator: "\n").count == 1)
    }

    @Test func serveAnswersThenStopsOnSigtermWithExitZero() throws {
        let data = temporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["serve", "--port", "0", "--data-dir", data, "--log-level", "warning"]
        process.currentDirectoryURL = URL(fileURLWithPath: Self.root)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        // The first line names the bound port.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        let port = try #require(text.split(separator: ":").dropFirst(2).first.flatMap { UInt16($0.prefix { $0.isNumber }) }, "\(text)")
        let health = try RawHTTPClient(port: port).request("GET", "/healthz")
        #expect(health.status == 200)
        #expect(health.text.contains(#""status":"ok""#))
        let mode = try run(["migrate", "--data-dir", data])   // a second process sees the same WAL database
        #expect(mode.status == 0)
        let header = try Data(contentsOf: URL(fileURLWithPath: data + "/bizing.sqlite")).prefix(20)
        #expect(header[18] == 2 && header[19] == 2)   // file format bytes 18-19 = 2: WAL
        let started = Date()
        process.terminate()   // SIGTERM
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func demoIsIdempotentAndKeysAndAuditWork() throws {
        let data = temporaryDirectory()
        let first = try run(["demo", "--data-dir", data])
        #expect(first.status == 0)
        #expect(first.stdout.contains("customer@demo.test"))
        #expect(try run(["demo", "--data-dir", data]).stdout.contains("already exists"))
        let key = try run(["api-key", "create", "--business", "demo", "--data-dir", data])
        #expect(key.status == 0)
        #expect(key.stdout.split(separator: "\n").last?.hasPrefix("bz_") == true)
        let unknown = try run(["api-key", "create", "--business", "nope", "--data-dir", data])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.split(separator: "\n").count == 1)
        #expect(try run(["audit", "verify", "--business", "demo", "--data-dir", data]).status == 0)
        // Tamper with one audit row behind the triggers' back: verify names the entry and fails.
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sqlite.arguments = ["python3", "-c", """
            import sqlite3; db = sqlite3.connect('\(data)/bizing.sqlite')
            db.execute('DROP TRIGGER audit_log_no_update'); db.execute("UPDATE audit_log SET actor = 'user:999' WHERE seq = 3"); db.commit()
            """]
        try sqlite.run()
        sqlite.waitUntilExit()
        let verify = try run(["audit", "verify", "--business", "demo", "--data-dir", data])
        #expect(verify.status != 0)
        #expect(verify.stderr.contains("entry 3"))
    }
}
