import ArgumentParser
import Foundation
import Store
import Web

struct PrivacyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "privacy", abstract: "Customers' data on request.", subcommands: [Erase.self])

    struct Erase: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "erase",
            abstract: "Anonymise everything a business holds about the customer with an address; money and audit are kept under a pseudonym.")

        @Option(help: "The business's slug.") var business: String
        @Option(help: "The customer's email address.") var email: String
        @OptionGroup var data: DataOptions

        func run() throws {
            let database = try Bootstrap.openDatabase(dataDirectory: data.dataDirectory, paths: ResourcePaths.locate())
            guard let found = try database.business(slug: business) else { throw CLIError(message: "no business \(business)", code: 1) }
            let outcome = try database.eraseCustomer(businessID: found.id, email: email, actor: "cli",
                                                     now: Int64(Date().timeIntervalSince1970))
            switch outcome {
            case .erased(let pseudonym, let bookings):
                say("erased: \(bookings) booking(s) now read \"\(pseudonym)\"")
            case .upcoming(let ids):
                throw CLIError(message: "refused: cancel the upcoming booking(s) first: \(ids.joined(separator: ", "))", code: 1)
            case .notFound:
                throw CLIError(message: "\(business) holds nothing under that address", code: 1)
            }
        }
    }
}
