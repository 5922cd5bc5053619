import BookingCore
import Foundation
import HTTPServer
import Outbound
import Store

/// A customer buys a package or a gift card online (issue 18): the business's products page
/// (`/b/{business}/products`), the purchase (`POST …/products/buy`, signed-in customers only: the
/// wallet belongs to the account), and its page. With Stripe connected it is paid by card through a
/// PaymentIntent and granted once the payment succeeds (the return page or the webhook, whichever
/// comes first, once); without Stripe it is reserved to pay at the venue, where staff record it as
/// paid (which grants it) or cancel it (`/staff/{business}/wallet/purchases/{id}/…`).
struct PurchasePages: Sendable {
    struct Product: Sendable {
        /// The form value: `package-12` or `gift_card-3`.
        let value: String
        let name: String
        let details: String
        let price: String
    }

    struct ProductsPage: Sendable {
        let layout: Layout
        let businessName: String
        let businessURL: String
        let action: String
        let packages: [Product]
        let hasPackages: Bool
        let giftCards: [Product]
        let hasGiftCards: Bool
        let sellsNothing: Bool
        let signedIn: Bool
        let loginURL: String
        /// Stripe connected: paid by card now; otherwise reserved and paid at the venue.
        let byCard: Bool
        var errors = FormErrors()
    }

    static func productsPath(_ business: Business) -> String { "/b/\(PercentDecoding.encode(business.slug))/products" }

    static func purchasePath(_ purchase: PurchaseInfo) -> String {
        "/b/\(PercentDecoding.encode(purchase.businessSlug))/purchases/\(PercentDecoding.encode(purchase.publicID))"
    }

    private func business(_ context: RequestContext) throws -> Business {
        guard let business = try context.app.database.business(slug: try context.parameter("business")) else {
            throw WebError.notFound("We could not find that business. Check the link you were given.")
        }
        return business
    }

    private func productsPage(_ context: RequestContext, _ business: Business) throws -> ProductsPage {
        let user = try context.currentUser()
        let packages = try context.app.database.packages(businessID: business.id).map { package in
            Product(value: ProductRef.package(package.id).description, name: package.name,
                    details: "\(package.credits) \(package.credits == 1 ? "credit" : "credits") for \(package.offers.map(\.name).joined(separator: ", ")), "
                        + "valid \(package.validDays) days from purchase" + (package.shareable ? ", shareable within your household" : ""),
                    price: Currency.format(package.price, package.currency))
        }
        let cards = try context.app.database.giftCardProducts(businessID: business.id).map { card in
            Product(value: ProductRef.giftCard(card.id).description, name: card.name,
                    details: "Pays \(Currency.format(card.amount, card.currency)) of any booking at \(business.name), in part or whole.",
                    price: Currency.format(card.amount, card.currency))
        }
        let path = Self.productsPath(business)
        return ProductsPage(layout: try context.layout(title: "Packages and gift cards — \(business.name)", withForm: true),
                            businessName: business.name, businessURL: "/b/\(PercentDecoding.encode(business.slug))", action: path + "/buy",
                            packages: packages, hasPackages: !packages.isEmpty, giftCards: cards, hasGiftCards: !cards.isEmpty,
                            sellsNothing: packages.isEmpty && cards.isEmpty, signedIn: user != nil,
                            loginURL: "/login?next=" + PercentDecoding.encode(path),
                            byCard: try context.app.database.paymentAccount(businessID: business.id) != nil)
    }

    /// `GET /b/{business}/products`.
    func products(_ context: RequestContext) throws -> Response {
        let business = try business(context)
        return context.app.page("wallet/products", try productsPage(context, business))
    }

