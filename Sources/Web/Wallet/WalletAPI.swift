import BookingCore
import Foundation
import HTTPServer
import Store

/// The wallet endpoints of `/api/v1` (issue 18, CONTRACT.md "Customers, products…"): the business's
/// products, a customer record's wallet, and packages granted to it once bought at the venue.
extension App {
    static func addWalletAPIRoutes(to table: inout RouteTable) {
        table.add("GET", "/api/v1/products", requires: .apiKey(nil)) { context in
            let principal = try context.apiPrincipal()
            let business = principal.business
            return .json(WalletAPIModels.productsBody(packages: try context.app.database.packages(businessID: business.id),
                                                      promos: try context.app.database.promoCodes(businessID: business.id, now: context.instant),
                                                      giftCards: try context.app.database.giftCardProducts(businessID: business.id),
                                                      offers: try context.app.database.liveOffers(businessID: business.id),
                                                      memberships: try context.app.database.membershipPlans(businessID: business.id)))
        }
        table.add("POST", "/api/v1/products", requires: .apiKey(.serviceTemplateManage)) { context in
            let principal = try context.apiPrincipal()
            return try createProduct(context, business: principal.business, actor: Actor.apiKey(principal.keyID).label)
        }
        table.add("GET", "/api/v1/customers/:id/wallet", requires: .apiKey(.bookingViewOrg)) { context in
            let principal = try context.apiPrincipal()
            return .json(try customerWallet(context, businessID: principal.business.id, customerID: try customerID(context)))
        }
        table.add("POST", "/api/v1/customers/:id/wallet/grants", requires: .apiKey(.bookingManageOrg)) { context in
            let principal = try context.apiPrincipal()
            let json = try StrictJSON(body: context.request.body, allowed: ["product"])
            guard let product = try json.int("product", in: 1...Int.max) else {
                throw WebError.unprocessable("validation_failed", "product is required: the id of a package (GET /api/v1/products).",
                                             field: "product")
            }
            let id = try customerID(context)
            let granted: EntitlementID?
            do {
                granted = try context.app.database.grantPackage(businessID: principal.business.id, customerID: id,
                                                                packageID: PackageID(rawValue: Int64(product)),
                                                                actor: Actor.apiKey(principal.keyID).label, now: context.instant)
            } catch WalletFailure.packageNotFound {
                throw WebError(.notFound, code: "not_found", "There is no package with that id.", field: "product")
            } catch WalletFailure.customerNotFound {
                throw WebError.conflict("no_account", "Credits belong to a customer's account: ask the customer to sign up with one of their addresses first.",
                                        field: "product")
            }
            guard granted != nil else { throw WebError(.notFound, code: "not_found", "We could not find that customer.") }
            return .json(try customerWallet(context, businessID: principal.business.id, customerID: id), status: .created)
        }
    }

    /// The route's customer record id; 404 when it is not one.
    private static func customerID(_ context: RequestContext) throws -> CustomerID {
        guard let id = CustomerID(try context.parameter("id")) else {
            throw WebError(.notFound, code: "not_found", "We could not find that customer.")
        }
        return id
    }

