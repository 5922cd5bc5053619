public import BookingCore

/// Lets a staff booking start inside the offer's minimum notice: a walk-in "for now or later
/// today". Only a role with the calendar and `booking:create` can obtain one, and only the staff
/// walk-in passes it; the customer pages and the API never do. Every other rule still applies in
/// the booking transaction: no start in the past, the slot grid, opening hours, maximum advance,
/// capacity and double booking.
public struct NoticeWaiver: Sendable, Hashable {
    public let role: Role

    public init?(role: Role) {
        guard role.can(.calendarView), role.can(.bookingCreate) else { return nil }
        self.role = role
    }

    /// `spec` as the check sees it under the waiver: no minimum notice (a start before now is still refused).
    func apply(to spec: OfferVersionSpec) -> OfferVersionSpec {
        var waived = spec
        waived.minimumNoticeMinutes = 0
        return waived
    }
}

extension OfferInfo {
    /// This offer with its minimum notice waived: the starts staff may book for a walk-in.
    public func waiving(_ waiver: NoticeWaiver) -> OfferInfo {
        OfferInfo(id: id, slug: slug, name: name, description: description, mode: mode, status: status, sensitive: sensitive,
                  versionID: versionID, version: version, spec: waiver.apply(to: spec))
    }
}
