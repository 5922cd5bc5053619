public import BookingCore
import Foundation
import GRDB

/// Walk-in queues: join, look, call next, start, complete, no-show. One transaction each; writes
/// through group commit. Every query is scoped by the business.
extension AppDatabase {
    /// Creates a queue served by `serverSlugs` (demo data, tests and the owner's setup).
    public func createQueue(business: Business, slug: String, name: String, description: String = "", hours: [WeeklyRule],
                            services: [(slug: String, name: String, priorMinutes: Int)], serverSlugs: [String], now: Instant,
                            actor: Actor) throws {
        try write { db in
            var servers: [ResourceID] = []
            for slug in serverSlugs {
                guard let id = try Catalog.resourceID(db, businessID: business.id, slug: slug) else { throw BookingFailure.resourceNotFound(slug) }
                servers.append(id)
            }
            _ = try Queues.create(db, businessID: business.id, slug: slug, name: name, description: description, hours: hours,
                                  services: services, servers: servers, now: now)
            try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "queue.create", subject: "queue:\(slug)")
        }
    }

    /// Is the queue served at the scope's location (one of its servers is there)? A member limited
    /// to a location sees and runs only those queues; an unknown queue is not.
    public func queueIsIn(business: Business, queueSlug: String, scope: LocationScope) throws -> Bool {
        guard let location = scope.location else { return true }
        return try read { db in
            try Bool.fetchOne(db.cachedStatement(sql: """
                SELECT EXISTS (SELECT 1 FROM queues q
                               JOIN queue_servers s ON s.business_id = q.business_id AND s.queue_id = q.id
                               JOIN resources r ON r.business_id = s.business_id AND r.id = s.resource_id
                               WHERE q.business_id = ? AND q.slug = ? AND r.location_id = ?)
                """), arguments: [business.id, queueSlug, location]) ?? false
        }
    }

    /// The queue as its public page and the staff page show it.
    public func queueState(businessSlug: String, queueSlug: String, now: Instant) throws -> QueueState {
        try read { db in
            guard let business = try Catalog.business(db, slug: businessSlug) else { throw QueueFailure.queueNotFound }
            return try Queues.state(db, business: business, queue: try Queues.requireQueue(db, business: business, slug: queueSlug), now: now)
        }
    }

    public func queueState(business: Business, queueSlug: String, now: Instant) throws -> QueueState {
        try read { db in
            try Queues.state(db, business: business, queue: try Queues.requireQueue(db, business: business, slug: queueSlug), now: now)
        }
    }

    /// Joins the queue: a ticket with its position and the wait promised now.
    public func joinQueue(businessSlug: String, queueSlug: String, join: QueueJoin, now: Instant) throws -> (business: Business, ticket: QueueTicket) {
        try write { db in
            guard let business = try Catalog.business(db, slug: businessSlug) else { throw QueueFailure.queueNotFound }
            return (business, try Queues.join(db, business: business, queueSlug: queueSlug, join: join, now: now))
        }
    }

    public func joinQueue(business: Business, queueSlug: String, join: QueueJoin, now: Instant) throws -> QueueTicket {
        try write { db in try Queues.join(db, business: business, queueSlug: queueSlug, join: join, now: now) }
    }

    /// A ticket by its public id (knowing it is what lets a customer see it).
    public func queueTicket(businessSlug: String, publicID: String, now: Instant) throws -> (business: Business, queue: QueueInfo, ticket: QueueTicket) {
        try read { db in
            guard let business = try Catalog.business(db, slug: businessSlug) else { throw QueueFailure.ticketNotFound }
            let ticket = try Queues.view(db, business: business, publicID: publicID, now: now)
            return (business, try Queues.requireQueue(db, business: business, slug: ticket.queueSlug), ticket)
        }
    }

    public func queueTicket(business: Business, publicID: String, now: Instant) throws -> QueueTicket {
        try read { db in try Queues.view(db, business: business, publicID: publicID, now: now) }
    }

    /// Calls the next waiting customer to a server (never the same ticket twice).
    public func callNext(business: Business, queueSlug: String, serverSlug: String?, now: Instant, actor: Actor) throws -> QueueTicket {
        try write { db in try Queues.callNext(db, business: business, queueSlug: queueSlug, serverSlug: serverSlug, now: now, actor: actor) }
    }

    /// Hands a called or served customer to another server of the queue.
    public func transferTicket(business: Business, publicID: String, serverSlug: String, now: Instant, actor: Actor) throws -> QueueTicket {
        try write { db in try Queues.transfer(db, business: business, publicID: publicID, serverSlug: serverSlug, now: now, actor: actor) }
    }

    /// Moves a waiting customer to the back of the line.
    public func moveTicketToBack(business: Business, publicID: String, now: Instant, actor: Actor) throws -> QueueTicket {
        try write { db in try Queues.moveToBack(db, business: business, publicID: publicID, now: now, actor: actor) }
    }

    /// Starts, completes, marks a no-show or lets a customer leave.
    public func moveTicket(business: Business, publicID: String, to next: TicketStatus, now: Instant, actor: Actor) throws -> QueueTicket {
        try write { db in try Queues.move(db, business: business, publicID: publicID, to: next, now: now, actor: actor) }
    }
}

extension AppDatabase {
    /// What was promised and what happened, for every ticket called in the last `weeks` weeks.
    public func queueObservations(business: Business, queueSlug: String, weeks: Int, now: Instant) throws -> (queue: QueueInfo, observations: [QueueAccuracy.Observation]) {
        try read { db in
            let queue = try Queues.requireQueue(db, business: business, slug: queueSlug)
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT joined_at, called_at, estimate_low, estimate_high FROM queue_tickets
                WHERE business_id = ? AND queue_id = ? AND called_at IS NOT NULL AND joined_at >= ? ORDER BY joined_at
                """), arguments: [business.id, queue.id, now - Int64(weeks) * 7 * 86_400])
            return (queue, rows.map {
                QueueAccuracy.Observation(joinedAt: $0[0], calledAt: $0[1], estimate: QueueEstimator.Wait(low: $0[2], high: $0[3]))
            })
        }
    }
}
