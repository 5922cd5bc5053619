import BookingCore
import Foundation
import GRDB

/// Wait estimates for a queue's waiting tickets: service times per service and per server from the
/// last `ServiceTimeModel.window` completed tickets (a moving average pulled toward the owner's
/// prior, then each server's own times pulled toward the service's), servers free when their
/// current customer should be done, and never during their appointments, their time off or
/// outside their weekly hours (the queue never double-uses a person), then `QueueEstimator` to
/// simulate the line.
enum QueueEstimates {
    typealias Model = (mean: Double, spread: Double)

    /// How far ahead servers' appointments, time off and hours are counted.
    static let horizon: Int64 = 2 * 86_400

    /// Mean minutes and relative spread per service id, and per service id and server.
    static func models(_ db: Database, businessID: BusinessID, queue: QueueInfo) throws -> (service: [Int64: Model], server: [Int64: [ResourceID: Model]]) {
        var services: [Int64: Model] = [:]
        var servers: [Int64: [ResourceID: Model]] = [:]
        for service in queue.services {
            let model = ServiceTimeModel(priorMinutes: Double(service.priorMinutes))
            let observed = try Double.fetchAll(db.cachedStatement(sql: """
                SELECT (finished_at - started_at) / 60.0 FROM queue_tickets INDEXED BY queue_tickets_served
                WHERE business_id = ? AND queue_id = ? AND service_id = ? AND status = 'done' AND started_at IS NOT NULL
                ORDER BY finished_at DESC LIMIT ?
                """), arguments: [businessID, queue.id, service.id, model.window])
            let overall = model.estimate(observed.reversed())
            services[service.id] = overall
            for server in queue.servers {
                let own = try Double.fetchAll(db.cachedStatement(sql: """
                    SELECT (finished_at - started_at) / 60.0 FROM queue_tickets INDEXED BY queue_tickets_served_by
                    WHERE business_id = ? AND queue_id = ? AND service_id = ? AND resource_id = ? AND status = 'done'
                      AND started_at IS NOT NULL ORDER BY finished_at DESC LIMIT ?
                    """), arguments: [businessID, queue.id, service.id, server.id, model.window])
                servers[service.id, default: [:]][server.id] = model.perServer(service: overall, observed: own.reversed())
            }
        }
        return (services, servers)
    }

    /// When each server cannot take from the queue in `[now, now + horizon)`: appointments, time
    /// off and other blocked time, and the hours outside its weekly schedule (a server with no
    /// weekly hours at all is taken to work whenever the queue is open).
    static func unavailable(_ db: Database, business: Business, server: ResourceID, compiled: CompiledSchedules, clock: ZoneClock,
                            now: Instant) throws -> [TimeRange] {
        let appointments = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT blocked_from, blocked_to FROM resource_assignments INDEXED BY resource_assignments_busy
            WHERE business_id = ? AND resource_id = ? AND blocks = 1 AND blocked_from >= ? AND blocked_from < ? AND blocked_to > ?
              AND (hold_expires_at IS NULL OR hold_expires_at > ?) ORDER BY blocked_from
            """), arguments: [business.id, server, now - 86_400, now + horizon, now, now])
            .map { TimeRange(start: $0[0], end: $0[1]) }
        let blocked = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT starts_at, ends_at FROM blocked_times WHERE business_id = ? AND resource_id = ? AND ends_at > ? AND starts_at < ?
            """), arguments: [business.id, server, now, now + horizon]).map { TimeRange(start: $0[0], end: $0[1]) }
        var off: [TimeRange] = []
        if let schedule = compiled.resources.first(where: { $0.template.id == server })?.template, !schedule.weeklyRules.isEmpty {
            let today = clock.local(now).date
            let open = (-1...3).flatMap { schedule.openRanges(on: today.adding(days: $0), clock: clock, offerID: nil) }
            off = QueueEstimator.offHours(open: TimeRange.normalized(open), horizon: TimeRange(start: now, end: now + horizon))
        }
        return TimeRange.normalized(appointments + blocked + off)
    }

    static func fill(_ db: Database, business: Business, queue: QueueInfo, rows: [Row], tickets: inout [QueueTicket],
                     now: Instant) throws {
        guard let clock = ZoneClock(identifier: business.timeZone) else { return }
        let models = try models(db, businessID: business.id, queue: queue)
        func seconds(_ row: Row, server: ResourceID?) -> Int64 {
            let service: Int64 = row["service_id"]
            let mean = server.flatMap { models.server[service]?[$0]?.mean } ?? models.service[service]?.mean ?? 15
            return Int64((mean * 60 * Double(row["party_size"] as Int)).rounded())
        }
        let compiled = try CompiledSchedules.load(db, businessID: business.id)
        var servers: [QueueEstimator.Server] = []
        for server in queue.servers {
            var freeAt = now
            for row in rows where (row["resource_id"] as ResourceID?) == server.id {
                let began: Instant = (row["started_at"] as Instant?) ?? Swift.max(now, (row["called_at"] as Instant?) ?? now)
                freeAt = Swift.max(freeAt, began + seconds(row, server: server.id))
            }
            servers.append(QueueEstimator.Server(freeAt: freeAt, appointments: try unavailable(
                db, business: business, server: server.id, compiled: compiled, clock: clock, now: now)))
        }
        let waiting = rows.indices.filter { tickets[$0].status == .waiting }
        let durations = waiting.map { index in queue.servers.map { seconds(rows[index], server: $0.id) } }
        let starts = QueueEstimator.starts(durations: durations, servers: servers, now: now)
        for (position, index) in waiting.enumerated() {
            tickets[index].position = position + 1
            if let start = starts?[position] {
                let spread = models.service[rows[index]["service_id"] as Int64]?.spread ?? 0.15
                tickets[index].wait = QueueEstimator.wait(start: start, now: now, spread: spread)
            }
        }
    }
}
