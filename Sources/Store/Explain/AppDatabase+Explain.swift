public import BookingCore
import Foundation
import GRDB

/// Why a start of an offer is or is not bookable, with the records behind each reason.
public struct StartExplanation: Sendable {
    public let business: Business
    public let clock: ZoneClock
    public let offer: OfferInfo
    public let start: Instant
    public let bookable: Bool
    public let offerReasons: [ExplainedReason]
    public let resources: [ExplainedResource]
}

/// One candidate resource and its reasons.
public struct ExplainedResource: Sendable {
    public let resource: ResourceInfo
    public let role: String
    public let reasons: [ExplainedReason]
}

/// A reason with the record that causes it, when there is one.
public struct ExplainedReason: Sendable {
    public let detail: ReasonDetail
    /// The time off (`blocked_times`) or blackout (`date_overlays`) entry, for `blockedTime` causes.
    public let timeOff: TimeOffNote?
    /// The booking, for `booking` and `rest` causes.
    public let booking: BookingNote?
    /// The business-wide closure's note, for a `closed` date the business closed ("" when it has none).
    public var closure: String? = nil

    public var code: UnavailableReason { detail.code }
}

public struct TimeOffNote: Sendable, Hashable {
    public enum Source: Sendable, Hashable { case timeOff, blackout }
    public let source: Source
    public let id: Int64
    /// What the owner wrote ("Dentist"); may be empty.
    public let note: String
    public let range: TimeRange
}

public struct BookingNote: Sendable, Hashable {
    public let publicID: String
    public let offerName: String
    public let sensitive: Bool
    public let service: TimeRange
}

/// A start as asked: an instant (the API) or a date and wall time in the business's zone (pages).
public enum StartChoice: Sendable, Hashable {
    case instant(Instant)
    case local(LocalDate, WallTime)
}

extension AppDatabase {
    /// Explains a start of the offer `offerSlug` (its current published version; paused offers too
    /// when `unlisted`): every candidate resource (only `resourceSlug` when given) with every reason
    /// it cannot serve that start.
    /// A nil `choice` (no readable start) is refused once the offer is known to exist.
    public func explainStart(businessID: BusinessID, offerSlug: String, at choice: StartChoice?, resourceSlug: String?,
                             now: Instant, unlisted: Bool, partySize: Int = 1,
                             scope: LocationScope = .everywhere) throws -> StartExplanation {
        try read { db in
            guard let business = try Catalog.business(db, id: businessID),
                  let clock = ZoneClock(identifier: business.timeZone) else { throw BookingFailure.businessNotFound }
            guard let offer = try Catalog.offer(db, businessID: business.id, slug: offerSlug),
                  offer.status == .live || (unlisted && offer.status == .paused) else { throw BookingFailure.offerNotFound }
            let start: Instant
            switch choice {
            case nil:
                throw BookingFailure.invalid(field: "start", message: "give an RFC 3339 UTC time like 2026-12-01T14:00:00Z")
            case .instant(let instant)?: start = instant
            case .local(let date, let time)?:
                guard let instant = clock.instant(date, time) else {
                    throw BookingFailure.invalid(field: "time", message: "that time does not exist on that day (the clocks change)")
                }
                start = instant
            }
            let explanation = try Explanations.explain(db, business: business, clock: clock, offer: offer, start: start,
                                                       resourceSlug: resourceSlug, now: now, partySize: partySize)
            return try Explanations.scoped(db, explanation, scope: scope, resourceSlug: resourceSlug, now: now)
        }
    }
}

enum Explanations {
    /// What a member limited to a location may be told: only that location's resources and their
    /// reasons (another location's resource asked for by name is unknown), and "bookable" only when a
    /// start with that location's resources alone is free — the starts the member could book.
    static func scoped(_ db: Database, _ explanation: StartExplanation, scope: LocationScope, resourceSlug: String?,
                       now: Instant) throws -> StartExplanation {
        guard let slugs = try LocationScopes.slugs(db, businessID: explanation.business.id, scope: scope) else { return explanation }
        if let resourceSlug, !slugs.contains(resourceSlug) { throw BookingFailure.resourceNotFound(resourceSlug) }
        let bookable = try explanation.bookable
            && AppDatabase.scopedSlots(db, business: explanation.business, offer: explanation.offer,
                                       date: explanation.clock.local(explanation.start).date, now: now, scope: scope)
                .contains { $0.start == explanation.start }
        return StartExplanation(business: explanation.business, clock: explanation.clock, offer: explanation.offer,
                                start: explanation.start, bookable: bookable, offerReasons: explanation.offerReasons,
                                resources: explanation.resources.filter { slugs.contains($0.resource.slug) })
    }

