public import BookingCore
import Foundation
import GRDB
import Synchronization

/// Bookable slots of an offer over business-local dates, for pages and the API alike.
///
/// Answers are cached. An answer depends only on the business's schedules (`schedule_version`),
/// its blocking assignments (`booking_version`, migration 0010), the offer version, the query and
/// the current second (instants are whole seconds). The versions are read in the same read
/// transaction as the answer would be, and a cached answer is reused only for the same versions,
/// query and second — so it is exactly what computing it again would give, never stale.
public enum AvailabilityReads {
    public struct SlotView: Sendable, Hashable {
        public let start: Instant
        public let end: Instant
        public let resourceSlugs: [String]
        public let seatsLeft: Int
    }

    /// One computed answer, shared by every request that asks the same question in the same second;
    /// callers may attach one encoding of it (the API's JSON body), computed once.
    public final class Answer: Sendable {
        public let slots: [SlotView]
        /// Rentals by date: which pick-up dates a rental of the minimum length can start (no slots then).
        public let days: [RentalCalendar.Day]?
        private let encodedBody = Mutex<[UInt8]?>(nil)

        init(slots: [SlotView], days: [RentalCalendar.Day]? = nil) {
            self.slots = slots
            self.days = days
        }

        /// The answer encoded by `encode`, computed on first use and kept with the answer.
        public func encoded(_ encode: ([SlotView]) -> [UInt8]) -> [UInt8] {
            if let body = encodedBody.withLock({ $0 }) { return body }
            let body = encode(slots)
            encodedBody.withLock { $0 = body }
            return body
        }
    }

    public static let maxDays = 62

    static func slots(_ db: Database, business: Business, offer: OfferInfo, from: LocalDate, to: LocalDate,
                             now: Instant, partySize: Int = 1, resourceSlug: String? = nil, durationMinutes: Int? = nil) throws -> [SlotView] {
        try answer(db, business: business, offer: offer, from: from, to: to, now: now, partySize: partySize,
                   resourceSlug: resourceSlug, durationMinutes: durationMinutes).slots
    }

    static func answer(_ db: Database, business: Business, offer: OfferInfo, from: LocalDate, to: LocalDate,
                              now: Instant, partySize: Int = 1, resourceSlug: String? = nil, durationMinutes: Int? = nil) throws -> Answer {
        let versions = try Row.fetchOne(db.cachedStatement(sql: "SELECT schedule_version, booking_version FROM businesses WHERE id = ?"),
                                        arguments: [business.id])
        let key = AnswerKey(businessID: business.id, timeZone: business.timeZone,
                            versionID: offer.versionID, from: from, to: to, now: now, partySize: partySize,
                            resourceSlug: resourceSlug, scheduleVersion: versions?[0] ?? -1, bookingVersion: versions?[1] ?? -1,
                            durationMinutes: durationMinutes)
        // Safe in any transaction: both versions are unique to one content (see `Caches`).
        let cache = versions == nil ? nil : CacheScope.current?.caches.answers
        let answer: Answer
        if let cached = cache?.answer(for: key, spec: offer.spec) {
            answer = cached
        } else {
            answer = Answer(slots: try compute(db, business: business, offer: offer, from: from, to: to, now: now,
                                               partySize: partySize, resourceSlug: resourceSlug, durationMinutes: durationMinutes))
            cache?.store(answer, for: key, spec: offer.spec)
        }
        return try keepingForWaitlist(db, business: business, offer: offer, answer: answer, partySize: partySize, now: now)
    }

