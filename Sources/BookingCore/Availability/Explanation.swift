/// Why a start is or is not bookable, resource by resource, with the rule behind every reason.
///
/// The verdict is the engine's own (`check(start:)`), so an explanation never disagrees with
/// `slots()`; the details name the rule each reason comes from (which time off, which booking,
/// which hours), for people to read and act on.
public struct Explanation: Hashable, Sendable {
    /// The start asked about.
    public var start: Instant
    /// The slot when the start is bookable (then `offerReasons` is empty and at least one
    /// candidate per required component has no reasons).
    public var slot: Slot?
    /// Reasons that hold whatever the resource: notice, advance, grid, duration, seats, no
    /// qualified resource.
    public var offerReasons: [ReasonDetail]
    /// Every candidate resource of the offer (only the requested one when a resource was asked
    /// for), in component and preference order, with every reason it cannot serve the start
    /// (empty when it could).
    public var resources: [ResourceExplanation]

    public var isBookable: Bool { slot != nil }

    /// Every reason, offer-wide then per resource.
    public var reasons: [ReasonDetail] { offerReasons + resources.flatMap(\.reasons) }

    /// The distinct codes, in the engine's order.
    public var codes: [UnavailableReason] { Array(Set(reasons.map(\.code))).sorted() }
}

/// One candidate resource and what stands in its way.
public struct ResourceExplanation: Hashable, Sendable {
    public var resourceID: ResourceID
    /// The component (role) it was considered for, e.g. "host".
    public var role: String
    public var reasons: [ReasonDetail]

    public init(resourceID: ResourceID, role: String, reasons: [ReasonDetail]) {
        self.resourceID = resourceID
        self.role = role
        self.reasons = reasons
    }
}

/// A reason code with the rule that produced it.
public struct ReasonDetail: Hashable, Sendable {
    public var code: UnavailableReason
    public var cause: ReasonCause

    public init(_ code: UnavailableReason, _ cause: ReasonCause) {
        self.code = code
        self.cause = cause
    }
}

/// The rule behind a reason.
public enum ReasonCause: Hashable, Sendable {
    /// `closed`: no hours on `date` — a closed date (`closedDate`) or no weekly rule that day.
    case noHours(date: LocalDate, closedDate: Bool)
    /// `outside_hours`: the resource's hours in force on `date`.
    case hours(date: LocalDate, open: [WallInterval])
    /// `outside_hours`: the offer's own hours on `date` (empty: none that day).
    case offerHours(date: LocalDate, open: [WallInterval])
    /// `blocked` / `buffer`: time off, maintenance or a blackout over this range.
    case blockedTime(TimeRange)
    /// `taken` / `buffer`: this booking (its blocked range includes its buffers).
    case booking(BusyEntry)
    /// `limit_reached`: `booked` bookings already start that day, at most `max` allowed.
    case dailyLimit(max: Int, booked: Int)
    /// `limit_reached`: this booking is closer than `minutes` of rest.
    case rest(minutes: Int, booking: BusyEntry)
    /// `notice`: bookable from `earliest` (`minutes` of notice).
    case notice(minutes: Int, earliest: Instant)
    /// `advance`: bookable until `latest` (`days` ahead).
    case advance(days: Int, latest: Instant)
    /// `misaligned`: starts fall every `minutes` from midnight (or on class sessions).
    case grid(minutes: Int)
    /// `invalid_duration`: the offer's allowed durations.
    case duration(DurationSpec)
    /// `no_seats`: `left` of `seats` remain, `party` wanted.
    case seats(seats: Int, left: Int, party: Int)
    /// `no_qualified_resource`: the requested resource cannot serve this offer, or too few
    /// distinct resources qualify.
    case noResource(requested: Bool)
}

