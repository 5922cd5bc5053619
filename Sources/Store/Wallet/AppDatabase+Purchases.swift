public import BookingCore
import Foundation
import GRDB

/// A customer buys a package or a gift card online (issue 18), one transaction each, every change
/// audited. A purchase is reserved `pending`; it is granted only when its payment is recorded —
/// Stripe's success (the webhook or the return page, whichever comes first) or staff recording it
/// paid at the venue — exactly once, in the transaction that records the money.
extension AppDatabase {
    /// At most this many purchases of one customer wait at one business to be paid at the venue.
    public static let pendingPurchaseLimit = 5

    /// Reserves `product` of the business for the account `userID`, to be paid by `method`.
    /// `WalletFailure.packageNotFound` / `.giftCardNotFound` when the business does not sell it;
    /// `.invalid(field: "product", …)` when too many wait to be paid at the venue. A free package is
    /// granted at once.
    public func startPurchase(business: Business, userID: UserID, product: ProductRef, method: PurchaseMethod,
                              now: Instant) throws -> PurchaseInfo {
        try write { db in
            let name: String, amount: Int64, currency: String
            var packageID: PackageID?, giftCardProductID: Int64?
            switch product {
            case .package(let id):
                guard let package = try Self.packages(db, businessID: business.id).first(where: { $0.id == id }) else {
                    throw WalletFailure.packageNotFound
                }
                (name, amount, currency, packageID) = (package.name, package.price, package.currency, id)
            case .giftCard(let id):
                guard let card = try GiftCardLedger.products(db, businessID: business.id).first(where: { $0.id == id }) else {
                    throw WalletFailure.giftCardNotFound
                }
                (name, amount, currency, giftCardProductID) = (card.name, card.amount, card.currency, id)
            }
            let waiting = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM product_purchases WHERE business_id = ? AND user_id = ? AND status = 'pending' AND method = 'at_venue'
                """, arguments: [business.id, userID]) ?? 0
            if method == .atVenue && waiting >= Self.pendingPurchaseLimit {
                throw WalletFailure.invalid(field: "product", message: "You already have \(Self.pendingPurchaseLimit) purchases waiting to be paid at the venue here. Pay for one of them or ask the staff to cancel it first.")
            }
            let publicID = Tokens.secret()
            try db.execute(sql: """
                INSERT INTO product_purchases (business_id, public_id, user_id, kind, package_id, gift_card_product_id, name, amount, currency,
                                               method, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [business.id, publicID, userID, packageID == nil ? "gift_card" : "package", packageID, giftCardProductID,
                                 name, amount, currency, method.rawValue, now, now])
            let id = db.lastInsertedRowID
            try AuditLog.append(db, businessID: business.id, at: now, actor: Actor.user(userID).label, action: "purchase.start",
                                subject: "purchase:\(id)", details: ["product": product.description, "method": method.rawValue,
                                                                     "amount": String(amount)])
            if amount == 0 {
                return try Purchases.grant(db, businessID: business.id, purchaseID: id, paidBy: .atVenue, stripeID: nil,
                                           actor: Actor.user(userID).label, now: now)
            }
            guard let info = try Purchases.info(db, businessID: business.id, id: id) else { throw WalletFailure.purchaseNotFound }
            return info
        }
    }