    /// Memberships through the API (issue 18), as the staff wallet page does them: a sign-up at the
    /// venue (the first month paid there or in cash), and pause, resume and cancel of a membership of
    /// the customer the path names. Each answers the customer's wallet.
    static func addMembershipAPIRoutes(to table: inout RouteTable) {
        table.add("POST", "/api/v1/customers/:id/memberships", requires: .apiKey(.bookingManageOrg)) { context in
            let principal = try context.apiPrincipal()
            let json = try StrictJSON(body: context.request.body, allowed: ["plan", "payment"])
            guard let plan = try json.int("plan", in: 1...Int.max) else {
                throw WebError.unprocessable("validation_failed", "plan is required: the id of a membership (GET /api/v1/products).",
                                             field: "plan")
            }
            guard let payment = PackagePayment(rawValue: try json.string("payment", maxLength: 20) ?? "at_venue"), payment != .card else {
                throw WebError.unprocessable("validation_failed", "payment must be at_venue or cash: the first month is paid at the venue.",
                                             field: "payment")
            }
            let customer = try customerID(context)
            let started: Int64?
            do {
                started = try context.app.database.signUpMember(businessID: principal.business.id, planID: Int64(plan), customerID: customer,
                                                                payment: payment, actor: Actor.apiKey(principal.keyID).label,
                                                                now: context.instant)
            } catch MembershipFailure.notFound {
                throw WebError(.notFound, code: "not_found", "There is no membership plan with that id.", field: "plan")
            } catch MembershipFailure.alreadyMember {
                throw WebError.conflict("already_member", "This customer already has this membership.", field: "plan")
            } catch WalletFailure.customerNotFound {
                throw WebError.conflict("no_account", "A membership belongs to a customer's account: ask the customer to sign up with one of their addresses first.",
                                        field: "plan")
            }
            guard started != nil else { throw WebError(.notFound, code: "not_found", "We could not find that customer.") }
            return .json(try customerWallet(context, businessID: principal.business.id, customerID: customer), status: .created)
        }
        for action in ["pause", "resume", "cancel"] {
            table.add("POST", "/api/v1/customers/:id/memberships/:membership/\(action)", requires: .apiKey(.bookingManageOrg)) { context in
                let principal = try context.apiPrincipal()
                let business = principal.business.id, actor = Actor.apiKey(principal.keyID).label
                let body = context.request.body.isEmpty ? nil
                    : try StrictJSON(body: context.request.body, allowed: action == "pause" ? ["months"] : [])
                let customer = try customerID(context)
                let text = try context.parameter("membership")
                guard text.count <= 18, let id = Int64(text), id > 0,
                      let holder = try context.app.database.customerMembershipHolder(businessID: business, customerID: customer, membershipID: id)
                else { throw WebError(.notFound, code: "not_found", "We could not find that membership of this customer.") }
                switch action {
                case "pause":
                    guard let months = try body?.int("months", in: 1...120) else {
                        throw WebError.unprocessable("validation_failed", "months is required: how many months to pause for.", field: "months")
                    }
                    try context.app.database.pauseMembership(businessID: business, membershipID: id, userID: holder, months: months, actor: actor,
                                                             now: context.instant)
                case "resume":
                    try context.app.database.resumeMembership(businessID: business, membershipID: id, userID: holder, actor: actor, now: context.instant)
                default:
                    try context.app.database.cancelMembership(businessID: business, membershipID: id, userID: holder, actor: actor, now: context.instant)
                }
                return .json(try customerWallet(context, businessID: business, customerID: customer))
            }
        }
    }

    private static func customerWallet(_ context: RequestContext, businessID: BusinessID, customerID: CustomerID) throws -> [UInt8] {
        guard let held = try context.app.database.customerHoldings(businessID: businessID, customerID: customerID, now: context.instant) else {
            throw WebError(.notFound, code: "not_found", "We could not find that customer.")
        }
        return WalletAPIModels.customerWalletBody(held.lots, giftCards: held.giftCards, memberships: held.memberships, now: context.instant)
    }

