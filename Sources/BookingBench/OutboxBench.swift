import BookingCore
import Foundation
import GRDB
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
            if !withOutbox {
                try database.pool.write { try $0.execute(sql: "CREATE TRIGGER bench_no_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(IGNORE); END") }
            }
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
                        let request = BookingRequest(offerSlug: "slot", start: start + Int64(i / 50) * 1800,
                                                     customer: CustomerDetails(name: "Bench \(i)", email: "b\(i)@example.com"), source: "api")
                        do {
                            _ = try database.write { db in try Bookings.book(db, business: business, request: request, now: start - 86_400, actor: .guest) }
                        } catch {
                            failures.add(1, ordering: .relaxed)
                        }
                    }
                }
            }
            group.wait()
            let seconds = seconds(ContinuousClock.now - began)
            let cpuPerBooking = (processCPUSeconds() - cpuBefore) / Double(bookings) * 1e6
            cpu[withOutbox] = min(cpu[withOutbox]!, cpuPerBooking)
            let rows = try database.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM outbox") ?? 0 }
            if failures.load(ordering: .relaxed) > 0 { say("warning: \(failures.load(ordering: .relaxed)) bookings refused") }
            say("  \(withOutbox ? "with   " : "without") outbox rows: \(Int(Double(bookings) / seconds)) bookings/s, \(Int(cpuPerBooking)) µs CPU per booking (\(rows) rows)")
            best[withOutbox] = max(best[withOutbox]!, Double(bookings) / seconds)
        }
    }
    let with = best[true]!, without = best[false]!
    say("| booking, \(threads) threads, with outbox rows (best of \(rounds)) | \(Int(with)) bookings/s |")
    say("| booking, \(threads) threads, without (inserts dropped) | \(Int(without)) bookings/s |")
    say("| cost of the outbox rows, throughput | \(String(format: "%.1f", (1 - with / without) * 100)) % |")
    say("| CPU per booking, with / without (least of \(rounds)) | \(Int(cpu[true]!)) µs / \(Int(cpu[false]!)) µs: \(String(format: "%+.1f", (cpu[true]! / cpu[false]! - 1) * 100)) % |")
}

/// `BookingBench outbox-send SMTP_URL [MESSAGES]`: the worker's messages per second to a local
/// SMTP sink, 1, 2 (the default) and 4 sender threads.
func outboxSend(url: String, messages: Int = 2000) throws {
    for senders in [1, 2, 4] {
        let (database, business, start) = try benchBusiness(hosts: 1, providers: false)
        let order = try database.write { db in
            try Bookings.book(db, business: business, request: BookingRequest(
                offerSlug: "slot", start: start, customer: CustomerDetails(name: "Bench", email: "bench@example.com"), source: "api"),
                now: start - 86_400, actor: .guest).order
        }
        try database.pool.write { db in
            try db.execute(sql: "DELETE FROM outbox")
            for i in 0..<messages {
                try db.execute(sql: """
                    INSERT INTO outbox (business_id, kind, recipient_email, recipient_name, data, message_id, next_attempt_at, created_at, order_id)
                    VALUES (?, 'confirmation', 'bench@example.com', 'Bench', '{}', ?, 0, 0, ?)
                    """, arguments: [business.id, String(format: "bench%012d%@", i, UUID().uuidString.prefix(8) as CVarArg), order.id])
            }
        }
        var options = OutboxWorker.Options()
        options.senders = senders
        options.batchSize = 25
        let worker = try OutboxWorker(database: database, transport: try SMTPTransport(url: url),
                                      settings: MailSettings(from: MailAddress("bookings@bench.test"), baseURL: "http://bench.test"),
                                      templatesDirectory: FileManager.default.currentDirectoryPath + "/Templates/email", options: options)
        let began = ContinuousClock.now
        worker.start()
        while try database.pool.read({ try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM outbox WHERE status = 'sent'") ?? 0 }) < messages {
            usleep(20_000)
        }
        let elapsed = seconds(ContinuousClock.now - began)
        worker.stop()
        say("| worker to a local SMTP sink, \(senders) sender\(senders == 1 ? "" : "s"), \(messages) confirmations with .ics | \(Int(Double(messages) / elapsed)) messages/s |")
    }
}

/// A fresh database with business "bench": `hosts` hosts open around the clock (each with a
/// provider account when `providers`), a 30-minute slot offer; and a start a day ahead.
private func benchBusiness(hosts: Int, providers: Bool) throws -> (AppDatabase, Business, Instant) {
    let root = FileManager.default.currentDirectoryPath
    let directory = NSTemporaryDirectory() + "bizing-outbox-bench-\(UUID().uuidString)"
    let database = try AppDatabase(dataDirectory: directory, migrationsDirectory: root + "/migrations")
    let now = Int64(Date().timeIntervalSince1970)
    let business = try database.pool.write { db -> Business in
        let business = try Catalog.createBusiness(db, slug: "bench", name: "Bench", timeZone: "UTC", currency: "USD", now: now)
        for h in 0..<hosts {
            let id = try Catalog.createResource(db, businessID: business.id, slug: "host-\(h)", name: "Host \(h)", kind: .host, now: now)
            for rule in rules("00:00", "24:00") { try Catalog.addWeeklyRule(db, businessID: business.id, resourceID: id, rule: rule) }
            if providers {
                try db.execute(sql: "INSERT INTO users (email, name, password_hash, created_at, password_changed_at) VALUES (?, ?, '$argon2id$x', ?, ?)",
                               arguments: ["host\(h)@bench.test", "Host \(h)", now, now])
                try db.execute(sql: "INSERT INTO memberships (business_id, user_id, role, resource_id, created_at) VALUES (?, ?, 'provider', ?, ?)",
                               arguments: [business.id, db.lastInsertedRowID, id, now])
            }
        }
        let offer = try Catalog.createOffer(db, businessID: business.id, slug: "slot", name: "Slot", mode: .slot, now: now)
        let version = try Catalog.createDraftVersion(db, businessID: business.id, offerID: offer, spec: OfferVersionSpec(
            duration: .fixed(30), slotIntervalMinutes: 30, maximumAdvanceDays: 3650, price: .fixed(Money(1000, "USD")),
            components: [OfferComponent(selector: .anyOf(kind: .host, tag: nil), role: "host")]), now: now)
        try Catalog.publishVersion(db, businessID: business.id, versionID: version, now: now)
        return business
    }
    // Two days ahead, on a half hour: every booking's 24-hour reminder is still to come.
    return (database, business, (now / 1800 + 96) * 1800)
}

/// User + system CPU time of this process so far.
private func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

private func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}
