public import BookingCore
import Foundation
import GRDB

/// What an owner sets for a walk-in queue on the manage pages: its name and address, opening
/// hours, the resources that serve it, its services with the minutes each is expected to take
/// (the prior of the estimates) and the party sizes it takes.
public struct QueueSetup: Sendable, Hashable {
    public struct Service: Sendable, Hashable {
        /// Empty for a new service (its slug comes from its name).
        public var slug: String
        public var name: String
        public var priorMinutes: Int

        public init(slug: String = "", name: String, priorMinutes: Int) {
            self.slug = slug
            self.name = name
            self.priorMinutes = priorMinutes
        }
    }

    public var slug: String
    public var name: String
    public var description: String
    public var hours: [WeeklyRule]
    public var services: [Service]
    public var serverSlugs: [String]
    public var minPartySize: Int
    public var maxPartySize: Int
    public var live: Bool

    public init(slug: String, name: String, description: String = "", hours: [WeeklyRule], services: [Service], serverSlugs: [String],
                minPartySize: Int = 1, maxPartySize: Int = 20, live: Bool = true) {
        self.slug = slug
        self.name = name
        self.description = description
        self.hours = hours
        self.services = services
        self.serverSlugs = serverSlugs
        self.minPartySize = minPartySize
        self.maxPartySize = maxPartySize
        self.live = live
    }

    /// The first thing wrong with the setup, by field (the schema's limits, 0081 and 0135).
    public func problem() -> (field: String, message: String)? {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(1...120).contains(name.count) { return ("name", "enter a name of 1 to 120 characters") }
        if !(1...60).contains(slug.count) || Validation.slug(slug) != slug { return ("slug", "use 1 to 60 lower-case letters, digits and hyphens") }
        if description.count > 1000 { return ("description", "keep the description under 1000 characters") }
        if hours.isEmpty { return ("hours", "give the queue opening hours on at least one day") }
        if services.isEmpty { return ("services", "add at least one service") }
        if services.count > 20 { return ("services", "a queue has at most 20 services") }
        for service in services {
            let serviceName = service.name.trimmingCharacters(in: .whitespacesAndNewlines)
            if !(1...120).contains(serviceName.count) || Validation.slug(serviceName).isEmpty {
                return ("services", "give every service a name of 1 to 120 characters, with a letter or digit")
            }
            if !(1...1440).contains(service.priorMinutes) { return ("services", "give every service the minutes it takes, 1 to 1440") }
        }
        if Set(services.map { $0.slug.isEmpty ? Validation.slug($0.name) : $0.slug }).count != services.count {
            return ("services", "give each service a different name")
        }
        if serverSlugs.isEmpty { return ("servers", "choose who serves this queue") }
        if !(1...20).contains(minPartySize) { return ("min_party_size", "the smallest party is 1 to 20 people") }
        if !(minPartySize...20).contains(maxPartySize) { return ("max_party_size", "the largest party is \(minPartySize) to 20 people") }
        return nil
    }
}

extension AppDatabase {
    /// The business's queues, by name, as the owner's list shows them.
    public func queues(business: Business) throws -> [QueueInfo] {
        try read { db in
            try String.fetchAll(db.cachedStatement(sql: "SELECT slug FROM queues WHERE business_id = ? ORDER BY name, id"),
                                arguments: [business.id]).compactMap { try Queues.queue(db, businessID: business.id, slug: $0) }
        }
    }

    /// One queue of the business, for its edit form; nil when there is none by that slug.
    public func queue(business: Business, slug: String) throws -> QueueInfo? {
        try read { db in try Queues.queue(db, businessID: business.id, slug: slug) }
    }

