public import BookingCore
import Foundation
import GRDB

/// The demo business of CONTRACT.md, seeded idempotently through the same catalog and booking
/// functions the product uses.
public enum DemoData {
    public static let slug = "demo"
    public static let password = "demo-password"
    public static let users: [(email: String, name: String, role: Role)] = [
        ("owner@demo.test", "Olivia Owner", .owner),
        ("frontdesk@demo.test", "Frank Desk", .staff),
        ("dana@demo.test", "Dana Doctor", .provider),
        ("customer@demo.test", "Casey Customer", .client),
    ]

    /// Seeds the demo when absent. `hashPassword` is argon2id (Store does not link libargon2).
    /// Returns false when the demo already existed.
    @discardableResult
    static func seed(_ db: Database, now: Instant, hashPassword: () throws -> String) throws -> Bool {
        if try Catalog.business(db, slug: slug) != nil { return false }
        let business = try Catalog.createBusiness(db, slug: slug, name: "Demo Wellness", timeZone: "America/New_York", currency: "USD",
                                                  description: "A small wellness practice: consultations, treatments and a lunchtime yoga class.",
                                                  now: now)
        let id = business.id
        try db.execute(sql: "INSERT INTO locations (business_id, name, address, created_at) VALUES (?, 'Main street', '12 Main Street, Brooklyn, NY', ?)",
                       arguments: [id, now])
        let dana = try Catalog.createResource(db, businessID: id, slug: "dana-doctor", name: "Dana Doctor", kind: .host,
                                              tags: ["doctor"], now: now)
        let sam = try Catalog.createResource(db, businessID: id, slug: "sam-stylist", name: "Sam Stylist", kind: .host,
                                             tags: ["stylist"], now: now)
        let room1 = try Catalog.createResource(db, businessID: id, slug: "room-1", name: "Room 1", kind: .venue, tags: ["treatment"], now: now)
        let room2 = try Catalog.createResource(db, businessID: id, slug: "room-2", name: "Room 2", kind: .venue, tags: ["treatment"], now: now)
        let studio = try Catalog.createResource(db, businessID: id, slug: "studio", name: "Studio", kind: .venue, tags: ["studio"], now: now)
        let nine = WallTime(hour: 9, minute: 0)!, five = WallTime(hour: 17, minute: 0)!
        for resource in [dana, sam, room1, room2, studio] {
            for day in Weekday.allCases where day != .sunday {
                try Catalog.addWeeklyRule(db, businessID: id, resourceID: resource, rule: WeeklyRule(weekday: day, opens: nine, closes: five))
            }
        }
        let tiers = [CancellationTier(minHoursBefore: 24, refundPercent: 100), CancellationTier(minHoursBefore: 0, refundPercent: 50)]
        func spec(_ mode: OfferMode, minutes: Int, price: PriceModel, seats: Int = 1, bufferAfter: Int = 0, interval: Int = 30,
                  deposit: DepositRule? = nil, components: [OfferComponent]) -> OfferVersionSpec {
            OfferVersionSpec(mode: mode, duration: .fixed(minutes), bufferAfterMinutes: bufferAfter, slotIntervalMinutes: interval,
                             minimumNoticeMinutes: 60, maximumAdvanceDays: 180, seats: seats, holdMinutes: 10, price: price,
                             deposit: deposit, cancellationTiers: tiers, noShowFeePercent: 50, components: components)
        }
        let consultation = try Catalog.createOffer(db, businessID: id, slug: "consultation", name: "Consultation",
                                                   description: "A 30-minute conversation with one of our practitioners.", mode: .slot, now: now)
        try Catalog.publishVersion(db, businessID: id, versionID: try Catalog.createDraftVersion(
            db, businessID: id, offerID: consultation,
            spec: spec(.slot, minutes: 30, price: .fixed(Money(4000, "USD")),
                       components: [OfferComponent(selector: .anyOf(kind: .host, tag: nil), role: "host")]), now: now), now: now)
        let treatment = try Catalog.createOffer(db, businessID: id, slug: "treatment", name: "Treatment",
                                                description: "A 60-minute treatment with a practitioner in a private room.", mode: .slot, now: now)
        try Catalog.publishVersion(db, businessID: id, versionID: try Catalog.createDraftVersion(
            db, businessID: id, offerID: treatment,
            // 20 % is taken online once the business connects Stripe (pay at the venue until then).
            spec: spec(.slot, minutes: 60, price: .fixed(Money(9000, "USD")), bufferAfter: 10, deposit: .percent(20),
                       components: [OfferComponent(selector: .anyOf(kind: .host, tag: nil), role: "host"),
                                    OfferComponent(selector: .anyOf(kind: .venue, tag: "treatment"), role: "room")]), now: now), now: now)
        let yoga = try Catalog.createOffer(db, businessID: id, slug: "yoga-class", name: "Lunchtime yoga",
                                           description: "A 60-minute class in the studio, weekdays at noon. 10 places.", mode: .class, now: now)
        for day in [Weekday.monday, .tuesday, .wednesday, .thursday, .friday] {
            try Catalog.addWeeklyRule(db, businessID: id, resourceID: studio,
                                      rule: WeeklyRule(weekday: day, opens: WallTime(hour: 12, minute: 0)!, closes: WallTime(hour: 13, minute: 0)!,
                                                       offerID: yoga))
        }
        try Catalog.publishVersion(db, businessID: id, versionID: try Catalog.createDraftVersion(
            db, businessID: id, offerID: yoga,
            spec: spec(.class, minutes: 60, price: .perPerson(Money(1500, "USD")), seats: 10, interval: 60,
                       components: [OfferComponent(selector: .resource(studio), role: "studio")]), now: now), now: now)

        // Issue 17: a visit that needs the doctor's approval, and an evening class that runs only with 3 people.
        let visit = try Catalog.createOffer(db, businessID: id, slug: "new-patient-visit", name: "New patient visit",
                                            description: "A 45-minute first visit with Dana Doctor. We confirm each request.", mode: .slot, now: now)
        var visitSpec = spec(.slot, minutes: 45, price: .fixed(Money(7500, "USD")), interval: 15,
                             components: [OfferComponent(selector: .resource(dana), role: "host")])
        visitSpec.approvalRequired = true
        // Issue 19: a required, sensitive intake question (CONTRACT.md "Demo data").
        visitSpec.questions = [IntakeQuestion(key: "reason", label: "What is the main reason for your visit?", kind: .shortText,
                                              required: true, sensitive: true)]
        try Catalog.publishVersion(db, businessID: id, versionID: try Catalog.createDraftVersion(
            db, businessID: id, offerID: visit, spec: visitSpec, now: now), now: now)
        let pilates = try Catalog.createOffer(db, businessID: id, slug: "pilates-class", name: "Evening pilates",
                                              description: "A 60-minute class in the studio, Mondays and Wednesdays at 18:00. 8 places; it runs with at least 3.",
                                              mode: .class, now: now)
        for day in [Weekday.monday, .wednesday] {
            try Catalog.addWeeklyRule(db, businessID: id, resourceID: studio,
                                      rule: WeeklyRule(weekday: day, opens: WallTime(hour: 18, minute: 0)!, closes: WallTime(hour: 19, minute: 0)!,
                                                       offerID: pilates))
        }
        var pilatesSpec = spec(.class, minutes: 60, price: .perPerson(Money(2000, "USD")), seats: 8, interval: 60,
                               components: [OfferComponent(selector: .resource(studio), role: "studio")])
        pilatesSpec.minimumParticipants = 3
        pilatesSpec.decideHoursBefore = 24
        try Catalog.publishVersion(db, businessID: id, versionID: try Catalog.createDraftVersion(
            db, businessID: id, offerID: pilates, spec: pilatesSpec, now: now), now: now)

        // Issue 17, programs: a 4-week beginners' course in the studio on Saturdays at 10:00, sold whole
        // (make-ups allowed), with one run starting the second Saturday from now.
        let course = try Catalog.createOffer(db, businessID: id, slug: "beginners-yoga-course", name: "Beginners' yoga course",
                                             description: "Four Saturday mornings in the studio, 10:00 to 11:30, sold as a whole course. 6 places.",
                                             mode: .class, now: now)
        try Catalog.addWeeklyRule(db, businessID: id, resourceID: studio,
                                  rule: WeeklyRule(weekday: .saturday, opens: WallTime(hour: 10, minute: 0)!, closes: WallTime(hour: 11, minute: 30)!,
                                                   offerID: course))
        try Catalog.publishVersion(db, businessID: id, versionID: try Catalog.createDraftVersion(
            db, businessID: id, offerID: course,
            spec: spec(.class, minutes: 90, price: .fixed(Money(12000, "USD")), seats: 6, interval: 90,
                       components: [OfferComponent(selector: .resource(studio), role: "studio")]), now: now), now: now)
        try Programs.setUp(db, business: business, slug: "beginners-yoga-course", makeupsAllowed: true, now: now, actor: .system)
        if let clock = ZoneClock(identifier: business.timeZone) {
            var saturday = clock.local(now).date.adding(days: 8)
            while saturday.weekday != .saturday { saturday = saturday.adding(days: 1) }
            let starts = (0..<4).compactMap { clock.instant(saturday.adding(days: 7 * $0), WallTime(hour: 10, minute: 0)!) }
            _ = try Programs.addRun(db, business: business, slug: "beginners-yoga-course",
                                    request: ProgramRunRequest(name: "Saturday mornings", starts: starts), now: now, actor: .system)
        }

        for user in users {
            try db.execute(sql: "INSERT INTO users (email, name, password_hash, created_at, password_changed_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [user.email, user.name, try hashPassword(), now, now])
            let userID = db.lastInsertedRowID
            try db.execute(sql: "INSERT INTO memberships (business_id, user_id, role, resource_id, created_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, userID, user.role.rawValue, user.role == .provider ? dana : nil, now])
            try AuditLog.append(db, businessID: id, at: now, actor: "system", action: "membership.create",
                                subject: "user:\(userID)", details: ["role": user.role.rawValue])
        }
        try seedBookings(db, business: business, now: now, dana: "dana-doctor", sam: "sam-stylist")
        // Issue 20: Dana's time off "Dentist" 14:00–15:00 on the first working day, when Sam gives a treatment:
        // "check a time" at 14:00 then reads "Dana Doctor: blocked by time off; Sam Stylist: taken".
        if let clock = ZoneClock(identifier: business.timeZone) {
            var day = clock.local(now).date.adding(days: 1)
            while day.weekday.rawValue > 5 { day = day.adding(days: 1) }
            if let from = clock.instant(day, WallTime(hour: 14, minute: 0)!), let to = clock.instant(day, WallTime(hour: 15, minute: 0)!) {
                try Catalog.addBlockedTime(db, businessID: id, resourceID: dana, range: TimeRange(start: from, end: to), reason: "Dentist", now: now)
            }
        }
        // Issue 21: a kayak rental by the day and Sam's walk-in queue.
        try seedRentals(db, businessID: id, now: now)
        try seedQueue(db, businessID: id, now: now)
        // Issue 18: a $50 gift card amount in the builder, and the card GIFT-DEMO-50 held by Casey.
        try db.execute(sql: "INSERT INTO gift_card_products (business_id, name, amount, currency, created_at) VALUES (?, 'Gift card $50', 5000, 'USD', ?)",
                       arguments: [id, now])
        let fifty = db.lastInsertedRowID
        let casey = try UserID.fetchOne(db, sql: "SELECT id FROM users WHERE email = 'customer@demo.test'")
        _ = try GiftCardLedger.issue(db, businessID: id, productID: fifty, amount: 5000, currency: "USD", code: "GIFT-DEMO-50",
                                     holder: casey, method: "complimentary", actor: "system", now: now)
        // Issue 18 (CONTRACT.md "Demo data"): the package yoga-5 (5 yoga-class credits, valid 90 days)
        // and the promo code WELCOME20 (20 % off consultation, 100 uses), through the builder's own writes.
        _ = try AppDatabase.createPackage(db, businessID: id, NewPackage(name: "yoga-5", credits: 5, validDays: 90, price: 6000, shareable: false,
                                                                    offerIDs: [yoga]), actor: "system", now: now)
        _ = try Promos.create(db, businessID: id, PromoRule(code: "WELCOME20", discount: .percent(20), offerIDs: [consultation], totalLimit: 100),
                              actor: "system", now: now)
        // Issue 18: the membership plan yoga-monthly ($45.00 a month, 4 yoga-class credits a month, up
        // to 2 rolled over, no discount on other offers, pause up to 2 months), through the builder's write.
        try AppDatabase.createMembershipPlan(db, businessID: id, NewMembershipPlan(
            name: "yoga-monthly", pricePerMonth: 4500, creditsPerPeriod: 4, offerIDs: [yoga], rollover: true, rolloverCap: 2,
            discountPercent: 0, maxPauseMonths: 2, cancelNoticeDays: nil), actor: "system", now: now)
        return true
    }

    /// A few upcoming bookings by named customers, on the next working days, so calendars are not empty.
    static func seedBookings(_ db: Database, business: Business, now: Instant, dana: String, sam: String) throws {
        guard let clock = ZoneClock(identifier: business.timeZone) else { return }
        var day = clock.local(now).date.adding(days: 1)
        var weekdays: [LocalDate] = []
        while weekdays.count < 3 {
            if day.weekday.rawValue <= 5 { weekdays.append(day) }
            day = day.adding(days: 1)
        }
        let plans: [(LocalDate, Int, String, [String], String, String, String, Int)] = [
            (weekdays[0], 10 * 60, "consultation", [dana], "Zelda Quinn", "zelda.quinn@example.com", "+1 212 555 0142", 1),
            (weekdays[0], 14 * 60, "treatment", [sam], "Omar Reyes", "omar.reyes@example.com", "+1 718 555 0199", 1),
            (weekdays[0], 12 * 60, "yoga-class", [], "Priya Shah", "priya.shah@example.com", "+1 646 555 0123", 2),
            (weekdays[1], 9 * 60 + 30, "consultation", [sam], "Liam Chen", "liam.chen@example.com", "+1 917 555 0177", 1),
            (weekdays[1], 11 * 60, "treatment", [dana], "Ana Souza", "ana.souza@example.com", "+1 347 555 0110", 1),
            (weekdays[2], 15 * 60, "consultation", [dana], "Noah Kim", "noah.kim@example.com", "+1 212 555 0188", 1),
        ]
        for plan in plans {
            guard let start = clock.instant(plan.0, WallTime(minutes: plan.1)!) else { continue }
            let request = BookingRequest(offerSlug: plan.2, start: start,
                                         customer: CustomerDetails(name: plan.4, email: plan.5, phone: plan.6,
                                                                   notes: "Prefers morning reminders."),
                                         partySize: plan.7, resourceSlugs: plan.3, source: "demo")
            _ = try Bookings.book(db, business: business, request: request, now: now, actor: .system)
        }
    }
}