    private static func createProduct(_ context: RequestContext, business: Business, actor: String) throws -> Response {
        let json = try StrictJSON(body: context.request.body,
                                  allowed: Set(["kind", "name", "credits", "valid_days", "price", "shareable", "offers", "code", "percent_off",
                                                "amount_off", "valid_from", "valid_until", "total_limit", "per_customer_limit"]
                                               + membershipFields))
        let kind = try json.requiredString("kind", maxLength: 20)
        let offers = try context.app.database.liveOffers(businessID: business.id)
        let bySlug = Dictionary(offers.map { ($0.slug, $0.id) }, uniquingKeysWith: { first, _ in first })
        let offerIDs = try (json.stringArray("offers", maxCount: 50) ?? []).map { slug in
            guard let id = bySlug[slug] else { throw WebError(.notFound, code: "not_found", "There is no offer called \(slug).", field: "offers") }
            return id
        }
        let refuse = { (field: String, kinds: String) -> WebError in
            WebError.unprocessable("unknown_field", "\(field) is not a field of a \(kinds).", field: field)
        }
        switch kind {
        case "package":
            for field in ["code", "percent_off", "amount_off", "valid_from", "valid_until", "total_limit", "per_customer_limit"] + membershipFields
            where json.has(field) { throw refuse(field, "package") }
            let name = try json.requiredString("name", maxLength: 120).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty else { throw WebError.unprocessable("validation_failed", "name must not be empty.", field: "name") }
            guard let credits = try json.int("credits", in: 1...1000) else { throw missing("credits") }
            guard let days = try json.int("valid_days", in: 1...3660) else { throw missing("valid_days") }
            guard let price = try json.int("price", in: 0...100_000_000) else { throw missing("price") }
            guard !offerIDs.isEmpty else {
                throw WebError.unprocessable("validation_failed", "offers must name at least one offer the credits pay for.", field: "offers")
            }
            let id = try context.app.database.createPackage(
                businessID: business.id,
                NewPackage(name: name, credits: credits, validDays: days, price: Int64(price), shareable: try json.bool("shareable") ?? false,
                           offerIDs: offerIDs),
                actor: actor, now: context.instant)
            guard let package = try context.app.database.packages(businessID: business.id).first(where: { $0.id == id }) else {
                throw WebError(.notFound, code: "not_found", "We could not find that package.")
            }
            var out = JSONWriter(capacity: 300)
            WalletAPIModels.write(package, slugs: offers, to: &out)
            return .json(out.bytes, status: .created)
        case "promo_code":
            for field in ["name", "credits", "valid_days", "price", "shareable"] + membershipFields where json.has(field) {
                throw refuse(field, "promo code")
            }
            let code = PromoCodes.normalize(try json.requiredString("code", maxLength: 40))
            guard (3...40).contains(code.count), code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw WebError.unprocessable("validation_failed", "code must be 3 to 40 letters, digits or hyphens.", field: "code")
            }
            let percent = try json.int("percent_off", in: 1...100), amount = try json.int("amount_off", in: 1...100_000_000)
            let discount: PromoRule.Discount
            switch (percent, amount) {
            case (let p?, nil): discount = .percent(p)
            case (nil, let a?): discount = .amount(Int64(a))
            default:
                throw WebError.unprocessable("validation_failed", "A promo code takes exactly one of percent_off and amount_off.", field: "percent_off")
            }
            let from = try date(json, "valid_from"), until = try date(json, "valid_until")
            if let from, let until, until < from {
                throw WebError.unprocessable("validation_failed", "valid_until must be the same day as valid_from or later.", field: "valid_until")
            }
            let rule = PromoRule(code: code, discount: discount, offerIDs: Set(offerIDs), validFrom: from, validUntil: until,
                                 totalLimit: try json.int("total_limit", in: 1...1_000_000),
                                 perCustomerLimit: try json.int("per_customer_limit", in: 1...1_000_000))
            guard try context.app.database.createPromoCode(businessID: business.id, rule, actor: actor, now: context.instant),
                  let made = try context.app.database.promoCodes(businessID: business.id, now: context.instant).first(where: { $0.rule.code == code })
            else {
                throw WebError.conflict("code_taken", "The business already has the code \(code).", field: "code")
            }
            var out = JSONWriter(capacity: 300)
            WalletAPIModels.write(made, slugs: offers, to: &out)
            return .json(out.bytes, status: .created)
        case "gift_card":
            for field in ["credits", "valid_days", "price", "shareable", "offers", "code", "percent_off", "valid_from", "valid_until",
                          "total_limit", "per_customer_limit"] + membershipFields where json.has(field) { throw refuse(field, "gift card") }
            let name = try json.requiredString("name", maxLength: 120).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty else { throw WebError.unprocessable("validation_failed", "name must not be empty.", field: "name") }
            guard let amount = try json.int("amount_off", in: 1...100_000_000) else { throw missing("amount_off") }
            let id = try context.app.database.createGiftCardProduct(businessID: business.id, name: name, amount: Int64(amount), actor: actor,
                                                                    now: context.instant)
            guard let made = try context.app.database.giftCardProducts(businessID: business.id).first(where: { $0.id == id }) else {
                throw WebError(.notFound, code: "not_found", "We could not find that gift card.")
            }
            var out = JSONWriter(capacity: 200)
            WalletAPIModels.write(made, to: &out)
            return .json(out.bytes, status: .created)
        case "membership":
            return try createMembership(context, json, business: business, offers: offers, offerIDs: offerIDs, actor: actor)
        default:
            throw WebError.unprocessable("validation_failed", "kind must be package, membership, promo_code or gift_card.", field: "kind")
        }
    }

    /// The fields only a membership has.
    private static let membershipFields = ["rollover", "rollover_cap", "discount_percent", "max_pause_months", "cancel_notice_days"]

    private static func createMembership(_ context: RequestContext, _ json: StrictJSON, business: Business, offers: [OfferInfo],
                                         offerIDs: [OfferID], actor: String) throws -> Response {
        for field in ["valid_days", "shareable", "code", "percent_off", "amount_off", "valid_from", "valid_until", "total_limit",
                      "per_customer_limit"] where json.has(field) {
            throw WebError.unprocessable("unknown_field", "\(field) is not a field of a membership.", field: field)
        }
        let name = try json.requiredString("name", maxLength: 120).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw WebError.unprocessable("validation_failed", "name must not be empty.", field: "name") }
        guard let price = try json.int("price", in: 0...100_000_000) else { throw missing("price") }
        guard let credits = try json.int("credits", in: 1...1000) else { throw missing("credits") }
        guard !offerIDs.isEmpty else {
            throw WebError.unprocessable("validation_failed", "offers must name at least one offer the credits pay for.", field: "offers")
        }
        let rollover = try json.bool("rollover") ?? false
        let cap = try json.int("rollover_cap", in: 0...1000) ?? 0
        if !rollover && cap != 0 {
            throw WebError.unprocessable("validation_failed", "rollover_cap needs rollover: true.", field: "rollover_cap")
        }
        let id = try context.app.database.createMembershipPlan(
            businessID: business.id,
            NewMembershipPlan(name: name, pricePerMonth: Int64(price), creditsPerPeriod: credits, offerIDs: offerIDs, rollover: rollover,
                              rolloverCap: cap, discountPercent: try json.int("discount_percent", in: 0...100) ?? 0,
                              maxPauseMonths: try json.int("max_pause_months", in: 0...12) ?? 0,
                              cancelNoticeDays: try json.int("cancel_notice_days", in: 1...365)),
            actor: actor, now: context.instant)
        guard let plan = try context.app.database.membershipPlans(businessID: business.id).first(where: { $0.id == id }) else {
            throw WebError(.notFound, code: "not_found", "We could not find that membership.")
        }
        var out = JSONWriter(capacity: 300)
        WalletAPIModels.write(plan, slugs: offers, to: &out)
        return .json(out.bytes, status: .created)
    }

    private static func missing(_ field: String) -> WebError {
        WebError.unprocessable("validation_failed", "\(field) is required.", field: field)
    }

    private static func date(_ json: StrictJSON, _ field: String) throws -> LocalDate? {
        guard let text = try json.string(field, maxLength: 10) else { return nil }
        guard let date = LocalDate(text) else {
            throw WebError.unprocessable("validation_failed", "\(field) must be a date like 2026-12-04.", field: field)
        }
        return date
    }
}

