public import BookingCore
import Foundation
import GRDB

/// The benchmark businesses (`BookingBench seed` and `seed-large`, run by `make bench`): bulk data
/// written in one transaction each, beside the demo data.
extension AppDatabase {
    /// A business "bench" with `hosts` hosts open around the clock and one 30-minute offer;
    /// returns a new API key for it (creating the business only when it is absent).
    public func seedBench(hosts: Int, now: Instant) throws -> String {
        try pool.write { db -> String in
        if let business = try Catalog.business(db, slug: "bench") {
            return try APIKeys.create(db, businessID: business.id, name: "bench", now: now, actor: .system).key
        }
        let business = try Catalog.createBusiness(db, slug: "bench", name: "Bench", timeZone: "UTC", currency: "USD", now: now)
        for h in 0..<hosts {
            let id = try Catalog.createResource(db, businessID: business.id, slug: "host-\(h)", name: "Host \(h)", kind: .host, now: now)
            for rule in Self.rules("00:00", "24:00") { try Catalog.addWeeklyRule(db, businessID: business.id, resourceID: id, rule: rule) }
        }
        let offer = try Catalog.createOffer(db, businessID: business.id, slug: "slot", name: "Slot", mode: .slot, now: now)
        let version = try Catalog.createDraftVersion(db, businessID: business.id, offerID: offer, spec: OfferVersionSpec(
            duration: .fixed(30), slotIntervalMinutes: 30, maximumAdvanceDays: 3650, price: .fixed(Money(1000, "USD")),
            components: [OfferComponent(selector: .anyOf(kind: .host, tag: nil), role: "host")]), now: now)
        try Catalog.publishVersion(db, businessID: business.id, versionID: version, now: now)
        return try APIKeys.create(db, businessID: business.id, name: "bench", now: now, actor: .system).key
        }
    }

    /// Business "large": 200 hosts, 50 rooms, 30 offers of each mode, 100,000 bookings over a year,
    /// and owner@large.test with `ownerPasswordHash`; returns an API key. Bookings are inserted
    /// directly (no availability checks): each host gets at most two per day, at 09:00 and 11:00
    /// local time, so they never overlap by construction. Half lie in the past, half in the future.
    public func seedLarge(now: Instant, ownerPasswordHash hash: String) throws -> String {
        try pool.write { db -> String in
        let business = try Catalog.createBusiness(db, slug: "large", name: "Large Clinic", timeZone: "America/New_York",
                                                  currency: "USD", now: now)
        let id = business.id
        var hosts: [ResourceID] = [], rooms: [ResourceID] = []
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
        var slotVersions: [(offer: OfferID, version: OfferVersionID, minutes: Int)] = []
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
    }

    /// Doubles the "large" business away from what `BookingBench scale` measures (issue 23: cost
    /// must follow the answer, not the data): every booking copied `shiftDays` later (outside the
    /// measured range), and `resources` more hosts tagged "elsewhere" (no offer selects them), open
    /// like the others. Returns the bookings and resources added.
    public func growLarge(shiftDays: Int, resources: Int, now: Instant) throws -> (bookings: Int, resources: Int) {
        try pool.write { db in
            guard let business = try Catalog.business(db, slug: "large") else { return (0, 0) }
            let id = business.id
            let shift = Int64(shiftDays) * 86_400
            let copyOrder = try db.makeStatement(sql: """
                INSERT INTO booking_orders (business_id, public_id, offer_id, offer_version_id, status, customer_name, customer_email,
                  customer_phone, party_size, source, starts_at, ends_at, price_total, currency, price_breakdown, created_at, updated_at)
                SELECT business_id, 'g' || public_id, offer_id, offer_version_id, status, customer_name, customer_email,
                  customer_phone, party_size, source, starts_at + ?, ends_at + ?, price_total, currency, price_breakdown, created_at, updated_at
                FROM booking_orders WHERE id = ?
                """)
            let insertUnit = try db.makeStatement(sql: """
                INSERT INTO fulfillment_units (business_id, order_id, starts_at, ends_at, blocked_from, blocked_to) VALUES (?, ?, ?, ?, ?, ?)
                """)
            let insertAssignment = try db.makeStatement(sql: """
                INSERT INTO resource_assignments (business_id, unit_id, order_id, resource_id, role, offer_id, is_class, party_size,
                  starts_at, ends_at, blocked_from, blocked_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let rows = try Row.fetchAll(db, sql: """
                SELECT order_id, resource_id, role, offer_id, is_class, party_size, starts_at, ends_at, blocked_from, blocked_to
                FROM resource_assignments WHERE business_id = ? ORDER BY id
                """, arguments: [id])
            for row in rows {
                try copyOrder.execute(arguments: [shift, shift, row[0] as Int64])
                let order = db.lastInsertedRowID
                let start: Int64 = row[6], end: Int64 = row[7], from: Int64 = row[8], to: Int64 = row[9]
                try insertUnit.execute(arguments: [id, order, start + shift, end + shift, from + shift, to + shift])
                try insertAssignment.execute(arguments: [id, db.lastInsertedRowID, order, row[1] as Int64, row[2] as String, row[3] as Int64,
                                                         row[4] as Int64, row[5] as Int64, start + shift, end + shift, from + shift, to + shift])
            }
            let week = Weekday.allCases.filter { $0 != .sunday }
            for n in 0..<resources {
                let rid = try Catalog.createResource(db, businessID: id, slug: "elsewhere-\(n)", name: "Zz Elsewhere \(n)", kind: .host,
                                                     tags: ["elsewhere"], now: now)
                for day in week {
                    try Catalog.addWeeklyRule(db, businessID: id, resourceID: rid,
                                              rule: WeeklyRule(weekday: day, opens: WallTime("08:00")!, closes: WallTime("20:00")!))
                }
            }
            return (rows.count, resources)
        }
    }

    private static func rules(_ opens: String, _ closes: String) -> [WeeklyRule] {
        Weekday.allCases.map { WeeklyRule(weekday: $0, opens: WallTime(opens)!, closes: WallTime(closes)!) }
    }
}
