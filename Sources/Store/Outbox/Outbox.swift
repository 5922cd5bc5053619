import BookingCore
import Foundation
import GRDB

/// Writes outbox rows inside the caller's transaction, so a message exists exactly when the change
/// that causes it commits. Only what the templates cannot read from the order later goes in `data`
/// (a refund, a previous start, a link token): rendering happens in the worker, never here, so a
/// booking pays a few small inserts for its messages.
enum Outbox {
    /// Adds one message, due at `due` (now for most; a reminder's time for reminders).
    static func enqueue(_ db: Database, businessID: BusinessID?, kind: MessageKind, email: String, name: String,
                        data: [(String, String)] = [], orderID: BookingID?, due: Instant, now: Instant) throws {
        guard let message = Message(kind: kind, email: email, name: name, data: data, due: due) else { return }
        try insert(db, [message], businessID: businessID, orderID: orderID, now: now)
    }

    /// One outbox row worked out before it is written: the address checked, the data encoded, the
    /// message id drawn. A booking drafted outside the writer carries its messages this way
    /// (`createdMessages`), so the writer only inserts them.
    struct Message: Sendable, Equatable {
        let kind: MessageKind
        let email: String
        let name: String
        let data: String
        let messageID: String
        let due: Instant

        /// Nil when there is nobody to write to: no address, or a `.invalid` one (RFC 2606; staff
        /// bookings without an email carry one).
        init?(kind: MessageKind, email: String, name: String, data: [(String, String)] = [], due: Instant) {
            guard Validation.isPlausibleEmail(email), email.utf8.count <= 254, !email.lowercased().hasSuffix(".invalid") else { return nil }
            self.kind = kind
            self.email = email
            self.name = String(name.prefix(200))
            self.data = OutboxData.json(data)
            self.messageID = Outbox.messageID()
            self.due = due
        }
    }

