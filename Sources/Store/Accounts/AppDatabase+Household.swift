public import BookingCore
import Foundation
import GRDB

/// The people a user books for.
extension AppDatabase {
    public func household(userID: UserID) throws -> [HouseholdMember] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM household_members WHERE user_id = ? ORDER BY name, id"),
                             arguments: [userID]).map { row in
                HouseholdMember(id: row["id"], userID: row["user_id"], name: row["name"],
                                relationship: row["relationship"], birthDate: row["birth_date"])
            }
        }
    }

    /// Adds a member; the caller has validated the values (the schema checks them again).
    @discardableResult
    public func addHouseholdMember(userID: UserID, name: String, relationship: String, birthDate: String?,
                                   now: Int64) throws -> HouseholdMember {
        try write { db in
            try db.cachedStatement(sql: """
                INSERT INTO household_members (user_id, name, relationship, birth_date, created_at) VALUES (?, ?, ?, ?, ?)
                """).execute(arguments: [userID, name, relationship, birthDate, now])
            return HouseholdMember(id: HouseholdMemberID(rawValue: db.lastInsertedRowID), userID: userID, name: name, relationship: relationship,
                                   birthDate: birthDate)
        }
    }

    /// Removes one of the user's own household members; another user's is `notFound`. A member named
    /// on bookings stays (`memberHasBookings`): those bookings keep saying who they are for.
    public func removeHouseholdMember(id: HouseholdMemberID, userID: UserID) throws {
        try write { db in
            let owned = try Bool.fetchOne(db, sql: "SELECT 1 FROM household_members WHERE id = ? AND user_id = ?", arguments: [id, userID])
            guard owned == true else { throw AccountStoreError.notFound }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM booking_orders WHERE household_member_id = ? LIMIT 1", arguments: [id]) == true {
                throw AccountStoreError.memberHasBookings
            }
            try db.cachedStatement(sql: "DELETE FROM household_members WHERE id = ? AND user_id = ?").execute(arguments: [id, userID])
            guard db.changesCount == 1 else { throw AccountStoreError.notFound }
        }
    }
}
