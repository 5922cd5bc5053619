import BookingCore
import Foundation
import GRDB

extension DemoData {
    /// The demo's walk-in queue (CONTRACT.md "Demo data, added with these features"):
    /// `walk-in-haircut`, served by `sam-stylist`, Mon–Sat 09:00–17:00, haircuts of 15–30 minutes.
    /// Returns false when it is already there.
    @discardableResult
    static func seedQueue(_ db: Database, businessID: BusinessID, now: Instant) throws -> Bool {
        if try Queues.queue(db, businessID: businessID, slug: "walk-in-haircut") != nil { return false }
        guard let sam = try Catalog.resourceID(db, businessID: businessID, slug: "sam-stylist") else { return false }
        let hours = Weekday.allCases.filter { $0 != .sunday }.map {
            WeeklyRule(weekday: $0, opens: WallTime(hour: 9, minute: 0)!, closes: WallTime(hour: 17, minute: 0)!)
        }
        _ = try Queues.create(db, businessID: businessID, slug: "walk-in-haircut", name: "Walk-in haircut",
                              description: "No appointment needed: join the line and we will call you.", hours: hours,
                              services: [("haircut", "Haircut", 15), ("cut-and-beard", "Haircut and beard", 30),
                                         ("beard-trim", "Beard trim", 15)],
                              servers: [sam], now: now)
        return true
    }
}
