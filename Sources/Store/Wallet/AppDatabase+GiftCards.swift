public import BookingCore
import Foundation
import GRDB

/// Gift cards (issue 18), one transaction each; every write audited.
extension AppDatabase {
    /// The gift card amounts the business sells.
    public func giftCardProducts(businessID: BusinessID) throws -> [GiftCardProduct] {
        try read { db in try GiftCardLedger.products(db, businessID: businessID) }
    }

    /// Adds a gift card amount to the builder, in the business's currency.
    @discardableResult
    public func createGiftCardProduct(businessID: BusinessID, name: String, amount: Int64, actor: String, now: Instant) throws -> Int64 {
        try write { db in
            guard let business = try Catalog.business(db, id: businessID) else { throw WalletFailure.giftCardNotFound }
            guard (1...100_000_000).contains(amount) else {
                throw WalletFailure.invalid(field: "amount", message: "Enter an amount above zero.")
            }
            try db.execute(sql: "INSERT INTO gift_card_products (business_id, name, amount, currency, created_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [businessID, name, amount, business.currency, now])
            let id = db.lastInsertedRowID
            try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "gift_card_product.create",
                                subject: "gift_card_product:\(id)", details: ["name": name, "amount": String(amount)])
            return id
        }
    }

    /// Records a gift card sold (at the venue, or by card) and issues it with a new code, held by the
    /// account with `holderEmail` when one is given (the card shows in that wallet).
    /// `WalletFailure.giftCardNotFound` for an unknown amount; `.customerNotFound` for an email without an account.
    public func sellGiftCard(businessID: BusinessID, productID: Int64, holderEmail: String?, payment: PackagePayment, actor: String,
                             now: Instant) throws -> GiftCardInfo {
        try write { db in
            guard let product = try GiftCardLedger.products(db, businessID: businessID).first(where: { $0.id == productID }) else {
                throw WalletFailure.giftCardNotFound
            }
            var holder: UserID?
            if let holderEmail, !holderEmail.isEmpty {
                guard let user = try Self.userID(db, email: holderEmail) else {
                    throw WalletFailure.customerNotFound
                }
                holder = user
            }
            let id = try GiftCardLedger.issue(db, businessID: businessID, productID: product.id, amount: product.amount, currency: product.currency,
                                              holder: holder, method: payment.rawValue, actor: actor, now: now)
            guard let card = try GiftCardLedger.cards(db, businessID: businessID, cardID: id).first else { throw WalletFailure.giftCardNotFound }
            return card
        }
    }

    /// One card of the business, with its history.
    public func giftCard(businessID: BusinessID, id: Int64) throws -> GiftCardInfo? {
        try read { db in try GiftCardLedger.cards(db, businessID: businessID, cardID: id).first }
    }

    /// The cards an account holds, at every business (the account page) or at one (the staff page).
    public func giftCards(userID: UserID, businessID: BusinessID? = nil) throws -> [GiftCardInfo] {
        try read { db in try GiftCardLedger.cards(db, userID: userID, businessID: businessID) }
    }

}
