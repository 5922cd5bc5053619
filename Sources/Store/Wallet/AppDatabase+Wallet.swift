public import BookingCore
import Foundation
import GRDB

/// Packages and wallets (issue 18), one transaction each. Writes go through group commit like the
/// booking writes; every change is audited.
extension AppDatabase {
    /// The business's live packages with the offers each covers.
    public func packages(businessID: BusinessID) throws -> [PackageInfo] {
        try read { db in try Self.packages(db, businessID: businessID) }
    }

    /// Adds a package to the builder; `WalletFailure.invalid` when an offer is not the business's.
    @discardableResult
    public func createPackage(businessID: BusinessID, _ new: NewPackage, actor: String, now: Instant) throws -> PackageID {
        try write { db in try Self.createPackage(db, businessID: businessID, new, actor: actor, now: now) }
    }

    /// `createPackage` in the caller's transaction (the builder's, or the demo's seed).
    static func createPackage(_ db: Database, businessID: BusinessID, _ new: NewPackage, actor: String, now: Instant) throws -> PackageID {
        guard let business = try Catalog.business(db, id: businessID) else { throw WalletFailure.packageNotFound }
        let offers = try Set(OfferID.fetchAll(db, sql: "SELECT id FROM offers WHERE business_id = ?", arguments: [businessID]))
        guard !new.offerIDs.isEmpty, new.offerIDs.allSatisfy(offers.contains) else {
            throw WalletFailure.invalid(field: "offers", message: "Choose at least one of the listed offers.")
        }
        try db.execute(sql: """
            INSERT INTO packages (business_id, name, credits, valid_days, price, currency, shareable, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [businessID, new.name, new.credits, new.validDays, new.price, business.currency, new.shareable, now])
        let id = PackageID(rawValue: db.lastInsertedRowID)
        for offer in Set(new.offerIDs) {
            try db.execute(sql: "INSERT INTO package_offers (business_id, package_id, offer_id) VALUES (?, ?, ?)",
                           arguments: [businessID, id, offer])
        }
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "package.create", subject: "package:\(id)",
                            details: ["name": new.name, "credits": String(new.credits), "valid_days": String(new.validDays),
                                      "price": String(new.price)])
        return id
    }

    /// Records a sale of a package to the customer with `email` (a signed-up user) and grants its
    /// credits, valid until the end of the business-local day `valid_days` after today.
    @discardableResult
    public func sellPackage(businessID: BusinessID, packageID: PackageID, customerEmail: String, payment: PackagePayment,
                            actor: String, now: Instant) throws -> EntitlementID {
        try write { db in
            guard let userID = try UserID.fetchOne(db, sql: "SELECT id FROM users WHERE email = ?", arguments: [customerEmail]) else {
                throw WalletFailure.customerNotFound
            }
            return try Self.sell(db, businessID: businessID, packageID: packageID, userID: userID, payment: payment, actor: actor, now: now)
        }
    }

    /// Grants a package bought at the venue to a customer record (the API's wallet grants): to the
    /// account with one of the record's addresses. nil when the business has no such customer;
    /// `WalletFailure.customerNotFound` when none of its addresses has an account.
    public func grantPackage(businessID: BusinessID, customerID: CustomerID, packageID: PackageID, actor: String,
                             now: Instant) throws -> EntitlementID? {
        try write { db in
            guard let users = try Self.customerUsers(db, businessID: businessID, customerID: customerID) else { return nil }
            guard let userID = users.first else { throw WalletFailure.customerNotFound }
            return try Self.sell(db, businessID: businessID, packageID: packageID, userID: userID, payment: .atVenue, actor: actor, now: now)
        }
    }

    /// What a customer record's accounts hold at its business, in one read: their lots of credits,
    /// gift cards and memberships (the API's wallet and the customer's page). nil when the business
    /// has no such customer.
    public func customerHoldings(businessID: BusinessID, customerID: CustomerID, now: Instant) throws -> CustomerHoldings? {
        try read { db in
            try Self.customerUsers(db, businessID: businessID, customerID: customerID).map { users in
                CustomerHoldings(lots: try users.flatMap { try Wallets.entries(db, userID: $0, businessID: businessID) },
                                 giftCards: try users.flatMap { try GiftCardLedger.cards(db, userID: $0, businessID: businessID) },
                                 memberships: try users.flatMap { try MembershipLedger.list(db, userID: $0, businessID: businessID, now: now) })
            }
        }
    }

    /// The accounts whose address is one of the customer record's, oldest first; nil for no such customer.
    static func customerUsers(_ db: Database, businessID: BusinessID, customerID: CustomerID) throws -> [UserID]? {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM customers WHERE business_id = ? AND id = ?", arguments: [businessID, customerID]) == true else {
            return nil
        }
        return try UserID.fetchAll(db, sql: """
            SELECT u.id FROM customer_emails ce JOIN users u ON u.email = ce.email
            WHERE ce.business_id = ? AND ce.customer_id = ? ORDER BY u.id
            """, arguments: [businessID, customerID])
    }

    static func sell(_ db: Database, businessID: BusinessID, packageID: PackageID, userID: UserID, payment: PackagePayment,
                             actor: String, now: Instant) throws -> EntitlementID {
        guard let business = try Catalog.business(db, id: businessID), let clock = ZoneClock(identifier: business.timeZone),
              let package = try packages(db, businessID: businessID).first(where: { $0.id == packageID }) else {
            throw WalletFailure.packageNotFound
        }
        let expires = Entitlements.expiry(purchasedAt: now, validDays: package.validDays, clock: clock)
        try db.execute(sql: """
            INSERT INTO entitlements (business_id, package_id, user_id, expires_at, price_paid, currency, method, recorded_by, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [businessID, packageID, userID, expires, package.price, package.currency, payment.rawValue, actor, now])
        let id = EntitlementID(rawValue: db.lastInsertedRowID)
        try Wallets.append(db, businessID: businessID, lot: id, EntitlementMovement(kind: .grant, credits: package.credits, at: now),
                           actor: actor)
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "package.sell", subject: "entitlement:\(id)",
                            details: ["package": package.name, "user": userID.description, "method": payment.rawValue])
        return id
    }

