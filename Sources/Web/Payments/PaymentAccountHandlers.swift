import BookingCore
import Foundation
import HTTPServer
import Outbound
import Store

/// `/manage/{business}/payments`: connect Stripe (secret key checked against Stripe, webhook signing
/// secret), both stored sealed and shown masked; the reschedule re-pricing policy. Audited.
struct PaymentAccountHandlers: Sendable {
    struct Page: Sendable {
        let layout: Layout
        let nav: ManageNav
        var connected = false
        var secretKeyHint = ""
        var webhookSecretHint = ""
        var publishableKey = ""
        var pricing: [Option] = []
        var webhookURL = ""
        var saved = false
        var problems: [Problem] = []
        var hasProblems = false
        var errors = FormErrors()
    }

    struct Problem: Sendable {
        let booking: String
        let message: String
    }

    static let pricingChoices = [(ReschedulePricing.keepPrice.rawValue, "Keep the price the booking was made at"),
                                 (ReschedulePricing.chargeDifference.rawValue, "Price the new time: charge or refund the difference")]

    func page(_ context: RequestContext, _ business: Business, _ nav: ManageNav) throws -> Page {
        var page = Page(layout: try context.layout(title: "Payments — \(business.name)", withForm: true), nav: nav)
        let account = try context.app.database.paymentAccount(businessID: business.id)
        page.connected = account != nil
        page.secretKeyHint = account?.secretKeyHint ?? ""
        page.webhookSecretHint = account?.webhookSecretHint ?? ""
        page.publishableKey = account?.publishableKey ?? ""
        page.pricing = Option.list(Self.pricingChoices, selected: (account?.reschedulePricing ?? .keepPrice).rawValue)
        page.webhookURL = "/stripe/webhook/" + PercentDecoding.encode(business.slug)
        page.problems = try context.app.database.paymentProblems(businessID: business.id).map {
            Problem(booking: $0.orderPublicID, message: $0.message)
        }
        page.hasProblems = !page.problems.isEmpty
        return page
    }

    func show(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        var page = try page(context, business, nav)
        page.saved = context.request.query["saved"] != nil
        return context.app.page("manage/payments", page)
    }

    func save(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        let form = try context.form()
        let existing = try context.app.database.paymentAccount(businessID: business.id)
        var errors = FormErrors()
        let secretKey = ManageInput.trimmed(form["secret_key"])
        let webhookSecret = ManageInput.trimmed(form["webhook_secret"])
        let publishable = ManageInput.trimmed(form["publishable_key"])
        if secretKey.isEmpty && existing == nil {
            errors.add("secret_key", "Enter your Stripe secret key (it starts with sk_live_ or sk_test_).")
        } else if !secretKey.isEmpty && !(secretKey.hasPrefix("sk_") || secretKey.hasPrefix("rk_")) || secretKey.count > 255
                    || secretKey.contains(where: { $0.isWhitespace }) {
            errors.add("secret_key", "That is not a Stripe secret key: it starts with sk_live_, sk_test_ or rk_.")
        }
        if webhookSecret.isEmpty && existing == nil {
            errors.add("webhook_secret", "Enter the webhook signing secret Stripe shows for this endpoint (it starts with whsec_).")
        } else if !webhookSecret.isEmpty && (!webhookSecret.hasPrefix("whsec_") || webhookSecret.count > 255) {
            errors.add("webhook_secret", "That is not a webhook signing secret: it starts with whsec_.")
        }
        if !publishable.hasPrefix("pk_") || publishable.count > 255 || publishable.count < 8 || publishable.contains(where: { $0.isWhitespace }) {
            errors.add("publishable_key", "Enter your Stripe publishable key (it starts with pk_live_ or pk_test_).")
        }
        let pricing = ReschedulePricing(rawValue: form["reschedule_pricing"] ?? "")
        if pricing == nil { errors.add("reschedule_pricing", "Choose how a reschedule is priced.") }
        if errors.isEmpty && !secretKey.isEmpty {
            do {
                try context.app.payments.checkKey(secretKey)
            } catch {
                if case .refused(let status, _, let message) = error, status == 401 || status == 403 {
                    errors.add("secret_key", "Stripe did not accept this key (\(message)). Copy it again from your Stripe dashboard.")
                } else {
                    errors.add("secret_key", "We could not check the key with Stripe just now (\(error.description)). Nothing was saved; try again.")
                }
            }
        }
        if errors.isEmpty, let pricing {
            let box = context.app.payments.settings.box
            let account = PaymentAccount(
                businessID: business.id,
                secretKeySealed: try secretKey.isEmpty ? existing!.secretKeySealed : box.seal(secretKey),
                webhookSecretSealed: try webhookSecret.isEmpty ? existing!.webhookSecretSealed : box.seal(webhookSecret),
                publishableKey: publishable,
                secretKeyHint: secretKey.isEmpty ? existing!.secretKeyHint : SecretBox.masked(secretKey),
                webhookSecretHint: webhookSecret.isEmpty ? existing!.webhookSecretHint : SecretBox.masked(webhookSecret),
                reschedulePricing: pricing, connectedAt: existing?.connectedAt ?? context.instant)
            try context.app.database.connectPayments(account, actor: try context.auditActor(), now: context.instant)
            return .redirect(to: nav.base + "/payments?saved=1")
        }
        var page = try page(context, business, nav)
        page.publishableKey = String(publishable.prefix(255))
        page.pricing = Option.list(Self.pricingChoices, selected: form["reschedule_pricing"] ?? "")
        page.errors = errors
        return context.app.page("manage/payments", page, status: .unprocessable)
    }
}
