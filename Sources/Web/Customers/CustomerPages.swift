import BookingCore
import HTTPServer
import Store

/// The page models of `/manage/{business}/customers`: every customer value already masked by
/// `CustomerAccess` (a hidden one is nil and never reaches the template).
enum CustomerPages {
    struct ListRow: Sendable {
        let url: String
        let name: String
        let email: String?
        let phone: String?
        let bookings: Int
        let lastVisit: String
    }

    struct List: Sendable {
        let layout: Layout
        let nav: ManageNav
        let action: String
        let query: String
        let hasQuery: Bool
        let searchHint: String
        let rows: [ListRow]
        let hasRows: Bool
        let truncated: Bool
    }

    struct BookingRow: Sendable {
        let when: String
        let service: String
        let status: String
        let paid: String?
        let householdMember: String?
        let url: String
    }

    struct Record: Sendable {
        let layout: Layout
        let nav: ManageNav
        let listURL: String
        let name: String
        let emails: [String]
        let phone: String?
        /// The notes in full, nil when the viewer may not read them.
        let notes: String?
        /// The viewer sees only that there are notes ("•••").
        let notesMasked: Bool
        let tags: [String]
        let hasTags: Bool
        let bookingCount: Int
        let noShows: Int
        let spend: String?
        let bookings: [BookingRow]
        let hasBookings: Bool
        let canEdit: Bool
        let updateAction: String
        let mergeAction: String
        let eraseAction: String
        let dataURL: String
        var tagsText: String
        var notesText: String
        var errors = FormErrors()
        /// The phone booking form for this customer, for those who book and see the calendar.
        var bookURL: String?
        /// What the customer's accounts hold here (credits, gift cards, memberships), one line each.
        var wallet: [String] = [] { didSet { hasWallet = !wallet.isEmpty } }
        /// Stored, not computed: templates read stored properties only.
        private(set) var hasWallet = false
        /// The staff wallet page for their address (when the viewer may see addresses).
        var walletURL: String?
    }

    static func list(_ list: CustomerList, access: CustomerAccess, query: String, layout: Layout, nav: ManageNav) -> List {
        let clock = ZoneClock(identifier: list.business.timeZone)
        let rows = list.customers.map { customer in
            ListRow(url: nav.base + "/customers/\(customer.id)", name: access.show(.name, customer.name) ?? "(no name)",
                    email: access.show(.email, customer.email), phone: access.show(.phone, customer.phone), bookings: customer.bookings,
                    lastVisit: customer.lastStart.map { BookingFormat.localStamp($0, clock) } ?? "—")
        }
        let fields = [("name", CustomerField.name), ("email", .email), ("phone", .phone)].filter { access.searches($0.1) }.map(\.0)
        return List(layout: layout, nav: nav, action: nav.base + "/customers", query: query, hasQuery: !query.isEmpty,
                    searchHint: "Search by " + fields.joined(separator: ", ") + ".", rows: rows, hasRows: !rows.isEmpty,
                    truncated: list.truncated)
    }

    static func record(_ record: CustomerRecord, access: CustomerAccess, layout: Layout, nav: ManageNav) -> Record {
        let clock = ZoneClock(identifier: record.business.timeZone)
        let currency = record.business.currency
        let staffBase = "/staff/" + PercentDecoding.encode(record.business.slug) + "/bookings/"
        let bookings = record.bookings.map { booking in
            BookingRow(when: BookingFormat.localStamp(booking.start, clock),
                       service: Masking.serviceLabel(booking.offerName, role: access.role, relation: .other, sensitive: booking.sensitive),
                       status: StaffCalendar.statusLabel(booking.status),
                       paid: access.show(.pricePaid, BookingFormat.money(booking.paid, currency)),
                       householdMember: booking.householdMember.flatMap { access.show(.householdMember, $0) },
                       url: staffBase + PercentDecoding.encode(booking.publicID))
        }
        let notesVisibility = access.visibility(.notes)
        return Record(layout: layout, nav: nav, listURL: nav.base + "/customers",
                      name: access.show(.name, record.name) ?? "(no name)",
                      emails: record.emails.compactMap { access.show(.email, $0) },
                      phone: access.show(.phone, record.phone),
                      notes: notesVisibility == .full && !record.notes.isEmpty ? record.notes : nil,
                      notesMasked: notesVisibility == .masked && !record.notes.isEmpty,
                      tags: record.tags, hasTags: !record.tags.isEmpty, bookingCount: record.bookings.count, noShows: record.noShows,
                      spend: access.show(.pricePaid, BookingFormat.money(record.spend, currency)),
                      bookings: bookings, hasBookings: !bookings.isEmpty, canEdit: access.canEdit,
                      updateAction: nav.base + "/customers/\(record.id)", mergeAction: nav.base + "/customers/\(record.id)/merge",
                      eraseAction: nav.base + "/customers/\(record.id)/erase", dataURL: nav.base + "/customers/\(record.id)/data.json",
                      tagsText: record.tags.joined(separator: ", "), notesText: access.canEdit ? record.notes : "")
    }

    /// The wallet lines of a customer's page: usable credits with their expiry, gift card balances
    /// (codes masked), and memberships with their state, as the staff wallet page words them.
    static func wallet(_ held: CustomerHoldings, now: Instant) -> [String] {
        held.lots.filter { !$0.lot.isExpired(at: now) && $0.lot.balance > 0 }
            .map { "\($0.lot.packageName): \(WalletWords.lot($0, now: now).status)" }
            + held.giftCards.map { card in let words = WalletWords.giftCard(card, showCode: false); return "\(words.title): \(words.balance)" }
            + held.memberships.map { member in
                let words = WalletWords.membership(member, lots: held.lots, actions: "", now: now)
                return "\(words.name) membership: \(words.status)"
            }
    }
}