/// The JSON shapes of the wallet endpoints (keys in alphabetical order, like the other shapes).
enum WalletAPIModels {
    static func productsBody(packages: [PackageInfo], promos: [PromoCodeInfo], giftCards: [GiftCardProduct], offers: [OfferInfo],
                             memberships: [MembershipPlanInfo] = []) -> [UInt8] {
        var json = JSONWriter(capacity: 64 + (packages.count + promos.count) * 240)
        json.beginObject()
        json.key("products")
        json.beginArray()
        for package in packages { write(package, slugs: offers, to: &json) }
        for promo in promos { write(promo, slugs: offers, to: &json) }
        for card in giftCards { write(card, to: &json) }
        for plan in memberships { write(plan, slugs: offers, to: &json) }
        json.endArray()
        json.endObject()
        return json.bytes
    }

    static func write(_ package: PackageInfo, slugs offers: [OfferInfo], to json: inout JSONWriter) {
        APIModels.write(package, slugs: Dictionary(offers.map { ($0.id, $0.slug) }, uniquingKeysWith: { first, _ in first }), kind: true,
                        to: &json)
    }

    static func write(_ promo: PromoCodeInfo, slugs offers: [OfferInfo], to json: inout JSONWriter) {
        let slugs = Dictionary(offers.map { ($0.id, $0.slug) }, uniquingKeysWith: { first, _ in first })
        let rule = promo.rule
        json.beginObject()
        switch rule.discount {
        case .amount(let amount): json.field("amount_off", amount)
        case .percent: break
        }
        json.field("code", rule.code)
        json.field("id", promo.id)
        json.field("kind", "promo_code")
        json.field("offers", strings: rule.offerIDs.compactMap { slugs[$0] }.sorted())
        optional(&json, "per_customer_limit", rule.perCustomerLimit)
        if case .percent(let percent) = rule.discount { json.field("percent_off", percent) }
        optional(&json, "total_limit", rule.totalLimit)
        json.field("uses", promo.uses)
        json.field("valid_from", rule.validFrom?.description)
        json.field("valid_until", rule.validUntil?.description)
        json.endObject()
    }

