import ArgumentParser
import Foundation
import HTTPServer
import Jobs
import Logging
import Outbound
import Store
import Web

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Migrate the database, then serve until SIGINT/SIGTERM (in-flight requests finish)."
    )

    @Option(help: "Address to listen on (env BIZING_HOST).")
    var host: String = ProcessInfo.processInfo.environment["BIZING_HOST"] ?? "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free one (env BIZING_PORT).")
    var port: Int = Int(ProcessInfo.processInfo.environment["BIZING_PORT"] ?? "") ?? 8080

    @OptionGroup var data: DataOptions

    @Option(help: "libmicrohttpd worker threads (default: one per core).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Seed the demo data first when it is absent.")
    var demo = false

    @Flag(name: .customLong("trust-proxy"),
          help: "Trust X-Forwarded-Proto from a TLS-terminating proxy in front (session cookies become Secure).")
    var trustProxy = false

    @Option(name: .customLong("api-rate"), help: "Default API requests a second per key (env BIZING_API_RATE).")
    var apiRate: Double = Double(ProcessInfo.processInfo.environment["BIZING_API_RATE"] ?? "") ?? APIRateLimit.standard.rate

    @Option(name: .customLong("api-burst"), help: "Default API burst per key (env BIZING_API_BURST).")
    var apiBurst: Double = Double(ProcessInfo.processInfo.environment["BIZING_API_BURST"] ?? "") ?? APIRateLimit.standard.burst

    @Option(name: .customLong("log-level"), help: "trace, debug, info (one line per request), notice, warning, error.")
    var logLevel: String = ProcessInfo.processInfo.environment["BIZING_LOG_LEVEL"] ?? "info"

    @Option(name: .customLong("smtp"), help: "SMTP server for outgoing email: smtp://host:port, smtp://user:pass@host:587 (STARTTLS when offered) or smtps://… (env BIZING_SMTP_URL). Unset: messages wait in the outbox.")
    var smtp: String = ProcessInfo.processInfo.environment["BIZING_SMTP_URL"] ?? ""

    @Option(name: .customLong("base-url"), help: "Public origin written into links in emails (env BIZING_BASE_URL; default http://HOST:PORT).")
    var baseURL: String = ProcessInfo.processInfo.environment["BIZING_BASE_URL"] ?? ""

    @Option(name: .customLong("write-cores"),
            help: ArgumentHelp("Write threads doing CPU work at once, in order of arrival (0: no limit; default one per core).",
                               visibility: .hidden))
    var writeCores: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .customLong("mail-lease-seconds"), help: ArgumentHelp("How long a worker's claim on a message lasts.", visibility: .hidden))
    var mailLeaseSeconds: Int = 120

    /// `BIZING_MAIL_FROM`, the sender of every email.
    static let defaultMailFrom = "Bizing <bookings@localhost>"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be between 1 and 256") }
        guard (0...256).contains(writeCores) else { throw ValidationError("--write-cores must be between 0 and 256") }
        guard apiRate > 0, apiRate <= 1_000_000 else { throw ValidationError("--api-rate must be above 0") }
        guard apiBurst >= 1, apiBurst <= 1_000_000 else { throw ValidationError("--api-burst must be at least 1") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level \(logLevel) is not a level") }
        if !baseURL.isEmpty, !(baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://")) || baseURL.contains(where: \.isWhitespace) {
            throw ValidationError("--base-url must be an http:// or https:// origin, like https://book.example.com")
        }
        guard (5...86_400).contains(mailLeaseSeconds) else { throw ValidationError("--mail-lease-seconds must be between 5 and 86400") }
    }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        // Block the stop signals before any thread starts, so every libmicrohttpd thread inherits the
        // mask and only `sigwait` below receives them.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGINT)
        sigaddset(&stopSignals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &stopSignals, nil)

        let logger = Bootstrap.logger(level: Logger.Level(rawValue: logLevel) ?? .info)
        let paths = ResourcePaths.locate()
        let started = ContinuousClock.now
        // `BIZING_AVAILABILITY_CACHE=0` turns the availability answer cache off (for measuring).
        let settings = AppDatabase.Settings(
            answerCacheSlots: ProcessInfo.processInfo.environment["BIZING_AVAILABILITY_CACHE"] == "0" ? 0 : 20_000)
        let database = try Bootstrap.openDatabase(dataDirectory: data.dataDirectory, paths: paths, settings: settings)
        if demo { try DemoCommand.seed(database) }
        let paymentSettings = try Bootstrap.paymentSettings(dataDirectory: data.dataDirectory)
        let app: App
        do {
            app = try App(database: database, paths: paths, logger: logger, trustForwardedProto: trustProxy,
                      apiRateLimit: APIRateLimit(rate: apiRate, burst: apiBurst), webhookDestinations: Self.webhookDestinations,
                      baseURL: baseURL.isEmpty ? nil : baseURL, payments: paymentSettings)
        } catch {
            throw CLIError(message: "\(error)", code: 1)
        }
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = UInt16(port)
        configuration.threads = threads
        configuration.writeCores = writeCores
        let server: Server
        do {
            server = try Server(configuration: configuration, application: app, logger: logger)
        } catch {
            throw CLIError(message: "\(error)", code: 1)
        }
        let ready = ContinuousClock.now - started
        let shownHost = host.contains(":") ? "[\(host)]" : host
        say("Bizing listening on http://\(shownHost):\(server.port) (data: \(database.path), ready in \(ready.formatted(.units(allowed: [.milliseconds]))))")

        let mailer = try startMailer(database: database, paths: paths, logger: logger,
                                     defaultBaseURL: "http://\(shownHost):\(server.port)")

        // Holds stop blocking at their expiry anyway; the pass marks them expired (offering what they
        // free to those waiting) and takes due automatic approval decisions. An expired hold's
        // PaymentIntent is cancelled at Stripe, so is a card purchase's left unpaid for a day,
        // refunds still owed (a decline, a session called off) are made, and card-paid memberships'
        // renewals are charged to the saved card.
        let lifecycle = LifecycleJobs(database: database)
        let payments = app.payments
        // Busy-time imports: each due every 15 minutes, fetched with the webhooks' SSRF rules.
        let imports = CalendarImportJob(database: database, client: HTTPClient(policy: Self.webhookDestinations))
        Thread.detachNewThread {
            while true {
                sleep(15)
                let now = Int64(Date().timeIntervalSince1970)
                do { try lifecycle.runDue(now: now) } catch {
                    logger.warning("lifecycle jobs: \(error)")
                }
                do { try imports.runDue(now: now) } catch {
                    logger.warning("calendar imports: \(error)")
                }
                payments.cancelExpiredIntents(now: now)
                payments.abandonUnpaidPurchases(now: now)
                payments.makeOwedRefunds(now: now)
                // Renewals of memberships paid by card (the periods the lifecycle pass just started).
                payments.chargeMembershipRenewals(now: now)
                payments.makeOwedMembershipRefunds(now: now)
            }
        }

        var received: Int32 = 0
        sigwait(&stopSignals, &received)
        logger.notice("signal \(received): finishing in-flight requests")
        server.stop(grace: .seconds(10))
        mailer?.stop()
        say("Bizing stopped.")
    }

    /// The outbox worker: emails when SMTP is configured (without it, messages wait in the outbox)
    /// and webhook deliveries always, through one libcurl client guarded by the destination policy.
    private func startMailer(database: AppDatabase, paths: ResourcePaths, logger: Logger, defaultBaseURL: String) throws -> OutboxWorker? {
        let fromText = ProcessInfo.processInfo.environment["BIZING_MAIL_FROM"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultMailFrom
        guard let from = MailAddress.parse(fromText) else {
            throw CLIError(message: "BIZING_MAIL_FROM \(fromText) is not an address like Bizing <bookings@example.com>")
        }
        var transport: SMTPTransport?
        if smtp.isEmpty {
            say("Email: no SMTP server configured (--smtp or BIZING_SMTP_URL); messages wait in the outbox.")
        } else {
            do { transport = try SMTPTransport(url: smtp) } catch { throw CLIError(message: "--smtp: \(error.description)") }
        }
        var options = OutboxWorker.Options()
        options.leaseSeconds = Int64(mailLeaseSeconds)
        let webhooks = WebhookSender(client: HTTPClient(policy: Self.webhookDestinations), payload: WebhookPayload.write)
        let worker: OutboxWorker
        do {
            worker = try OutboxWorker(database: database, transport: transport,
                                      settings: MailSettings(from: from, baseURL: baseURL.isEmpty ? defaultBaseURL : baseURL),
                                      templatesDirectory: paths.templates + "/email", webhooks: webhooks, options: options, logger: logger)
        } catch {
            throw CLIError(message: "\(error)", code: 1)
        }
        worker.start()
        return worker
    }

    /// `BIZING_WEBHOOKS_ALLOW_PRIVATE=1` lets webhooks (and calendar imports) reach loopback and private addresses.
    static var webhookDestinations: DestinationPolicy {
        DestinationPolicy(allowPrivate: ProcessInfo.processInfo.environment["BIZING_WEBHOOKS_ALLOW_PRIVATE"] == "1")
    }
}

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending migrations and exit.")

    @OptionGroup var data: DataOptions

    func run() throws {
        let database = try Bootstrap.openDatabase(dataDirectory: data.dataDirectory, paths: ResourcePaths.locate())
        say("Database \(database.path) is up to date.")
    }
}

enum Bootstrap {
    static func logger(level: Logger.Level) -> Logger {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "bizing")
    }

    /// Opens and migrates the database; an unusable data dir is exit 2, a failed migration exit 1.
    static func openDatabase(dataDirectory: String, paths: ResourcePaths,
                             settings: AppDatabase.Settings = AppDatabase.Settings()) throws -> AppDatabase {
        do {
            return try AppDatabase(dataDirectory: dataDirectory, migrationsDirectory: paths.migrations, settings: settings)
        } catch let error as AppDatabase.OpenError {
            throw CLIError(message: error.description, code: 2)
        } catch let error as MigrationError {
            throw CLIError(message: error.description, code: 1)
        }
    }
}
