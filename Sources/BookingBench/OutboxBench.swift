import BookingCore
import Foundation
import Jobs
import Outbound
import Store
import Synchronization

/// `BookingBench outbox-booking`: booking throughput with the outbox rows written and without
/// (a `RAISE(IGNORE)` trigger drops every outbox insert, so the writer does all its other work).
/// 8 threads book distinct slots through `AppDatabase.write` (group commit, synchronous=FULL),
/// each booking writing a confirmation, a reminder and a provider alert. Alternating, best of 3.
func outboxBooking(bookings: Int = 2000, threads: Int = 8, rounds: Int = 5) throws {
    var best: [Bool: Double] = [true: 0, false: 0]
    var cpu: [Bool: Double] = [true: .infinity, false: .infinity]
    for _ in 0..<rounds {
        for withOutbox in [true, false] {
            let (database, business, start) = try benchBusiness(hosts: 50, providers: true)
            if !withOutbox { try database.discardOutboxInsertsForBenchmark() }
            let run = bookingThroughput(database, business: business, start: start, bookings: bookings, threads: threads)
            cpu[withOutbox] = min(cpu[withOutbox]!, run.cpuMicros)
            let rows = try database.outboxCount()
            say("  \(withOutbox ? "with   " : "without") outbox rows: \(Int(run.perSecond)) bookings/s, \(Int(run.cpuMicros)) µs CPU per booking (\(rows) rows)")
            best[withOutbox] = max(best[withOutbox]!, run.perSecond)
        }
    }
    let with = best[true]!, without = best[false]!
    say("| booking, \(threads) threads, with outbox rows (best of \(rounds)) | \(Int(with)) bookings/s |")
    say("| booking, \(threads) threads, without (inserts dropped) | \(Int(without)) bookings/s |")
    say("| cost of the outbox rows, throughput | \(String(format: "%.1f", (1 - with / without) * 100)) % |")
    say("| CPU per booking, with / without (least of \(rounds)) | \(Int(cpu[true]!)) µs / \(Int(cpu[false]!)) µs: \(String(format: "%+.1f", (cpu[true]! / cpu[false]! - 1) * 100)) % |")
}

/// `threads` threads book `bookings` distinct slots of business "bench" through `AppDatabase.write`
/// (group commit, synchronous=FULL): bookings a second and CPU µs per booking.
func bookingThroughput(_ database: AppDatabase, business: Business, start: Instant, bookings: Int,
                       threads: Int, actor: Actor = .guest, now: Instant? = nil,
                       request: (@Sendable (Int) -> BookingRequest)? = nil) -> (perSecond: Double, cpuMicros: Double) {
    let next = Atomic<Int>(0), failures = Atomic<Int>(0)
    let group = DispatchGroup()
    let cpuBefore = processCPUSeconds()
    let began = ContinuousClock.now
    for _ in 0..<threads {
        group.enter()
        Thread.detachNewThread {
            defer { group.leave() }
            while true {
                let i = next.add(1, ordering: .relaxed).oldValue
                guard i < bookings else { return }
                let booking = request?(i) ?? BookingRequest(offerSlug: "slot", start: start + Int64(i / 50) * 1800,
                                             customer: CustomerDetails(name: "Bench \(i)", email: "b\(i)@example.com"), source: "api")
                do {
                    _ = try database.book(business: business, request: booking, now: now ?? start - 86_400, actor: actor)
                } catch {
                    failures.add(1, ordering: .relaxed)
                }
            }
        }
    }
    group.wait()
    let elapsed = seconds(ContinuousClock.now - began)
    if failures.load(ordering: .relaxed) > 0 { say("warning: \(failures.load(ordering: .relaxed)) bookings refused") }
    return (Double(bookings) / elapsed, (processCPUSeconds() - cpuBefore) / Double(bookings) * 1e6)
}

/// `BookingBench outbox-send SMTP_URL [MESSAGES]`: the worker's messages per second to a local
/// SMTP sink, 1, 2 (the default) and 4 sender threads.
func outboxSend(url: String, messages: Int = 2000) throws {
    for senders in [1, 2, 4] {
        let (database, business, start) = try benchBusiness(hosts: 1, providers: false)
        let order = try database.book(business: business, request: BookingRequest(
            offerSlug: "slot", start: start, customer: CustomerDetails(name: "Bench", email: "bench@example.com"), source: "api"),
            now: start - 86_400, actor: .guest).order
        try database.queueBenchMessages(order: order, count: messages)
        var options = OutboxWorker.Options()
        options.senders = senders
        options.batchSize = 25
        let worker = try OutboxWorker(database: database, transport: try SMTPTransport(url: url),
                                      settings: MailSettings(from: MailAddress("bookings@bench.test"), baseURL: "http://bench.test"),
                                      templatesDirectory: FileManager.default.currentDirectoryPath + "/Templates/email", options: options)
        let began = ContinuousClock.now
        worker.start()
        while try database.outboxCount(status: .sent) < messages {
            usleep(20_000)
        }
        let elapsed = seconds(ContinuousClock.now - began)
        worker.stop()
        say("| worker to a local SMTP sink, \(senders) sender\(senders == 1 ? "" : "s"), \(messages) confirmations with .ics | \(Int(Double(messages) / elapsed)) messages/s |")
    }
}

/// A fresh database with business "bench": `hosts` hosts open around the clock (each with a
/// provider account when `providers`), a 30-minute slot offer; and a start a day ahead.
func benchBusiness(hosts: Int, providers: Bool) throws -> (AppDatabase, Business, Instant) {
    let root = FileManager.default.currentDirectoryPath
    let directory = NSTemporaryDirectory() + "bizing-outbox-bench-\(UUID().uuidString)"
    let database = try AppDatabase(dataDirectory: directory, migrationsDirectory: root + "/migrations")
    let now = Int64(Date().timeIntervalSince1970)
    let business = try database.seedOutboxBench(hosts: hosts, providers: providers, now: now)
    // Two days ahead, on a half hour: every booking's 24-hour reminder is still to come.
    return (database, business, (now / 1800 + 96) * 1800)
}

/// User + system CPU time of this process so far.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}
