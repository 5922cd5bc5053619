import BookingCore
import Foundation
import GRDB

extension Rentals {
    static func checkpoint(_ db: Database, business: Business, publicID: String, kind: String, note: String, now: Instant,
                           actor: Actor) throws {
        guard let order = try BookingReads.order(db, businessID: business.id, publicID: publicID) else { throw BookingFailure.orderNotFound }
        guard let offer = try Catalog.offer(db, businessID: business.id, slug: order.offerSlug), offer.mode == .multiDay else {
            throw BookingFailure.invalid(field: "booking", message: "only rentals are checked out and in")
        }
        let trimmed = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.unicodeScalars.count <= 1000 else {
            throw BookingFailure.invalid(field: "note", message: "keep the condition note under 1000 characters")
        }
        try db.cachedStatement(sql: """
            INSERT INTO rental_checkpoints (business_id, order_id, kind, note, at, actor) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (business_id, order_id, kind) DO NOTHING
            """).execute(arguments: [business.id, order.id, kind, trimmed, now, actor.label])
        guard db.changesCount == 1 else {
            throw BookingFailure.notMovable(kind == "check_out" ? "This item was already checked out." : "This item was already checked in.")
        }
        try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "rental.\(kind)",
                            subject: "booking:\(publicID)", details: ["note": trimmed])
    }

    static func checkpoints(_ db: Database, businessID: BusinessID, publicID: String) throws -> [RentalCheckpoint] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT c.kind, c.note, c.at, c.actor FROM rental_checkpoints c
            JOIN booking_orders o ON o.business_id = c.business_id AND o.id = c.order_id
            WHERE c.business_id = ? AND o.public_id = ? ORDER BY c.at, c.id
            """), arguments: [businessID, publicID]).map { RentalCheckpoint(kind: $0[0], note: $0[1], at: $0[2], actor: $0[3]) }
    }

    static func flag(_ db: Database, business: Business, resourceID: ResourceID, resourceSlug: String, quantity: Int, note: String,
                     orderID: BookingID?, now: Instant, actor: Actor) throws {
        guard (1...10_000).contains(quantity) else {
            throw BookingFailure.invalid(field: "quantity", message: "enter how many units, 1 or more")
        }
        let trimmed = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.unicodeScalars.count <= 1000 else {
            throw BookingFailure.invalid(field: "note", message: "keep the note under 1000 characters")
        }
        try db.cachedStatement(sql: """
            INSERT INTO maintenance_flags (business_id, resource_id, quantity, note, order_id, flagged_at, flagged_by)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [business.id, resourceID, quantity, trimmed, orderID, now, actor.label])
        try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "resource.maintenance",
                            subject: "resource:\(resourceSlug)", details: ["quantity": "\(quantity)", "note": trimmed])
    }

    static func clear(_ db: Database, business: Business, flagID: MaintenanceFlagID, now: Instant, actor: Actor) throws {
        try db.cachedStatement(sql: """
            UPDATE maintenance_flags SET cleared_at = ?, cleared_by = ? WHERE business_id = ? AND id = ? AND cleared_at IS NULL
            """).execute(arguments: [now, actor.label, business.id, flagID])
        guard db.changesCount == 1 else { throw BookingFailure.invalid(field: "flag", message: "that flag is not open") }
        try AuditLog.append(db, businessID: business.id, at: now, actor: actor.label, action: "resource.maintenance_cleared",
                            subject: "maintenance:\(flagID)", details: [:])
    }

    static func openFlags(_ db: Database, businessID: BusinessID) throws -> [MaintenanceFlag] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT f.id, r.slug, r.name, f.quantity, f.note, f.flagged_at FROM maintenance_flags f
            JOIN resources r ON r.business_id = f.business_id AND r.id = f.resource_id
            WHERE f.business_id = ? AND f.cleared_at IS NULL ORDER BY f.flagged_at, f.id
            """), arguments: [businessID]).map {
            MaintenanceFlag(id: $0[0], resourceSlug: $0[1], resourceName: $0[2], quantity: $0[3], note: $0[4], flaggedAt: $0[5])
        }
    }
}
