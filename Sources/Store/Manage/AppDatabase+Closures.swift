public import BookingCore
import Foundation
import GRDB

/// A business-wide closure: every resource closed on one business-local date, with a public note.
public struct BusinessClosure: Sendable, Hashable {
    public let id: Int64
    public let date: LocalDate
    public let note: String
}

/// Closures and holidays (issue 20), one transaction each; audited.
extension AppDatabase {
    public func closures(businessID: BusinessID) throws -> [BusinessClosure] {
        try read { db in try Closures.list(db, businessID: businessID) }
    }

    /// Closes the business on `date`; false when it is already closed that date (nothing changes).
    public func addClosure(businessID: BusinessID, date: LocalDate, note: String, actor: String, now: Instant) throws -> Bool {
        try write { db in
            guard try Closures.note(db, businessID: businessID, date: date) == nil else { return false }
            try db.execute(sql: "INSERT INTO business_closures (business_id, date, note, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [businessID, date.description, note, now])
            try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "closure.create",
                                subject: "closure:\(db.lastInsertedRowID)", details: ["date": date.description, "note": note])
            return true
        }
    }

    /// Reopens a closed date; `CatalogError.notFound` when the business has no such closure.
    public func removeClosure(businessID: BusinessID, id: Int64, actor: String, now: Instant) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM business_closures WHERE business_id = ? AND id = ?", arguments: [businessID, id])
            guard db.changesCount == 1 else { throw CatalogError.notFound("closure") }
            try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "closure.delete",
                                subject: "closure:\(id)", details: [:])
        }
    }
}

enum Closures {
    static func list(_ db: Database, businessID: BusinessID) throws -> [BusinessClosure] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT id, date, note FROM business_closures WHERE business_id = ? ORDER BY date"),
                         arguments: [businessID]).compactMap { row in
            LocalDate(row["date"] as String).map { BusinessClosure(id: row["id"], date: $0, note: row["note"]) }
        }
    }

    /// The note of the business's closure on `date` ("" when it has none), nil when not closed.
    static func note(_ db: Database, businessID: BusinessID, date: LocalDate) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT note FROM business_closures WHERE business_id = ? AND date = ?"),
                            arguments: [businessID, date.description])
    }
}
