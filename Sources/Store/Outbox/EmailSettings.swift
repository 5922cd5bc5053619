public import BookingCore
import Foundation
import GRDB

/// A business's email settings: reminder offsets and the reply-to address (`business_email_settings`).
public struct EmailSettings: Sendable, Hashable {
    /// Minutes before the start; nil: no such reminder.
    public var reminderMinutes: Int?
    public var secondReminderMinutes: Int?
    /// Where replies go; empty: to the sender.
    public var replyTo: String

    public init(reminderMinutes: Int? = 24 * 60, secondReminderMinutes: Int? = nil, replyTo: String = "") {
        self.reminderMinutes = reminderMinutes
        self.secondReminderMinutes = secondReminderMinutes
        self.replyTo = replyTo
    }

    /// The defaults: one reminder 24 hours before, replies to the sender.
    public static let standard = EmailSettings()

    /// The range an offset may take (5 minutes to 30 days), as the schema checks it.
    public static let offsetRange = 5...43_200

    static func read(_ db: Database, businessID: BusinessID) throws -> EmailSettings {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT reminder_minutes, second_reminder_minutes, reply_to FROM business_email_settings WHERE business_id = ?
            """), arguments: [businessID]) else { return .standard }
        return EmailSettings(reminderMinutes: row["reminder_minutes"], secondReminderMinutes: row["second_reminder_minutes"],
                             replyTo: row["reply_to"])
    }

    static func reminderOffsets(_ db: Database, businessID: BusinessID) throws -> [Int] {
        let settings = try read(db, businessID: businessID)
        return [settings.reminderMinutes, settings.secondReminderMinutes].compactMap { $0 }
    }
}

extension AppDatabase {
    public func emailSettings(businessID: BusinessID) throws -> EmailSettings {
        try read { db in try EmailSettings.read(db, businessID: businessID) }
    }

    /// Saves the settings (validated by the caller) and audits the change as `settings.email`.
    /// Reminders already scheduled keep their time; new bookings use the new offsets.
    public func saveEmailSettings(businessID: BusinessID, _ settings: EmailSettings, actor: String, now: Int64) throws {
        try write { db in
            try db.execute(sql: """
                INSERT INTO business_email_settings (business_id, reminder_minutes, second_reminder_minutes, reply_to, updated_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (business_id) DO UPDATE SET reminder_minutes = excluded.reminder_minutes,
                  second_reminder_minutes = excluded.second_reminder_minutes, reply_to = excluded.reply_to, updated_at = excluded.updated_at
                """, arguments: [businessID, settings.reminderMinutes, settings.secondReminderMinutes, settings.replyTo, now])
            try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "settings.email", subject: "business:\(businessID)",
                                details: ["reminder_minutes": settings.reminderMinutes.map(String.init) ?? "off",
                                          "second_reminder_minutes": settings.secondReminderMinutes.map(String.init) ?? "off",
                                          "reply_to": settings.replyTo])
        }
    }
}
