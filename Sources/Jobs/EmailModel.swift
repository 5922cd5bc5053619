import BookingCore
import Foundation
import Store

/// What an email template sees: plain values, ready to print. Built from a claimed outbox row and
/// the order as it is when the message goes out. Staff alerts carry only what the business's
/// policy lets the provider role see (hidden fields are absent).
struct EmailModel {
    var recipientName: String
    var businessName = ""
    var offerName = ""
    /// "Monday 30 November 2026, 09:00–09:30 (America/New_York)".
    var when = ""
    /// "Monday 30 November 2026 at 09:00 EST" for subjects.
    var whenShort = ""
    var zone = ""
    var resources = ""
    var party: String?
    var price = ""
    var pending = false
    var resent = false
    var manageURL: String?
    var rescheduleURL: String?
    var icsURL: String?
    var refund: String?
    var refundPercent = 0
    /// A booking paid with credits, cancelled: the sentence on what came back to the wallet.
    var credits: String?
    var previousWhen: String?
    var reminderLead: String?
    var resetURL: String?
    var alertNew = false
    var alertCancelled = false
    /// A charge that failed (a no-show fee Stripe declined), to the business's owners.
    var alertPaymentFailed = false
    /// A dispute the customer's bank opened against a payment, to the business's owners.
    var alertDispute = false
    var paymentProblem: String?
    var customerName: String?
    var customerEmail: String?
    var customerPhone: String?
    var customerNotes: String?
    var staffURL: String?
    /// A waitlist offer's claim link (the hold's checkout) and until when the place is held.
    var claimURL: String?
    var heldUntil: String?
    /// A webhook endpoint disabled after a day of failures, and the page to see and re-enable it.
    var webhookURL: String?
    var webhooksPageURL: String?
    /// A first-to-confirm waitlist offer: everyone waiting was told; the first to claim gets it.
    var firstToConfirm = false
    /// A date of a standing reservation that could not be booked, why, and the series' page.
    var seriesSkipped = false
    var skipReason: String?
    var seriesURL: String?
    /// A walk-in queue's "you are next": the one-line text (email and SMS alike) and the ticket's page.
    var queueNext = false
    /// A membership change (`about` = `membership`): the sentence, and the wallet page.
    var membershipText: String?
    var walletURL: String?
    var queueText: String?
    var ticketURL: String?
    /// The meeting link of a virtual resource, in the customer's messages about a confirmed booking.
    var meetingLinks: [String] = []
    /// A program's course (issue 17): every session, in the confirmation.
    var programSessions: [String] = []
    var hasProgramSessions = false
    /// Intake answers the recipient may read (issue 19): the customer's own in their confirmation;
    /// in alerts and approval requests only those the recipient's role may read (withheld ones are left out).
    var answers: [Answer] = []
    /// A package or gift card bought (issue 18; kind `confirmation`, `about` = `purchase`): what was
    /// bought, for how much and how it was paid, the gift card's code or when the credits expire, and the wallet.
    var purchase: Purchase?

    struct Purchase {
        let productName: String
        let amount: String
        let paid: String
        let code: String?
        let credits: String?
        let validUntil: String?
        let walletURL: String
    }

    struct Answer {
        let question: String
        let answer: String
    }