    /// The answer without the places the waitlist is owed: seats kept for open first-to-confirm
    /// claims, and places those waiting would be offered before the public could book them (booking
    /// one would answer "taken"). Outside the cache, since waitlist changes do not move
    /// `booking_version`; one indexed read when nobody waits in the answer's range.
    private static func keepingForWaitlist(_ db: Database, business: Business, offer: OfferInfo, answer: Answer, partySize: Int,
                                           now: Instant) throws -> Answer {
        guard let first = answer.slots.first, let last = answer.slots.last else { return answer }
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT starts_at, party_size, status, hold_order_id, offer_expires_at FROM waitlist_entries
            WHERE business_id = ? AND offer_id = ? AND starts_at >= ? AND starts_at <= ? AND status IN ('waiting', 'offered')
            ORDER BY starts_at, id
            """), arguments: [business.id, offer.id, first.start, last.start])
        guard !rows.isEmpty else { return answer }
        var kept: [Instant: Int] = [:], waiting: [Instant: [Int]] = [:]
        for row in rows {
            let start: Instant = row["starts_at"], party: Int = row["party_size"]
            if (row["status"] as String) == "waiting" {
                waiting[start, default: []].append(party)
            } else if (row["hold_order_id"] as Int64?) == nil, let until = row["offer_expires_at"] as Instant?, until > now {
                kept[start, default: 0] += party
            }
        }
        let isClass = offer.spec.mode == .class
        let slots: [SlotView] = answer.slots.compactMap { slot in
            guard kept[slot.start] != nil || waiting[slot.start] != nil else { return slot }
            // A slot offer's place is one booking whatever the party, and an open claim keeps the
            // whole start (as `Bookings.create` refuses it); a class counts seats.
            if !isClass && kept[slot.start] != nil { return nil }
            let left = WaitlistPolicy.placesForPublic(free: slot.seatsLeft, kept: kept[slot.start] ?? 0,
                                                      waiting: (waiting[slot.start] ?? []).map { isClass ? $0 : 1 })
            guard left >= (isClass ? partySize : 1) else { return nil }
            return SlotView(start: slot.start, end: slot.end, resourceSlugs: slot.resourceSlugs, seatsLeft: left)
        }
        return slots == answer.slots ? answer : Answer(slots: slots, days: answer.days)
    }

    private static func compute(_ db: Database, business: Business, offer: OfferInfo, from: LocalDate, to: LocalDate,
                                now: Instant, partySize: Int, resourceSlug: String?, durationMinutes: Int?) throws -> [SlotView] {
        var requested: ResourceID?
        if let resourceSlug {
            guard let id = try Catalog.resourceID(db, businessID: business.id, slug: resourceSlug) else {
                throw BookingFailure.resourceNotFound(resourceSlug)
            }
            requested = id
        }
        return try slots(db, business: business, offerID: offer.id, spec: offer.spec, from: from, to: to, now: now, partySize: partySize,
                         requested: requested.map { [$0] } ?? [], durationMinutes: durationMinutes)
    }

    /// The times `order` could move to: its own offer version, duration and party size, with the
    /// order itself left out of the busy time (as `Bookings.reschedule` checks it), its current
    /// start excluded. Not cached: it depends on the order too.
    static func rescheduleSlots(_ db: Database, business: Business, order: OrderView, from: LocalDate, to: LocalDate,
                                       now: Instant) throws -> [SlotView] {
        guard let spec = try Catalog.offerVersion(db, businessID: business.id, versionID: order.offerVersionID) else {
            throw BookingFailure.offerNotFound
        }
        return try slots(db, business: business, offerID: order.offerID, spec: spec, from: from, to: to, now: now,
                         partySize: order.partySize, requested: [], excludingOrder: order.id,
                         durationMinutes: Int((order.end - order.start) / 60)).filter { $0.start != order.start }
    }

    static func slots(_ db: Database, business: Business, offerID: OfferID, spec: OfferVersionSpec, from: LocalDate, to: LocalDate,
                      now: Instant, partySize: Int, requested: [ResourceID], excludingOrder: BookingID? = nil,
                      durationMinutes: Int? = nil) throws -> [SlotView] {
        guard let query = try query(db, business: business, offerID: offerID, spec: spec, from: from, to: to, now: now,
                                    partySize: partySize, requested: requested, excludingOrder: excludingOrder,
                                    durationMinutes: durationMinutes) else { return [] }
        // From the compiled schedules (cached per schedule_version): not a read of every resource per answer.
        let slugs = try CompiledSchedules.load(db, businessID: business.id).slugs
        // Runs of slots share their assignments (the engine hands the same array on): their slug
        // lists are looked up once per run and shared too (JSON writers then encode them once).
        var lastAssignments: [ComponentAssignment] = [], lastSlugs: [String] = []
        return AvailabilityEngine(query: query, from: from, to: to).slots().map { slot in
            if slot.assignments != lastAssignments {
                lastAssignments = slot.assignments
                lastSlugs = slot.resourceIDs.compactMap { slugs[$0] }
            }
            return SlotView(start: slot.start, end: slot.end, resourceSlugs: lastSlugs, seatsLeft: slot.seatsLeft)
        }
    }
}

extension AvailabilityReads {
    /// Why `date` has no free start of the offer (nil when it has one): the engine's `emptyDay`.
    static func emptyDay(_ db: Database, business: Business, offer: OfferInfo, date: LocalDate, now: Instant,
                         requested: [ResourceID], durationMinutes: Int? = nil) throws -> EmptyDay? {
        guard let query = try query(db, business: business, offerID: offer.id, spec: offer.spec, from: date, to: date, now: now,
                                    partySize: 1, requested: requested, durationMinutes: durationMinutes) else { return nil }
        return AvailabilityEngine(query: query, from: date, to: date).emptyDay(date)
    }

    /// The engine's question for local dates `from…to`: the schedules of every resource the offer
    /// could use, with what keeps them busy around those dates. Nil when the business's zone is unknown.
    static func query(_ db: Database, business: Business, offerID: OfferID, spec: OfferVersionSpec, from: LocalDate, to: LocalDate,
                      now: Instant, partySize: Int, requested: [ResourceID], excludingOrder: BookingID? = nil,
                      durationMinutes: Int? = nil) throws -> AvailabilityQuery? {
        guard let zone = TimeZone(identifier: business.timeZone) else { return nil }
        let clock = ZoneClock(zone)
        let spanDays = 2 + (spec.duration.maxMinutes + spec.bufferAfterMinutes) / 1440
        let window = TimeRange(start: clock.day(from.adding(days: -2)).start, end: clock.day(to.adding(days: 2 + spanDays)).start)
        let loaded = try ScheduleLoader.load(db, businessID: business.id, spec: spec, window: window, now: now,
                                             excludingOrder: excludingOrder)
        return AvailabilityQuery(offerID: offerID, spec: spec, resources: loaded.schedules, timeZone: zone, now: now,
                                 partySize: partySize, requestedResourceIDs: requested, durationMinutes: durationMinutes,
                                 strategy: loaded.strategy, hoursMemo: loaded.hoursMemo)
    }
}

/// Everything an availability answer depends on (the offer version's spec is compared on a hit, so
/// an edited draft never reuses an answer computed for its earlier contents).
struct AnswerKey: Hashable, Sendable {
    let businessID: BusinessID
    let timeZone: String
    let versionID: OfferVersionID
    let from: LocalDate
    let to: LocalDate
    let now: Instant
    let partySize: Int
    let resourceSlug: String?
    let scheduleVersion: Int64
    let bookingVersion: Int64
    /// The length chosen for a variable-duration offer (nil: the shortest).
    var durationMinutes: Int? = nil
}

/// The answers of the current second. Keys carry the second they were asked in, so an answer is
/// useless once that second is over: storing an answer of a later second drops the older ones. The
/// slots kept are also capped (`maxSlots`, a few megabytes with their JSON), so that many distinct
/// long ranges in one second cannot grow the process: past the cap, answers are not kept.
final class AnswerCache: Sendable {
    private struct Entry {
        let spec: OfferVersionSpec
        let answer: AvailabilityReads.Answer
    }

    private struct Second {
        var second: Instant = .min
        var entries: [AnswerKey: Entry] = [:]
        var slots = 0
    }

    private let maxSlots: Int
    private let current = Mutex(Second())

    /// 0 keeps nothing (every answer computed; for measuring).
    init(maxSlots: Int) { self.maxSlots = maxSlots }

    func answer(for key: AnswerKey, spec: OfferVersionSpec) -> AvailabilityReads.Answer? {
        current.withLock { current in
            guard let entry = current.entries[key], entry.spec == spec else { return nil }
            return entry.answer
        }
    }

    func store(_ answer: AvailabilityReads.Answer, for key: AnswerKey, spec: OfferVersionSpec) {
        guard maxSlots > 0 else { return }
        current.withLock { current in
            if key.now > current.second { current = Second(second: key.now) }
            if key.now < current.second { return }   // asked in a second that is already over
            guard current.slots + answer.slots.count <= maxSlots else { return }
            if let old = current.entries.updateValue(Entry(spec: spec, answer: answer), forKey: key) {
                current.slots -= old.answer.slots.count
            }
            current.slots += answer.slots.count
        }
    }

    /// How many answers and slots are kept (for tests).
    var kept: (answers: Int, slots: Int) {
        current.withLock { ($0.entries.count, $0.slots) }
    }
}
