import BookingCore
import Foundation
import GRDB
@testable import Store
import Testing

/// The staff calendar's reads, the field-visibility store and the front-desk writes.
@Suite(.serialized)
struct StaffStoreTests {
    static let seededAt: Int64 = 1_795_366_800   // Sunday 2026-11-22 12:00 New York
    static let monday = LocalDate(year: 2026, month: 11, day: 23)!

    let database: AppDatabase
    let business: Business

    init() throws {
        (database, business) = try DemoStore.open("staff-store")
    }

    @Test func calendarDataHasBookingsBuffersBlocksAndHours() throws {
        try database.pool.write { db in
            try StaffBookings.block(db, business: business, resourceSlug: "sam-stylist",
                                    range: TimeRange(start: 1_795_453_200, end: 1_795_456_800), reason: "Lunch",
                                    now: Self.seededAt, actor: .user(1))
        }
        let data = try database.pool.read { try StaffCalendarReads.load($0, business: business, from: Self.monday, through: Self.monday) }
        #expect(data.orders.map(\.customer.name).sorted() == ["Omar Reyes", "Priya Shah", "Zelda Quinn"])
        let treatment = try #require(data.orders.first { $0.offerSlug == "treatment" })
        let spans = data.spans.filter { $0.orderID == treatment.id }
        #expect(spans.count == 2)   // host and room
        #expect(spans.allSatisfy { $0.blocked.end == $0.service.end + 600 })
        #expect(data.blocked.map(\.reason) == ["Lunch", "Dentist"])   // Dentist: Dana's demo time off (issue 20)
        let dana = try #require(data.resources.first { $0.slug == "dana-doctor" })
        #expect(data.openHours[dana.id]?[Self.monday] == [TimeRange(start: 1_795_442_400, end: 1_795_471_200)])
        #expect(data.sensitiveOffers.isEmpty)
        let blocks = try database.pool.read {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM audit_log WHERE action = 'calendar.block' AND actor = 'user:1'")
        }
        #expect(blocks == 1)
    }

    @Test func fieldVisibilityRoundTripsAndIsAudited() throws {
        #expect(try database.pool.read { try FieldVisibilityStore.policy($0, businessID: business.id) } == .default)
        let wanted = VisibilityPolicy(overrides: [.staff: [.phone: .masked, .name: .masked]])
        try database.pool.write { try FieldVisibilityStore.save($0, businessID: business.id, policy: wanted, actor: "user:1", now: 5) }
        let stored = try database.pool.read { try FieldVisibilityStore.policy($0, businessID: business.id) }
        #expect(stored.visibility(.staff, .phone) == .masked)
        #expect(stored.overrides[.staff]?[.name] == nil)   // equal to the default: no row
        #expect(stored.visibility(.staff, .email) == .hidden)
        let audited = try database.pool.read {
            try String.fetchAll($0, sql: "SELECT details FROM audit_log WHERE action = 'policy.field_visibility'")
        }
        #expect(audited.count == 1)
        #expect(audited.first?.contains("staff.phone") == true)
    }