    init(message: OutboxMessage, baseURL: String) {
        recipientName = message.recipientName.isEmpty ? "there" : Self.oneLine(message.recipientName)
        let data = message.data
        if let token = data["token"], message.kind == .passwordReset {
            resetURL = "\(baseURL)/password/reset/\(token)"
        }
        guard let business = message.business else { return }
        businessName = business.name
        if message.kind == .webhookDisabled {
            webhookURL = data["url"]
            webhooksPageURL = "\(baseURL)/manage/\(business.slug)/webhooks"
            return
        }
        if message.order == nil, let about = data["about"] {
            fillWithoutBooking(about: about, data: data, business: business, baseURL: baseURL)
            return
        }
        guard let order = message.order, let clock = ZoneClock(identifier: business.timeZone) else { return }
        zone = business.timeZone
        // A course's reminder is for one session: its start (`session_start`), of the order's length.
        let start = data["session_start"].flatMap(Int64.init) ?? order.start
        let local = clock.local(start)
        when = "\(HumanTime.span(start, start + (order.end - order.start), clock)) (\(business.timeZone))"
        whenShort = "\(HumanTime.longDate(local.date)) at \(local.time) \(Self.zoneLabel(clock.timeZone, at: start))"
        resources = order.resources.map(\.name).joined(separator: ", ")
        party = order.partySize > 1 ? String(order.partySize) : nil
        price = Currency.format(order.price.total, order.price.currency)
        pending = order.status == .pending
        resent = data["resent"] != nil
        let id = order.publicID
        let query = data["token"].map { "?token=\($0)" } ?? ""
        manageURL = "\(baseURL)/bookings/\(id)\(query)"
        rescheduleURL = "\(baseURL)/bookings/\(id)/reschedule\(query)"
        icsURL = "\(baseURL)/bookings/\(id).ics\(query)"
        if let amount = data["refund"].flatMap(Int64.init), amount > 0 {
            refund = Currency.format(amount, data["currency"] ?? order.price.currency)
            refundPercent = data["percent"].flatMap(Int.init) ?? 0
        }
        if let used = data["credits_used"].flatMap(Int.init), used > 0 {
            let returned = data["credits_returned"].flatMap(Int.init) ?? 0
            credits = returned == 0 ? "the \(used == 1 ? "credit" : "\(used) credits") used for this booking \(used == 1 ? "is" : "are") not returned, per the cancellation policy"
                : returned == used ? "\(returned == 1 ? "the credit" : "the \(returned) credits") used for this booking \(returned == 1 ? "is" : "are") back in your wallet"
                : "\(returned) of the \(used) credits used for this booking are back in your wallet, per the cancellation policy"
        }
        if let previous = data["previous_start"].flatMap(Int64.init) {
            previousWhen = "\(HumanTime.span(previous, previous + (order.end - order.start), clock)) (\(business.timeZone))"
        }
        if let minutes = data["offset_minutes"].flatMap(Int.init) { reminderLead = HumanTime.lead(minutes: minutes) }
        if data["about"] == "program_course", let sessions = data["sessions"] {
            programSessions = sessions.split(separator: ",").compactMap { Int64($0) }.map { start in
                HumanTime.span(start, start + (order.end - order.start), clock)
            }
            hasProgramSessions = !programSessions.isEmpty
        }
        if message.kind == .waitlistOffer {
            claimURL = "\(baseURL)/b/\(business.slug)/checkout/\(id)"
            heldUntil = order.holdExpiresAt.map { "\(clock.local($0).time) on \(HumanTime.longDate(clock.local($0).date))" }
            manageURL = nil
            rescheduleURL = nil
            icsURL = nil
        }
        if message.kind == .staffAlert || message.kind == .approvalRequested {
            staffURL = "\(baseURL)/staff/\(business.slug)/bookings/\(id)"
            manageURL = nil
            rescheduleURL = nil
            icsURL = nil
            alertNew = data["event"] == "new"
            alertCancelled = data["event"] == "cancelled"
            alertPaymentFailed = data["event"] == "payment_failed"
            alertDispute = data["event"] == "dispute"
            paymentProblem = data["problem"].map(Self.oneLine)
            // Approval requests go to owners, admins and managers; alerts to the assigned provider.
            let role = data["role"].flatMap(Role.init(rawValue:)) ?? .manager
            let relation: BookingRelation = role == .provider ? .assigned : .other
            func shown(_ field: CustomerField, _ value: String) -> String? {
                guard !value.isEmpty else { return nil }
                return Masking.apply(Masking.visibility(role: role, relation: relation, field: field, policy: message.policy),
                                     field: field, value: value)
            }
            customerName = shown(.name, Self.oneLine(order.customer.name))
            customerEmail = shown(.email, order.customer.email)
            customerPhone = shown(.phone, order.customer.phone)
            customerNotes = shown(.notes, order.customer.notes)
            answers = IntakeRules.masked(order.answers, role: role, relation: relation, policy: message.policy)
                .filter { !$0.withheld }.map { Answer(question: Self.oneLine($0.question), answer: $0.value) }
            offerName = Masking.serviceLabel(order.offerName, role: role, relation: relation, sensitive: message.offerSensitive)
        } else {
            offerName = order.offerName
            if message.kind == .confirmation {   // the customer's own answers
                answers = order.answers.map { Answer(question: Self.oneLine($0.question), answer: $0.display) }
            }
            // The Store gives links only for a booking whose status reveals them (MeetingLink.isRevealed).
            if [.confirmation, .approved, .reschedule, .reminder].contains(message.kind), !message.meetingLinks.isEmpty {
                meetingLinks = message.meetingLinks
            }
        }
    }

    /// A name on one line: line breaks and other control characters become spaces, runs of them one.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0.unicodeScalars.contains { $0.properties.generalCategory == .control } || $0 == " " })
            .joined(separator: " ")
    }

    /// "EST" / "EDT" where a lettered abbreviation exists, else the IANA name in parentheses.
    static func zoneLabel(_ zone: TimeZone, at instant: Instant) -> String {
        let date = Date(timeIntervalSince1970: Double(instant))
        let style: NSTimeZone.NameStyle = zone.isDaylightSavingTime(for: date) ? .shortDaylightSaving : .shortStandard
        if let name = zone.localizedName(for: style, locale: Locale(identifier: "en_US")), !name.hasPrefix("GMT"),
           !name.isEmpty, name.allSatisfy(\.isLetter) {
            return name
        }
        return "(\(zone.identifier))"
    }
}
