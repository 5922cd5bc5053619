import BookingCore
import Foundation
import HTTPServer
import Store

/// The customer's `/account/wallet` and the staff's view of a customer's wallet at the front desk,
/// where a package bought at the venue is recorded (issue 18).
struct WalletPages: Sendable {
    struct AccountWallet: Sendable {
        let layout: Layout
        let lots: [WalletWords.Lot]
        let hasLots: Bool
        let giftCards: [WalletWords.GiftCard]
        let hasGiftCards: Bool
        let memberships: [WalletWords.Membership]
        let hasMemberships: Bool
        let sellers: [Link]
        let hasSellers: Bool
        let pending: [WalletWords.Pending]
        let hasPending: Bool
        /// "Buy packages and gift cards" at each business the wallet or the bookings know.
        let shops: [WalletWords.Shop]
        let hasShops: Bool
        let staff = false
    }

    struct Link: Sendable {
        let href: String
        let text: String
    }

    /// `GET /account/wallet`: every lot at every business, with expiry and history, the gift cards
    /// held, purchases waiting to be paid at the venue, and where to buy more.
    func account(_ context: RequestContext) throws -> Response {
        let user = try context.requireUser()
        let entries = try context.app.database.wallet(userID: user.id)
        let held = try context.app.database.giftCards(userID: user.id)
        let waiting = try context.app.database.pendingPurchases(userID: user.id)
        let lots = entries.map { WalletWords.lot($0, now: context.instant) }
        let cards = held.map { WalletWords.giftCard($0, showCode: true) }
        let pending = waiting.map { WalletWords.pending($0, staff: false) }
        var seen = Set<BusinessID>()
        let shops = try context.app.database.walletBusinesses(userID: user.id).filter { seen.insert($0.id).inserted }.map {
            WalletWords.Shop(name: $0.name, url: PurchasePages.productsPath($0))
        }
        let members = try context.app.database.memberships(userID: user.id, now: context.instant).map { member in
            WalletWords.membership(member, lots: entries, actions: "/account/wallet/memberships/\(member.id)", now: context.instant)
        }
        let sellers = try context.app.database.membershipSellers(userID: user.id).map {
            Link(href: "/b/\(PercentDecoding.encode($0.slug))/memberships", text: "Memberships at \($0.name)")
        }
        return context.app.page("wallet/account", AccountWallet(layout: try context.layout(title: "Your wallet", withForm: !members.isEmpty),
                                                                lots: lots, hasLots: !lots.isEmpty, giftCards: cards,
                                                                hasGiftCards: !cards.isEmpty, memberships: members,
                                                                hasMemberships: !members.isEmpty, sellers: sellers, hasSellers: !sellers.isEmpty,
                                                                pending: pending, hasPending: !pending.isEmpty, shops: shops,
                                                                hasShops: !shops.isEmpty))
    }

    struct PackageOption: Sendable {
        let id: String
        let label: String
        let selected: Bool
    }

    struct StaffWallet: Sendable {
        let layout: Layout
        let base: String
        let businessName: String
        let email: String
        let searched: Bool
        let customerName: String?
        let lots: [WalletWords.Lot]
        let hasLots: Bool
        let packages: [PackageOption]
        let hasPackages: Bool
        let giftCards: [WalletWords.GiftCard]
        let hasGiftCards: Bool
        let giftCardOptions: [PackageOption]
        let sellsGiftCards: Bool
        /// Purchases customers reserved online to pay here: record them paid, or cancel them.
        let pending: [WalletWords.Pending]
        let hasPending: Bool
        let memberships: [WalletWords.Membership]
        let hasMemberships: Bool
        let planOptions: [PackageOption]
        let sellsMemberships: Bool
        let staff = true
        var errors = FormErrors()
    }

    private func staffPage(_ context: RequestContext, _ business: Business, email: String, chosen: String = "") throws -> StaffWallet {
        let base = "/staff/\(PercentDecoding.encode(business.slug))/wallet"
        let normalized = Validation.normalizedEmail(email)
        let customer = try normalized.flatMap { try context.app.database.user(email: $0) }
        let lots = try customer.map { try context.app.database.wallet(userID: $0.id, businessID: business.id) } ?? []
        let members = try customer.map { customer in
            try context.app.database.memberships(userID: customer.id, businessID: business.id, now: context.instant).map {
                WalletWords.membership($0, lots: lots, actions: "\(base)/memberships/\($0.id)", now: context.instant)
            }
        } ?? []
        let plans = try context.app.database.membershipPlans(businessID: business.id).map {
            PackageOption(id: String($0.id), label: "\($0.name): \(WalletWords.planSummary($0))", selected: false)
        }
        let packages = try context.app.database.packages(businessID: business.id).map { package in
            PackageOption(id: package.id.description,
                          label: "\(package.name): \(package.credits) credits, \(package.validDays) days, "
                              + Currency.format(package.price, package.currency),
                          selected: chosen == package.id.description)
        }
        let rows = lots.map { WalletWords.lot($0, now: context.instant) }
        // Staff see a card's balance and history; the code stays with its holder (it is what spends it).
        let cards = try customer.map { try context.app.database.giftCards(userID: $0.id, businessID: business.id) } ?? []
        let options = try context.app.database.giftCardProducts(businessID: business.id).map {
            PackageOption(id: String($0.id), label: "\($0.name): \(Currency.format($0.amount, $0.currency))", selected: false)
        }
        let pending = try context.app.database.pendingPurchases(businessID: business.id).map { WalletWords.pending($0, staff: true) }
        return StaffWallet(layout: try context.layout(title: "Wallet — \(business.name)", withForm: true), base: base,
                           businessName: business.name, email: String(email.prefix(254)), searched: !email.isEmpty,
                           customerName: customer?.name, lots: rows, hasLots: !rows.isEmpty, packages: packages,
                           hasPackages: !packages.isEmpty, giftCards: cards.map { WalletWords.giftCard($0, showCode: false) },
                           hasGiftCards: !cards.isEmpty, giftCardOptions: options, sellsGiftCards: !options.isEmpty,
                           pending: pending, hasPending: !pending.isEmpty,
                           memberships: members, hasMemberships: !members.isEmpty, planOptions: plans, sellsMemberships: !plans.isEmpty)
    }

