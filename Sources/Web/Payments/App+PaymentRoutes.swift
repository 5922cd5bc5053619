import BookingCore
import HTTPServer

extension App {
    /// Payments (issue 16): connecting Stripe, the card step of checkout, and Stripe's webhook.
    static func addPaymentRoutes(to table: inout RouteTable) {
        let account = PaymentAccountHandlers()
        table.add("GET", "/manage/:business/payments", requires: .permission(.orgManage), account.show)
        table.add("POST", "/manage/:business/payments", requires: .permission(.orgManage), account.save)

        let pages = BookingPages()
        table.add("GET", "/b/:business/checkout/:hold/pay", pages.pay)
        table.add("GET", "/b/:business/checkout/:hold/return", pages.paymentReturn)
        table.add("POST", "/b/:business/checkout/:hold/card", pages.payWithCard)
        // Nothing due now but a no-show fee: the card is saved (a SetupIntent), not charged.
        table.add("GET", "/b/:business/checkout/:hold/save-card", pages.saveCard)
        table.add("POST", "/b/:business/checkout/:hold/save-card", pages.saveCardWithCard)
        table.add("GET", "/b/:business/checkout/:hold/save-card/return", pages.saveCardReturn)

        // Authenticated by its Stripe-Signature, not by a form token.
        table.add("POST", "/stripe/webhook/:business", StripeWebhookHandler().receive)
    }
}