    @Test func rescheduleMovesAssignmentsAndRefusesTakenTimes() throws {
        let zelda = try #require(try database.pool.read {
            try BookingReads.list($0, businessID: business.id, from: 0, to: .max).first { $0.customer.name == "Zelda Quinn" }
        })
        let eleven: Int64 = 1_795_449_600   // Monday 11:00 New York
        let moved = try database.pool.write {
            try StaffBookings.reschedule($0, business: business, publicID: zelda.publicID, start: eleven, now: Self.seededAt, actor: .user(1))
        }
        #expect(moved.start == eleven && moved.end == eleven + 1800)
        #expect(moved.resources.map(\.slug) == ["dana-doctor"])
        let spans = try database.pool.read { db in
            try Int64.fetchAll(db, sql: "SELECT starts_at FROM resource_assignments WHERE order_id = ?", arguments: [zelda.id])
        }
        #expect(spans == [eleven])
        // Yoga at noon is a class: it cannot be moved here.
        let yoga = try #require(try database.pool.read {
            try BookingReads.list($0, businessID: business.id, from: 0, to: .max).first { $0.offerSlug == "yoga-class" }
        })
        #expect(throws: BookingFailure.self) {
            try database.pool.write {
                try StaffBookings.reschedule($0, business: business, publicID: yoga.publicID, start: eleven, now: Self.seededAt, actor: .user(1))
            }
        }
        // Sunday is closed.
        #expect(throws: BookingFailure.self) {
            try database.pool.write {
                try StaffBookings.reschedule($0, business: business, publicID: zelda.publicID, start: Self.seededAt + 7200,
                                             now: Self.seededAt, actor: .user(1))
            }
        }
    }

    @Test func onlyStaffRolesWithTheCalendarGetANoticeWaiver() {
        #expect(Role.allCases.filter { NoticeWaiver(role: $0) != nil } == [.owner, .admin, .manager, .staff])
    }

    @Test func theNoticeWaiverLiftsTheNoticeAndNothingElse() throws {
        let nineThirty: Int64 = 1_795_444_200   // Monday 09:30 New York; now is 09:00, the consultation needs 60 minutes
        let now: Int64 = 1_795_442_400
        func request(_ name: String, start: Int64 = nineThirty) -> BookingRequest {
            BookingRequest(offerSlug: "consultation", start: start, customer: CustomerDetails(name: name, email: "w@example.com", phone: ""),
                           resourceSlugs: ["sam-stylist"], source: "walk_in")
        }
        let waiver = try #require(NoticeWaiver(role: .staff))
        #expect(throws: BookingFailure.self) {
            try database.pool.write { try Bookings.book($0, business: business, request: request("No Waiver"), now: now, actor: .user(1)) }
        }
        let booked = try database.pool.write {
            try Bookings.book($0, business: business, request: request("With Waiver"), now: now, actor: .user(1), noticeWaiver: waiver)
        }
        #expect(booked.order.start == nineThirty && booked.order.status == .confirmed)
        // Sam is now taken at 09:30: the waiver does not lift the double-booking check.
        #expect(throws: BookingFailure.self) {
            try database.pool.write {
                try Bookings.book($0, business: business, request: request("Second"), now: now, actor: .user(1), noticeWaiver: waiver)
            }
        }
        // Nor the past: 08:30 is before now.
        #expect(throws: BookingFailure.self) {
            try database.pool.write {
                try Bookings.book($0, business: business, request: request("Past", start: now - 1800), now: now, actor: .user(1),
                                  noticeWaiver: waiver)
            }
        }
    }

    @Test func calendarDataKeepsEveryOrderOfABusyWeek() throws {
        // Given: 2,100 more bookings on Dana in the week of Monday 23 November (the old read stopped at 2,000).
        let mondayNine: Int64 = 1_795_442_400
        try database.pool.write { db in
            let offer = try #require(try Catalog.offer(db, businessID: business.id, slug: "consultation"))
            let dana = try #require(try Catalog.resourceID(db, businessID: business.id, slug: "dana-doctor"))
            for n in 0..<2_100 {
                let start = mondayNine + Int64(n) * 240, end = start + 240
                try db.execute(sql: """
                    INSERT INTO booking_orders (business_id, public_id, offer_id, offer_version_id, status, customer_name, source,
                      starts_at, ends_at, price_total, currency, price_breakdown, created_at, updated_at)
                    VALUES (?, ?, ?, ?, 'confirmed', ?, 'demo', ?, ?, 0, 'USD', ?, 0, 0)
                    """, arguments: [business.id, "bk_busy_week_\(n)_padding", offer.id, offer.versionID, "Busy \(n)", start, end,
                                     #"{"currency":"USD","deposit":0,"lines":[],"model":"fixed","total":0}"#])
                let order = db.lastInsertedRowID
                try db.execute(sql: "INSERT INTO fulfillment_units (business_id, order_id, starts_at, ends_at, blocked_from, blocked_to) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [business.id, order, start, end, start, end])
                try db.execute(sql: """
                    INSERT INTO resource_assignments (business_id, unit_id, order_id, resource_id, role, offer_id, is_class, party_size,
                      starts_at, ends_at, blocked_from, blocked_to) VALUES (?, ?, ?, ?, 'host', ?, 0, 1, ?, ?, ?, ?)
                    """, arguments: [business.id, db.lastInsertedRowID, order, dana, offer.id, start, end, start, end])
            }
        }
        // When: the week is read. Then: every order is there, each with its assignment and resource.
        let data = try database.pool.read {
            try StaffCalendarReads.load($0, business: business, from: Self.monday, through: Self.monday.adding(days: 6))
        }
        #expect(data.orders.filter { $0.customer.name.hasPrefix("Busy ") }.count == 2_100)
        #expect(data.orders.count == 2_100 + 6)   // and the demo's six
        #expect(data.spans.count == data.orders.reduce(0) { $0 + $1.resources.count })
        #expect(data.orders.first { $0.customer.name == "Busy 2099" }?.resources.map(\.slug) == ["dana-doctor"])
    }
}