    /// The staff wallet again with a refused form's errors (422).
    func refused(_ context: RequestContext, _ business: Business, email: String, errors: FormErrors) throws -> Response {
        var page = try staffPage(context, business, email: email)
        page.errors = errors
        return context.app.page("wallet/staff", page, status: .unprocessable)
    }

    /// `GET /staff/{business}/wallet?email=…`: a customer's credits at this business, and the sale form.
    func staff(_ context: RequestContext) throws -> Response {
        let (business, _, _) = try context.managedBusiness()
        return context.app.page("wallet/staff", try staffPage(context, business, email: ManageInput.trimmed(context.request.query["email"])))
    }

    /// `POST /staff/{business}/wallet/sell`: records a package paid at the venue (or in cash) and grants its credits.
    func sell(_ context: RequestContext) throws -> Response {
        let (business, _, _) = try context.managedBusiness()
        let form = try context.form()
        let email = ManageInput.trimmed(form["email"])
        var errors = FormErrors()
        let normalized = Validation.normalizedEmail(email)
        if normalized == nil { errors.add("email", "Enter the customer's email address, like name@example.com.") }
        let packageID = PackageID(ManageInput.trimmed(form["package"]))
        if packageID == nil { errors.add("package", "Choose a package.") }
        let payment = PackagePayment(rawValue: form["payment"] ?? "")
        if payment == nil || payment == .card { errors.add("payment", "Choose how the customer paid: at the venue or in cash.") }
        if errors.isEmpty, let normalized, let packageID, let payment {
            do {
                try context.app.database.sellPackage(businessID: business.id, packageID: packageID, customerEmail: normalized,
                                                     payment: payment, actor: try context.auditActor(), now: context.instant)
                return .redirect(to: "/staff/\(PercentDecoding.encode(business.slug))/wallet?email=" + PercentDecoding.encode(normalized))
            } catch WalletFailure.customerNotFound {
                errors.add("email", "No customer has an account with that email. Ask them to sign up first, then record the sale.")
            } catch WalletFailure.packageNotFound {
                errors.add("package", "Choose one of the listed packages.")
            }
        }
        var page = try staffPage(context, business, email: email, chosen: form["package"] ?? "")
        page.errors = errors
        return context.app.page("wallet/staff", page, status: .unprocessable)
    }
}

extension App {
    /// Packages in the builder, the customer's wallet and the staff's view of it (issue 18).
    static func addWalletRoutes(to table: inout RouteTable) {
        let wallet = WalletPages()
        table.add("GET", "/account/wallet", requires: .signedIn, wallet.account)
        table.add("GET", "/staff/:business/wallet", requires: .permission(.bookingViewOrg), wallet.staff)
        table.add("POST", "/staff/:business/wallet/sell", requires: .permission(.bookingViewOrg), wallet.sell)
        let packages = PackageHandlers()
        table.add("GET", "/manage/:business/packages", requires: .permission(.serviceTemplateManage), packages.show)
        table.add("POST", "/manage/:business/packages", requires: .permission(.serviceTemplateManage), packages.create)
        let promos = PromoCodeHandlers()
        table.add("GET", "/manage/:business/promo-codes", requires: .permission(.serviceTemplateManage), promos.show)
        table.add("POST", "/manage/:business/promo-codes", requires: .permission(.serviceTemplateManage), promos.create)
        let giftCards = GiftCardHandlers()
        table.add("GET", "/manage/:business/gift-cards", requires: .permission(.serviceTemplateManage), giftCards.show)
        table.add("POST", "/manage/:business/gift-cards", requires: .permission(.serviceTemplateManage), giftCards.create)
        table.add("POST", "/staff/:business/wallet/gift-cards", requires: .permission(.bookingViewOrg)) { context in
            try giftCards.sell(context, pages: wallet)
        }
        table.add("GET", "/staff/:business/gift-cards/:id", requires: .permission(.bookingViewOrg), giftCards.card)
        addMembershipRoutes(to: &table, wallet: wallet)
    }
}