    /// `POST /b/{business}/products/buy` (field `product`): reserves the purchase; by card when the
    /// business takes payments online (on to the card form), else to pay at the venue.
    func buy(_ context: RequestContext) throws -> Response {
        let business = try business(context)
        let user = try context.requireUser()
        let form = try context.form()
        var errors = FormErrors()
        if let product = ProductRef(ManageInput.trimmed(form["product"])) {
            let account = try context.app.database.paymentAccount(businessID: business.id)
            do {
                let purchase = try context.app.database.startPurchase(business: business, userID: user.id, product: product,
                                                                      method: account == nil ? .atVenue : .card, now: context.instant)
                guard let account, purchase.status == .pending else { return .redirect(to: Self.purchasePath(purchase)) }
                try context.app.payments.startPurchasePayment(purchase, account: account, business: business, now: context.instant)
                return .redirect(to: Self.purchasePath(purchase) + "/pay")
            } catch WalletFailure.packageNotFound, WalletFailure.giftCardNotFound {
                errors.add("product", "Choose one of the packages or gift cards listed.")
            } catch WalletFailure.invalid(_, let message) {
                errors.add("product", message)
            }
        } else {
            errors.add("product", "Choose one of the packages or gift cards listed.")
        }
        var page = try productsPage(context, business)
        page.errors = errors
        return context.app.page("wallet/products", page, status: .unprocessable)
    }

    struct PurchasePage: Sendable {
        let layout: Layout
        let name: String
        let businessName: String
        let amount: String
        let paid: Bool
        let pending: Bool
        let cancelled: Bool
        let atVenue: Bool
        let code: String?
        let validUntil: String?
        let payURL: String?
        let productsURL: String
        /// The buyer may call it off while it is unpaid.
        let cancelAction: String?
    }

    /// The signed-in buyer's own purchase of the route's business; anyone else gets 404.
    private func ownPurchase(_ context: RequestContext) throws -> PurchaseInfo {
        let user = try context.requireUser()
        guard let purchase = try context.app.database.purchase(publicID: try context.parameter("purchase")),
              purchase.businessSlug == (try context.parameter("business")), purchase.userID == user.id else {
            throw WebError.notFound("We could not find that purchase. Your wallet lists what you bought.")
        }
        return purchase
    }

