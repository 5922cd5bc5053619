public import BookingCore
import Foundation
public import Logging
public import Outbound
public import Store
import Synchronization

/// Delivers the outbox: claims due rows with a lease, renders and sends each through the
/// transport, and records sent / retry (exponential backoff with a cap and jitter) / failed (a
/// permanent refusal, 5xx). Woken by the database's `outboxWakeup` after a commit, and polls every
/// `pollSeconds`. A worker killed mid-send leaves its rows `sending`; once the lease ends they are
/// claimed again and sent with the same Message-ID (at least once, deduplicable).
///
/// The same threads deliver webhooks (`webhooks`, issue 15) the same way: claimed with a lease,
/// sent with the same `Bizing-Delivery` on every attempt, retried per `WebhookRetry`. Without a
/// mail transport (no SMTP configured) emails wait in the outbox and webhooks still go.
public final class OutboxWorker: Sendable {
    public struct Options: Sendable {
        /// Sender threads, each claiming its own batches.
        public var senders = 2
        public var batchSize = 10
        /// How long a claim lasts; longer than a batch's sends take.
        public var leaseSeconds: Int64 = 120
        public var pollSeconds = 1.0
        public init() {}
    }

    private let database: AppDatabase
    private let transport: (any MailTransport)?
    private let webhooks: WebhookSender?
    private let composer: MailComposer
    private let options: Options
    private let clock: @Sendable () -> Instant
    private let logger: Logger
    private let stopped = Atomic<Bool>(false)
    private let running = DispatchGroup()

    /// Fails when a template is missing or does not parse.
    public init(database: AppDatabase, transport: (any MailTransport)?, settings: MailSettings, templatesDirectory: String,
                webhooks: WebhookSender? = nil, options: Options = Options(), logger: Logger = Logger(label: "bizing.outbox"),
                clock: (@Sendable () -> Instant)? = nil) throws {
        self.database = database
        self.transport = transport
        self.webhooks = webhooks
        self.composer = try MailComposer(settings: settings, templatesDirectory: templatesDirectory)
        self.options = options
        self.clock = clock ?? { Int64(Date().timeIntervalSince1970) }
        self.logger = logger
    }

    /// Starts the sender threads.
    public func start() {
        for index in 0..<max(1, options.senders) {
            running.enter()
            let thread = Thread { [self] in
                defer { running.leave() }
                // What to look at: everything, except after a wake-up for one kind of work only.
                var work = OutboxWakeup.Work.all
                while !stopped.load(ordering: .acquiring) {
                    let count = (try? deliverBatch(work)) ?? 0
                    if count >= options.batchSize { database.outboxWakeup.signal(work); continue }   // more may be due: bring a sibling
                    work = count == 0 ? database.outboxWakeup.wait(seconds: options.pollSeconds) : .all
                }
            }
            thread.name = "bizing-outbox-\(index)"
            thread.start()
        }
    }

    /// Stops claiming and waits up to `grace` for sends in flight; an unfinished one is sent again
    /// after its lease by the next start.
    public func stop(grace: Double = 5) {
        stopped.store(true, ordering: .releasing)
        for _ in 0..<max(1, options.senders) { database.outboxWakeup.signal() }
        _ = running.wait(timeout: .now() + grace)
    }

    /// Claims one batch of emails (when there is a transport) and one of webhook deliveries (when
    /// there is a sender), of the kinds in `work`, sends them and records the outcomes; the number handled.
    @discardableResult
    public func deliverBatch(_ work: OutboxWakeup.Work = .all) throws -> Int {
        var handled = 0
        if let transport, work.contains(.mail) { handled += try deliverMail(transport) }
        if let webhooks, work.contains(.webhooks) { handled += try deliverWebhooks(webhooks) }
        return handled
    }

    private func deliverWebhooks(_ sender: WebhookSender) throws -> Int {
        let now = clock()
        let claimed = try database.claimDueWebhooks(now: now, leaseSeconds: options.leaseSeconds, limit: options.batchSize)
        guard !claimed.isEmpty else { return 0 }
        let reports = claimed.map { job in
            let report = sender.attempt(job, now: clock(), later: clock, jitter: Double.random(in: 0..<1))
            if !report.delivered {
                logger.info("webhook delivery \(job.publicID) attempt \(job.attempts) failed: \(report.attempt.error)")
            }
            return report
        }
        try database.recordWebhookAttempts(reports, now: clock())
        return claimed.count
    }

    private func deliverMail(_ transport: any MailTransport) throws -> Int {
        let now = clock()
        let claimed = try database.claimDueMessages(now: now, leaseSeconds: options.leaseSeconds, limit: options.batchSize)
        guard !claimed.isEmpty else { return 0 }
        var outcomes: [(id: Int64, outcome: DeliveryOutcome)] = []
        for message in claimed {
            outcomes.append((message.id, deliver(message, transport: transport, now: now)))
        }
        try database.recordDeliveries(outcomes, now: clock())
        return claimed.count
    }

    private func deliver(_ message: OutboxMessage, transport: any MailTransport, now: Instant) -> DeliveryOutcome {
        switch composer.compose(message, now: now) {
        case .withdraw:
            return .withdrawn
        case .fail(let reason):
            return .failed(subject: "", error: reason)
        case .send(let mail, let subject):
            do {
                try transport.send(mail)
                return .sent(subject: subject)
            } catch {
                let text = error.description
                if error.isPermanent || message.attempts >= Delivery.maxAttempts {
                    logger.warning("outbox message \(message.id) failed for good: \(text)")
                    return .failed(subject: subject, error: text)
                }
                let wait = Delivery.retryDelay(afterAttempt: message.attempts, jitter: Double.random(in: 0..<1))
                logger.info("outbox message \(message.id) will be retried in \(wait) s: \(text)")
                return .retry(subject: subject, error: text, at: clock() + wait)
            }
        }
    }
}