    /// A membership plan: `price` is per month, `credits` per period.
    static func write(_ plan: MembershipPlanInfo, slugs offers: [OfferInfo], to json: inout JSONWriter) {
        let slugs = Dictionary(offers.map { ($0.id, $0.slug) }, uniquingKeysWith: { first, _ in first })
        json.beginObject()
        if case .notice(let days) = plan.rules.cancelRule { optional(&json, "cancel_notice_days", days) } else {
            optional(&json, "cancel_notice_days", nil)
        }
        json.field("credits", plan.rules.creditsPerPeriod)
        json.field("discount_percent", plan.rules.discountPercent)
        json.field("id", plan.id)
        json.field("kind", "membership")
        json.field("max_pause_months", plan.rules.maxPauseMonths)
        json.field("name", plan.name)
        json.field("offers", strings: plan.offers.compactMap { slugs[$0.id] }.sorted())
        json.key("price")
        json.beginObject()
        json.field("amount", plan.pricePerMonth)
        json.field("currency", plan.currency)
        json.endObject()
        json.field("rollover", plan.rules.rollover)
        json.field("rollover_cap", plan.rules.rolloverCap)
        json.endObject()
    }

    static func write(_ card: GiftCardProduct, to json: inout JSONWriter) {
        json.beginObject()
        json.field("id", card.id)
        json.field("kind", "gift_card")
        json.field("name", card.name)
        json.key("price")
        json.beginObject()
        json.field("amount", card.amount)
        json.field("currency", card.currency)
        json.endObject()
        json.endObject()
    }

    private static func optional(_ json: inout JSONWriter, _ name: String, _ number: Int?) {
        json.key(name)
        if let number { json.value(number) } else { json.null() }
    }

    /// `{"credits":[{"id","product","remaining","expires_at"}],"gift_cards":[{"code","balance","currency"}]}`: usable
    /// credits only (expired or used-up lots are history, in `GET /api/v1/wallet`), and the cards its accounts hold.
    /// `memberships`: `[{"id","product","status","next_renewal_at","ends_at","due"}]` (`status`: pending, active, paused,
    /// ending or ended; `due`: months started and not yet paid).
    static func customerWalletBody(_ entries: [WalletEntry], giftCards: [GiftCardInfo], memberships: [MembershipInfo] = [],
                                   now: Instant) -> [UInt8] {
        var json = JSONWriter(capacity: 64 + entries.count * 160)
        json.beginObject()
        json.key("credits")
        json.beginArray()
        for entry in entries where entry.lot.usable(at: now) > 0 {
            json.beginObject()
            json.field("expires_at", instant: entry.lot.expiresAt)
            json.field("id", entry.lot.id)
            json.field("product", entry.lot.packageName)
            json.field("remaining", entry.lot.usable(at: now))
            json.endObject()
        }
        json.endArray()
        json.key("gift_cards")
        json.beginArray()
        for card in giftCards {
            json.beginObject()
            json.field("balance", card.balance)
            json.field("code", card.code)
            json.field("currency", card.currency)
            json.endObject()
        }
        json.endArray()
        json.key("memberships")
        json.beginArray()
        for member in memberships {
            json.beginObject()
            json.field("due", member.due.count)
            json.key("ends_at")
            if let ends = member.endsAt { json.value(instant: ends) } else { json.null() }
            json.field("id", member.id)
            json.key("next_renewal_at")
            if let next = member.nextRenewal { json.value(instant: next) } else { json.null() }
            json.field("product", member.plan.name)
            json.field("status", member.state.rawValue)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.bytes
    }
}
