import Foundation
import Testing

/// `bizing serve`'s email configuration: a bad value is one line on stderr and exit 2, before serving.
@Suite(.serialized) struct MailConfigurationTests {
    func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CrashRecoveryTests.binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["BIZING_ROOT"] = MailHarness.root
        for (name, value) in extra { environment[name] = value }
        process.environment = environment
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stderr, as: UTF8.self))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: CrashRecoveryTests.binary)))
    func badMailSettingsAreRefusedWithOneLine() throws {
        let directory = NSTemporaryDirectory() + "bizing-mailconf-\(UUID().uuidString)"
        let cases: [([String], [String: String], String)] = [
            (["serve", "--base-url", "ftp://example.com"], [:], "--base-url"),
            (["serve", "--data-dir", directory, "--port", "0", "--smtp", "gopher://mail.example.com"], [:], "--smtp"),
            (["serve", "--data-dir", directory, "--port", "0"], ["BIZING_MAIL_FROM": "not an address"], "BIZING_MAIL_FROM"),
        ]
        for (arguments, environment, named) in cases {
            let outcome = try run(arguments, environment: environment)
            #expect(outcome.status == 2, "\(arguments) \(environment)")
            #expect(outcome.stderr.split(separator: "\n").count == 1 && outcome.stderr.contains(named), "\(outcome.stderr)")
        }
    }
}
