// Benchmarks that need the real modules, in release mode:
//   BookingBench engine                      31 days of host+room slots (20 hosts, 10 rooms, 10,000 bookings)
//   BookingBench pricing                     price quotes with every rule kind
//   BookingBench seed DATA_DIR HOSTS         a business "bench" with HOSTS hosts open around the clock;
//                                            prints an API key on the last line (for wrk)
//   BookingBench seed-large DATA_DIR         business "large": 200 hosts, 50 rooms, 30 offers of each mode,
//                                            100,000 bookings over a year, and owner@large.test
//                                            (password bench-password); prints an API key last
//   BookingBench outbox-booking              booking throughput with and without the outbox rows
//   BookingBench outbox-send SMTP_URL [N]    outbox worker messages/s to an SMTP sink
import BookingCore
import Foundation
import GRDB
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
    var resources = (0..<hosts).map { ResourceSchedule(id: Int64($0 + 1), kind: .host, weeklyRules: rules("08:00", "20:00")) }
    resources += (0..<rooms).map { ResourceSchedule(id: Int64(1000 + $0), kind: .venue, weeklyRules: rules("08:00", "20:00")) }
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
    let now = Int64(Date().timeIntervalSince1970)
    let key = try database.pool.write { db -> String in
        if let business = try Catalog.business(db, slug: "bench") {
            return try APIKeys.create(db, businessID: business.id, name: "bench", now: now, actor: .system).key
        }
        let business = try Catalog.createBusiness(db, slug: "bench", name: "Bench", timeZone: "UTC", currency: "USD", now: now)
        for h in 0..<hosts {
            let id = try Catalog.createResource(db, businessID: business.id, slug: "host-\(h)", name: "Host \(h)", kind: .host, now: now)
            for rule in rules("00:00", "24:00") { try Catalog.addWeeklyRule(db, businessID: business.id, resourceID: id, rule: rule) }
        }
        let offer = try Catalog.createOffer(db, businessID: business.id, slug: "slot", name: "Slot", mode: .slot, now: now)
        let version = try Catalog.createDraftVersion(db, businessID: business.id, offerID: offer, spec: OfferVersionSpec(
            duration: .fixed(30), slotIntervalMinutes: 30, maximumAdvanceDays: 3650, price: .fixed(Money(1000, "USD")),
            components: [OfferComponent(selector: .anyOf(kind: .host, tag: nil), role: "host")]), now: now)
        try Catalog.publishVersion(db, businessID: business.id, versionID: version, now: now)
        return try APIKeys.create(db, businessID: business.id, name: "bench", now: now, actor: .system).key
    }
    say(key)
}