    /// Remembers the PaymentIntent made for a card purchase (once; a second one is ignored).
    public func recordPurchaseIntent(businessID: BusinessID, purchaseID: Int64, stripeID: String, clientSecret: String, now: Instant) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE product_purchases SET stripe_intent = ?, client_secret = ?, updated_at = ?
                WHERE business_id = ? AND id = ? AND method = 'card' AND stripe_intent IS NULL
                """, arguments: [stripeID, clientSecret, now, businessID, purchaseID])
        }
    }

    /// Whether `stripeID` is the PaymentIntent of one of the business's purchases (not of a booking).
    public func isPurchaseIntent(businessID: BusinessID, stripeID: String) throws -> Bool {
        try read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM product_purchases WHERE business_id = ? AND stripe_intent = ?",
                              arguments: [businessID, stripeID]) == true
        }
    }

    /// Stripe says the purchase's intent succeeded (the return page, or `payment_intent.succeeded`):
    /// the money goes into the purchase ledger (once per intent) and the credits or the gift card
    /// are granted, exactly once whichever arrives first; `eventID` (webhooks) is remembered so the
    /// same event again changes nothing (nil). nil too when no purchase has this intent.
    public func settlePurchase(businessID: BusinessID, stripeID: String, amount: Int64, eventID: String?, now: Instant,
                               actor: Actor) throws -> PurchaseSettlement? {
        try write { db in
            if let eventID, !(try PaymentLedger.firstSeen(db, businessID: businessID, eventID: eventID, type: "payment_intent.succeeded", now: now)) {
                return nil
            }
            guard let purchase = try Purchases.info(db, businessID: businessID, stripeIntent: stripeID) else { return nil }
            switch purchase.status {
            case .paid: return .alreadyPaid(purchase)
            case .cancelled: return .notGranted(purchase)
            case .pending: break
            }
            guard amount >= purchase.amount else {
                try Purchases.noteFailure(db, businessID: businessID, purchaseID: purchase.id,
                                          message: "Stripe received \(amount), less than the price \(purchase.amount).", now: now)
                return .notGranted(purchase)
            }
            return .granted(try Purchases.grant(db, businessID: businessID, purchaseID: purchase.id, paidBy: nil, stripeID: stripeID,
                                                actor: actor.label, now: now))
        }
    }

    /// `payment_intent.payment_failed` for a purchase (or a card refused on the pay page): nothing is
    /// granted, the purchase stays open to pay with another card; the message is kept. False when
    /// the event was seen before.
    @discardableResult
    public func recordPurchaseFailure(businessID: BusinessID, stripeID: String, message: String, eventID: String?, now: Instant) throws -> Bool {
        try write { db in
            if let eventID, !(try PaymentLedger.firstSeen(db, businessID: businessID, eventID: eventID, type: "payment_intent.payment_failed", now: now)) {
                return false
            }
            guard let purchase = try Purchases.info(db, businessID: businessID, stripeIntent: stripeID) else { return false }
            try Purchases.noteFailure(db, businessID: businessID, purchaseID: purchase.id, message: message, now: now)
            return true
        }
    }

    /// Staff record a purchase reserved to pay at the venue as paid (`payment`: at the venue or in
    /// cash): the money goes into the purchase ledger and the credits or gift card are granted.
    /// `WalletFailure.purchaseNotFound` when the business has no such venue purchase;
    /// `.purchaseClosed` when it is already paid or cancelled (nothing changes).
    public func recordPurchasePaid(businessID: BusinessID, purchaseID: Int64, payment: PackagePayment, actor: String,
                                   now: Instant) throws -> PurchaseInfo {
        try write { db in
            let purchase = try Purchases.venuePending(db, businessID: businessID, purchaseID: purchaseID)
            return try Purchases.grant(db, businessID: businessID, purchaseID: purchase.id, paidBy: payment == .cash ? .cash : .atVenue,
                                       stripeID: nil, actor: actor, now: now)
        }
    }

    /// Staff cancel a purchase reserved to pay at the venue that was not paid: nothing is granted.
    /// The same failures as `recordPurchasePaid`.
    public func cancelPurchase(businessID: BusinessID, purchaseID: Int64, actor: String, now: Instant) throws -> PurchaseInfo {
        try write { db in
            let purchase = try Purchases.venuePending(db, businessID: businessID, purchaseID: purchaseID)
            return try Purchases.cancel(db, purchase, reason: "staff", actor: actor, now: now)
        }
    }

    /// Closes a purchase still `pending` without granting anything: the buyer changed their mind
    /// (`reason` `buyer`), or a card purchase was left unpaid (`abandoned`). A card purchase's intent
    /// must already be cancelled at Stripe (so no money can arrive for it later). `.purchaseNotFound`
    /// when the business has no such purchase; `.purchaseClosed` when it was paid or cancelled
    /// meanwhile (nothing changes).
    public func closeUnpaidPurchase(businessID: BusinessID, purchaseID: Int64, reason: String, actor: String,
                                    now: Instant) throws -> PurchaseInfo {
        try write { db in
            guard let purchase = try Purchases.info(db, businessID: businessID, id: purchaseID) else { throw WalletFailure.purchaseNotFound }
            guard purchase.status == .pending else { throw WalletFailure.purchaseClosed(purchase.status) }
            return try Purchases.cancel(db, purchase, reason: reason, actor: actor, now: now)
        }
    }

    /// Card purchases still unpaid that were started before `startedBefore` (the sweeper abandons
    /// them: their intents are cancelled at Stripe), oldest first, at most `limit`.
    public func unpaidCardPurchases(startedBefore: Instant, limit: Int = 100) throws -> [PurchaseInfo] {
        try read { db in
            try Purchases.fetch(db, where: "p.status = 'pending' AND p.method = 'card' AND p.created_at < ?", [startedBefore],
                                limit: max(1, limit))
        }
    }

    /// One purchase by its public id (the buyer's pages check it is theirs).
    public func purchase(publicID: String) throws -> PurchaseInfo? {
        try read { db in try Purchases.fetch(db, where: "p.public_id = ?", [publicID]).first }
    }

    /// Purchases waiting to be paid at the venue: the business's (the staff wallet page), or one
    /// account's at every business (its wallet page); oldest first.
    public func pendingPurchases(businessID: BusinessID? = nil, userID: UserID? = nil) throws -> [PurchaseInfo] {
        try read { db in
            try Purchases.fetch(db, where: """
                p.status = 'pending' AND p.method = 'at_venue' AND (? IS NULL OR p.business_id = ?) AND (? IS NULL OR p.user_id = ?)
                """, [businessID, businessID, userID, userID])
        }
    }

    /// The businesses an account knows from its wallet, its purchases or its bookings (where its
    /// wallet page offers to buy more), by name.
    public func walletBusinesses(userID: UserID) throws -> [Business] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM businesses WHERE id IN (
                    SELECT business_id FROM entitlements WHERE user_id = ?1
                    UNION SELECT business_id FROM gift_cards WHERE holder_user_id = ?1
                    UNION SELECT business_id FROM product_purchases WHERE user_id = ?1
                    UNION SELECT business_id FROM booking_orders WHERE customer_user_id = ?1)
                ORDER BY name, id
                """, arguments: [userID]).map(Catalog.business(row:))
        }
    }

    /// What the purchase ledger holds for a purchase: (kind, amount, method) in order.
    public func purchasePayments(businessID: BusinessID, purchaseID: Int64) throws -> [(kind: String, amount: Int64, method: String)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT kind, amount, method FROM purchase_payments WHERE business_id = ? AND purchase_id = ? ORDER BY id",
                             arguments: [businessID, purchaseID]).map { ($0["kind"], $0["amount"], $0["method"]) }
        }
    }
}

