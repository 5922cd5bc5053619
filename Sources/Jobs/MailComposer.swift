import BookingCore
import Foundation
public import Outbound
import Store

/// How outgoing mail is addressed: the sender and the public origin written into links.
public struct MailSettings: Sendable {
    public var from: MailAddress
    /// `http://127.0.0.1:8080`, no trailing slash.
    public var baseURL: String

    public init(from: MailAddress, baseURL: String) {
        self.from = from
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
    }
}

/// Turns a claimed outbox row into the email to send, or says why it should not go.
struct MailComposer: Sendable {
    let settings: MailSettings
    let templates: EmailTemplates

    enum Decision {
        case send(MailMessage, subject: String)
        case withdraw
        case fail(String)
    }

    init(settings: MailSettings, templatesDirectory: String) throws {
        self.settings = settings
        templates = try EmailTemplates(directory: templatesDirectory, kinds: MessageKind.allCases.map(\.rawValue))
    }

    /// The domain of the sender, the right part of every Message-ID.
    var domain: String {
        let email = settings.from.email
        return email.firstIndex(of: "@").map { String(email[email.index(after: $0)...]) } ?? "localhost"
    }

    func compose(_ message: OutboxMessage, now: Instant) -> Decision {
        if message.order == nil, message.data["about"] == "waitlist_claim" {
            // A first-to-confirm offer whose time to claim has passed has nothing left to offer.
            if (message.data["until"].flatMap(Int64.init) ?? 0) <= now { return .withdraw }
        } else if message.kind.isAboutBooking, message.data["about"] == nil {
            guard let order = message.order else { return .fail("the booking no longer exists") }
            // (A course's reminder is for its session, `session_start`; the order's start is its first.)
            if message.kind == .reminder,
               order.status != .confirmed || (message.data["session_start"].flatMap(Int64.init) ?? order.start) <= now { return .withdraw }
            // A waitlist offer whose hold was claimed, let go or ran out has nothing left to offer.
            if message.kind == .waitlistOffer, order.status != .held || (order.holdExpiresAt ?? 0) <= now { return .withdraw }
        }
        let model = EmailModel(message: message, baseURL: settings.baseURL)
        let (subject, text, html) = templates.render(message.kind.rawValue, model)
        var attachments: [MailAttachment] = []
        if [.confirmation, .reschedule, .approved, .cancellation].contains(message.kind),
           let order = message.order, let business = message.business {
            let ics = ICalendar.event(uid: order.publicID, sequence: message.revision, start: order.start, end: order.end,
                                      summary: "\(order.offerName) — \(business.name)", location: "", status: order.status, now: now)
            attachments.append(MailAttachment(filename: "booking.ics", contentType: "text/calendar; charset=UTF-8; method=PUBLISH",
                                              data: Array(ics.utf8)))
        }
        let replyTo = message.settings.replyTo.isEmpty ? nil : MailAddress.parse(message.settings.replyTo)
        let mail = MailMessage(messageID: "<\(message.messageID)@\(domain)>", from: settings.from,
                               to: [MailAddress(message.recipientEmail, name: message.recipientName)], replyTo: replyTo,
                               subject: subject, date: now, text: text, html: html, attachments: attachments,
                               headers: [(name: "Auto-Submitted", value: "auto-generated")])
        return .send(mail, subject: subject)
    }
}