extension AvailabilityEngine {
    /// Every reason, with its cause, that `start` is not bookable — per candidate resource.
    /// Starts outside `from…to` are explained on their own date, like `check(start:)`.
    public func explanation(start: Instant) -> Explanation {
        guard let d = dayIndex(of: start), d >= 1, d <= lastDay else {
            return AvailabilityEngine(query: query, around: start).explanation(start: start)
        }
        let verdict = check(start: start)
        var result = Explanation(start: start, slot: verdict.slot, offerReasons: [], resources: [])
        let spec = query.spec
        guard let duration = durationSeconds else {
            result.offerReasons = [ReasonDetail(.invalidDuration, .duration(spec.duration))]
            return result
        }
        var offer: [ReasonDetail] = []
        if !isAligned(start, day: d) {
            offer.append(ReasonDetail(.misaligned, .grid(minutes: spec.mode == .class ? 0 : spec.slotIntervalMinutes)))
        }
        let earliest = query.now + Int64(spec.minimumNoticeMinutes) * 60
        if start < earliest { offer.append(ReasonDetail(.notice, .notice(minutes: spec.minimumNoticeMinutes, earliest: earliest))) }
        let latest = query.now + Int64(spec.maximumAdvanceDays) * 86_400
        if start > latest { offer.append(ReasonDetail(.advance, .advance(days: spec.maximumAdvanceDays, latest: latest))) }
        if !requestedMatched { offer.append(ReasonDetail(.noQualifiedResource, .noResource(requested: true))) }

        let service = TimeRange(start: start, end: start + duration)
        if let offerOpen, !fits(offerOpen, service) {
            let date = days[d].date
            offer.append(ReasonDetail(.outsideHours, .offerHours(date: date, open: Self.offerHours(spec).wallHours(on: date, offerID: nil))))
        }
        let window = spec.blockedRange(for: service)
        var listed = Set<Int>()
        var seatsTaken = 0
        for c in componentOrder {
            let comp = spec.components[c]
            if comp.required && candidates[c].count < comp.count && requestedMatched {
                offer.append(ReasonDetail(.noQualifiedResource, .noResource(requested: false)))
            }
            for ri in candidates[c] where listed.insert(ri).inserted {
                let details = self.details(ri, service: service, window: window, day: d)
                if details.isEmpty && comp.required {
                    seatsTaken = Swift.max(seatsTaken, self.verdict(resources[ri], service: service, window: window,
                                                                    day: d, collect: true).seatsTaken)
                }
                result.resources.append(ResourceExplanation(resourceID: resources[ri].id, role: comp.role, reasons: details))
            }
        }
        if verdict.reasons.contains(.noSeats) {
            offer.append(ReasonDetail(.noSeats, .seats(seats: spec.seats, left: Swift.max(0, spec.seats - seatsTaken),
                                                       party: query.partySize)))
        }
        // A verdict the details do not cover (e.g. two components competing for one resource).
        let covered = Set(offer.map(\.code) + result.resources.flatMap { $0.reasons.map(\.code) })
        for code in verdict.reasons where !covered.contains(code) {
            offer.append(ReasonDetail(code, .noResource(requested: false)))
        }
        result.offerReasons = offer
        return result
    }

    /// The engine's reasons for one prepared resource (`verdict`), each with the entries behind it.
    func details(_ ri: Int, service: TimeRange, window: TimeRange, day d: Int) -> [ReasonDetail] {
        let r = resources[ri]
        let codes = verdict(r, service: service, window: window, day: d, collect: true).reasons
        guard !codes.isEmpty else { return [] }
        let source = query.resources.first { $0.id == r.id }
        let date = days[d].date
        var out: [ReasonDetail] = []
        if codes.contains(.closed) {
            let closedDate = source?.overlays.contains { $0.date == date && $0.kind == .closed } ?? false
            out.append(ReasonDetail(.closed, .noHours(date: date, closedDate: closedDate)))
        }
        if codes.contains(.outsideHours) {
            out.append(ReasonDetail(.outsideHours, .hours(date: date, open: source?.wallHours(on: date, offerID: query.offerID) ?? [])))
        }
        // Time off as entered (not merged), so each entry can be named.
        var timeOff = source?.blocked ?? []
        for o in source?.overlays ?? [] { if case .blackout(let range) = o.kind { timeOff.append(range) } }
        timeOff.sort { $0.start < $1.start }
        let others = r.busy.filter { $0.blocked.overlaps(window) && !sameSession($0, service.start) }
        if codes.contains(.blocked) {
            for range in timeOff where range.overlaps(service) { out.append(ReasonDetail(.blocked, .blockedTime(range))) }
        }
        if codes.contains(.taken) {
            for e in others where e.service.overlaps(service) { out.append(ReasonDetail(.taken, .booking(e))) }
        }
        if codes.contains(.buffer) {
            if !codes.contains(.blocked) {
                for range in timeOff where range.overlaps(window) { out.append(ReasonDetail(.buffer, .blockedTime(range))) }
            }
            if !codes.contains(.taken) {
                for e in others { out.append(ReasonDetail(.buffer, .booking(e))) }
            }
        }
        if codes.contains(.limitReached) {
            if let max = r.limits.maxBookingsPerDay {
                let booked = r.serviceStartCount(from: dayStarts[d], to: dayStarts[d + 1])
                if booked >= max { out.append(ReasonDetail(.limitReached, .dailyLimit(max: max, booked: booked))) }
            }
            if let rest = r.limits.minRestMinutes, rest > 0 {
                let pad = Int64(rest) * 60
                let reach = TimeRange(start: window.start - pad, end: window.end + pad)
                for e in r.busy where e.blocked.overlaps(reach) && !sameSession(e, service.start) {
                    out.append(ReasonDetail(.limitReached, .rest(minutes: rest, booking: e)))
                }
            }
        }
        return out
    }
}
