public import BookingCore
import Foundation
import GRDB

/// How "any host" is chosen (issue 20): the strategy and the owner's priority order, with the
/// resources in that order (every active resource: "any room" follows the same order).
public struct AssignmentSettings: Sendable, Hashable {
    public let strategy: AssignmentStrategy
    /// Every active resource, in priority order (stored order first, then by kind and name).
    public let order: [ResourceInfo]
}

/// The assignment strategy in the builder, one transaction each; audited. Both tables bump the
/// schedule version (migration 0110), so availability and the booking check use the new choice at once.
extension AppDatabase {
    public func assignmentSettings(businessID: BusinessID) throws -> AssignmentSettings {
        try read { db in try Assignment.settings(db, businessID: businessID) }
    }

    /// Chooses least recently booked or the priority order for the business.
    public func setAssignmentStrategy(businessID: BusinessID, priority: Bool, actor: String, now: Instant) throws {
        try write { db in
            let code = priority ? "priority" : "least_recently_booked"
            try db.execute(sql: """
                INSERT INTO assignment_strategies (business_id, strategy, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (business_id) DO UPDATE SET strategy = excluded.strategy, updated_at = excluded.updated_at
                """, arguments: [businessID, code, now])
            if priority { try Assignment.store(db, businessID: businessID, order: try Assignment.settings(db, businessID: businessID).order.map(\.id)) }
            try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "assignment.strategy",
                                subject: "business:\(businessID)", details: ["strategy": code])
        }
    }

    /// Moves a resource one place up or down the priority order (the order as read inside this
    /// write); `CatalogError.notFound` when the business has no such active resource.
    public func moveInPriority(businessID: BusinessID, resourceSlug: String, move: AssignmentStrategy.Move, actor: String,
                               now: Instant) throws {
        try write { db in
            let current = try Assignment.settings(db, businessID: businessID).order
            guard let resource = current.first(where: { $0.slug == resourceSlug }) else { throw CatalogError.notFound("resource") }
            let moved = AssignmentStrategy.moving(resource.id, move, in: current.map(\.id))
            try Assignment.store(db, businessID: businessID, order: moved)
            try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "assignment.priority",
                                subject: "resource:\(resource.slug)",
                                details: ["move": move.rawValue, "position": String((moved.firstIndex(of: resource.id) ?? 0) + 1)])
        }
    }
}

enum Assignment {
    static func settings(_ db: Database, businessID: BusinessID) throws -> AssignmentSettings {
        let stored = try ScheduleLoader.storedAssignment(db, businessID: businessID)
        let resources = try Catalog.resources(db, businessID: businessID)
        let byID = Dictionary(uniqueKeysWithValues: resources.map { ($0.id, $0) })
        let order = AssignmentStrategy.completeOrder(stored.order, among: resources.map(\.id)).compactMap { byID[$0] }
        return AssignmentSettings(strategy: AssignmentStrategy(code: stored.code, order: stored.order), order: order)
    }

    /// Rewrites the positions as `order` (0, 1, …).
    static func store(_ db: Database, businessID: BusinessID, order: [ResourceID]) throws {
        try db.execute(sql: "DELETE FROM assignment_priorities WHERE business_id = ?", arguments: [businessID])
        for (position, id) in order.enumerated() {
            try db.cachedStatement(sql: "INSERT INTO assignment_priorities (business_id, resource_id, position) VALUES (?, ?, ?)")
                .execute(arguments: [businessID, id, position])
        }
    }
}