    /// `GET /b/{business}/purchases/{purchase}`: paid (with the gift card's code), waiting, or cancelled.
    func show(_ context: RequestContext) throws -> Response {
        let purchase = try ownPurchase(context)
        let clock = ZoneClock(identifier: purchase.timeZone) ?? ZoneClock(identifier: "UTC")!
        let page = PurchasePage(
            layout: try context.layout(title: "\(purchase.name) — \(purchase.businessName)", withForm: purchase.status == .pending),
            name: purchase.name,
            businessName: purchase.businessName, amount: Currency.format(purchase.amount, purchase.currency),
            paid: purchase.status == .paid, pending: purchase.status == .pending, cancelled: purchase.status == .cancelled,
            atVenue: purchase.method == .atVenue, code: purchase.giftCardCode,
            validUntil: purchase.creditsExpireAt.map { HumanTime.longDate(clock.local($0 - 1).date) },
            payURL: purchase.status == .pending && purchase.method == .card ? Self.purchasePath(purchase) + "/pay" : nil,
            productsURL: "/b/\(PercentDecoding.encode(purchase.businessSlug))/products",
            cancelAction: purchase.status == .pending ? Self.purchasePath(purchase) + "/cancel" : nil)
        var response = context.app.page("wallet/purchase", page)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    struct PayPage: Sendable {
        let layout: Layout
        let name: String
        let businessName: String
        let amount: String
        let publishableKey: String
        let clientSecret: String
        let returnURL: String
        let cardAction: String
        let scriptURL: String
        let productsURL: String
        let message: String?
    }

    /// A card purchase still to pay, with the business's Stripe account; or where to go instead.
    private func payable(_ context: RequestContext) throws -> (PurchaseInfo, PaymentAccount)? {
        let purchase = try ownPurchase(context)
        guard purchase.status == .pending, purchase.method == .card, purchase.stripeIntent != nil,
              let account = try context.app.database.paymentAccount(businessID: purchase.businessID) else { return nil }
        return (purchase, account)
    }

    private func payPage(_ context: RequestContext, _ purchase: PurchaseInfo, _ account: PaymentAccount, message: String?,
                         status: HTTPStatus = .ok) throws -> Response {
        let path = Self.purchasePath(purchase)
        let scriptURL = StripeClient.scriptURL(base: context.app.payments.settings.stripeBase)
        let page = PayPage(layout: try context.layout(title: "Pay — \(purchase.name)", withForm: true), name: purchase.name,
                           businessName: purchase.businessName, amount: Currency.format(purchase.amount, purchase.currency),
                           publishableKey: account.publishableKey, clientSecret: purchase.clientSecret,
                           returnURL: context.app.publicOrigin(context) + path + "/return", cardAction: path + "/card", scriptURL: scriptURL,
                           productsURL: "/b/\(PercentDecoding.encode(purchase.businessSlug))/products", message: message)
        return BookingPages().stripePage(context, "wallet/purchase-pay", page, scriptURL: scriptURL, status: status)
    }

    /// `GET /b/{business}/purchases/{purchase}/pay`: the card form.
    func pay(_ context: RequestContext) throws -> Response {
        guard let (purchase, account) = try payable(context) else { return .redirect(to: Self.purchasePath(try ownPurchase(context))) }
        let message = purchase.lastError.isEmpty ? nil : "The last attempt did not go through: \(purchase.lastError) Try again or use another card."
        return try payPage(context, purchase, account, message: message)
    }

    /// `GET …/return`: Stripe sends the buyer back here; granted if Stripe says the payment succeeded
    /// (once, whether or not the webhook came first).
    func paymentReturn(_ context: RequestContext) throws -> Response {
        guard let (purchase, account) = try payable(context) else { return .redirect(to: Self.purchasePath(try ownPurchase(context))) }
        return try settleOrRetry(context, purchase, account)
    }

    /// `POST …/card` (field `payment_method`): the card of a Stripe.js without `confirmPayment` (the
    /// test double's stand-in) is attached to the intent and confirmed here.
    func payWithCard(_ context: RequestContext) throws -> Response {
        guard let (purchase, account) = try payable(context) else { return .redirect(to: Self.purchasePath(try ownPurchase(context))) }
        let method = ManageInput.trimmed(try context.form()["payment_method"])
        guard !method.isEmpty, method.count <= 255, method.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            return try payPage(context, purchase, account, message: "Enter your card details, then press Pay.", status: .unprocessable)
        }
        if let refused = try context.app.payments.confirmCard(intent: purchase.stripeIntent, account: account, paymentMethod: method) {
            try context.app.database.recordPurchaseFailure(businessID: purchase.businessID, stripeID: purchase.stripeIntent ?? "",
                                                           message: refused, eventID: nil, now: context.instant)
            return try payPage(context, purchase, account,
                               message: "The payment did not go through: \(refused) Nothing was charged or added to your wallet; try another card.",
                               status: HTTPStatus(402))
        }
        return try settleOrRetry(context, purchase, account)
    }

    private func settleOrRetry(_ context: RequestContext, _ purchase: PurchaseInfo, _ account: PaymentAccount) throws -> Response {
        let actor = try context.currentUser().map { Actor.user($0.id) } ?? .guest
        switch try context.app.payments.settlePurchaseFromStripe(purchase, account: account, now: context.instant, actor: actor) {
        case .granted?, .alreadyPaid?, .notGranted?:
            return .redirect(to: Self.purchasePath(purchase))
        case nil:
            return try payPage(context, purchase, account,
                               message: "The payment has not gone through yet. Nothing was added to your wallet; enter your card and press Pay.")
        }
    }

    /// `POST /b/{business}/purchases/{purchase}/cancel`: the buyer calls off a purchase they have
    /// not paid (reserved for the venue, or a card payment not made); nothing is charged or granted.
    /// A card payment that went through meanwhile is granted instead; the page says which.
    func cancel(_ context: RequestContext) throws -> Response {
        let purchase = try ownPurchase(context)
        guard purchase.status == .pending else { throw WalletFailure.purchaseClosed(purchase.status) }
        do {
            _ = try context.app.payments.closeUnpaidPurchase(purchase, reason: "buyer", actor: try context.auditActor(), now: context.instant)
        } catch let error as StripeError {
            throw WebError(.serviceUnavailable, code: "payments_unavailable",
                           "The payment service could not be reached just now, so the purchase is unchanged (\(error)). Please try again in a minute.")
        }
        return .redirect(to: Self.purchasePath(purchase))
    }