    static func explain(_ db: Database, business: Business, clock: ZoneClock, offer: OfferInfo, start: Instant,
                        resourceSlug: String?, now: Instant, partySize: Int) throws -> StartExplanation {
        var requested: [ResourceID] = []
        if let resourceSlug {
            guard let id = try Catalog.resourceID(db, businessID: business.id, slug: resourceSlug) else {
                throw BookingFailure.resourceNotFound(resourceSlug)
            }
            requested = [id]
        }
        let date = clock.local(start).date
        guard let query = try AvailabilityReads.query(db, business: business, offerID: offer.id, spec: offer.spec, from: date, to: date,
                                                      now: now, partySize: partySize, requested: requested) else {
            throw BookingFailure.businessNotFound
        }
        let explanation = AvailabilityEngine(query: query, from: date, to: date).explanation(start: start)
        let catalog = Dictionary(uniqueKeysWithValues: try Catalog.resources(db, businessID: business.id).map { ($0.id, $0) })
        let notes = try Notes(db, businessID: business.id, explanation: explanation)
        let resources = explanation.resources.compactMap { r -> ExplainedResource? in
            guard let info = catalog[r.resourceID] else { return nil }
            return ExplainedResource(resource: info, role: r.role, reasons: r.reasons.map { notes.explained($0, resourceID: r.resourceID) })
        }
        return StartExplanation(business: business, clock: clock, offer: offer, start: start, bookable: explanation.isBookable,
                                offerReasons: explanation.offerReasons.map { ExplainedReason(detail: $0, timeOff: nil, booking: nil) },
                                resources: resources)
    }

    /// The records behind the causes of one explanation, read once.
    struct Notes {
        var timeOff: [ResourceID: [TimeOffNote]] = [:]
        var bookings: [BookingID: BookingNote] = [:]
        var closures: [LocalDate: String] = [:]

        init(_ db: Database, businessID: BusinessID, explanation: Explanation) throws {
            var orderIDs = Set<BookingID>()
            var ranges: [TimeRange] = []
            for r in explanation.resources {
                for reason in r.reasons {
                    switch reason.cause {
                    case .booking(let e), .rest(_, let e): if let id = e.orderID { orderIDs.insert(id) }
                    case .blockedTime(let range): ranges.append(range)
                    case .noHours(let date, true) where closures[date] == nil:
                        closures[date] = try Closures.note(db, businessID: businessID, date: date)
                    default: break
                    }
                }
            }
            if let from = ranges.map(\.start).min(), let to = ranges.map(\.end).max() {
                for row in try Row.fetchAll(db.cachedStatement(sql: """
                    SELECT id, resource_id, starts_at, ends_at, reason FROM blocked_times
                    WHERE business_id = ? AND starts_at < ? AND ends_at > ?
                    """), arguments: [businessID, to, from]) {
                    timeOff[row["resource_id"], default: []].append(TimeOffNote(
                        source: .timeOff, id: row["id"], note: row["reason"], range: TimeRange(start: row["starts_at"], end: row["ends_at"])))
                }
                for row in try Row.fetchAll(db.cachedStatement(sql: """
                    SELECT o.id, c.resource_id, o.starts_at, o.ends_at, o.note FROM date_overlays o
                    JOIN calendars c ON c.business_id = o.business_id AND c.id = o.calendar_id
                    WHERE o.business_id = ? AND o.kind = 'blackout' AND o.starts_at < ? AND o.ends_at > ?
                    """), arguments: [businessID, to, from]) {
                    timeOff[row["resource_id"], default: []].append(TimeOffNote(
                        source: .blackout, id: row["id"], note: row["note"], range: TimeRange(start: row["starts_at"], end: row["ends_at"])))
                }
            }
            for id in orderIDs {
                guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                    SELECT b.public_id, o.name, o.sensitive, b.starts_at, b.ends_at
                    FROM booking_orders b JOIN offers o ON o.business_id = b.business_id AND o.id = b.offer_id
                    WHERE b.business_id = ? AND b.id = ?
                    """), arguments: [businessID, id]) else { continue }
                bookings[id] = BookingNote(publicID: row["public_id"], offerName: row["name"], sensitive: row["sensitive"],
                                           service: TimeRange(start: row["starts_at"], end: row["ends_at"]))
            }
        }

        func explained(_ detail: ReasonDetail, resourceID: ResourceID) -> ExplainedReason {
            switch detail.cause {
            case .blockedTime(let range):
                return ExplainedReason(detail: detail, timeOff: timeOff[resourceID]?.first { $0.range == range }, booking: nil)
            case .booking(let e), .rest(_, let e):
                return ExplainedReason(detail: detail, timeOff: nil, booking: e.orderID.flatMap { bookings[$0] })
            case .noHours(let date, true):
                return ExplainedReason(detail: detail, timeOff: nil, booking: nil, closure: closures[date])
            default:
                return ExplainedReason(detail: detail, timeOff: nil, booking: nil)
            }
        }
    }
}