/// Purchases inside the caller's transaction. Every grant of a purchase goes through `grant`.
enum Purchases {
    /// How staff say a venue purchase was paid (`purchase_payments.method`).
    enum VenuePayment: String { case atVenue = "at_venue", cash }

    static func fetch(_ db: Database, where condition: String, _ arguments: StatementArguments, limit: Int? = nil) throws -> [PurchaseInfo] {
        try Row.fetchAll(db, sql: """
            SELECT p.*, b.slug AS business_slug, b.name AS business_name, b.timezone, u.name AS user_name, u.email AS user_email,
                   g.code AS gift_card_code, e.expires_at AS credits_expire_at
            FROM product_purchases p
            JOIN businesses b ON b.id = p.business_id
            JOIN users u ON u.id = p.user_id
            LEFT JOIN gift_cards g ON g.business_id = p.business_id AND g.id = p.gift_card_id
            LEFT JOIN entitlements e ON e.business_id = p.business_id AND e.id = p.entitlement_id
            WHERE \(condition) ORDER BY p.created_at, p.id\(limit.map { " LIMIT \($0)" } ?? "")
            """, arguments: arguments).map { row in
            let kind: String = row["kind"]
            let product: ProductRef = kind == "package" ? .package(row["package_id"]) : .giftCard(row["gift_card_product_id"])
            return PurchaseInfo(id: row["id"], publicID: row["public_id"], businessID: row["business_id"], businessSlug: row["business_slug"],
                                businessName: row["business_name"], timeZone: row["timezone"], userID: row["user_id"],
                                customerName: row["user_name"], customerEmail: row["user_email"], product: product, name: row["name"],
                                amount: row["amount"], currency: row["currency"],
                                method: PurchaseMethod(rawValue: row["method"]) ?? .atVenue,
                                status: PurchaseStatus(rawValue: row["status"]) ?? .pending, stripeIntent: row["stripe_intent"],
                                clientSecret: row["client_secret"], lastError: row["last_error"], giftCardCode: row["gift_card_code"],
                                creditsExpireAt: row["credits_expire_at"], createdAt: row["created_at"])
        }
    }

    static func info(_ db: Database, businessID: BusinessID, id: Int64) throws -> PurchaseInfo? {
        try fetch(db, where: "p.business_id = ? AND p.id = ?", [businessID, id]).first
    }

    static func info(_ db: Database, businessID: BusinessID, stripeIntent: String) throws -> PurchaseInfo? {
        try fetch(db, where: "p.business_id = ? AND p.stripe_intent = ?", [businessID, stripeIntent]).first
    }

    /// The business's purchase to be paid at the venue, still pending; otherwise the failure to say.
    static func venuePending(_ db: Database, businessID: BusinessID, purchaseID: Int64) throws -> PurchaseInfo {
        guard let purchase = try info(db, businessID: businessID, id: purchaseID), purchase.method == .atVenue else {
            throw WalletFailure.purchaseNotFound
        }
        guard purchase.status == .pending else { throw WalletFailure.purchaseClosed(purchase.status) }
        return purchase
    }

