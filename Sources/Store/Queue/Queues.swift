import BookingCore
import Foundation
import GRDB

/// Queue reads and writes inside the caller's transaction (migration 0081). Positions are derived
/// from `seq` among waiting tickets; estimates from observed service times (`QueueEstimates`).
enum Queues {
    static func queue(_ db: Database, businessID: BusinessID, slug: String) throws -> QueueInfo? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT id, slug, name, description, hours, status, min_party_size, max_party_size FROM queues WHERE business_id = ? AND slug = ?
            """), arguments: [businessID, slug]) else { return nil }
        let id: QueueID = row["id"]
        let services = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, slug, name, prior_minutes FROM queue_services WHERE business_id = ? AND queue_id = ? ORDER BY id
            """), arguments: [businessID, id]).map { QueueInfo.Service(id: $0[0], slug: $0[1], name: $0[2], priorMinutes: $0[3]) }
        let servers = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT r.id, r.slug, r.name FROM queue_servers s JOIN resources r ON r.business_id = s.business_id AND r.id = s.resource_id
            WHERE s.business_id = ? AND s.queue_id = ? AND r.active = 1 ORDER BY r.name
            """), arguments: [businessID, id]).map { QueueInfo.Server(id: $0[0], slug: $0[1], name: $0[2]) }
        let hours = try JSONDecoder().decode([WeeklyRule].self, from: Data((row["hours"] as String).utf8))
        return QueueInfo(id: id, slug: row["slug"], name: row["name"], description: row["description"], hours: hours,
                         live: (row["status"] as String) == "live", services: services, servers: servers,
                         minPartySize: row["min_party_size"], maxPartySize: row["max_party_size"])
    }

    static func create(_ db: Database, businessID: BusinessID, slug: String, name: String, description: String = "",
                       hours: [WeeklyRule], services: [(slug: String, name: String, priorMinutes: Int)], servers: [ResourceID],
                       now: Instant) throws -> QueueID {
        try db.cachedStatement(sql: """
            INSERT INTO queues (business_id, slug, name, description, hours, created_at) VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [businessID, slug, name, description, try SpecRow.json(hours), now])
        let id = QueueID(rawValue: db.lastInsertedRowID)
        for service in services {
            try db.execute(sql: "INSERT INTO queue_services (business_id, queue_id, slug, name, prior_minutes) VALUES (?, ?, ?, ?, ?)",
                           arguments: [businessID, id, service.slug, service.name, service.priorMinutes])
        }
        for server in servers {
            try db.execute(sql: "INSERT INTO queue_servers (business_id, queue_id, resource_id) VALUES (?, ?, ?)",
                           arguments: [businessID, id, server])
        }
        return id
    }

    /// Is the queue taking people at `now` (live, and inside one of its weekly windows)?
    static func isOpen(_ queue: QueueInfo, now: Instant, clock: ZoneClock) -> Bool {
        guard queue.live else { return false }
        let local = clock.local(now)
        return queue.hours.contains { $0.isInForce(on: local.date) && $0.opens <= local.time && local.time < $0.closes }
    }

    static let ticketSQL = """
        SELECT t.id, t.public_id, t.status, t.customer_name, t.customer_email, t.customer_phone, t.party_size, t.joined_at,
               t.called_at, t.started_at, t.finished_at, t.estimate_low, t.estimate_high, s.slug AS service_slug,
               s.name AS service_name, r.slug AS server_slug, r.name AS server_name, t.seq, t.service_id, t.resource_id, t.queue_id
        FROM queue_tickets t JOIN queue_services s ON s.business_id = t.business_id AND s.id = t.service_id
        LEFT JOIN resources r ON r.business_id = t.business_id AND r.id = t.resource_id
        """

    static func ticket(row: Row, queueSlug: String) -> QueueTicket {
        QueueTicket(id: row["id"], publicID: row["public_id"], queueSlug: queueSlug, serviceSlug: row["service_slug"],
                    serviceName: row["service_name"], status: TicketStatus(rawValue: row["status"]) ?? .waiting,
                    customerName: row["customer_name"], email: row["customer_email"], phone: row["customer_phone"],
                    partySize: row["party_size"], serverSlug: row["server_slug"], serverName: row["server_name"],
                    joinedAt: row["joined_at"], calledAt: row["called_at"], startedAt: row["started_at"], finishedAt: row["finished_at"],
                    estimatedAtJoin: QueueEstimator.Wait(low: row["estimate_low"], high: row["estimate_high"]))
    }

    /// The queue now: open tickets in order, waiting ones with their position and wait range.
    static func state(_ db: Database, business: Business, queue: QueueInfo, now: Instant) throws -> QueueState {
        guard let clock = ZoneClock(identifier: business.timeZone) else { throw QueueFailure.queueNotFound }
        let rows = try Row.fetchAll(db.cachedStatement(sql: ticketSQL + """
             WHERE t.business_id = ? AND t.queue_id = ? AND t.status IN ('waiting', 'called', 'serving') ORDER BY t.seq
            """), arguments: [business.id, queue.id])
        var tickets = rows.map { ticket(row: $0, queueSlug: queue.slug) }
        try QueueEstimates.fill(db, business: business, queue: queue, rows: rows, tickets: &tickets, now: now)
        // Being served and called first, then the line.
        let order: [TicketStatus: Int] = [.serving: 0, .called: 1, .waiting: 2]
        let sorted = tickets.enumerated().sorted { (order[$0.element.status] ?? 3, $0.offset) < (order[$1.element.status] ?? 3, $1.offset) }
        return QueueState(business: business, queue: queue, isOpen: isOpen(queue, now: now, clock: clock), tickets: sorted.map(\.element))
    }

    static func ticket(_ db: Database, businessID: BusinessID, publicID: String) throws -> (row: Row, queueSlug: String)? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: ticketSQL + " WHERE t.business_id = ? AND t.public_id = ?"),
                                         arguments: [businessID, publicID]) else { return nil }
        let slug = try String.fetchOne(db.cachedStatement(sql: """
            SELECT q.slug FROM queues q JOIN queue_tickets t ON t.business_id = q.business_id AND t.queue_id = q.id
            WHERE t.business_id = ? AND t.public_id = ?
            """), arguments: [businessID, publicID]) ?? ""
        return (row, slug)
    }
}
