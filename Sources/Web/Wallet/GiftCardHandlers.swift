import BookingCore
import Foundation
import HTTPServer
import Store

/// Gift cards (issue 18): the amounts a business sells, in the builder (`/manage/{business}/gift-cards`),
/// a card sold at the front desk (`POST /staff/{business}/wallet/gift-cards`), and a card's page for
/// staff with its code, balance and history.
struct GiftCardHandlers: Sendable {
    struct Row: Sendable {
        let name: String
        let amount: String
    }

    struct BuilderPage: Sendable {
        let layout: Layout
        let nav: ManageNav
        let action: String
        let currency: String
        let rows: [Row]
        let hasRows: Bool
        var name = ""
        var amount = ""
        var errors = FormErrors()
    }

    private func builderPage(_ context: RequestContext, _ business: Business, _ nav: ManageNav) throws -> BuilderPage {
        let rows = try context.app.database.giftCardProducts(businessID: business.id).map {
            Row(name: $0.name, amount: Currency.format($0.amount, $0.currency))
        }
        return BuilderPage(layout: try context.layout(title: "Gift cards — \(business.name)", withForm: true), nav: nav,
                           action: nav.base + "/gift-cards", currency: business.currency, rows: rows, hasRows: !rows.isEmpty)
    }

    func show(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        return context.app.page("wallet/gift-cards", try builderPage(context, business, nav))
    }

    func create(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        let form = try context.form()
        var errors = FormErrors()
        let name = ManageInput.name(form["name"], field: "name", what: "a name for the gift card", &errors)
        let amount = ManageInput.price(form["amount"], currency: business.currency, field: "amount", &errors)
        if let amount, amount <= 0 { errors.add("amount", "Enter an amount above zero.") }
        if errors.isEmpty, let name, let amount {
            do {
                try context.app.database.createGiftCardProduct(businessID: business.id, name: name, amount: amount,
                                                               actor: try context.auditActor(), now: context.instant)
                return .redirect(to: nav.base + "/gift-cards")
            } catch WalletFailure.invalid(let field, let message) {
                errors.add(field, message)
            }
        }
        var page = try builderPage(context, business, nav)
        page.name = String(ManageInput.trimmed(form["name"]).prefix(120))
        page.amount = String((form["amount"] ?? "").prefix(20))
        page.errors = errors
        return context.app.page("wallet/gift-cards", page, status: .unprocessable)
    }

    struct CardPage: Sendable {
        let layout: Layout
        let walletURL: String
        let card: WalletWords.GiftCard
    }

    /// `GET /staff/{business}/gift-cards/{id}`: the card just sold (its code to hand over), or any card.
    func card(_ context: RequestContext) throws -> Response {
        let (business, _, _) = try context.managedBusiness()
        guard let id = Int64(try context.parameter("id")),
              let card = try context.app.database.giftCard(businessID: business.id, id: id) else { throw WebError.notFound() }
        return context.app.page("wallet/gift-card", CardPage(layout: try context.layout(title: "Gift card — \(business.name)"),
                                                             walletURL: "/staff/\(PercentDecoding.encode(business.slug))/wallet",
                                                             card: WalletWords.giftCard(card, showCode: true)))
    }

    /// `POST /staff/{business}/wallet/gift-cards`: records a card paid at the venue (or in cash),
    /// held by the customer with `holder` when given; on to the card's page with its code.
    func sell(_ context: RequestContext, pages: WalletPages) throws -> Response {
        let (business, _, _) = try context.managedBusiness()
        let form = try context.form()
        var errors = FormErrors()
        let holder = ManageInput.trimmed(form["holder"])
        let normalized = holder.isEmpty ? nil : Validation.normalizedEmail(holder)
        if !holder.isEmpty && normalized == nil { errors.add("holder", "Enter the customer's email address, like name@example.com, or leave it empty.") }
        let productID = Int64(ManageInput.trimmed(form["gift_card"]))
        if productID == nil { errors.add("gift_card", "Choose a gift card amount.") }
        let payment = PackagePayment(rawValue: form["gift_card_payment"] ?? "")
        if payment == nil || payment == .card { errors.add("gift_card_payment", "Choose how the customer paid: at the venue or in cash.") }
        if errors.isEmpty, let productID, let payment {
            do {
                let card = try context.app.database.sellGiftCard(businessID: business.id, productID: productID, holderEmail: normalized,
                                                                 payment: payment, actor: try context.auditActor(), now: context.instant)
                return .redirect(to: "/staff/\(PercentDecoding.encode(business.slug))/gift-cards/\(card.id)")
            } catch WalletFailure.customerNotFound {
                errors.add("holder", "No customer has an account with that email. Leave it empty to sell a card to hand over.")
            } catch WalletFailure.giftCardNotFound {
                errors.add("gift_card", "Choose one of the listed gift card amounts.")
            }
        }
        return try pages.refused(context, business, email: holder, errors: errors)
    }
}
