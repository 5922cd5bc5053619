import BookingCore
import Foundation
import HTTPServer
import Store

/// Checkout: the held start, the customer's details, and the confirmation (CONTRACT.md
/// `GET|POST /b/{business}/checkout/{hold}`).
extension BookingPages {
    // MARK: Checkout

    struct HoldParts {
        let business: Business
        let clock: ZoneClock
        let order: OrderView
        let summary: OrderSummary
        let policy: String
        let offerURL: String
        /// The intake questions of the hold's version (issue 19).
        let questions: [IntakeQuestion]
    }

    func loadHold(_ context: RequestContext) throws -> HoldParts {
        let held: OrderDetails
        do {
            held = try context.app.database.heldOrder(businessSlug: try context.parameter("business"), holdID: try context.parameter("hold"))
        } catch BookingFailure.orderNotFound {
            throw WebError.notFound("We could not find that reservation. Please pick a time again.")
        }
        let business = held.business, clock = held.clock, order = held.order
        let summary = OrderSummary(order: order, business: business, clock: clock, resources: held.resources,
                                   location: held.place.map(BusinessLocation.init))
        return HoldParts(business: business, clock: clock, order: order, summary: summary,
                         policy: BookingFormat.cancellationPolicy(held.spec?.cancellationTiers ?? []),
                         offerURL: Self.offerPath(business, order.offerSlug) + "?date=" + clock.local(order.start).date.description,
                         questions: held.spec?.questions ?? [])
    }

    /// Expired, or already confirmed: a page that explains and offers to pick again (409).
    func goneResponse(_ context: RequestContext, _ parts: HoldParts) throws -> Response? {
        let order = parts.order
        let expired = order.status == .expired || (order.status == .held && (order.holdExpiresAt ?? 0) <= context.instant)
        let heading: String, message: String
        if expired {
            heading = "Your hold has expired"
            message = "We held this time for you for a few minutes, but the hold ran out before the booking was confirmed, "
                + "so the time was released and nothing was booked. Please pick a time again."
        } else if order.status == .held {
            return nil
        } else {
            heading = "This reservation is no longer open"
            message = "This time was already confirmed or cancelled. Use the link in your confirmation to see the booking, or pick a new time."
        }
        let page = HoldGonePage(layout: try context.layout(title: heading), heading: heading, message: message,
                                offerURL: parts.offerURL, offerName: order.offerName)
        return context.app.page("booking/gone", page, status: .conflict)
    }

    private func checkoutPage(_ context: RequestContext, _ parts: HoldParts, user: User?, household: [HouseholdMember],
                              chosenMember: String = "") throws -> CheckoutPage {
        let expiry = parts.order.holdExpiresAt ?? context.instant
        var credit: String?, creditNote: String?
        if let user {
            switch try context.app.database.creditFor(business: parts.business, holdID: parts.order.publicID, userID: user.id,
                                                      forHouseholdMember: false, now: context.instant) {
            case .success(let lot): credit = WalletWords.offer(lot, parts.clock, now: context.instant)
            case .failure(.noCredits): break
            case .failure(let refusal): creditNote = WalletWords.refusal(refusal, parts.clock)
            }
        }
        return CheckoutPage(
            layout: try context.layout(title: "Check out — \(parts.order.offerName)", withForm: true),
            action: "/b/\(PercentDecoding.encode(parts.business.slug))/checkout/\(PercentDecoding.encode(parts.order.publicID))",
            summary: parts.summary, policy: parts.policy, holdUntil: parts.clock.local(expiry).time.description,
            holdUntilISO: RFC3339.format(expiry), holdLeft: BookingFormat.timeLeft(expiry - context.instant), offerURL: parts.offerURL,
            members: household.map { CheckoutPage.Member(id: String($0.id),
                                                          label: $0.relationship.isEmpty ? $0.name : "\($0.name) (\($0.relationship))",
                                                          checked: chosenMember == String($0.id)) },
            hasMembers: !household.isEmpty, forSelf: !household.contains { chosenMember == String($0.id) },
            payNow: try context.app.database.holdPayment(business: parts.business, holdID: parts.order.publicID).map {
                "A card is needed to book: \(BookingFormat.money($0.dueNow, parts.order.price.currency)) is taken now"
                    + ($0.dueNow < parts.order.price.total ? " as a deposit; the rest is paid at the venue." : ", the full price.")
            } ?? context.app.database.holdCardSetup(business: parts.business, holdID: parts.order.publicID).map { _ in
                "A card is needed to book: nothing is taken now (you pay at the venue); the card is kept in case of a no-show fee."
            }, credit: credit, creditNote: creditNote, useCredit: credit != nil,
            questions: IntakeField.fields(parts.questions))
    }

