import BookingCore
import Foundation
import HTTPServer
import Store

/// `/manage/{business}/promo-codes`: promo codes in the builder (issue 18): percent or amount off,
/// for named offers (or all), on dates from/until, with total and per-customer limits.
struct PromoCodeHandlers: Sendable {
    struct Row: Sendable {
        let code: String
        let summary: String
    }

    struct Page: Sendable {
        let layout: Layout
        let nav: ManageNav
        let action: String
        let currency: String
        let rows: [Row]
        let hasRows: Bool
        let offers: [WalletWords.OfferChoice]
        var code = ""
        var amountOff = false
        var value = ""
        var validFrom = ""
        var validUntil = ""
        var totalLimit = ""
        var perCustomerLimit = ""
        var errors = FormErrors()
    }

    private func page(_ context: RequestContext, _ business: Business, _ nav: ManageNav, checked: Set<String> = []) throws -> Page {
        let offers = try context.app.database.liveOffers(businessID: business.id)
        let names = Dictionary(offers.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let rows = try context.app.database.promoCodes(businessID: business.id, now: context.instant).map { info in
            let rule = info.rule
            let off: String = switch rule.discount {
            case .percent(let p): "\(p)% off"
            case .amount(let a): Currency.format(a, business.currency) + " off"
            }
            var parts = [off]
            parts.append(rule.offerIDs.isEmpty ? "every offer" : rule.offerIDs.compactMap { names[$0] }.sorted().joined(separator: ", "))
            if let from = rule.validFrom { parts.append("from \(HumanTime.longDate(from))") }
            if let until = rule.validUntil { parts.append("until \(HumanTime.longDate(until))") }
            parts.append("used \(info.uses)" + (rule.totalLimit.map { " of \($0)" } ?? "") + " times")
            if let each = rule.perCustomerLimit { parts.append("at most \(each) per customer") }
            return Row(code: rule.code, summary: parts.joined(separator: ", "))
        }
        return Page(layout: try context.layout(title: "Promo codes — \(business.name)", withForm: true), nav: nav,
                    action: nav.base + "/promo-codes", currency: business.currency, rows: rows, hasRows: !rows.isEmpty,
                    offers: WalletWords.offerChoices(offers, checked: checked))
    }

    func show(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        return context.app.page("wallet/promo-codes", try page(context, business, nav))
    }

    private static func optionalLimit(_ text: String?, field: String, _ errors: inout FormErrors) -> Int?? {
        if ManageInput.trimmed(text).isEmpty { return .some(nil) }
        return ManageInput.integer(text, field: field, in: 1...1_000_000, unit: "uses", &errors).map { .some($0) }
    }

    private static func optionalDate(_ text: String?, field: String, _ errors: inout FormErrors) -> LocalDate?? {
        if ManageInput.trimmed(text).isEmpty { return .some(nil) }
        return ManageInput.date(text, field: field, &errors).map { .some($0) }
    }

    func create(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        let form = try context.form()
        var errors = FormErrors()
        let code = PromoCodes.normalize(form["code"] ?? "")
        if code.count < 3 || code.count > 40 || !code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
            errors.add("code", "Use 3 to 40 letters, digits or hyphens for the code.")
        }
        let amountOff = form["kind"] == "amount"
        var discount: PromoRule.Discount?
        if amountOff {
            if let amount = ManageInput.price(form["value"], currency: business.currency, field: "value", &errors) {
                if amount > 0 { discount = .amount(amount) } else { errors.add("value", "Enter an amount above zero.") }
            }
        } else if let percent = ManageInput.integer(form["value"], field: "value", in: 1...100, unit: "percent", &errors) {
            discount = .percent(percent)
        }
        let from = Self.optionalDate(form["valid_from"], field: "valid_from", &errors)
        let until = Self.optionalDate(form["valid_until"], field: "valid_until", &errors)
        if let f = from ?? nil, let u = until ?? nil, u < f { errors.add("valid_until", "Make the last day the same as or after the first.") }
        let total = Self.optionalLimit(form["total_limit"], field: "total_limit", &errors)
        let each = Self.optionalLimit(form["per_customer_limit"], field: "per_customer_limit", &errors)
        if errors.isEmpty, let discount, let from, let until, let total, let each {
            let rule = PromoRule(code: code, discount: discount, offerIDs: Set(form.all("offers").compactMap { OfferID($0) }),
                                 validFrom: from, validUntil: until, totalLimit: total, perCustomerLimit: each)
            if try context.app.database.createPromoCode(businessID: business.id, rule, actor: try context.auditActor(), now: context.instant) {
                return .redirect(to: nav.base + "/promo-codes")
            }
            errors.add("code", "The business already has the code \(code).")
        }
        var page = try page(context, business, nav, checked: Set(form.all("offers")))
        page.code = String(code.prefix(40))
        page.amountOff = amountOff
        page.value = String((form["value"] ?? "").prefix(20))
        page.validFrom = String((form["valid_from"] ?? "").prefix(10))
        page.validUntil = String((form["valid_until"] ?? "").prefix(10))
        page.totalLimit = String((form["total_limit"] ?? "").prefix(10))
        page.perCustomerLimit = String((form["per_customer_limit"] ?? "").prefix(10))
        page.errors = errors
        return context.app.page("wallet/promo-codes", page, status: .unprocessable)
    }
}