    /// Writes messages worked out before (`Message`), in their order.
    static func insert(_ db: Database, _ messages: [Message], businessID: BusinessID?, orderID: BookingID?, now: Instant) throws {
        for message in messages {
            try db.cachedStatement(sql: """
                INSERT INTO outbox (business_id, kind, recipient_email, recipient_name, data, message_id, next_attempt_at, created_at, order_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [businessID, message.kind.rawValue, message.email, message.name, message.data, message.messageID,
                                         message.due, now, orderID])
        }
    }

    /// 128 random bits as 32 hex digits, from two draws of the system generator (not one per byte).
    static func messageID() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next(), low = generator.next()
        return Tokens.hex((0..<8).map { UInt8(truncatingIfNeeded: high >> (8 * $0)) } + (0..<8).map { UInt8(truncatingIfNeeded: low >> (8 * $0)) })
    }

    /// A booking was made (`confirmed`, or `pending` approval): the customer's confirmation (carrying
    /// the guest token for the manage link, removed once sent), its reminders when confirmed, an
    /// alert to each provider, and, when pending, an approval request to the business's managers.
    /// A program's course passes every session's start as `sessions`: each gets its reminders.
    static func bookingCreated(_ db: Database, businessID: BusinessID, orderID: BookingID, status: BookingStatus, start: Instant,
                               customer: CustomerDetails, token: String?, now: Instant, extra: [(String, String)] = [],
                               emailCustomer: Bool = true, sessions: [Instant] = []) throws {
        let messages = try createdMessages(db, businessID: businessID, providers: .ofOrder(orderID), status: status, start: start,
                                           customer: customer, token: token, now: now, extra: extra, emailCustomer: emailCustomer,
                                           sessions: sessions)
        try insert(db, messages, businessID: businessID, orderID: orderID, now: now)
    }

    /// Whose providers a new booking alerts: those linked to its order's assigned resources, or,
    /// before the order exists (a draft), to the resources its slot assigns — the same resources.
    enum Providers {
        case ofOrder(BookingID)
        case ofResources([ResourceID])
    }

    /// The messages `bookingCreated` writes, in its order, worked out without writing: a booking
    /// drafted outside the writer reads them in its read transaction (its reminder settings,
    /// managers and providers as that snapshot saw them) and the writer inserts them.
    static func createdMessages(_ db: Database, businessID: BusinessID, providers: Providers, status: BookingStatus, start: Instant,
                                customer: CustomerDetails, token: String?, now: Instant, extra: [(String, String)] = [],
                                emailCustomer: Bool = true, sessions: [Instant] = []) throws -> [Message] {
        guard status == .confirmed || status == .pending else { return [] }
        var messages: [Message?] = []
        // Staff may book without the confirmation (a phone booking the customer asked not to be emailed about).
        if emailCustomer {
            messages.append(Message(kind: .confirmation, email: customer.email, name: customer.name,
                                    data: (token.map { [("token", $0)] } ?? []) + extra, due: now))
        }
        if status == .confirmed {
            messages += try reminders(db, businessID: businessID, starts: sessions.isEmpty ? [start] : sessions, namingSessions: !sessions.isEmpty,
                                      customer: customer, now: now).map(Optional.some)
        } else {
            for person in try people(db, sql: """
                SELECT u.email, u.name FROM memberships m JOIN users u ON u.id = m.user_id
                WHERE m.business_id = ? AND m.role IN ('owner', 'admin', 'manager') ORDER BY m.id
                """, arguments: [businessID]) {
                messages.append(Message(kind: .approvalRequested, email: person.email, name: person.name, due: now))
            }
        }
        let alerted = switch providers {
        case .ofOrder(let orderID): try providersOf(db, businessID: businessID, orderID: orderID)
        case .ofResources(let resourceIDs): try providersOf(db, businessID: businessID, resourceIDs: resourceIDs)
        }
        for person in alerted {
            messages.append(Message(kind: .staffAlert, email: person.email, name: person.name,
                                    data: [("event", "new"), ("role", Role.provider.rawValue)], due: now))
        }
        return messages.compactMap { $0 }
    }

    /// A pending booking was approved: the customer is told, and its reminders are scheduled (a
    /// course's for every session).
    static func bookingApproved(_ db: Database, order: OrderView, now: Instant) throws {
        try enqueue(db, businessID: order.businessID, kind: .approved, email: order.customer.email, name: order.customer.name,
                    orderID: order.id, due: now, now: now)
        let sessions = try Programs.courseStarts(db, businessID: order.businessID, orderID: order.id)
        if sessions.isEmpty {
            try scheduleReminders(db, businessID: order.businessID, orderID: order.id, start: order.start, customer: order.customer, now: now)
        } else {
            try scheduleSessionReminders(db, businessID: order.businessID, orderID: order.id, starts: sessions, customer: order.customer, now: now)
        }
    }

    /// A booking was cancelled: its unsent reminders are withdrawn; the customer gets the
    /// cancellation with the refund (a pending booking refused by the business: `declined`); the
    /// providers are alerted.
    static func bookingCancelled(_ db: Database, order: OrderView, refund: Refund, credits: (used: Int, returned: Int) = (0, 0),
                                 declined: Bool = false, now: Instant) throws {
        try withdrawReminders(db, businessID: order.businessID, orderID: order.id)
        // A hold that never became a booking was never announced, so its end is not either.
        guard order.status != .held && order.status != .expired else { return }
        try enqueue(db, businessID: order.businessID, kind: declined ? .declined : .cancellation, email: order.customer.email,
                    name: order.customer.name,
                    data: [("refund", String(refund.amount)), ("percent", String(refund.percent)), ("currency", order.price.currency),
                           ("credits_used", String(credits.used)), ("credits_returned", String(credits.returned))],
                    orderID: order.id, due: now, now: now)
        try alertProviders(db, businessID: order.businessID, orderID: order.id, event: "cancelled", now: now)
    }

    /// A booking moved from `order.start` to `start`: the customer is told, and its reminders move
    /// with it (those now inside their window are dropped).
    static func bookingRescheduled(_ db: Database, order: OrderView, to start: Instant, now: Instant) throws {
        try enqueue(db, businessID: order.businessID, kind: .reschedule, email: order.customer.email, name: order.customer.name,
                    data: [("previous_start", String(order.start))], orderID: order.id, due: now, now: now)
        try withdrawReminders(db, businessID: order.businessID, orderID: order.id)
        if order.status == .confirmed {
            try scheduleReminders(db, businessID: order.businessID, orderID: order.id, start: start, customer: order.customer, now: now)
        }
    }

    /// One reminder row per configured offset whose time is still ahead (`Delivery.reminderTimes`).
    static func scheduleReminders(_ db: Database, businessID: BusinessID, orderID: BookingID, start: Instant, customer: CustomerDetails,
                                  now: Instant) throws {
        try scheduleSessionReminders(db, businessID: businessID, orderID: orderID, starts: [start], customer: customer, now: now,
                                     namingSessions: false)
    }

    /// A course's reminders: one row per configured offset still ahead of each session, each carrying
    /// its session's start (`session_start`, the time the email gives).
    static func scheduleSessionReminders(_ db: Database, businessID: BusinessID, orderID: BookingID, starts: [Instant],
                                         customer: CustomerDetails, now: Instant, namingSessions: Bool = true) throws {
        try insert(db, reminders(db, businessID: businessID, starts: starts, namingSessions: namingSessions, customer: customer, now: now),
                   businessID: businessID, orderID: orderID, now: now)
    }

    /// One reminder per configured offset still ahead of each of `starts` (`Delivery.reminderTimes`);
    /// `namingSessions`: each carries its session's start (`session_start`).
    private static func reminders(_ db: Database, businessID: BusinessID, starts: [Instant], namingSessions: Bool, customer: CustomerDetails,
                                  now: Instant) throws -> [Message] {
        let offsets = try EmailSettings.reminderOffsets(db, businessID: businessID)
        return starts.flatMap { start in
            Delivery.reminderTimes(start: start, offsetsMinutes: offsets, now: now).compactMap { reminder in
                Message(kind: .reminder, email: customer.email, name: customer.name,
                        data: [("offset_minutes", String(reminder.offsetMinutes))] + (namingSessions ? [("session_start", String(start))] : []),
                        due: reminder.at)
            }
        }
    }

    static func withdrawReminders(_ db: Database, businessID: BusinessID, orderID: BookingID) throws {
        try db.cachedStatement(sql: """
            UPDATE outbox SET status = 'withdrawn', claimed_until = NULL
            WHERE business_id = ? AND order_id = ? AND kind = 'reminder' AND status = 'pending'
            """).execute(arguments: [businessID, orderID])
    }

    /// An alert to each provider linked to a resource of the order (masked when rendered, by the
    /// business's policy for the provider role).
    static func alertProviders(_ db: Database, businessID: BusinessID, orderID: BookingID, event: String, now: Instant) throws {
        for person in try providersOf(db, businessID: businessID, orderID: orderID) {
            try enqueue(db, businessID: businessID, kind: .staffAlert, email: person.email, name: person.name,
                        data: [("event", event), ("role", Role.provider.rawValue)], orderID: orderID, due: now, now: now)
        }
    }

    /// The providers linked to a resource assigned to the order.
    private static func providersOf(_ db: Database, businessID: BusinessID, orderID: BookingID) throws -> [(email: String, name: String)] {
        let resourceIDs = try ResourceID.fetchAll(db.cachedStatement(sql: """
            SELECT resource_id FROM resource_assignments WHERE business_id = ? AND order_id = ? ORDER BY id
            """), arguments: [businessID, orderID])
        return try providersOf(db, businessID: businessID, resourceIDs: resourceIDs)
    }

    /// The providers linked to one of `resourceIDs` (a draft's slot, before its order exists), each
    /// once, in the order of the resources and then of the memberships. One index seek per resource
    /// (`memberships_providers_by_resource`, 0178): one statement over a JSON list read every
    /// membership of the business and sorted the people into a temporary b-tree for DISTINCT.
    private static func providersOf(_ db: Database, businessID: BusinessID, resourceIDs: [ResourceID]) throws -> [(email: String, name: String)] {
        var seen = Set<ResourceID>(), people: [(email: String, name: String)] = []
        let statement = try db.cachedStatement(sql: """
            SELECT u.email, u.name FROM memberships m INDEXED BY memberships_providers_by_resource JOIN users u ON u.id = m.user_id
            WHERE m.business_id = ? AND m.resource_id = ? AND m.role = 'provider' ORDER BY m.id
            """)
        for resourceID in resourceIDs where seen.insert(resourceID).inserted {
            let rows = try Row.fetchCursor(statement, arguments: [businessID, resourceID])
            while let row = try rows.next() {
                let person = (email: row[0] as String, name: row[1] as String)
                if !people.contains(where: { $0.email == person.email && $0.name == person.name }) { people.append(person) }
            }
        }
        return people
    }

    private static func people(_ db: Database, sql: String, arguments: StatementArguments) throws -> [(email: String, name: String)] {
        try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map { ($0["email"], $0["name"]) }
    }
}

/// The small JSON object an outbox row carries: string values only (written like audit details).
enum OutboxData {
    static func json(_ pairs: [(String, String)]) -> String {
        pairs.isEmpty ? "{}" : AuditLog.encode(Dictionary(pairs, uniquingKeysWith: { first, _ in first }))
    }

    static func decode(_ text: String) -> [String: String] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]) ?? [:]
    }
}
