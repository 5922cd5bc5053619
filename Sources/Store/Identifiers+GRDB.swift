import BookingCore
public import GRDB

// The typed identifiers bind in SQL arguments and decode from rows directly (`row["id"] as OfferID`,
// `OfferID.fetchOne(db, …)`). GRDB's RawRepresentable defaults do the work: the value is the bare
// INTEGER, read straight from the statement (StatementColumnConvertible), no DatabaseValue boxing.
extension BusinessID: DatabaseValueConvertible, StatementColumnConvertible {}
extension OfferID: DatabaseValueConvertible, StatementColumnConvertible {}
extension OfferVersionID: DatabaseValueConvertible, StatementColumnConvertible {}
extension ResourceID: DatabaseValueConvertible, StatementColumnConvertible {}
extension LocationID: DatabaseValueConvertible, StatementColumnConvertible {}
extension UserID: DatabaseValueConvertible, StatementColumnConvertible {}
extension BookingID: DatabaseValueConvertible, StatementColumnConvertible {}
extension APIKeyID: DatabaseValueConvertible, StatementColumnConvertible {}
extension PackageID: DatabaseValueConvertible, StatementColumnConvertible {}
extension EntitlementID: DatabaseValueConvertible, StatementColumnConvertible {}
extension MembershipID: DatabaseValueConvertible, StatementColumnConvertible {}
extension HouseholdMemberID: DatabaseValueConvertible, StatementColumnConvertible {}
extension SessionID: DatabaseValueConvertible, StatementColumnConvertible {}
extension InvitationID: DatabaseValueConvertible, StatementColumnConvertible {}
extension WebhookID: DatabaseValueConvertible, StatementColumnConvertible {}
extension WebhookDeliveryID: DatabaseValueConvertible, StatementColumnConvertible {}
extension WaitlistEntryID: DatabaseValueConvertible, StatementColumnConvertible {}
extension SeriesID: DatabaseValueConvertible, StatementColumnConvertible {}
extension CalendarFeedID: DatabaseValueConvertible, StatementColumnConvertible {}
extension CustomerID: DatabaseValueConvertible, StatementColumnConvertible {}
extension QueueID: DatabaseValueConvertible, StatementColumnConvertible {}
extension QueueTicketID: DatabaseValueConvertible, StatementColumnConvertible {}
extension MaintenanceFlagID: DatabaseValueConvertible, StatementColumnConvertible {}
extension ProgramRunID: DatabaseValueConvertible, StatementColumnConvertible {}
extension ProgramSessionID: DatabaseValueConvertible, StatementColumnConvertible {}

/// Numbers (ids, indexes) as a JSON array, bound as one argument of `IN (SELECT value FROM
/// json_each(?))`: one cached statement however many values there are.
func jsonList<S: Sequence>(_ values: S) -> String where S.Element: CustomStringConvertible {
    "[" + values.map(\.description).joined(separator: ",") + "]"
}