/// The large business of the benchmark suite. Bookings are inserted directly (one transaction, no
/// availability checks): each host gets at most two per day, at 09:00 and 11:00 local time, so they
/// never overlap by construction. Half lie in the past, half in the future.
func seedLarge(dataDirectory: String) throws {
    let root = FileManager.default.currentDirectoryPath
    let database = try AppDatabase(dataDirectory: dataDirectory, migrationsDirectory: root + "/migrations")
    let now = Int64(Date().timeIntervalSince1970)
    let hash = try Passwords().hash("bench-password")
    let key = try database.pool.write { db -> String in
        let business = try Catalog.createBusiness(db, slug: "large", name: "Large Clinic", timeZone: "America/New_York",
                                                  currency: "USD", now: now)
        let id = business.id
        var hosts: [Int64] = [], rooms: [Int64] = []
        let week = Weekday.allCases.filter { $0 != .sunday }
        for h in 0..<200 {
            let rid = try Catalog.createResource(db, businessID: id, slug: "host-\(h)", name: "Host \(h)", kind: .host,
                                                 tags: ["team-\(h % 20)"], now: now)
            for day in week { try Catalog.addWeeklyRule(db, businessID: id, resourceID: rid, rule: WeeklyRule(weekday: day, opens: WallTime("08:00")!, closes: WallTime("20:00")!)) }
            hosts.append(rid)
        }
        for r in 0..<50 {
            let rid = try Catalog.createResource(db, businessID: id, slug: "room-\(r)", name: "Room \(r)", kind: .venue,
                                                 tags: ["wing-\(r % 5)"], now: now)
            for day in week { try Catalog.addWeeklyRule(db, businessID: id, resourceID: rid, rule: WeeklyRule(weekday: day, opens: WallTime("08:00")!, closes: WallTime("20:00")!)) }
            rooms.append(rid)
        }
        let tiers = [CancellationTier(minHoursBefore: 24, refundPercent: 100), CancellationTier(minHoursBefore: 0, refundPercent: 50)]
        var slotVersions: [(offer: Int64, version: Int64, minutes: Int)] = []
        for i in 0..<30 {
            let minutes = [30, 45, 60][i % 3]
            var components = [OfferComponent(selector: .anyOf(kind: .host, tag: "team-\(i % 20)"), role: "host")]
            if i % 2 == 1 { components.append(OfferComponent(selector: .anyOf(kind: .venue, tag: "wing-\(i % 5)"), role: "room")) }
            let offer = try Catalog.createOffer(db, businessID: id, slug: "service-\(i)", name: "Service \(i)", mode: .slot, now: now)
            let version = try Catalog.createDraftVersion(db, businessID: id, offerID: offer, spec: OfferVersionSpec(
                duration: .fixed(minutes), bufferAfterMinutes: 10, slotIntervalMinutes: 15, minimumNoticeMinutes: 60,
                maximumAdvanceDays: 365, price: .fixed(Money(Int64(5000 + i * 100), "USD")),
                pricingRules: [.timeOfDay(from: WallTime("17:00")!, to: WallTime("20:00")!, weekdays: nil, multiplierBasisPoints: 12_000)],
                cancellationTiers: tiers, components: components), now: now)
            try Catalog.publishVersion(db, businessID: id, versionID: version, now: now)
            slotVersions.append((offer, version, minutes))
        }
        for i in 0..<30 {
            let room = rooms[i]
            let offer = try Catalog.createOffer(db, businessID: id, slug: "class-\(i)", name: "Class \(i)", mode: .class, now: now)
            for day in week.prefix(5) {
                try Catalog.addWeeklyRule(db, businessID: id, resourceID: room, rule: WeeklyRule(
                    weekday: day, opens: WallTime(hour: 13 + i % 6, minute: 0)!, closes: WallTime(hour: 14 + i % 6, minute: 0)!, offerID: offer))
            }
            let version = try Catalog.createDraftVersion(db, businessID: id, offerID: offer, spec: OfferVersionSpec(
                mode: .class, duration: .fixed(60), slotIntervalMinutes: 60, maximumAdvanceDays: 365, seats: 12,
                price: .perPerson(Money(2000, "USD")), cancellationTiers: tiers,
                components: [OfferComponent(selector: .resource(room), role: "room")]), now: now)
            try Catalog.publishVersion(db, businessID: id, versionID: version, now: now)
        }
        for i in 0..<30 {
            let offer = try Catalog.createOffer(db, businessID: id, slug: "rental-\(i)", name: "Rental \(i)", mode: .multiDay, now: now)
            let version = try Catalog.createDraftVersion(db, businessID: id, offerID: offer, spec: OfferVersionSpec(
                mode: .multiDay, duration: DurationSpec(minMinutes: 1440, maxMinutes: 4320, stepMinutes: 1440), slotIntervalMinutes: 60,
                maximumAdvanceDays: 365, price: .fixed(Money(30000, "USD")), cancellationTiers: tiers,
                components: [OfferComponent(selector: .resource(rooms[30 + i % 20]), role: "room")]), now: now)
            try Catalog.publishVersion(db, businessID: id, versionID: version, now: now)
        }
        // 100,000 bookings: host h, day d, at 09:00 or 11:00 New York time, from 182 days ago on.
        let clock = ZoneClock(identifier: "America/New_York")!
        let firstDay = clock.local(now).date.adding(days: -182)
        let insertOrder = try db.makeStatement(sql: """
            INSERT INTO booking_orders (business_id, public_id, offer_id, offer_version_id, status, customer_name, customer_email,
              customer_phone, party_size, source, starts_at, ends_at, price_total, currency, price_breakdown, created_at, updated_at)
            VALUES (?, ?, ?, ?, 'confirmed', ?, ?, ?, 1, 'demo', ?, ?, ?, 'USD', ?, ?, ?)
            """)
        let insertUnit = try db.makeStatement(sql: "INSERT INTO fulfillment_units (business_id, order_id, starts_at, ends_at, blocked_from, blocked_to) VALUES (?, ?, ?, ?, ?, ?)")
        let insertAssignment = try db.makeStatement(sql: """
            INSERT INTO resource_assignments (business_id, unit_id, order_id, resource_id, role, offer_id, is_class, party_size,
              starts_at, ends_at, blocked_from, blocked_to) VALUES (?, ?, ?, ?, 'host', ?, 0, 1, ?, ?, ?, ?)
            """)
        var made = 0, index = 0
        while made < 100_000 {
            let host = index % 200, round = index / 200
            let day = firstDay.adding(days: round % 365), second = round / 365
            index += 1
            guard day.weekday != .sunday, let start = clock.instant(day, WallTime(hour: 9 + 2 * (second % 2), minute: 0)!) else { continue }
            let offer = slotVersions[(host % 20) % 30]   // an offer whose team includes this host
            let end = start + Int64(offer.minutes) * 60
            try insertOrder.execute(arguments: [id, "bk_large_\(made)_" + Tokens.hex(Tokens.random(8)), offer.offer, offer.version,
                                                "Customer \(made)", "customer\(made)@example.com", "+1 212 555 \(1000 + made % 9000)",
                                                start, end, 5000, #"{"currency":"USD","deposit":0,"lines":[{"amount":5000,"label":"Price"}],"model":"fixed","total":5000}"#, now, now])
            let order = db.lastInsertedRowID
            try insertUnit.execute(arguments: [id, order, start, end, start, end + 600])
            try insertAssignment.execute(arguments: [id, db.lastInsertedRowID, order, hosts[host], offer.offer, start, end, start, end + 600])
            made += 1
        }
        try db.execute(sql: "UPDATE resources SET max_busy_seconds = 4200 WHERE business_id = ? AND kind = 'host'", arguments: [id])
        try db.execute(sql: "INSERT INTO users (email, name, password_hash, created_at, password_changed_at) VALUES ('owner@large.test', 'Large Owner', ?, ?, ?)",
                       arguments: [hash, now, now])
        try db.execute(sql: "INSERT INTO memberships (business_id, user_id, role, created_at) VALUES (?, ?, 'owner', ?)",
                       arguments: [id, db.lastInsertedRowID, now])
        return try APIKeys.create(db, businessID: id, name: "bench", now: now, actor: .system).key
    }
    say(key)
}

let arguments = CommandLine.arguments
switch arguments.count > 1 ? arguments[1] : "" {
case "engine": engine()
case "pricing": pricing()
case "seed" where arguments.count == 4: try seed(dataDirectory: arguments[2], hosts: Int(arguments[3]) ?? 10)
case "seed-large" where arguments.count == 3: try seedLarge(dataDirectory: arguments[2])
case "outbox-booking": try outboxBooking()
case "outbox-send" where arguments.count >= 3: try outboxSend(url: arguments[2], messages: arguments.count > 3 ? Int(arguments[3]) ?? 2000 : 2000)
default:
    FileHandle.standardError.write(Data("usage: BookingBench engine | pricing | seed DATA_DIR HOSTS | seed-large DATA_DIR | outbox-booking | outbox-send SMTP_URL [N]\n".utf8))
    exit(2)
}
