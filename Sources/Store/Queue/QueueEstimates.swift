import BookingCore
import Foundation
import GRDB

/// Wait estimates for a queue's waiting tickets: service times per service from the last
/// `ServiceTimeModel.window` completed tickets (a moving average pulled toward the owner's prior),
/// servers free when their current customer should be done, appointments of the servers blocking
/// them (the queue never double-uses a person), then `QueueEstimator` to simulate the line.
enum QueueEstimates {
    /// Mean minutes and relative spread per service id.
    static func models(_ db: Database, businessID: BusinessID, queue: QueueInfo) throws -> [Int64: (mean: Double, spread: Double)] {
        var out: [Int64: (mean: Double, spread: Double)] = [:]
        for service in queue.services {
            let model = ServiceTimeModel(priorMinutes: Double(service.priorMinutes))
            let observed = try Double.fetchAll(db.cachedStatement(sql: """
                SELECT (finished_at - started_at) / 60.0 FROM queue_tickets INDEXED BY queue_tickets_served
                WHERE business_id = ? AND queue_id = ? AND service_id = ? AND status = 'done' AND started_at IS NOT NULL
                ORDER BY finished_at DESC LIMIT ?
                """), arguments: [businessID, queue.id, service.id, model.window])
            out[service.id] = model.estimate(observed.reversed())
        }
        return out
    }

    static func fill(_ db: Database, business: Business, queue: QueueInfo, rows: [Row], tickets: inout [QueueTicket],
                     now: Instant) throws {
        let models = try models(db, businessID: business.id, queue: queue)
        func seconds(_ row: Row) -> Int64 {
            let mean = models[row["service_id"] as Int64]?.mean ?? 15
            return Int64((mean * 60 * Double(row["party_size"] as Int)).rounded())
        }
        var servers: [QueueEstimator.Server] = []
        for server in queue.servers {
            var freeAt = now
            for row in rows where (row["resource_id"] as ResourceID?) == server.id {
                let began: Instant = (row["started_at"] as Instant?) ?? Swift.max(now, (row["called_at"] as Instant?) ?? now)
                freeAt = Swift.max(freeAt, began + seconds(row))
            }
            let appointments = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT blocked_from, blocked_to FROM resource_assignments INDEXED BY resource_assignments_busy
                WHERE business_id = ? AND resource_id = ? AND blocks = 1 AND blocked_from >= ? AND blocked_from < ? AND blocked_to > ?
                  AND (hold_expires_at IS NULL OR hold_expires_at > ?) ORDER BY blocked_from
                """), arguments: [business.id, server.id, now - 86_400, now + 86_400, now, now])
                .map { TimeRange(start: $0[0], end: $0[1]) }
            // Time off and other blocked time keep the server from the queue too.
            let blocked = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT starts_at, ends_at FROM blocked_times WHERE business_id = ? AND resource_id = ? AND ends_at > ? AND starts_at < ?
                """), arguments: [business.id, server.id, now, now + 86_400]).map { TimeRange(start: $0[0], end: $0[1]) }
            servers.append(QueueEstimator.Server(freeAt: freeAt, appointments: TimeRange.normalized(appointments + blocked)))
        }
        let waiting = rows.indices.filter { tickets[$0].status == .waiting }
        let starts = QueueEstimator.starts(services: waiting.map { seconds(rows[$0]) }, servers: servers, now: now)
        for (position, index) in waiting.enumerated() {
            tickets[index].position = position + 1
            if let start = starts?[position] {
                let spread = models[rows[index]["service_id"] as Int64]?.spread ?? 0.15
                tickets[index].wait = QueueEstimator.wait(start: start, now: now, spread: spread)
            }
        }
    }
}
