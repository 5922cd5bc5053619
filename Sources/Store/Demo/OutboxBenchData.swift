public import BookingCore
import Foundation
import GRDB

/// What `BookingBench outbox-booking` and `outbox-send` need of the database.
extension AppDatabase {
    /// Business "bench": `hosts` hosts open around the clock, each linked to a provider account when
    /// `providers` (so every booking alerts one), and a 30-minute offer `slot`.
    public func seedOutboxBench(hosts: Int, providers: Bool, now: Instant) throws -> Business {
        try write { db in
            let business = try Catalog.createBusiness(db, slug: "bench", name: "Bench", timeZone: "UTC", currency: "USD", now: now)
            for h in 0..<hosts {
                let id = try Catalog.createResource(db, businessID: business.id, slug: "host-\(h)", name: "Host \(h)", kind: .host, now: now)
                for day in Weekday.allCases {
                    try Catalog.addWeeklyRule(db, businessID: business.id, resourceID: id,
                                              rule: WeeklyRule(weekday: day, opens: WallTime("00:00")!, closes: WallTime("24:00")!))
                }
                guard providers else { continue }
                try db.execute(sql: "INSERT INTO users (email, name, password_hash, created_at, password_changed_at) VALUES (?, ?, '$argon2id$x', ?, ?)",
                               arguments: ["host\(h)@bench.test", "Host \(h)", now, now])
                try db.execute(sql: "INSERT INTO memberships (business_id, user_id, role, resource_id, created_at) VALUES (?, ?, 'provider', ?, ?)",
                               arguments: [business.id, db.lastInsertedRowID, id, now])
            }
            let offer = try Catalog.createOffer(db, businessID: business.id, slug: "slot", name: "Slot", mode: .slot, now: now)
            let version = try Catalog.createDraftVersion(db, businessID: business.id, offerID: offer, spec: OfferVersionSpec(
                duration: .fixed(30), slotIntervalMinutes: 30, maximumAdvanceDays: 3650, price: .fixed(Money(1000, "USD")),
                components: [OfferComponent(selector: .anyOf(kind: .host, tag: nil), role: "host")]), now: now)
            try Catalog.publishVersion(db, businessID: business.id, versionID: version, now: now)
            return business
        }
    }

    /// For the benchmark's "without" case only: a TEMP trigger on the writer connection (never in
    /// the file) silently drops every outbox insert, so the booking code runs unchanged minus the rows.
    public func discardOutboxInsertsForBenchmark() throws {
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "CREATE TEMP TRIGGER bench_no_outbox BEFORE INSERT ON main.outbox BEGIN SELECT RAISE(IGNORE); END")
        }
    }

    /// Replaces the outbox with `count` due confirmations of `order` (the worker benchmark's queue).
    public func queueBenchMessages(order: OrderView, count: Int) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM outbox")
            for i in 0..<count {
                try Outbox.enqueue(db, businessID: order.businessID, kind: .confirmation, email: order.customer.email,
                                   name: order.customer.name, data: [("n", String(i))], orderID: order.id, due: 0, now: 0)
            }
        }
    }

    /// How many outbox rows there are (in `status`, when given).
    public func outboxCount(status: MessageStatus? = nil) throws -> Int {
        try read { db in
            if let status {
                return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE status = ?", arguments: [status.rawValue]) ?? 0
            }
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox") ?? 0
        }
    }

    /// How many webhook deliveries have this status (the benchmark waits for all to be delivered).
    public func webhookDeliveryCount(status: WebhookDeliveryStatus) throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM webhook_deliveries WHERE status = ?", arguments: [status.rawValue]) ?? 0 }
    }
}
