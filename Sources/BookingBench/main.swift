// Benchmarks that need the real modules, in release mode:
//   BookingBench engine                      31 days of host+room slots (20 hosts, 10 rooms, 10,000 bookings)
//   BookingBench pricing                     price quotes with every rule kind
//   BookingBench seed DATA_DIR HOSTS         a business "bench" with HOSTS hosts open around the clock;
//                                            prints an API key on the last line (for wrk)
//   BookingBench seed-large DATA_DIR         business "large": 200 hosts, 50 rooms, 30 offers of each mode,
//                                            100,000 bookings over a year, and owner@large.test
//                                            (password bench-password); prints an API key last
//   BookingBench scale DATA_DIR [RUNS]       (a copy of seed-large's data) CPU per page's reads before and after
//                                            doubling bookings outside the range and resources outside the offer
//   BookingBench scale-reads DATA_DIR [RUNS] the same reads, data not grown (each side in a fresh process)
//   BookingBench scale-month DATA_DIR [RUNS] only the month of those reads
//   BookingBench grow DATA_DIR               scale's doubling step alone
//   BookingBench scale-count DATA_DIR [RUNS] the three pages' reads inside count*Reads, for callgrind's --toggle-collect
//   BookingBench outbox-booking              booking throughput with and without the outbox rows
//   BookingBench outbox-send SMTP_URL [N]    outbox worker messages/s to an SMTP sink
//   BookingBench writer-profile N [THREADS]  N API bookings through AppDatabase.book, for callgrind
//                                            (the bizing-writer thread is the serial section)
import BookingCore
import Foundation
import Passwords
import Store

func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func rules(_ opens: String, _ closes: String) -> [WeeklyRule] {
    Weekday.allCases.map { WeeklyRule(weekday: $0, opens: WallTime(opens)!, closes: WallTime(closes)!) }
}

func best(_ runs: Int, _ body: () -> Void) -> Duration {
    var best = Duration.seconds(1000)
    for _ in 0..<runs {
        let start = ContinuousClock.now
        body()
        best = min(best, ContinuousClock.now - start)
    }
    return best
}

