import BookingCore
import Foundation
import Store

/// The offer page's list of times, rendered once per distinct list and kept in a `RenderedPages` (issue 23: the ~45 hold
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
enum RenderedSlotLists {
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

    /// Stands for the CSRF token while rendering (the kept pages' marker).
    static let marker = RenderedPages.marker
}
