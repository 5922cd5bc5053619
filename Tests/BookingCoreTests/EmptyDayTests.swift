import BookingCore
import Testing

/// `emptyDay`: the one cause a customer reads for a day without times.
struct EmptyDayTests {
    typealias X = ExplanationTests

    static func emptyDay(_ date: String, spec: OfferVersionSpec = F.spec(), resources: [ResourceSchedule],
                         now: Instant = X.now) -> EmptyDay? {
        AvailabilityEngine(query: F.query(spec, resources, now: now), from: F.d(date), to: F.d(date)).emptyDay(F.d(date))
    }

    @Test func aDayWithTimesHasNoCause() {
        #expect(Self.emptyDay(X.tuesday, resources: [X.host(1)]) == nil)
    }

    @Test func aWeekdayWithoutHoursIsClosedOnThatWeekday() {
        #expect(Self.emptyDay("2026-01-04", resources: [X.host(1), X.host(2)]) == .closedWeekday(.sunday))
    }

    @Test func aClosedDateIsClosedThatDate() {
        let holiday = X.host(1, overlays: [DateOverlay(date: F.d(X.tuesday), kind: .closed)])
        #expect(Self.emptyDay(X.tuesday, resources: [holiday]) == .closedDate)
    }

    @Test func aDayWhoseTimesAreAllTooSoonNamesTheNotice() {
        let now = X.at("16:10")
        #expect(Self.emptyDay(X.tuesday, spec: F.spec(notice: 60), resources: [X.host(1)], now: now) == .notice(minutes: 60))
    }

    @Test func aDayBeyondTheAdvanceSaysFromWhen() {
        // 30 days ahead: the first time (09:00 on 6 January) opens on 7 December at 09:00.
        let now = F.t("2025-12-01T12:00:00Z")
        #expect(Self.emptyDay(X.tuesday, spec: F.spec(advanceDays: 30), resources: [X.host(1)], now: now)
                == .notYetBookable(from: F.d("2025-12-07")))
    }

    @Test func aDayWhoseTimesAreAllTakenIsFullyBooked() {
        let allDay = F.busy(X.at("09:00"), minutes: 8 * 60)
        let blocked = TimeRange(start: X.at("09:00"), end: X.at("17:00"))
        #expect(Self.emptyDay(X.tuesday, resources: [X.host(1, busy: [allDay]), X.host(2, blocked: [blocked])]) == .fullyBooked)
    }

    @Test func aHostAtTheDailyLimitShowsNoMoreTimesAndTheDayIsFullyBooked() {
        let four = ["09:00", "10:00", "11:00", "12:00"].enumerated().map { X.booking($0.element, order: BookingID(rawValue: Int64($0.offset))) }
        let host = X.host(1, busy: four, limits: ResourceLimits(maxBookingsPerDay: 4))
        let q = F.query(F.spec(), [host], now: X.now)
        #expect(F.slots(q, X.tuesday).isEmpty)
        #expect(Self.emptyDay(X.tuesday, resources: [host]) == .fullyBooked)
        let three = X.host(1, busy: Array(four.prefix(3)), limits: ResourceLimits(maxBookingsPerDay: 4))
        #expect(!F.slots(F.query(F.spec(), [three], now: X.now), X.tuesday).isEmpty)
    }
}

extension EmptyDayTests {
    @Test func aClosedRoomClosesTheDayOfAnOfferNeedingAHostAndARoom() {
        let room = F.resource(9, .venue, rules: F.rules(F.monSat), overlays: [DateOverlay(date: F.d(X.tuesday), kind: .closed)])
        let spec = F.spec(components: [F.anyHost, F.anyRoom])
        #expect(Self.emptyDay(X.tuesday, spec: spec, resources: [X.host(1), room]) == .closedDate)
    }
}