func ms(_ d: Duration) -> String {
    String(format: "%.3f ms", Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
}

/// 31 days of a 60-minute host+room offer, with `bookings` busy entries spread over `hosts`+`rooms`.
func engineCase(hosts: Int, rooms: Int, bookings: Int, days: Int) -> (AvailabilityQuery, LocalDate, LocalDate) {
    var rng = SplitMix64(state: 42)
    let from = LocalDate("2026-03-01")!, to = from.adding(days: days - 1)
    let zone = TimeZone(identifier: "America/New_York")!
    let first = ZoneClock(zone).day(from).start
    var resources = (0..<hosts).map { ResourceSchedule(id: ResourceID(rawValue: Int64($0 + 1)), kind: .host, weeklyRules: rules("08:00", "20:00")) }
    resources += (0..<rooms).map { ResourceSchedule(id: ResourceID(rawValue: Int64(1000 + $0)), kind: .venue, weeklyRules: rules("08:00", "20:00")) }
    for _ in 0..<bookings {
        let i = Int.random(in: 0..<resources.count, using: &rng)
        let start = first + Int64(Int.random(in: 0..<(days * 96), using: &rng)) * 900
        resources[i].busy.append(BusyEntry(blocked: TimeRange(start: start, end: start + 45 * 60),
                                           service: TimeRange(start: start, end: start + 30 * 60), offerID: 9))
    }
    let spec = OfferVersionSpec(duration: .fixed(60), bufferAfterMinutes: 15, slotIntervalMinutes: 30,
                                price: .fixed(Money(9000, "USD")),
                                components: [OfferComponent(selector: .anyOf(kind: .host, tag: nil), role: "host"),
                                             OfferComponent(selector: .anyOf(kind: .venue, tag: nil), role: "room")])
    return (AvailabilityQuery(offerID: 1, spec: spec, resources: resources, timeZone: zone, now: first - 86_400), from, to)
}

func engine() {
    say("| case | slots | best of 30 |")
    say("|---|---|---|")
    for (hosts, rooms, bookings, days) in [(20, 10, 10_000, 31), (20, 10, 0, 31), (20, 10, 10_000, 7), (20, 10, 10_000, 1),
                                            (40, 20, 10_000, 31), (20, 10, 20_000, 31), (200, 50, 10_000, 31)] {
        let (query, from, to) = engineCase(hosts: hosts, rooms: rooms, bookings: bookings, days: days)
        var count = 0
        let time = best(30) { count = AvailabilityEngine(query: query, from: from, to: to).slots().count }
        say("| \(hosts) hosts, \(rooms) rooms, \(bookings) bookings, \(days) days | \(count) | \(ms(time)) |")
    }
    let (query, from, _) = engineCase(hosts: 20, rooms: 10, bookings: 10_000, days: 31)
    let start = query.clock.instant(from.adding(days: 10), WallTime(minutes: 14 * 60)!)!
    let check = best(200) { _ = AvailabilityEngine.check(query, start: start) }
    say("| one start checked (as in the booking transaction) | 1 | \(ms(check)) |")
}

func pricing() {
    let zone = TimeZone(identifier: "Europe/Berlin")!
    let spec = OfferVersionSpec(
        duration: DurationSpec(minMinutes: 30, maxMinutes: 240, stepMinutes: 15),
        price: .hourly(rate: Money(6000, "EUR"), incrementMinutes: 15, minimumMinutes: 60),
        pricingRules: [.timeOfDay(from: WallTime("18:00")!, to: WallTime("22:00")!, weekdays: nil, multiplierBasisPoints: 12_500),
                       .weekday([.saturday, .sunday], multiplierBasisPoints: 11_000),
                       .dateOverride(LocalDate("2026-12-25")!, .multiplierBasisPoints(20_000)),
                       .earlyBird(minDaysAhead: 14, percentOff: 10), .lastMinute(withinHours: 24, percentChange: -15)],
        deposit: .percent(20), components: [])
    let start = ZoneClock(zone).instant(LocalDate("2026-12-25")!, WallTime("18:30")!)!
    var total: Int64 = 0
    let runs = 100_000
    let time = best(5) { for i in 0..<runs { total &+= Pricing.quote(spec, start: start, end: start + Int64(60 + i % 4 * 15) * 60, partySize: 1, now: start - 86_400 * 20, timeZone: zone).total } }
    say("| pricing quote, 5 rules + deposit | \(runs) quotes | \(ms(time)) total, \(String(format: "%.2f", Double(time.components.attoseconds) / 1e12 / Double(runs) + Double(time.components.seconds) * 1e6 / Double(runs))) µs each |")
}

func seed(dataDirectory: String, hosts: Int) throws {
    let root = FileManager.default.currentDirectoryPath
    let database = try AppDatabase(dataDirectory: dataDirectory, migrationsDirectory: root + "/migrations")
    say(try database.seedBench(hosts: hosts, now: Int64(Date().timeIntervalSince1970)))
}

func seedLarge(dataDirectory: String) throws {
    let root = FileManager.default.currentDirectoryPath
    let database = try AppDatabase(dataDirectory: dataDirectory, migrationsDirectory: root + "/migrations")
    say(try database.seedLarge(now: Int64(Date().timeIntervalSince1970), ownerPasswordHash: try Passwords().hash("bench-password")))
}

let arguments = CommandLine.arguments
switch arguments.count > 1 ? arguments[1] : "" {
case "engine": engine()
case "pricing": pricing()
case "seed" where arguments.count == 4: try seed(dataDirectory: arguments[2], hosts: Int(arguments[3]) ?? 10)
case "seed-large" where arguments.count == 3: try seedLarge(dataDirectory: arguments[2])
case "scale" where arguments.count >= 3: try scale(dataDirectory: arguments[2], runs: arguments.count > 3 ? Int(arguments[3]) ?? 41 : 41)
case "scale-month" where arguments.count >= 3: try scaleMonth(dataDirectory: arguments[2], runs: arguments.count > 3 ? Int(arguments[3]) ?? 41 : 41)
case "grow" where arguments.count == 3: try grow(dataDirectory: arguments[2])
case "scale-count" where arguments.count >= 3:
    try scaleCount(dataDirectory: arguments[2], runs: arguments.count > 3 ? Int(arguments[3]) ?? 10 : 10)
case "scale-reads" where arguments.count >= 3:
    try scaleReads(dataDirectory: arguments[2], runs: arguments.count > 3 ? Int(arguments[3]) ?? 41 : 41)
case "outbox-booking": try outboxBooking()
case "outbox-send" where arguments.count >= 3: try outboxSend(url: arguments[2], messages: arguments.count > 3 ? Int(arguments[3]) ?? 2000 : 2000)
case "webhook-booking": try webhookBooking()
case "webhook-send": try webhookSend(deliveries: arguments.count > 2 ? Int(arguments[2]) ?? 2000 : 2000)
case "writer-profile" where arguments.count >= 3:
    try writerProfile(bookings: Int(arguments[2]) ?? 1000, threads: arguments.count > 3 ? Int(arguments[3]) ?? 1 : 1)
default:
    FileHandle.standardError.write(Data("usage: BookingBench engine | pricing | seed DATA_DIR HOSTS | seed-large DATA_DIR | scale DATA_DIR [RUNS] | scale-month DATA_DIR [RUNS] | scale-reads DATA_DIR [RUNS] | grow DATA_DIR | scale-count DATA_DIR [RUNS] | outbox-booking | outbox-send SMTP_URL [N] | webhook-booking | webhook-send [N] | writer-profile N [THREADS]\n".utf8))
    exit(2)
}