    /// A customer's wallet: every lot at every business (the account page), or at one (the staff page).
    public func wallet(userID: UserID, businessID: BusinessID? = nil) throws -> [WalletEntry] {
        try read { db in try Wallets.entries(db, userID: userID, businessID: businessID) }
    }

    /// Whether a credit of `userID` could pay for the hold `holdID` at `now`: the lot it would
    /// use, or why none can.
    public func creditFor(business: Business, holdID: String, userID: UserID, forHouseholdMember: Bool,
                          now: Instant) throws -> Result<EntitlementLot, CreditRefusal> {
        try read { db in
            guard let order = try BookingReads.order(db, businessID: business.id, publicID: holdID) else { return .failure(.noCredits) }
            return Entitlements.choose(try Wallets.lots(db, businessID: business.id, userID: userID), offerID: order.offerID,
                                       forHouseholdMember: forHouseholdMember, now: now)
        }
    }

    /// Closes expired lots' remaining credits with `expire` movements; returns how many lots.
    @discardableResult
    public func expireEntitlements(now: Instant) throws -> Int {
        try write { db in try Wallets.expireLapsed(db, now: now) }
    }

    static func packages(_ db: Database, businessID: BusinessID) throws -> [PackageInfo] {
        try Row.fetchAll(db, sql: """
            SELECT id, name, credits, valid_days, price, currency, shareable FROM packages
            WHERE business_id = ? AND status = 'live' AND kind = 'package' ORDER BY name, id
            """, arguments: [businessID]).map { row in
            let id: PackageID = row["id"]
            let offers = try Wallets.packageOffers(db, businessID: businessID, packageID: id)
            return PackageInfo(id: id, name: row["name"], credits: row["credits"], validDays: row["valid_days"], price: row["price"],
                               currency: row["currency"], shareable: row["shareable"], offers: offers)
        }
    }
}
