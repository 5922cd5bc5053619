import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// Shared by the setup and builder tests: a signed-in owner who completed the quick setup.
enum SetupSupport {
    static func form(_ overrides: [String: String?] = [:], days: [String] = ["mon", "tue", "wed", "thu", "fri"]) -> [(String, String)] {
        var fields: [(String, String)] = []
        let base: [(String, String)] = [("business_name", "Café Zoë"), ("timezone", "Europe/Paris"), ("service_name", "Deep Tissue Massage"),
                                        ("duration_minutes", "30"), ("price", "45.00"), ("currency", "EUR"),
                                        ("opens", "09:00"), ("closes", "17:00")]
        for (name, value) in base {
            if let override = overrides[name] {
                if let override { fields.append((name, override)) }
            } else {
                fields.append((name, value))
            }
        }
        fields += days.map { ("days", $0) }
        return fields
    }

    /// An owner who ran the quick setup; returns their browser and the business slug.
    static func owner(_ test: TestApp, email: String = "owner@setup.test",
                      fields: [(String, String)] = form()) throws -> (Browser, User, String) {
        let (browser, user) = try test.member(email)
        try browser.get("/setup")
        let response = try browser.post("/setup", fields)
        #expect(response.status == .seeOther)
        let location = try #require(response.headers["Location"])
        #expect(location.hasPrefix("/manage/") && location.hasSuffix("/"))
        return (browser, user, String(location.dropFirst("/manage/".count).dropLast()))
    }

    static func count(_ test: TestApp, _ table: String) throws -> Int {
        try test.database.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
    }

    static func business(_ test: TestApp, _ slug: String) throws -> Business {
        try #require(try test.database.pool.read { db in try Catalog.business(db, slug: slug) })
    }

    /// The first Monday strictly after the harness's now, in `zone`.
    static func nextMonday(_ test: TestApp, zone: String) -> LocalDate {
        let clock = ZoneClock(identifier: zone)!
        var day = clock.local(test.nowSeconds).date.adding(days: 1)
        while day.weekday != .monday { day = day.adding(days: 1) }
        return day
    }
}

struct SetupTests {
    @Test func validSetupCreatesABookableBusinessAtLocalTimes() throws {
        let test = try TestApp()
        let (browser, user, slug) = try SetupSupport.owner(test)
        #expect(slug == "cafe-zoe")
        let business = try SetupSupport.business(test, slug)
        #expect(business.name == "Café Zoë")
        #expect(business.timeZone == "Europe/Paris")
        #expect(business.currency == "EUR")

        let membership = try #require(try test.database.membership(userID: user.id, businessSlug: slug))
        #expect(membership.role == .owner)

        try test.database.pool.read { db in
            let resources = try Catalog.resources(db, businessID: business.id)
            #expect(resources.count == 1)
            #expect(resources.first?.kind == .host)
            #expect(resources.first?.name == user.name)
            #expect(membership.resourceID == resources.first?.id)
            let rules = try Row.fetchAll(db, sql: "SELECT weekday, opens_minute, closes_minute FROM availability_rules WHERE business_id = ? ORDER BY weekday",
                                         arguments: [business.id])
            #expect(rules.map { $0["weekday"] as Int } == [1, 2, 3, 4, 5])
            #expect(rules.allSatisfy { ($0["opens_minute"] as Int) == 540 && ($0["closes_minute"] as Int) == 1020 })

            let offer = try #require(try Catalog.offer(db, businessID: business.id, slug: "deep-tissue-massage"))
            #expect(offer.version == 1)
            #expect(offer.status == .live)
            #expect(offer.spec.price == .fixed(Money(4500, "EUR")))
            #expect(offer.spec.duration == .fixed(30))
            #expect(offer.spec.slotIntervalMinutes == 30)
            #expect(offer.spec.minimumNoticeMinutes == 60)
            #expect(offer.spec.maximumAdvanceDays == 180)
            #expect(offer.spec.components == [OfferComponent(selector: .anyOf(kind: .host, tag: nil), role: "host")])

            // Slots exist at 09:00…16:30 Paris time on a Monday.
            let monday = SetupSupport.nextMonday(test, zone: "Europe/Paris")
            let slots = try AvailabilityReads.slots(db, business: business, offer: offer, from: monday, to: monday, now: test.nowSeconds)
            let clock = ZoneClock(identifier: "Europe/Paris")!
            let times = slots.map { clock.local($0.start).time.description }
            #expect(times.first == "09:00")
            #expect(times.last == "16:30")
            #expect(times.count == 16)
            // Saturday is closed.
            let saturday = monday.adding(days: 5)
            #expect(try AvailabilityReads.slots(db, business: business, offer: offer, from: saturday, to: saturday, now: test.nowSeconds).isEmpty)

            // Every change is in the audit log, whose chain is intact.
            let actions = try String.fetchAll(db, sql: "SELECT action FROM audit_log WHERE business_id = ? ORDER BY seq", arguments: [business.id])
            #expect(actions.contains("business.create") && actions.contains("membership.add") && actions.contains("offer_version.publish"))
            #expect(try AuditLog.verify(db, businessID: business.id) == .intact(entries: actions.count))
        }

        // The dashboard shows the public link as plain text.
        let dashboard = try browser.get("/manage/cafe-zoe/")
        #expect(dashboard.status == .ok)
        #expect(dashboard.text.contains("<code id=\"public-link\">/b/cafe-zoe</code>"))
        #expect(dashboard.text.contains("data-copy=\"public-link\" hidden"))
    }

