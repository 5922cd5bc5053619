public import BookingCore
import Foundation
import GRDB

/// A resource's busy-time import as its page shows it.
public struct CalendarImportStatus: Sendable, Hashable {
    public let url: String
    public let lastAttemptAt: Instant?
    public let lastSuccessAt: Instant?
    /// Why the last fetch failed (the last good copy is still in use); nil after a success.
    public let lastError: String?
    public let busyCount: Int
}

/// An import the worker should fetch now.
public struct DueCalendarImport: Sendable, Hashable {
    public let id: Int64
    public let url: String
    /// The business's zone: floating times and unknown TZIDs are read in it.
    public let timeZone: String
}

/// Busy-time imports (issue 15), one transaction each.
extension AppDatabase {
    /// How often the worker fetches an import.
    public static let calendarImportInterval: Int64 = 15 * 60
    /// Imported events are expanded up to this many days ahead.
    public static let calendarImportHorizonDays = 400

    /// Subscribes the resource to `url` (due at once), replacing its previous URL and what that made
    /// busy; nil unsubscribes. Audited. `CatalogError.notFound` for an unknown resource.
    public func setCalendarImport(businessID: BusinessID, resourceID: ResourceID, url: String?, actor: String, now: Instant) throws {
        try write { db in
            guard try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM resources WHERE business_id = ? AND id = ?"),
                                   arguments: [businessID, resourceID]) != nil else { throw CatalogError.notFound("resource") }
            if let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM calendar_imports WHERE business_id = ? AND resource_id = ?"),
                                           arguments: [businessID, resourceID]) {
                try db.cachedStatement(sql: "DELETE FROM blocked_times WHERE business_id = ? AND import_id = ?").execute(arguments: [businessID, id])
                try db.cachedStatement(sql: "DELETE FROM calendar_imports WHERE id = ?").execute(arguments: [id])
            }
            if let url {
                try db.cachedStatement(sql: """
                    INSERT INTO calendar_imports (business_id, resource_id, url, created_at, next_fetch_at) VALUES (?, ?, ?, ?, ?)
                    """).execute(arguments: [businessID, resourceID, url, now, now])
            }
            try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: url == nil ? "calendar_import.remove" : "calendar_import.set",
                                subject: "resource:\(resourceID)", details: url.map { ["url": $0] } ?? [:])
        }
    }

    public func calendarImport(businessID: BusinessID, resourceID: ResourceID) throws -> CalendarImportStatus? {
        try read { db in
            try Row.fetchOne(db.cachedStatement(sql: """
                SELECT url, last_attempt_at, last_success_at, last_error, busy_count FROM calendar_imports WHERE business_id = ? AND resource_id = ?
                """), arguments: [businessID, resourceID]).map {
                CalendarImportStatus(url: $0["url"], lastAttemptAt: $0["last_attempt_at"], lastSuccessAt: $0["last_success_at"],
                                     lastError: $0["last_error"], busyCount: $0["busy_count"])
            }
        }
    }

    /// Imports whose next fetch is due, oldest due first.
    public func dueCalendarImports(now: Instant, limit: Int = 20) throws -> [DueCalendarImport] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT i.id, i.url, b.timezone FROM calendar_imports i JOIN businesses b ON b.id = i.business_id
                WHERE i.next_fetch_at <= ? ORDER BY i.next_fetch_at, i.id LIMIT ?
                """), arguments: [now, limit]).map { DueCalendarImport(id: $0["id"], url: $0["url"], timeZone: $0["timezone"]) }
        }
    }

    /// Records a fetch: with `busy`, its ranges replace what the import made busy; with `failure`,
    /// what it made busy stays (the last good copy) and the reason is kept for the resource page.
    /// Due again in 15 minutes either way. Nothing when the import was removed meanwhile.
    public func recordCalendarImport(id: Int64, busy: [TimeRange]?, failure: String?, now: Instant) throws {
        try write { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT business_id, resource_id FROM calendar_imports WHERE id = ?"),
                                             arguments: [id]) else { return }
            let businessID: BusinessID = row["business_id"], resourceID: ResourceID = row["resource_id"]
            let next = now + Self.calendarImportInterval
            guard let busy else {
                try db.cachedStatement(sql: """
                    UPDATE calendar_imports SET last_attempt_at = ?, last_error = ?, next_fetch_at = ? WHERE id = ?
                    """).execute(arguments: [now, String((failure ?? "unknown").prefix(500)), next, id])
                return
            }
            try db.cachedStatement(sql: "DELETE FROM blocked_times WHERE business_id = ? AND import_id = ?").execute(arguments: [businessID, id])
            let insert = try db.cachedStatement(sql: """
                INSERT INTO blocked_times (business_id, resource_id, starts_at, ends_at, reason, created_at, import_id)
                VALUES (?, ?, ?, ?, 'Busy (imported calendar)', ?, ?)
                """)
            for range in busy where !range.isEmpty {
                try insert.execute(arguments: [businessID, resourceID, range.start, range.end, now, id])
            }
            try db.cachedStatement(sql: """
                UPDATE calendar_imports SET last_attempt_at = ?, last_success_at = ?, last_error = NULL, busy_count = ?, next_fetch_at = ?
                WHERE id = ?
                """).execute(arguments: [now, now, busy.count, next, id])
        }
    }
}
