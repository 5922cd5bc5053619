import BookingCore
import Foundation
import Store
import Synchronization

/// The offer page's list of times, rendered once per distinct list and kept (issue 23: the ~45 hold
/// forms through Mustache were most of the page's time).
///
/// The key is everything the HTML is made from — the slots themselves (the availability answer,
/// waitlist places already taken out), the date, the zone, the offer's mode and the form's fields —
/// so a kept list is exactly what rendering again would give: a booking, hold, block, change of
/// hours, closure, publish or waitlist change that changes the answer changes the key, and nothing
/// has to be invalidated. The answer itself comes from the availability cache, which is keyed by
/// `schedule_version` and `booking_version` (migration 0010). Per-customer content is never inside:
/// the CSRF token is put in per request (the kept HTML is split where it goes), and the customer's
/// name and email are in the waitlist forms outside this list.
final class RenderedSlotLists: Sendable {
    struct Key: Hashable, Sendable {
        let slots: [AvailabilityReads.SlotView]
        let date: LocalDate
        let zone: String
        let isClass: Bool
        let holdURL: String
        let resource: String?
        let chosenDuration: String?
    }

    /// What the template renders: the groups, and the form fields every time's form carries.
    struct Model: Sendable {
        let groups: [SlotsPage.Group]
        let holdURL: String
        let resource: String?
        let chosenDuration: String?
        let csrf: String
    }

    /// Stands for the CSRF token while rendering (letters only: HTML escaping leaves it alone).
    static let marker = "BIZINGCSRFTOKENPLACE"

    private let kept = Mutex<[Key: [String]]>([:])
    private let limit: Int

    /// `limit` distinct lists at most (each ~16 KB); past it the table starts again empty.
    init(limit: Int = 2_000) { self.limit = limit }

    /// The list's HTML with `csrf` in every form; `render` makes the model's HTML on a miss.
    func html(for key: Key, csrf: String, render: () -> String) -> String {
        let pieces: [String]
        if let found = kept.withLock({ $0[key] }) {
            pieces = found
        } else {
            pieces = render().components(separatedBy: Self.marker)
            kept.withLock { table in
                if table.count >= limit { table.removeAll(keepingCapacity: true) }
                table[key] = pieces
            }
        }
        return pieces.joined(separator: StaffCalendar.escape(csrf))
    }

    /// How many lists are kept (for tests).
    var count: Int { kept.withLock { $0.count } }
}
