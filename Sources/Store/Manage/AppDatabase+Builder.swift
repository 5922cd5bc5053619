public import BookingCore
import Foundation
import GRDB

/// The business builder's door: the business a manager works on, its dashboard and the quick setup.
/// Each method is one use case in one transaction.
extension AppDatabase {
    /// The business a member manages, or nil when it no longer exists.
    public func managedBusiness(id: BusinessID) throws -> Business? {
        try read { db in try Catalog.business(db, id: id) }
    }

    /// The dashboard's counts and the list of what is left to do; a member limited to a location
    /// (`scope`) counts that location's bookings and resources.
    public func dashboard(business: Business, now: Instant, scope: LocationScope = .everywhere) throws -> ManageCatalog.Overview {
        try read { db in try ManageCatalog.overview(db, business: business, now: now, scope: scope) }
    }

    /// The quick setup: business, owner membership, a host with weekly hours and a published offer.
    public func quickSetup(_ input: QuickSetup.Input, userID: UserID, userName: String, now: Instant) throws -> QuickSetup.Result {
        try write { db in try QuickSetup.run(db, input: input, userID: userID, userName: userName, now: now) }
    }
}