    /// Marks a pending purchase cancelled (nothing granted) and audits why.
    static func cancel(_ db: Database, _ purchase: PurchaseInfo, reason: String, actor: String, now: Instant) throws -> PurchaseInfo {
        try db.execute(sql: """
            UPDATE product_purchases SET status = 'cancelled', updated_at = ? WHERE business_id = ? AND id = ? AND status = 'pending'
            """, arguments: [now, purchase.businessID, purchase.id])
        guard db.changesCount == 1 else { throw WalletFailure.purchaseClosed(purchase.status) }
        try AuditLog.append(db, businessID: purchase.businessID, at: now, actor: actor, action: "purchase.cancel",
                            subject: "purchase:\(purchase.id)", details: ["product": purchase.product.description, "reason": reason])
        guard let info = try info(db, businessID: purchase.businessID, id: purchase.id) else { throw WalletFailure.purchaseNotFound }
        return info
    }

    static func noteFailure(_ db: Database, businessID: BusinessID, purchaseID: Int64, message: String, now: Instant) throws {
        try db.execute(sql: """
            UPDATE product_purchases SET last_error = ?, updated_at = ? WHERE business_id = ? AND id = ? AND status = 'pending'
            """, arguments: [String(message.prefix(500)), now, businessID, purchaseID])
    }

    /// Grants a pending purchase, once: the money into the purchase ledger (`stripeID` for a card
    /// payment, else `paidBy`; nothing for a free package), the credits (`AppDatabase.sell`) or the
    /// gift card (`GiftCardLedger.issue`, held by the buyer) as append-only movements, the purchase
    /// marked paid, and the confirmation email in the outbox (kind `confirmation`, `about` = `purchase`).
    static func grant(_ db: Database, businessID: BusinessID, purchaseID: Int64, paidBy: VenuePayment?, stripeID: String?, actor: String,
                      now: Instant) throws -> PurchaseInfo {
        guard let purchase = try info(db, businessID: businessID, id: purchaseID) else { throw WalletFailure.purchaseNotFound }
        guard purchase.status == .pending else { throw WalletFailure.purchaseClosed(purchase.status) }
        let method = stripeID != nil ? "stripe" : (paidBy ?? .atVenue).rawValue
        if purchase.amount > 0 {
            try db.execute(sql: """
                INSERT INTO purchase_payments (business_id, purchase_id, kind, amount, currency, method, stripe_id, recorded_by, at)
                VALUES (?, ?, 'charge', ?, ?, ?, ?, ?, ?)
                """, arguments: [businessID, purchase.id, purchase.amount, purchase.currency, method, stripeID, actor, now])
        }
        let payment: PackagePayment = stripeID != nil ? .card : (paidBy == .cash ? .cash : .atVenue)
        var entitlement: EntitlementID?, giftCard: Int64?
        switch purchase.product {
        case .package(let packageID):
            entitlement = try AppDatabase.sell(db, businessID: businessID, packageID: packageID, userID: purchase.userID, payment: payment,
                                               actor: actor, now: now)
        case .giftCard(let productID):
            giftCard = try GiftCardLedger.issue(db, businessID: businessID, productID: productID, amount: purchase.amount,
                                                currency: purchase.currency, holder: purchase.userID, method: payment.rawValue, actor: actor,
                                                now: now)
        }
        try db.execute(sql: """
            UPDATE product_purchases SET status = 'paid', entitlement_id = ?, gift_card_id = ?, last_error = '', updated_at = ?
            WHERE business_id = ? AND id = ? AND status = 'pending'
            """, arguments: [entitlement, giftCard, now, businessID, purchase.id])
        guard db.changesCount == 1, let paid = try info(db, businessID: businessID, id: purchase.id) else {
            throw WalletFailure.purchaseClosed(purchase.status)
        }
        try AuditLog.append(db, businessID: businessID, at: now, actor: actor, action: "purchase.paid", subject: "purchase:\(purchase.id)",
                            details: ["product": purchase.product.description, "method": method, "amount": String(purchase.amount)])
        var data: [(String, String)] = [("about", "purchase"), ("purchase", paid.publicID), ("product_name", paid.name),
                                        ("amount", String(paid.amount)), ("currency", paid.currency), ("paid", payment.rawValue)]
        if let code = paid.giftCardCode { data.append(("code", code)) }
        if let expires = paid.creditsExpireAt { data.append(("expires", String(expires))) }
        if case .package(let packageID) = paid.product,
           let credits = try Int.fetchOne(db, sql: "SELECT credits FROM packages WHERE business_id = ? AND id = ?", arguments: [businessID, packageID]) {
            data.append(("credits", String(credits)))
        }
        try Outbox.enqueue(db, businessID: businessID, kind: .confirmation, email: paid.customerEmail, name: paid.customerName, data: data,
                           orderID: nil, due: now, now: now)
        return paid
    }
}
