import BookingCore
import Foundation
import HTTPServer
import Store

/// `/manage/{business}/outbox` (owners and admins): the business's recent messages with their
/// state, a retry for failed ones (audited), and the email settings form's submission.
struct OutboxHandlers: Sendable {
    struct Row: Sendable {
        let kind: String
        let recipient: String
        let subject: String
        let status: String
        let failed: Bool
        let attempts: Int
        let lastError: String
        let created: String
        let next: String?
        let sent: String?
        let retryAction: String
    }

    struct Page: Sendable {
        let layout: Layout
        let nav: ManageNav
        let rows: [Row]
        let hasRows: Bool
        let retried: Bool
    }

    func list(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        let zone = ZoneClock(identifier: business.timeZone)
        func local(_ instant: Instant) -> String { BookingFormat.localStamp(instant, zone) }
        let rows = try context.app.database.outboxEntries(businessID: business.id).map { entry in
            Row(kind: entry.kind.rawValue.replacingOccurrences(of: "_", with: " "),
                recipient: entry.recipientName.isEmpty ? entry.recipientEmail : "\(entry.recipientName) <\(entry.recipientEmail)>",
                subject: entry.subject, status: entry.status.rawValue, failed: entry.status == .failed, attempts: entry.attempts,
                lastError: entry.lastError, created: local(entry.createdAt),
                next: entry.status == .pending ? local(entry.nextAttemptAt) : nil, sent: entry.sentAt.map(local),
                retryAction: "\(nav.base)/outbox/\(entry.id)/retry")
        }
        let page = Page(layout: try context.layout(title: "Outbox — \(business.name)", withForm: true), nav: nav, rows: rows,
                        hasRows: !rows.isEmpty, retried: context.request.query["retried"] != nil)
        return context.app.page("manage/outbox", page)
    }

    func retry(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        guard let id = Int64(context.request.parameters["message"] ?? "") else { throw WebError.notFound() }
        do {
            try context.app.database.retryMessage(businessID: business.id, id: id, actor: try context.auditActor(), now: context.instant)
        } catch OutboxError.notRetryable {
            throw WebError.conflict("not_retryable", "Only a failed message can be sent again, and this one is not failed (any more).")
        }
        return .redirect(to: nav.base + "/outbox?retried=1")
    }

    /// The settings page's email section: reminder offsets (hours before the start) and reply-to.
    func saveSettings(_ context: RequestContext) throws -> Response {
        let (business, _, nav) = try context.managedBusiness()
        let form = try context.form()
        var errors = FormErrors()
        let first = EmailSettingsInput.hours(form["reminder_hours"], field: "reminder_hours", &errors)
        let second = EmailSettingsInput.hours(form["second_reminder_hours"], field: "second_reminder_hours", &errors)
        let replyTo = EmailSettingsInput.replyTo(form["reply_to"], &errors)
        guard errors.isEmpty else {
            var page = try SettingsHandlers().page(context, business, nav, errors: errors)
            page.email = EmailSettingsForm(reminderHours: String((form["reminder_hours"] ?? "").prefix(20)),
                                           secondReminderHours: String((form["second_reminder_hours"] ?? "").prefix(20)),
                                           replyTo: String((form["reply_to"] ?? "").prefix(254)))
            return context.app.page("manage/settings", page, status: .unprocessable)
        }
        try context.app.database.saveEmailSettings(businessID: business.id,
                                                   EmailSettings(reminderMinutes: first, secondReminderMinutes: second, replyTo: replyTo),
                                                   actor: try context.auditActor(), now: context.instant)
        return .redirect(to: nav.base + "/settings?saved=1#email-settings")
    }
}

/// The email section of the settings page, as shown.
struct EmailSettingsForm: Sendable {
    var reminderHours = ""
    var secondReminderHours = ""
    var replyTo = ""

    init(reminderHours: String = "", secondReminderHours: String = "", replyTo: String = "") {
        self.reminderHours = reminderHours
        self.secondReminderHours = secondReminderHours
        self.replyTo = replyTo
    }

    init(_ settings: EmailSettings) {
        func hours(_ minutes: Int?) -> String {
            guard let minutes else { return "" }
            return minutes % 60 == 0 ? String(minutes / 60) : String(Double(minutes) / 60)
        }
        self.init(reminderHours: hours(settings.reminderMinutes), secondReminderHours: hours(settings.secondReminderMinutes),
                  replyTo: settings.replyTo)
    }
}

/// The email settings form's fields.
enum EmailSettingsInput {
    /// Hours before the start as a decimal ("24", "1.5"); empty: no such reminder.
    static func hours(_ raw: String?, field: String, _ errors: inout FormErrors) -> Int? {
        let text = (raw ?? "").trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        guard let hours = Double(text), hours.isFinite else {
            errors.add(field, "Enter the reminder time as a number of hours, for example 24 or 2, or leave it empty for none.")
            return nil
        }
        let minutes = Int((hours * 60).rounded())
        guard EmailSettings.offsetRange.contains(minutes) else {
            errors.add(field, "Choose a reminder between 5 minutes (0.1 hours) and 30 days (720 hours) before the start.")
            return nil
        }
        return minutes
    }

    static func replyTo(_ raw: String?, _ errors: inout FormErrors) -> String {
        let text = (raw ?? "").trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return "" }
        guard text.count <= 254, let email = Validation.normalizedEmail(text) else {
            errors.add("reply_to", "Enter the reply-to address like name@example.com, or leave it empty.")
            return ""
        }
        return email
    }
}