    // MARK: Staff

    /// `POST /staff/{business}/wallet/purchases/{id}/paid` (field `payment`: `at_venue` or `cash`):
    /// the customer paid at the venue; the credits or gift card are granted.
    func staffPaid(_ context: RequestContext) throws -> Response {
        let (business, _, _) = try context.managedBusiness()
        let id = try Self.purchaseID(context)
        let payment = PackagePayment(rawValue: try context.form()["payment"] ?? "")
        guard let payment, payment != .card else {
            throw WebError.unprocessable("validation_failed", "Choose how the customer paid: at the venue or in cash.", field: "payment")
        }
        let purchase = try context.app.database.recordPurchasePaid(businessID: business.id, purchaseID: id, payment: payment,
                                                                   actor: try context.auditActor(), now: context.instant)
        return .redirect(to: "/staff/\(PercentDecoding.encode(business.slug))/wallet?email=" + PercentDecoding.encode(purchase.customerEmail))
    }

    /// `POST /staff/{business}/wallet/purchases/{id}/cancel`: not paid after all; nothing is granted.
    func staffCancel(_ context: RequestContext) throws -> Response {
        let (business, _, _) = try context.managedBusiness()
        let purchase = try context.app.database.cancelPurchase(businessID: business.id, purchaseID: try Self.purchaseID(context),
                                                               actor: try context.auditActor(), now: context.instant)
        return .redirect(to: "/staff/\(PercentDecoding.encode(business.slug))/wallet?email=" + PercentDecoding.encode(purchase.customerEmail))
    }

    private static func purchaseID(_ context: RequestContext) throws -> Int64 {
        let text = try context.parameter("purchase")
        guard text.count <= 18, let id = Int64(text), id > 0 else { throw WalletFailure.purchaseNotFound }
        return id
    }
}

extension WalletFailure {
    /// One status and sentence per failure, for a handler that lets it through.
    var webError: WebError {
        switch self {
        case .packageNotFound: WebError(.notFound, code: "not_found", "There is no such package here.")
        case .giftCardNotFound: WebError(.notFound, code: "not_found", "There is no such gift card here.")
        case .customerNotFound: WebError(.notFound, code: "not_found", "No customer has an account with that email.")
        case .purchaseNotFound: WebError(.notFound, code: "not_found", "There is no such purchase waiting to be paid at the venue here.")
        case .purchaseClosed(let status):
            WebError.conflict("illegal_transition", status == .paid ? "That purchase is already paid: nothing changed."
                                                                      : "That purchase was cancelled: nothing changed.")
        case .invalid(let field, let message): WebError.unprocessable("validation_failed", message, field: field)
        }
    }
}

extension App {
    /// Buying packages and gift cards online, and staff recording venue payments (issue 18).
    static func addPurchaseRoutes(to table: inout RouteTable) {
        let pages = PurchasePages()
        table.add("GET", "/b/:business/products", pages.products)
        table.add("POST", "/b/:business/products/buy", requires: .signedIn, pages.buy)
        table.add("GET", "/b/:business/purchases/:purchase", requires: .signedIn, pages.show)
        table.add("GET", "/b/:business/purchases/:purchase/pay", requires: .signedIn, pages.pay)
        table.add("GET", "/b/:business/purchases/:purchase/return", requires: .signedIn, pages.paymentReturn)
        table.add("POST", "/b/:business/purchases/:purchase/card", requires: .signedIn, pages.payWithCard)
        table.add("POST", "/b/:business/purchases/:purchase/cancel", requires: .signedIn, pages.cancel)
        table.add("POST", "/staff/:business/wallet/purchases/:purchase/paid", requires: .permission(.bookingViewOrg), pages.staffPaid)
        table.add("POST", "/staff/:business/wallet/purchases/:purchase/cancel", requires: .permission(.bookingViewOrg), pages.staffCancel)
    }
}
