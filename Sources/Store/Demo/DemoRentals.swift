import BookingCore
import Foundation
import GRDB

extension DemoData {
    /// The demo's rental (CONTRACT.md "Demo data, added with these features"): asset `kayak`
    /// (12 identical boats, open every day 09:00–17:00) and offer `kayak-rental`, rented by the day
    /// (45.00 a day, 10 % off a week), picked up at 09:00 and returned by 17:00, 1–7 days, with a
    /// one-hour turnover and a 20 % deposit. Returns false when it is already there.
    @discardableResult
    static func seedRentals(_ db: Database, businessID: BusinessID, now: Instant) throws -> Bool {
        if try Catalog.resourceID(db, businessID: businessID, slug: "kayak") != nil { return false }
        let kayak = try Catalog.createResource(db, businessID: businessID, slug: "kayak", name: "Kayak", kind: .asset, capacity: 12,
                                               tags: ["kayak"], now: now)
        for day in Weekday.allCases {
            try Catalog.addWeeklyRule(db, businessID: businessID, resourceID: kayak,
                                      rule: WeeklyRule(weekday: day, opens: WallTime(hour: 9, minute: 0)!, closes: WallTime(hour: 17, minute: 0)!))
        }
        let offer = try Catalog.createOffer(db, businessID: businessID, slug: "kayak-rental", name: "Kayak rental",
                                            description: "A sit-on-top kayak with paddle and life jacket, by the day.", mode: .multiDay,
                                            now: now)
        let spec = OfferVersionSpec(mode: .multiDay, duration: DurationSpec(minMinutes: 480, maxMinutes: 7 * 1440, stepMinutes: 1440),
                                    bufferAfterMinutes: 60, slotIntervalMinutes: 60, minimumNoticeMinutes: 60, maximumAdvanceDays: 180,
                                    holdMinutes: 10, price: .fixed(Money(4_500, "USD")), deposit: .percent(20),
                                    cancellationTiers: [CancellationTier(minHoursBefore: 48, refundPercent: 100)],
                                    components: [OfferComponent(selector: .resource(kayak), role: "kayak")])
        let version = try Catalog.createDraftVersion(db, businessID: businessID, offerID: offer, spec: spec, now: now)
        try Rentals.insertTerms(db, businessID: businessID, versionID: version, terms: RentalTerms(
            pickUp: WallTime(hour: 9, minute: 0)!, returnBy: WallTime(hour: 17, minute: 0)!, unit: .day, rate: 4_500,
            weeklyDiscountPercent: 10, minUnits: 1, maxUnits: 7))
        try Catalog.publishVersion(db, businessID: businessID, versionID: version, now: now)
        return true
    }
}
