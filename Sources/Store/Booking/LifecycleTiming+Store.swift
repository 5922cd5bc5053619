public import BookingCore
import GRDB

extension Bookings {
    /// The business's lifecycle timing (migration 0013), the standard one if the row is missing.
    static func lifecycleTiming(_ db: Database, businessID: BusinessID) throws -> LifecycleTiming {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT no_show_grace_minutes, check_in_window_minutes FROM businesses WHERE id = ?
            """), arguments: [businessID]) else { return .standard }
        return LifecycleTiming(noShowGraceMinutes: row[0], checkInWindowMinutes: row[1])
    }
}

extension AppDatabase {
    /// When this business's bookings may be marked as no-shows, completed and checked in.
    public func lifecycleTiming(businessID: BusinessID) throws -> LifecycleTiming {
        try read { db in try Bookings.lifecycleTiming(db, businessID: businessID) }
    }

    /// Sets the no-show grace period (0…1440 minutes) and the check-in window (0…10080 minutes).
    public func setLifecycleTiming(_ timing: LifecycleTiming, businessID: BusinessID, now: Int64 = 0, actor: Actor = .system) throws {
        for (field, value, maximum) in [("no_show_grace_minutes", timing.noShowGraceMinutes, LifecycleTiming.maximumGraceMinutes),
                                        ("check_in_window_minutes", timing.checkInWindowMinutes, LifecycleTiming.maximumCheckInWindowMinutes)]
        where !(0...maximum).contains(value) {
            throw BookingFailure.invalid(field: field, message: "give a number of minutes from 0 to \(maximum)")
        }
        try write { db in
            try db.execute(sql: "UPDATE businesses SET no_show_grace_minutes = ?, check_in_window_minutes = ? WHERE id = ?",
                           arguments: [timing.noShowGraceMinutes, timing.checkInWindowMinutes, businessID])
            try AuditLog.append(db, businessID: businessID, at: now, actor: actor.label, action: "policy.lifecycle_timing",
                                details: ["no_show_grace_minutes": String(timing.noShowGraceMinutes),
                                          "check_in_window_minutes": String(timing.checkInWindowMinutes)])
        }
    }
}
