/// Service-time estimates from what was observed: a moving average of the last `window` service
/// times pulled toward a prior (what the owner says a service takes) with the weight of
/// `priorWeight` observations, and a relative spread from the same observations (prior spread
/// `priorSpread`). With no observations the prior alone answers; with many, the observations do.
public struct ServiceTimeModel: Hashable, Sendable {
    public var priorMinutes: Double
    public var priorWeight: Double
    public var priorSpread: Double
    public var window: Int

    public init(priorMinutes: Double, priorWeight: Double = 3, priorSpread: Double = 0.15, window: Int = 20) {
        self.priorMinutes = priorMinutes
        self.priorWeight = priorWeight
        self.priorSpread = priorSpread
        self.window = window
    }

    /// Mean minutes and relative spread (mean absolute deviation over the mean, 0.1…0.6) from
    /// `observed` service times in minutes, oldest first (only the last `window` count).
    public func estimate(_ observed: [Double]) -> (mean: Double, spread: Double) {
        let recent = observed.suffix(window).filter { $0 > 0 }
        let n = Double(recent.count)
        let mean = (priorMinutes * priorWeight + recent.reduce(0, +)) / (priorWeight + n)
        guard mean > 0 else { return (0, priorSpread) }
        let deviation = recent.reduce(0) { $0 + abs($1 - mean) }
        let spread = (priorSpread * mean * priorWeight + deviation) / (priorWeight + n) / mean
        return (mean, Swift.min(0.6, Swift.max(0.1, spread)))
    }

    /// One server's times for the service: its own moving average pulled toward the service's
    /// estimate (`service`, itself pulled toward the owner's prior) with the same weight, so a new
    /// server starts at the service's pace and a server seen often is estimated by its own times.
    public func perServer(service: (mean: Double, spread: Double), observed: [Double]) -> (mean: Double, spread: Double) {
        ServiceTimeModel(priorMinutes: service.mean, priorWeight: priorWeight, priorSpread: service.spread, window: window)
            .estimate(observed)
    }
}

/// Waits in a queue, simulated: each ticket in order goes to the server free first; a server is
/// free when its current customer is done (by the estimate) and never during an appointment it has.
public enum QueueEstimator {
    /// A server and what keeps it busy.
    public struct Server: Hashable, Sendable {
        /// When its current customer is expected to be done (now or earlier: free now).
        public var freeAt: Instant
        /// Appointments ahead, sorted: the queue cannot use the server then.
        public var appointments: [TimeRange]

        public init(freeAt: Instant, appointments: [TimeRange] = []) {
            self.freeAt = freeAt
            self.appointments = appointments
        }
    }

    /// A wait as a range of whole minutes, rounded outward to 5 minutes.
    public struct Wait: Hashable, Sendable {
        public var low: Int
        public var high: Int
        public init(low: Int, high: Int) {
            self.low = low
            self.high = high
        }
    }

    /// The expected start of each waiting ticket (in order), given each one's expected service
    /// seconds, the servers and `now`. No server: nil for all.
    public static func starts(services: [Int64], servers: [Server], now: Instant) -> [Instant]? {
        starts(durations: services.map { Array(repeating: $0, count: servers.count) }, servers: servers, now: now)
    }

    /// The same with each ticket's expected seconds per server (`durations[ticket][server]`): each
    /// server has its own pace for each service (`ServiceTimeModel.perServer`).
    public static func starts(durations: [[Int64]], servers: [Server], now: Instant) -> [Instant]? {
        guard !servers.isEmpty else { return nil }
        var free = servers.map { Swift.max($0.freeAt, now) }
        var out: [Instant] = []
        for ticket in durations {
            // The server that could start this ticket first, skipping its appointments and off hours.
            var best = -1, bestStart = Instant.max
            for (i, server) in servers.enumerated() {
                let start = firstGap(after: free[i], length: ticket[i], appointments: server.appointments)
                if start < bestStart { best = i; bestStart = start }
            }
            out.append(bestStart)
            free[best] = bestStart + ticket[best]
        }
        return out
    }

    /// The time in `horizon` outside a server's working hours (`open`, its weekly schedule turned
    /// into instants): the queue cannot use the server then, as during an appointment.
    public static func offHours(open: [TimeRange], horizon: TimeRange) -> [TimeRange] {
        TimeRange.subtract([horizon], open)
    }

    /// The first instant at or after `t` when `length` seconds fit between appointments.
    static func firstGap(after t: Instant, length: Int64, appointments: [TimeRange]) -> Instant {
        var start = t
        for a in appointments where a.end > start {
            if start + length <= a.start { break }
            start = Swift.max(start, a.end)
        }
        return start
    }

    /// The wait of a ticket expected to start at `start`, as a range spread by `spread` (relative)
    /// and the estimates' own uncertainty, rounded outward to 5 minutes.
    public static func wait(start: Instant, now: Instant, spread: Double) -> Wait {
        let minutes = Double(Swift.max(0, start - now)) / 60
        let low = Int((minutes * (1 - spread) / 5).rounded(.down)) * 5
        let high = Swift.max(5, Int((minutes * (1 + spread) / 5).rounded(.up)) * 5)
        return Wait(low: Swift.max(0, low), high: Swift.max(high, low + 5))
    }
}