    /// The signed-in user's household (empty for a guest).
    private func household(_ context: RequestContext, _ user: User?) throws -> [HouseholdMember] {
        guard let user else { return [] }
        return try context.app.database.household(userID: user.id)
    }

    func checkout(_ context: RequestContext) throws -> Response {
        let parts = try loadHold(context)
        if let gone = try goneResponse(context, parts) { return gone }
        let user = try context.currentUser()
        var page = try checkoutPage(context, parts, user: user, household: try household(context, user))
        if let user {
            page.name = user.name
            page.email = user.email
        }
        // A hold made with the customer's details (a waitlist offer) starts filled with them.
        let held = parts.order.customer
        if !held.name.isEmpty && !held.email.isEmpty {
            page.name = held.name
            page.email = held.email
            page.phone = held.phone
            page.notes = held.notes
        }
        // Answers given before (a hold waiting at the payment step) fill the fields again.
        let answered = Dictionary(parts.order.answers.map { ($0.key, $0.answer) }, uniquingKeysWith: { a, _ in a })
        if !answered.isEmpty { page.questions = IntakeField.fields(parts.questions, values: answered) }
        var response = context.app.page("booking/checkout", page)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    func confirm(_ context: RequestContext) throws -> Response {
        let parts = try loadHold(context)
        if let gone = try goneResponse(context, parts) { return gone }
        let form = try context.form()
        var errors = FormErrors()
        var tooMany = false
        let rawName = form["name"] ?? "", rawEmail = form["email"] ?? "", rawPhone = form["phone"] ?? "", rawNotes = form["notes"] ?? ""
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        let phone = rawPhone.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { errors.add("name", "Enter your name.") } else if name.count > 120 { errors.add("name", "Keep your name to 120 characters or fewer.") }
        let email = Validation.normalizedEmail(rawEmail)
        if rawEmail.trimmingCharacters(in: .whitespaces).isEmpty {
            errors.add("email", "Enter your email address, so we can send you the confirmation.")
        } else if email == nil {
            errors.add("email", "Enter an email address like name@example.com.")
        }
        if phone.count > 40 || !phone.allSatisfy({ $0.isNumber || " +-().".contains($0) }) {
            errors.add("phone", "Enter a phone number using digits, spaces and + - ( ), or leave it empty.")
        }
        let notes = rawNotes.trimmingCharacters(in: .whitespacesAndNewlines)
        if notes.unicodeScalars.count > 2000 { errors.add("notes", "Keep your note to 2,000 characters or fewer.") }
        let user = try context.currentUser()
        let household = try household(context, user)
        let memberText = (form["household_member"] ?? "").trimmingCharacters(in: .whitespaces)
        var memberID: HouseholdMemberID?
        if !memberText.isEmpty {
            // Only the signed-in user's own household members: anyone else's id is refused, changing nothing.
            if let id = HouseholdMemberID(memberText), household.contains(where: { $0.id == id }) {
                memberID = id
            } else {
                errors.add("household_member", user == nil
                           ? "Log in to book for a member of your household, or book for yourself."
                           : "Choose yourself or one of the household members listed.")
            }
        }
        let payWithCredit = form["pay_with"] == "credit"
        let promoCode = ManageInput.trimmed(form["promo_code"])
        if promoCode.count > 40 { errors.add("promo_code", "We do not know that promo code. Check its spelling, or leave it empty.") }
        if payWithCredit && user == nil { errors.add("pay_with", "Log in to pay with a credit from your wallet.") }
        // The intake answers: checked here for the messages by field, and again by the Store as they are frozen.
        let answers = IntakeField.sent(parts.questions, form: form)
        IntakeField.check(parts.questions, values: answers, into: &errors)
        if errors.isEmpty, let email {
            let customer = CustomerDetails(name: name, email: email, phone: phone, userID: user?.id, householdMemberID: memberID,
                                           notes: notes, answers: answers)
            do {
                if payWithCredit {
                    let confirmed = try context.app.database.confirmHold(business: parts.business, holdID: parts.order.publicID,
                                                                         customer: customer, now: context.instant,
                                                                         actor: user.map { .user($0.id) } ?? .guest, payWithCredit: true)
                    return .redirect(to: "/bookings/\(PercentDecoding.encode(confirmed.order.publicID))?token="
                                     + PercentDecoding.encode(confirmed.accessToken))
                }
                // The code's use and the discounted price are recorded on the hold first (one transaction;
                // the same code on the same hold again changes nothing), so the payment asks for the discounted price.
                if !promoCode.isEmpty {
                    _ = try context.app.database.applyPromoCode(business: parts.business, holdID: parts.order.publicID, code: promoCode,
                                                                email: email, now: context.instant)
                }
                if let payment = try context.app.database.holdPayment(business: parts.business, holdID: parts.order.publicID) {
                    return try askForPayment(context, payment, customer: customer)
                }
                if let setup = try context.app.database.holdCardSetup(business: parts.business, holdID: parts.order.publicID) {
                    return try askForCard(context, setup, customer: customer)
                }
                let confirmed = try context.app.database.confirmHold(business: parts.business, holdID: parts.order.publicID,
                                                                     customer: customer, now: context.instant,
                                                                     actor: user.map { .user($0.id) } ?? .guest)
                return .redirect(to: "/bookings/\(PercentDecoding.encode(confirmed.order.publicID))?token="
                                 + PercentDecoding.encode(confirmed.accessToken))
            } catch BookingFailure.holdExpired {
                let page = HoldGonePage(layout: try context.layout(title: "Your hold has expired"), heading: "Your hold has expired",
                                        message: "The hold ran out before the booking was confirmed, so the time was released and nothing was booked. Please pick a time again.",
                                        offerURL: parts.offerURL, offerName: parts.order.offerName)
                return context.app.page("booking/gone", page, status: .conflict)
            } catch BookingFailure.invalid(let field, let message) {
                let known = ["name", "email", "phone", "notes", "household_member"] + parts.questions.map(\.key)
                let id = parts.questions.contains { $0.key == field } ? "q_" + field : field
                errors.add(known.contains(field) ? id : "name", message.capitalizedFirst + ".")
            } catch BookingFailure.tooManyHoldsForEmail(let limit) {
                errors.add("email", "This email address already has \(limit) times held or waiting for approval here. Finish or cancel one of them first, or wait for the holds to lapse.")
                tooMany = true
            } catch BookingFailure.creditRefused(let refusal) {
                errors.add("pay_with", WalletWords.refusal(refusal, parts.clock))
            } catch BookingFailure.promoRefused(let refusal) {
                errors.add("promo_code", WalletWords.promo(refusal))
            } catch BookingFailure.giftCardRefused(let refusal) {
                errors.add("promo_code", WalletWords.giftCard(refusal))
            }
        }
        var page = try checkoutPage(context, parts, user: user, household: household, chosenMember: memberText)
        page.useCredit = payWithCredit && page.credit != nil
        page.promoCode = String(promoCode.prefix(40))
        page.name = String(rawName.prefix(120))
        page.email = String(rawEmail.prefix(254))
        page.phone = String(rawPhone.prefix(40))
        page.notes = String(rawNotes.prefix(2000))
        page.questions = IntakeField.fields(parts.questions, values: answers, errors: errors)
        page.fail(errors)
        return context.app.page("booking/checkout", page, status: tooMany ? .tooManyRequests : .unprocessable)
    }

}
