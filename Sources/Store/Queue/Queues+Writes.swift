import BookingCore
import Foundation
import GRDB

extension Queues {
    static func requireQueue(_ db: Database, business: Business, slug: String) throws -> QueueInfo {
        guard let queue = try queue(db, businessID: business.id, slug: slug) else { throw QueueFailure.queueNotFound }
        return queue
    }

    /// Takes a ticket at the end of the line. `seq` is the queue's next number, taken in this
    /// write transaction (one writer at a time; unique per queue), so every join gets its own place.
    static func join(_ db: Database, business: Business, queueSlug: String, join: QueueJoin, now: Instant) throws -> QueueTicket {
        let queue = try requireQueue(db, business: business, slug: queueSlug)
        guard let clock = ZoneClock(identifier: business.timeZone), isOpen(queue, now: now, clock: clock) else { throw QueueFailure.closed }
        let service: QueueInfo.Service
        if let slug = join.serviceSlug, !slug.isEmpty {
            guard let found = queue.services.first(where: { $0.slug == slug }) else {
                throw QueueFailure.invalid(field: "service", message: "choose one of the listed services")
            }
            service = found
        } else {
            guard let first = queue.services.first else { throw QueueFailure.closed }
            service = first
        }
        try validate(join)
        guard (queue.minPartySize...queue.maxPartySize).contains(join.partySize) else {
            throw QueueFailure.invalid(field: "party_size", message: queue.minPartySize == queue.maxPartySize
                ? "this queue takes parties of \(queue.minPartySize)" : "this queue takes parties of \(queue.minPartySize) to \(queue.maxPartySize)")
        }
        let seq = (try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(seq) FROM queue_tickets WHERE business_id = ? AND queue_id = ?"),
                                      arguments: [business.id, queue.id]) ?? 0) + 1
        let publicID = Tokens.publicID(prefix: "qt")
        try db.cachedStatement(sql: """
            INSERT INTO queue_tickets (business_id, public_id, queue_id, seq, service_id, customer_name, customer_email, customer_phone,
              party_size, source, joined_at, estimate_low, estimate_high) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)
            """).execute(arguments: [business.id, publicID, queue.id, seq, service.id, join.name.trimmingCharacters(in: .whitespacesAndNewlines),
                                     join.email, join.phone, join.partySize, join.source, now])
        // The promise made now is kept with the ticket: the owner's report compares it with the wait.
        let state = try state(db, business: business, queue: queue, now: now)
        guard var mine = state.tickets.first(where: { $0.publicID == publicID }) else { throw QueueFailure.ticketNotFound }
        if let wait = mine.wait {
            try db.cachedStatement(sql: "UPDATE queue_tickets SET estimate_low = ?, estimate_high = ? WHERE business_id = ? AND id = ?")
                .execute(arguments: [wait.low, wait.high, business.id, mine.id])
            mine.estimatedAtJoin = wait
        }
        try announceNext(db, business: business, queueID: queue.id, now: now)
        return mine
    }

    static func validate(_ join: QueueJoin) throws {
        let name = join.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...120).contains(name.unicodeScalars.count) else {
            throw QueueFailure.invalid(field: "name", message: "enter a name of 1 to 120 characters")
        }
        guard !join.email.isEmpty || !join.phone.isEmpty else {
            throw QueueFailure.invalid(field: "email", message: "enter an email address or a phone number so we can tell you when it is your turn")
        }
        guard join.email.isEmpty || (Validation.isPlausibleEmail(join.email) && join.email.count <= 254) else {
            throw QueueFailure.invalid(field: "email", message: "enter an email address like name@example.com")
        }
        guard join.phone.unicodeScalars.count <= 40, join.phone.allSatisfy({ $0.isNumber || " +-().".contains($0) }) else {
            throw QueueFailure.invalid(field: "phone", message: "enter a phone number using digits, spaces and + - ( )")
        }
        guard (1...20).contains(join.partySize) else {
            throw QueueFailure.invalid(field: "party_size", message: "a party is 1 to 20 people")
        }
    }

    /// Calls the first waiting ticket to `serverSlug` (nil: the first server not busy, else the
    /// first). The update is conditional on the ticket still waiting, inside the write
    /// transaction, so two servers calling at once never get the same ticket.
    static func callNext(_ db: Database, business: Business, queueSlug: String, serverSlug: String?, now: Instant,
                         actor: Actor) throws -> QueueTicket {
        let queue = try requireQueue(db, business: business, slug: queueSlug)
        let server: QueueInfo.Server
        if let serverSlug, !serverSlug.isEmpty {
            guard let found = queue.servers.first(where: { $0.slug == serverSlug }) else {
                throw QueueFailure.invalid(field: "resource", message: "\(serverSlug) does not serve this queue")
            }
            server = found
        } else {
            let busy = Set(try ResourceID.fetchAll(db.cachedStatement(sql: """
                SELECT resource_id FROM queue_tickets WHERE business_id = ? AND queue_id = ? AND status IN ('called', 'serving')
                  AND resource_id IS NOT NULL
                """), arguments: [business.id, queue.id]))
            guard let free = queue.servers.first(where: { !busy.contains($0.id) }) ?? queue.servers.first else {
                throw QueueFailure.invalid(field: "resource", message: "no one serves this queue")
            }
            server = free
        }
        guard let next = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT id, public_id FROM queue_tickets
            WHERE business_id = ? AND queue_id = ? AND status IN ('waiting', 'called', 'serving') AND status = 'waiting'
            ORDER BY seq LIMIT 1
            """), arguments: [business.id, queue.id]) else { throw QueueFailure.noneWaiting }
        try db.cachedStatement(sql: """
            UPDATE queue_tickets SET status = 'called', resource_id = ?, called_at = ? WHERE business_id = ? AND id = ? AND status = 'waiting'
            """).execute(arguments: [server.id, now, business.id, next[0] as QueueTicketID])
        guard db.changesCount == 1 else { throw QueueFailure.noneWaiting }
        let publicID: String = next[1]
        try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "queue.call",
                            subject: "ticket:\(publicID)", details: ["queue": queue.slug, "server": server.slug])
        try announceNext(db, business: business, queueID: queue.id, now: now)
        return try view(db, business: business, publicID: publicID, now: now)
    }

    /// Moves a ticket along `TicketStatus` (start, complete, no-show, leave), stamping the time.
    static func move(_ db: Database, business: Business, publicID: String, to next: TicketStatus, now: Instant,
                     actor: Actor) throws -> QueueTicket {
        guard let found = try ticket(db, businessID: business.id, publicID: publicID) else { throw QueueFailure.ticketNotFound }
        let current = TicketStatus(rawValue: found.row["status"]) ?? .waiting
        guard current.canMove(to: next) else { throw QueueFailure.illegalMove(from: current, to: next) }
        let stamp = next == .serving ? "started_at" : "finished_at"
        try db.execute(sql: "UPDATE queue_tickets SET status = ?, \(stamp) = ? WHERE business_id = ? AND public_id = ? AND status = ?",
                       arguments: [next.rawValue, now, business.id, publicID, current.rawValue])
        guard db.changesCount == 1 else { throw QueueFailure.illegalMove(from: current, to: next) }
        try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "queue.\(next.rawValue)",
                            subject: "ticket:\(publicID)", details: ["queue": found.queueSlug])
        try announceNext(db, business: business, queueID: found.row["queue_id"], now: now)
        return try view(db, business: business, publicID: publicID, now: now)
    }

    /// One ticket with its current position and wait (when it waits).
    static func view(_ db: Database, business: Business, publicID: String, now: Instant) throws -> QueueTicket {
        guard let found = try ticket(db, businessID: business.id, publicID: publicID) else { throw QueueFailure.ticketNotFound }
        let plain = ticket(row: found.row, queueSlug: found.queueSlug)
        guard plain.status == .waiting, let queue = try queue(db, businessID: business.id, slug: found.queueSlug) else { return plain }
        return try state(db, business: business, queue: queue, now: now).tickets.first { $0.publicID == publicID } ?? plain
    }
}

extension Queues {
    /// Hands a called or served ticket to another server of its queue.
    static func transfer(_ db: Database, business: Business, publicID: String, serverSlug: String, now: Instant,
                         actor: Actor) throws -> QueueTicket {
        guard let found = try ticket(db, businessID: business.id, publicID: publicID) else { throw QueueFailure.ticketNotFound }
        let queue = try requireQueue(db, business: business, slug: found.queueSlug)
        guard let server = queue.servers.first(where: { $0.slug == serverSlug }) else {
            throw QueueFailure.invalid(field: "resource", message: "\(serverSlug) does not serve this queue")
        }
        try db.cachedStatement(sql: """
            UPDATE queue_tickets SET resource_id = ? WHERE business_id = ? AND public_id = ? AND status IN ('called', 'serving')
            """).execute(arguments: [server.id, business.id, publicID])
        guard db.changesCount == 1 else {
            throw QueueFailure.invalid(field: "resource", message: "only a called or served customer moves to another server")
        }
        try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "queue.transfer",
                            subject: "ticket:\(publicID)", details: ["queue": queue.slug, "server": server.slug])
        return try view(db, business: business, publicID: publicID, now: now)
    }

    /// Moves a waiting ticket to the back of the line (a customer who stepped out, say).
    static func moveToBack(_ db: Database, business: Business, publicID: String, now: Instant, actor: Actor) throws -> QueueTicket {
        guard let found = try ticket(db, businessID: business.id, publicID: publicID) else { throw QueueFailure.ticketNotFound }
        let current = TicketStatus(rawValue: found.row["status"]) ?? .waiting
        guard current == .waiting else { throw QueueFailure.illegalMove(from: current, to: .waiting) }
        try db.cachedStatement(sql: """
            UPDATE queue_tickets SET seq = (SELECT MAX(seq) + 1 FROM queue_tickets WHERE business_id = ? AND queue_id = ?)
            WHERE business_id = ? AND public_id = ? AND status = 'waiting'
            """).execute(arguments: [business.id, found.row["queue_id"] as QueueID, business.id, publicID])
        try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "queue.move_to_back",
                            subject: "ticket:\(publicID)", details: ["queue": found.queueSlug])
        try announceNext(db, business: business, queueID: found.row["queue_id"], now: now)
        return try view(db, business: business, publicID: publicID, now: now)
    }
}
