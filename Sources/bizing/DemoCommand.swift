import ArgumentParser
import BookingCore
import Foundation
import Passwords
import Store
import Web

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Seed the demo business (idempotent) and say how to sign in.")

    @OptionGroup var data: DataOptions

    func run() throws {
        let database = try Bootstrap.openDatabase(dataDirectory: data.dataDirectory, paths: ResourcePaths.locate())
        try Self.seed(database)
    }

    static func seed(_ database: AppDatabase) throws {
        let passwords = Passwords()
        let created = try database.seedDemo(now: Int64(Date().timeIntervalSince1970), hashPassword: { try passwords.hash(DemoData.password) })
        say(created ? "Seeded the demo business \"Demo Wellness\" at /b/\(DemoData.slug)." : "The demo business already exists at /b/\(DemoData.slug).")
        say("Sign in with any of these (password \(DemoData.password)): " + DemoData.users.map { "\($0.email) (\($0.role.rawValue))" }.joined(separator: ", "))
    }
}

struct APIKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "api-key", abstract: "Manage API keys.", subcommands: [Create.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Print a new API key (owner rights) alone on the last line.")

        @Option(help: "The business's slug.") var business: String
        @Option(help: "A name to recognise the key by.") var name: String = "command line"
        @OptionGroup var data: DataOptions

        func validate() throws {
            guard (1...80).contains(name.count) else { throw ValidationError("--name must be 1 to 80 characters") }
        }

        func run() throws {
            let database = try Bootstrap.openDatabase(dataDirectory: data.dataDirectory, paths: ResourcePaths.locate())
            let key = try database.createAPIKey(businessSlug: business, name: name, now: Int64(Date().timeIntervalSince1970), actor: .system)
            guard let key else { throw CLIError(message: "no business with the slug \(business)", code: 1) }
            say("API key for \(business) (shown once; only its hash is stored):")
            say(key)
        }
    }
}

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Check the audit log.", subcommands: [Verify.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "verify", abstract: "Check a business's audit hash chain.")

        @Option(help: "The business's slug.") var business: String
        @OptionGroup var data: DataOptions

        func run() throws {
            let database = try Bootstrap.openDatabase(dataDirectory: data.dataDirectory, paths: ResourcePaths.locate())
            let result = try database.verifyAuditLog(businessSlug: business)
            switch result {
            case nil: throw CLIError(message: "no business with the slug \(business)", code: 1)
            case .intact(let entries): say("audit chain of \(business) is intact (\(entries) entries)")
            case .broken(let seq, let reason): throw CLIError(message: "audit chain of \(business) is broken at entry \(seq): \(reason)", code: 1)
            }
        }
    }
}
