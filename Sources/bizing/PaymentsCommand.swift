import ArgumentParser
import Foundation
import Outbound
import Store
import Web

struct PaymentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "payments", abstract: "Stripe payments.", subcommands: [Reconcile.self])

    struct Reconcile: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reconcile", abstract: "Compare a business's ledger with Stripe; print every difference (exit 1 when any).")

        @Option(help: "The business's slug.") var business: String
        @OptionGroup var data: DataOptions

        func run() throws {
            let database = try Bootstrap.openDatabase(dataDirectory: data.dataDirectory, paths: ResourcePaths.locate())
            let service = PaymentService(database: database, settings: try Bootstrap.paymentSettings(dataDirectory: data.dataDirectory))
            let differences: [String]
            do {
                differences = try service.reconcile(businessSlug: business)
            } catch {
                throw CLIError(message: "\(error)", code: 1)
            }
            for line in differences { say(line) }
            guard differences.isEmpty else { throw CLIError(message: "\(differences.count) difference(s) between the ledger and Stripe", code: 1) }
            say("the ledger of \(business) agrees with Stripe")
        }
    }
}

extension Bootstrap {
    /// `BIZING_STRIPE_API_BASE` and the secret box (`BIZING_SECRET_KEY`, else `DATA_DIR/secret.key`).
    static func paymentSettings(dataDirectory: String) throws -> PaymentSettings {
        let environment = ProcessInfo.processInfo.environment
        let box: SecretBox
        do {
            box = try SecretBox.resolve(environment: environment["BIZING_SECRET_KEY"], dataDirectory: dataDirectory)
        } catch {
            throw CLIError(message: "\(error)", code: 2)
        }
        let base = environment["BIZING_STRIPE_API_BASE"].flatMap { $0.isEmpty ? nil : $0 } ?? StripeClient.defaultBase
        return PaymentSettings(stripeBase: base, box: box, optionalFields: environment["BIZING_STRIPE_MINIMAL_FIELDS"] != "1")
    }
}