    @Test func setupFormHasDefaultsAndTheZoneList() throws {
        let test = try TestApp()
        let (browser, _) = try test.member("form@setup.test")
        let page = try browser.get("/setup")
        #expect(page.status == .ok)
        #expect(page.text.contains(#"value="America/New_York""#))
        #expect(page.text.contains(#"<option value="Asia/Tokyo">"#))
        #expect(page.text.contains(#"value="mon" checked"#))
        #expect(!page.text.contains(#"value="sat" checked"#))
        #expect(page.text.contains(#"name="opens" type="time" required value="09:00""#))
    }

    struct Invalid: Sendable, CustomStringConvertible {
        let field: String
        let overrides: [String: String?]
        var days: [String] = ["mon", "tue"]
        var description: String { "\(field) \(overrides)" }
    }

    static let invalid: [Invalid] = [
        Invalid(field: "business_name", overrides: ["business_name": "  "]),
        Invalid(field: "business_name", overrides: ["business_name": "!!!"]),
        Invalid(field: "timezone", overrides: ["timezone": "Mars/Olympus"]),
        Invalid(field: "timezone", overrides: ["timezone": String?.none]),
        Invalid(field: "service_name", overrides: ["service_name": ""]),
        Invalid(field: "duration_minutes", overrides: ["duration_minutes": "0"]),
        Invalid(field: "duration_minutes", overrides: ["duration_minutes": "thirty"]),
        Invalid(field: "duration_minutes", overrides: ["duration_minutes": "600", "opens": "09:00", "closes": "10:00"]),
        Invalid(field: "price", overrides: ["price": "45,00"]),
        Invalid(field: "price", overrides: ["price": "-5.00"]),
        Invalid(field: "price", overrides: ["price": "45.001"]),
        Invalid(field: "price", overrides: ["price": ""]),
        Invalid(field: "currency", overrides: ["currency": "EURO"]),
        Invalid(field: "days", overrides: [:], days: []),
        Invalid(field: "days", overrides: [:], days: ["mon", "funday"]),
        Invalid(field: "opens", overrides: ["opens": "9am"]),
        Invalid(field: "closes", overrides: ["closes": "25:00"]),
        Invalid(field: "closes", overrides: ["opens": "17:00", "closes": "09:00"]),
    ]

    @Test(arguments: invalid)
    func eachInvalidFieldIsNamedAndNothingIsCreated(_ bad: Invalid) throws {
        let test = try TestApp()
        let (browser, _) = try test.member("invalid@setup.test")
        try browser.get("/setup")
        let response = try browser.post("/setup", SetupSupport.form(bad.overrides, days: bad.days))
        #expect(response.status == .unprocessable)
        // Next to the field, and linked from the summary at the top.
        #expect(response.text.contains("id=\"\(bad.field)-error\""))
        #expect(response.text.contains("<a href=\"#\(bad.field)\">"))
        #expect(response.text.contains("There is a problem"))
        for table in ["businesses", "memberships", "resources", "offers", "offer_versions", "audit_log"] {
            #expect(try SetupSupport.count(test, table) == 0, "\(table)")
        }
    }

    @Test func aRefusedFormKeepsWhatWasTyped() throws {
        let test = try TestApp()
        let (browser, _) = try test.member("keep@setup.test")
        try browser.get("/setup")
        let response = try browser.post("/setup", SetupSupport.form(["price": "abc"], days: ["sat"]))
        #expect(response.status == .unprocessable)
        #expect(response.text.contains(#"value="Café Zoë""#))
        #expect(response.text.contains(#"value="sat" checked"#))
        #expect(!response.text.contains(#"value="mon" checked"#))
    }

    @Test func anonymousVisitorsAreSentToSignUpFirst() throws {
        let test = try TestApp()
        let browser = test.browser()
        let page = try browser.get("/setup")
        #expect(page.status == .seeOther)
        #expect(page.headers["Location"] == "/signup?next=%2Fsetup")
        try browser.get("/signup")
        let post = try browser.post("/setup", SetupSupport.form())
        #expect(post.status == .seeOther)
        #expect(post.headers["Location"] == "/signup?next=%2Fsetup")
        #expect(try SetupSupport.count(test, "businesses") == 0)
        // Without a form token nothing runs at all.
        let forged = try test.browser().post("/setup", SetupSupport.form(), csrf: .some(nil))
        #expect(forged.status == .forbidden)
    }

    @Test func aDoubleSubmitCreatesOneBusiness() throws {
        let test = try TestApp()
        let (browser, _) = try test.member("double@setup.test")
        try browser.get("/setup")
        let first = try browser.post("/setup", SetupSupport.form())
        test.advance(seconds: 2)
        let second = try browser.post("/setup", SetupSupport.form())
        #expect(first.status == .seeOther && second.status == .seeOther)
        #expect(first.headers["Location"] == second.headers["Location"])
        #expect(try SetupSupport.count(test, "businesses") == 1)
        #expect(try SetupSupport.count(test, "offers") == 1)
        // A deliberate second business later gets its own slug.
        test.advance(seconds: 120)
        let later = try browser.post("/setup", SetupSupport.form())
        #expect(later.headers["Location"] == "/manage/cafe-zoe-2/")
        #expect(try SetupSupport.count(test, "businesses") == 2)
    }

    @Test func aTakenSlugGetsASuffix() throws {
        let test = try TestApp()
        _ = try SetupSupport.owner(test, email: "first@setup.test")
        let (_, _, slug) = try SetupSupport.owner(test, email: "second@setup.test")
        #expect(slug == "cafe-zoe-2")
        let (_, _, third) = try SetupSupport.owner(test, email: "third@setup.test")
        #expect(third == "cafe-zoe-3")
    }
}
