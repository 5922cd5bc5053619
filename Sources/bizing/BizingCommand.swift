import ArgumentParser
import Foundation

struct BizingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bizing",
        abstract: "Bizing: booking that is always right.",
        subcommands: [ServeCommand.self, MigrateCommand.self, DemoCommand.self, APIKeyCommand.self, AuditCommand.self, PaymentsCommand.self, PrivacyCommand.self]
    )

    /// Parses and runs; a bad flag or unusable data dir is one line on stderr and exit 2.
    static func run(arguments: [String]) -> Never {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }   // --help, --version
            fail(message(for: error))
        }
        do {
            var mutable = command
            try mutable.run()
            Foundation.exit(0)
        } catch let error as CLIError {
            fail(error.message, code: error.code)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch {
            fail("\(error)", code: 1)
        }
    }

    static func fail(_ message: String, code: Int32 = 2) -> Never {
        let line = message.split(separator: "\n").first.map(String.init) ?? "error"
        FileHandle.standardError.write(Data(("bizing: " + line.replacingOccurrences(of: "Error: ", with: "") + "\n").utf8))
        Foundation.exit(code)
    }
}

/// A failure with its exit code (2: usage or environment, 1: the command itself failed).
struct CLIError: Error {
    let message: String
    var code: Int32 = 2
}

/// Options every command that touches the database shares.
struct DataOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Directory for bizing.sqlite (env BIZING_DATA_DIR).")
    var dataDirectory: String = ProcessInfo.processInfo.environment["BIZING_DATA_DIR"] ?? "./data"
}

/// One line on stdout, written at once (not buffered: scripts wait for it).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
