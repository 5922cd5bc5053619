/// How honest the wait estimates were: for each ticket that was called, the range promised when
/// it joined against the wait it had (joined → called), summed up per business-local week.
public enum QueueAccuracy {
    public struct Observation: Hashable, Sendable {
        public var joinedAt: Instant
        public var calledAt: Instant
        public var estimate: QueueEstimator.Wait

        public init(joinedAt: Instant, calledAt: Instant, estimate: QueueEstimator.Wait) {
            self.joinedAt = joinedAt
            self.calledAt = calledAt
            self.estimate = estimate
        }

        public var actualMinutes: Double { Double(Swift.max(0, calledAt - joinedAt)) / 60 }
        /// Called within the promised range (a minute's grace either side).
        public var withinRange: Bool {
            actualMinutes >= Double(estimate.low) - 1 && actualMinutes <= Double(estimate.high) + 1
        }
    }

    public struct Week: Hashable, Sendable {
        /// The Monday the week starts on.
        public var monday: LocalDate
        public var tickets: Int
        /// Mean of the promised ranges' midpoints, minutes.
        public var meanEstimated: Double
        public var meanActual: Double
        public var withinRange: Int
        /// Called later than promised.
        public var late: Int
    }

    /// Weeks with at least one observation, most recent first.
    public static func weeks(_ observations: [Observation], clock: ZoneClock) -> [Week] {
        var byWeek: [LocalDate: [Observation]] = [:]
        for o in observations { byWeek[clock.local(o.joinedAt).date.mondayOfWeek, default: []].append(o) }
        return byWeek.keys.sorted(by: >).map { monday in
            let list = byWeek[monday] ?? []
            let n = Double(list.count)
            return Week(monday: monday, tickets: list.count,
                        meanEstimated: list.reduce(0) { $0 + Double($1.estimate.low + $1.estimate.high) / 2 } / n,
                        meanActual: list.reduce(0) { $0 + $1.actualMinutes } / n,
                        withinRange: list.filter(\.withinRange).count,
                        late: list.filter { $0.actualMinutes > Double($0.estimate.high) + 1 }.count)
        }
    }
}