    /// Creates a queue from the owner's form; audited.
    public func createQueue(business: Business, setup: QueueSetup, now: Instant, actor: Actor) throws {
        try write { db in
            if let problem = setup.problem() { throw QueueFailure.invalid(field: problem.field, message: problem.message) }
            guard try Queues.queue(db, businessID: business.id, slug: setup.slug) == nil else {
                throw QueueFailure.invalid(field: "slug", message: "another queue already uses this address")
            }
            let servers = try Queues.serverIDs(db, businessID: business.id, slugs: setup.serverSlugs)
            let id = try Queues.create(db, businessID: business.id, slug: setup.slug, name: setup.name.trimmingCharacters(in: .whitespacesAndNewlines),
                                       description: setup.description, hours: setup.hours,
                                       services: setup.services.map {
                                           (slug: $0.slug.isEmpty ? Validation.slug($0.name) : $0.slug,
                                            name: $0.name.trimmingCharacters(in: .whitespacesAndNewlines), priorMinutes: $0.priorMinutes)
                                       },
                                       servers: servers, now: now)
            try Queues.setLimits(db, businessID: business.id, queueID: id, setup: setup)
            try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "queue.create", subject: "queue:\(setup.slug)",
                                details: Queues.auditDetails(setup))
        }
    }

    /// Saves the owner's changes to a queue (its slug stays: printed links keep working). Services
    /// are matched by slug; one with tickets cannot be removed (rename it instead). Audited.
    public func updateQueue(business: Business, slug: String, setup: QueueSetup, now: Instant, actor: Actor) throws {
        try write { db in
            let queue = try Queues.requireQueue(db, business: business, slug: slug)
            var setup = setup
            setup.slug = queue.slug
            if let problem = setup.problem() { throw QueueFailure.invalid(field: problem.field, message: problem.message) }
            let servers = try Queues.serverIDs(db, businessID: business.id, slugs: setup.serverSlugs)
            try db.cachedStatement(sql: "UPDATE queues SET name = ?, description = ?, hours = ? WHERE business_id = ? AND id = ?")
                .execute(arguments: [setup.name.trimmingCharacters(in: .whitespacesAndNewlines), setup.description,
                                     try SpecRow.json(setup.hours), business.id, queue.id])
            try Queues.setLimits(db, businessID: business.id, queueID: queue.id, setup: setup)
            let kept = Set(setup.services.map(\.slug).filter { !$0.isEmpty })
            for old in queue.services where !kept.contains(old.slug) {
                let used = try Bool.fetchOne(db.cachedStatement(sql: """
                    SELECT EXISTS (SELECT 1 FROM queue_tickets WHERE business_id = ? AND service_id = ?)
                    """), arguments: [business.id, old.id]) ?? false
                if used {
                    throw QueueFailure.invalid(field: "services", message: "“\(old.name)” has tickets, so it stays: rename it or change its minutes instead")
                }
                try db.execute(sql: "DELETE FROM queue_services WHERE business_id = ? AND id = ?", arguments: [business.id, old.id])
            }
            for service in setup.services {
                if let old = queue.services.first(where: { $0.slug == service.slug }) {
                    try db.execute(sql: "UPDATE queue_services SET name = ?, prior_minutes = ? WHERE business_id = ? AND id = ?",
                                   arguments: [service.name.trimmingCharacters(in: .whitespacesAndNewlines), service.priorMinutes, business.id, old.id])
                } else {
                    let newSlug = Validation.slug(service.name)
                    guard !queue.services.contains(where: { $0.slug == newSlug }) else {
                        throw QueueFailure.invalid(field: "services", message: "give each service a different name")
                    }
                    try db.execute(sql: "INSERT INTO queue_services (business_id, queue_id, slug, name, prior_minutes) VALUES (?, ?, ?, ?, ?)",
                                   arguments: [business.id, queue.id, String(newSlug.prefix(60)),
                                               service.name.trimmingCharacters(in: .whitespacesAndNewlines), service.priorMinutes])
                }
            }
            try db.execute(sql: "DELETE FROM queue_servers WHERE business_id = ? AND queue_id = ?", arguments: [business.id, queue.id])
            for server in servers {
                try db.execute(sql: "INSERT INTO queue_servers (business_id, queue_id, resource_id) VALUES (?, ?, ?)",
                               arguments: [business.id, queue.id, server])
            }
            try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "queue.update", subject: "queue:\(queue.slug)",
                                details: Queues.auditDetails(setup))
        }
    }
}

extension Queues {
    static func serverIDs(_ db: Database, businessID: BusinessID, slugs: [String]) throws -> [ResourceID] {
        var ids: [ResourceID] = []
        for slug in Array(Set(slugs)).sorted() {
            guard let id = try Catalog.resourceID(db, businessID: businessID, slug: slug) else {
                throw QueueFailure.invalid(field: "servers", message: "choose who serves this queue from the list")
            }
            ids.append(id)
        }
        return ids
    }

    static func setLimits(_ db: Database, businessID: BusinessID, queueID: QueueID, setup: QueueSetup) throws {
        // Both limits in one statement: the CHECK (max ≥ min) holds for the pair, not for each half.
        try db.cachedStatement(sql: """
            UPDATE queues SET min_party_size = ?, max_party_size = ?, status = ? WHERE business_id = ? AND id = ?
            """).execute(arguments: [setup.minPartySize, setup.maxPartySize, setup.live ? "live" : "paused", businessID, queueID])
    }

    static func auditDetails(_ setup: QueueSetup) -> [String: String] {
        ["name": setup.name, "services": setup.services.map { "\($0.name) (\($0.priorMinutes) min)" }.joined(separator: ", "),
         "servers": setup.serverSlugs.sorted().joined(separator: ", "), "party": "\(setup.minPartySize)–\(setup.maxPartySize)",
         "status": setup.live ? "live" : "paused"]
    }
}
