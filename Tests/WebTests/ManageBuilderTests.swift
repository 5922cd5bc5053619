import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

struct ManageBuilderTests {
    /// The version form as the offer page would submit it (the quick setup's first version).
    static func versionForm(_ overrides: [String: String] = [:]) -> [(String, String)] {
        var fields: [String: String] = [
            "duration_min": "30", "duration_max": "30", "duration_step": "30", "buffer_before": "0", "buffer_after": "0",
            "slot_interval": "30", "min_notice": "60", "max_advance": "180", "seats": "1", "hold_minutes": "10",
            "price_model": "fixed", "price_amount": "45.00", "hourly_increment": "60", "hourly_minimum": "0",
            "deposit_kind": "none", "deposit_value": "", "component_0": "kind:host", "component_0_count": "1",
            "component_0_role": "host", "component_0_required": "1",
        ]
        for (k, v) in overrides { fields[k] = v }
        return fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    // MARK: Offers

    @Test func editingADraftNeverChangesThePublishedVersionAndBookingsKeepTheirs() throws {
        let test = try TestApp()
        let (browser, _, slug) = try SetupSupport.owner(test)
        let business = try SetupSupport.business(test, slug)
        let monday = SetupSupport.nextMonday(test, zone: business.timeZone)
        // A booking sold under version 1.
        let order = try test.database.pool.write { db -> OrderView in
            let offer = try #require(try Catalog.offer(db, businessID: business.id, slug: "deep-tissue-massage"))
            let slot = try #require(try AvailabilityReads.slots(db, business: business, offer: offer, from: monday, to: monday,
                                                                now: test.nowSeconds).first)
            return try Bookings.book(db, business: business, request: BookingRequest(
                offerSlug: offer.slug, start: slot.start, customer: CustomerDetails(name: "Ann", email: "ann@example.test"),
                source: "web"), now: test.nowSeconds, actor: .guest).order
        }
        let v1 = order.offerVersionID
        let before = try test.database.pool.read { db in try Catalog.offerVersion(db, businessID: business.id, versionID: v1) }

        let page = try browser.get("/manage/\(slug)/offers/deep-tissue-massage")
        #expect(page.status == .ok)
        #expect(page.text.contains(#"value="45.00""#))
        // Save a draft: 60 minutes, 80.00, a 10-minute buffer and refund tiers.
        let saved = try browser.post("/manage/\(slug)/offers/deep-tissue-massage/draft", Self.versionForm([
            "duration_min": "60", "duration_max": "60", "duration_step": "60", "slot_interval": "60", "buffer_after": "10",
            "price_amount": "80.00", "tier_0_hours": "24", "tier_0_percent": "100", "tier_1_hours": "0", "tier_1_percent": "50",
        ]))
        #expect(saved.status == .seeOther)
        // Saving again edits the same draft (v2), never v1.
        let again = try browser.post("/manage/\(slug)/offers/deep-tissue-massage/draft", Self.versionForm([
            "duration_min": "60", "duration_max": "60", "duration_step": "60", "slot_interval": "60", "buffer_after": "10",
            "price_amount": "85.00", "tier_0_hours": "24", "tier_0_percent": "100",
        ]))
        #expect(again.status == .seeOther)
        try test.database.pool.read { db in
            #expect(try Catalog.offerVersion(db, businessID: business.id, versionID: v1) == before)
            let live = try #require(try Catalog.offer(db, businessID: business.id, slug: "deep-tissue-massage"))
            #expect(live.version == 1 && live.spec.price == .fixed(Money(4500, "EUR")))
            let versions = try Int.fetchAll(db, sql: "SELECT version FROM offer_versions WHERE business_id = ? ORDER BY version", arguments: [business.id])
            #expect(versions == [1, 2])
        }
        // The preview shows the draft's hourly starts before publishing.
        let preview = try browser.get("/manage/\(slug)/offers/deep-tissue-massage")
        #expect(preview.text.contains("09:00, 10:00, 11:00"))
        #expect(preview.text.contains("Publish draft v2"))

        let published = try browser.post("/manage/\(slug)/offers/deep-tissue-massage/publish", [])
        #expect(published.status == .seeOther)
        try test.database.pool.read { db in
            let live = try #require(try Catalog.offer(db, businessID: business.id, slug: "deep-tissue-massage"))
            #expect(live.version == 2)
            #expect(live.spec.price == .fixed(Money(8500, "EUR")))
            #expect(live.spec.duration == .fixed(60))
            #expect(live.spec.bufferAfterMinutes == 10)
            #expect(live.spec.cancellationTiers == [CancellationTier(minHoursBefore: 24, refundPercent: 100)])
            #expect(try Catalog.offerVersion(db, businessID: business.id, versionID: v1) == before)
            let kept = try #require(try BookingReads.order(db, businessID: business.id, publicID: order.publicID))
            #expect(kept.offerVersionID == v1)
            #expect(kept.end - kept.start == 30 * 60)
        }
        // The database itself refuses to change a published version.
        #expect(throws: (any Error).self) {
            try test.database.pool.write { db in
                try db.execute(sql: "UPDATE offer_versions SET price_amount = 1 WHERE id = ?", arguments: [v1])
            }
        }
    }

    struct BadVersion: Sendable, CustomStringConvertible {
        let field: String
        let overrides: [String: String]
        var description: String { field }
    }

    static let badVersions: [BadVersion] = [
        BadVersion(field: "duration_min", overrides: ["duration_min": "0"]),
        BadVersion(field: "duration_max", overrides: ["duration_max": "15"]),
        BadVersion(field: "duration_step", overrides: ["duration_max": "90", "duration_step": "40"]),
        BadVersion(field: "buffer_after", overrides: ["buffer_after": "-5"]),
        BadVersion(field: "slot_interval", overrides: ["slot_interval": "x"]),
        BadVersion(field: "max_advance", overrides: ["max_advance": "0"]),
        BadVersion(field: "seats", overrides: ["seats": "0"]),
        BadVersion(field: "price_amount", overrides: ["price_amount": "cheap"]),
        BadVersion(field: "price_model", overrides: ["price_model": "barter"]),
        BadVersion(field: "deposit_value", overrides: ["deposit_kind": "percent", "deposit_value": "150"]),
        BadVersion(field: "tier_0_percent", overrides: ["tier_0_hours": "24", "tier_0_percent": "120"]),
        BadVersion(field: "component_0", overrides: ["component_0": ""]),
        BadVersion(field: "rule_0_days", overrides: ["rule_0_kind": "weekday", "rule_0_days": "funday", "rule_0_percent": "10"]),
        BadVersion(field: "rule_1_to", overrides: ["rule_1_kind": "time_of_day", "rule_1_from": "18:00", "rule_1_to": "09:00",
                                                   "rule_1_percent": "10"]),
        BadVersion(field: "rule_0_percent", overrides: ["rule_0_kind": "early_bird", "rule_0_number": "7", "rule_0_percent": "0"]),
        BadVersion(field: "rule_2_date", overrides: ["rule_2_kind": "date", "rule_2_date": "soon", "rule_2_amount": "10.00"]),
        BadVersion(field: "component_0", overrides: ["component_0": "resource:nobody"]),
    ]

    @Test(arguments: badVersions)
    func anInvalidDraftIsRefusedAndNothingIsWritten(_ bad: BadVersion) throws {
        let test = try TestApp()
        let (browser, _, slug) = try SetupSupport.owner(test)
        try browser.get("/manage/\(slug)/offers/deep-tissue-massage")
        let versions = try SetupSupport.count(test, "offer_versions")
        let audit = try SetupSupport.count(test, "audit_log")
        let response = try browser.post("/manage/\(slug)/offers/deep-tissue-massage/draft", Self.versionForm(bad.overrides))
        #expect(response.status == .unprocessable)
        #expect(response.text.contains("<a href=\"#\(bad.field)\">"))
        #expect(try SetupSupport.count(test, "offer_versions") == versions)
        #expect(try SetupSupport.count(test, "audit_log") == audit)
    }

    @Test func offersAreCreatedAsDraftsAndCanBePausedAndArchived() throws {
        let test = try TestApp()
        let (browser, _, slug) = try SetupSupport.owner(test)
        try browser.get("/manage/\(slug)/offers")
        let bad = try browser.post("/manage/\(slug)/offers", [("name", ""), ("mode", "slot"), ("duration_minutes", "45"), ("price", "20")])
        #expect(bad.status == .unprocessable)
        #expect(bad.text.contains("id=\"name-error\""))
        #expect(try SetupSupport.count(test, "offers") == 1)

        let created = try browser.post("/manage/\(slug)/offers", [("name", "Hot Stones"), ("mode", "slot"),
                                                                  ("duration_minutes", "45"), ("price", "20")])
        #expect(created.headers["Location"] == "/manage/\(slug)/offers/hot-stones")
        let business = try SetupSupport.business(test, slug)
        // A draft only: not bookable until published.
        #expect(try test.database.pool.read { db in try Catalog.offer(db, businessID: business.id, slug: "hot-stones") } == nil)
        try browser.get("/manage/\(slug)/offers/hot-stones")
        #expect(try browser.post("/manage/\(slug)/offers/hot-stones/publish", []).status == .seeOther)
        #expect(try test.database.pool.read { db in try Catalog.liveOffers(db, businessID: business.id).map(\.slug) }
            == ["deep-tissue-massage", "hot-stones"])

        #expect(try browser.post("/manage/\(slug)/offers/hot-stones/status", [("status", "paused")]).status == .seeOther)
        #expect(try test.database.pool.read { db in try Catalog.liveOffers(db, businessID: business.id).map(\.slug) } == ["deep-tissue-massage"])
        #expect(try browser.post("/manage/\(slug)/offers/hot-stones/status", [("status", "deleted")]).status == .unprocessable)
        #expect(try browser.post("/manage/\(slug)/offers/hot-stones/status", [("status", "archived")]).status == .seeOther)
        let list = try browser.get("/manage/\(slug)/offers")
        #expect(list.text.contains("archived"))
    }

    @Test func priceRulesAndDepositsAreSavedAndShownBack() throws {
        let test = try TestApp()
        let (browser, _, slug) = try SetupSupport.owner(test)
        try browser.get("/manage/\(slug)/offers/deep-tissue-massage")
        let saved = try browser.post("/manage/\(slug)/offers/deep-tissue-massage/draft", Self.versionForm([
            "rule_0_kind": "weekday", "rule_0_days": "sat,sun", "rule_0_percent": "25",
            "rule_1_kind": "early_bird", "rule_1_number": "14", "rule_1_percent": "10",
            "rule_2_kind": "date", "rule_2_date": "2026-12-25", "rule_2_amount": "99.00",
            "deposit_kind": "percent", "deposit_value": "20", "approval_required": "1",
        ]))
        #expect(saved.status == .seeOther)
        let business = try SetupSupport.business(test, slug)
        let draft = try #require(try test.database.pool.read { db -> ManageCatalog.VersionRow? in
            guard let offer = try ManageCatalog.offer(db, businessID: business.id, slug: "deep-tissue-massage") else { return nil }
            return try ManageCatalog.latestVersion(db, businessID: business.id, offerID: offer.id, status: "draft")
        })
        #expect(draft.spec.pricingRules == [.weekday([.saturday, .sunday], multiplierBasisPoints: 12_500),
                                            .earlyBird(minDaysAhead: 14, percentOff: 10),
                                            .dateOverride(LocalDate("2026-12-25")!, .fixed(9900))])
        #expect(draft.spec.deposit == .percent(20))
        #expect(draft.spec.approvalRequired)
        let page = try browser.get("/manage/\(slug)/offers/deep-tissue-massage")
        #expect(page.text.contains(#"name="rule_0_days" type="text" value="sat,sun""#))
        #expect(page.text.contains(#"<option value="early_bird" selected>"#))
        #expect(page.text.contains("(deposit €9.00)"))
    }

    // MARK: Resources

    @Test func resourcesHoursOverridesAndBlockedTimeChangeAvailability() throws {
        let test = try TestApp()
        let (browser, user, slug) = try SetupSupport.owner(test)
        let business = try SetupSupport.business(test, slug)
        try browser.get("/manage/\(slug)/resources")

        let bad = try browser.post("/manage/\(slug)/resources", [("name", "Room 1"), ("kind", "venue"), ("capacity", "0"), ("tags", "")])
        #expect(bad.status == .unprocessable)
        #expect(bad.text.contains("id=\"capacity-error\""))
        let badKind = try browser.post("/manage/\(slug)/resources", [("name", "Room 1"), ("kind", "spaceship"), ("capacity", "1")])
        #expect(badKind.status == .unprocessable)
        #expect(try SetupSupport.count(test, "resources") == 1)

        let room = try browser.post("/manage/\(slug)/resources", [("name", "Room 1"), ("kind", "venue"), ("capacity", "2"),
                                                                  ("tags", "treatment, Ground Floor")])
        #expect(room.headers["Location"] == "/manage/\(slug)/resources/room-1")
        let info = try #require(try test.database.pool.read { db in try Catalog.resources(db, businessID: business.id) }.first { $0.slug == "room-1" })
        #expect(info.kind == .venue && info.capacity == 2 && info.tags == ["ground-floor", "treatment"])

        // The owner's host: change Monday to 10:00–12:00 and close Tuesday.
        let host = Validation.slug(user.name)
        try browser.get("/manage/\(slug)/resources/\(host)")
        var hours: [(String, String)] = []
        for day in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] {
            let (o, c) = day == "mon" ? ("10:00", "12:00") : ["wed", "thu", "fri"].contains(day) ? ("09:00", "17:00") : ("", "")
            hours += [("opens_\(day)", o), ("closes_\(day)", c)]
        }
        let invalid = try browser.post("/manage/\(slug)/resources/\(host)/hours",
                                       hours.map { $0.0 == "closes_mon" ? ($0.0, "08:00") : $0 })
        #expect(invalid.status == .unprocessable)
        #expect(invalid.text.contains("<a href=\"#closes_mon\">"))
        #expect(try browser.post("/manage/\(slug)/resources/\(host)/hours", hours).status == .seeOther)

        let monday = SetupSupport.nextMonday(test, zone: business.timeZone)
        let clock = ZoneClock(identifier: business.timeZone)!
        func times(_ date: LocalDate) throws -> [String] {
            try test.database.pool.read { db in
                let offer = try #require(try Catalog.offer(db, businessID: business.id, slug: "deep-tissue-massage"))
                return try AvailabilityReads.slots(db, business: business, offer: offer, from: date, to: date, now: test.nowSeconds)
                    .map { clock.local($0.start).time.description }
            }
        }
        #expect(try times(monday) == ["10:00", "10:30", "11:00", "11:30"])
        #expect(try times(monday.adding(days: 1)).isEmpty)

        // A holiday closure on Wednesday, special hours on Thursday.
        let wednesday = monday.adding(days: 2), thursday = monday.adding(days: 3), friday = monday.adding(days: 4)
        let badDate = try browser.post("/manage/\(slug)/resources/\(host)/overrides", [("date", "next week"), ("override_kind", "closed")])
        #expect(badDate.status == .unprocessable)
        #expect(badDate.text.contains("<a href=\"#date\">"))
        #expect(try browser.post("/manage/\(slug)/resources/\(host)/overrides",
                                 [("date", wednesday.description), ("override_kind", "closed"), ("note", "Holiday")]).status == .seeOther)
        #expect(try browser.post("/manage/\(slug)/resources/\(host)/overrides",
                                 [("date", thursday.description), ("override_kind", "special_hours"),
                                  ("override_opens", "13:00"), ("override_closes", "14:00")]).status == .seeOther)
        #expect(try times(wednesday).isEmpty)
        #expect(try times(thursday) == ["13:00", "13:30"])

        // Time off on Friday morning.
        let badBlock = try browser.post("/manage/\(slug)/resources/\(host)/blocks",
                                        [("from_date", friday.description), ("from_time", "12:00"),
                                         ("to_date", friday.description), ("to_time", "09:00")])
        #expect(badBlock.status == .unprocessable)
        #expect(badBlock.text.contains("<a href=\"#to_time\">"))
        #expect(try browser.post("/manage/\(slug)/resources/\(host)/blocks",
                                 [("from_date", friday.description), ("from_time", "09:00"), ("to_date", friday.description),
                                  ("to_time", "12:00"), ("reason", "Dentist")]).status == .seeOther)
        #expect(try times(friday).first == "12:00")
        let page = try browser.get("/manage/\(slug)/resources/\(host)")
        #expect(page.text.contains("Dentist") && page.text.contains("Holiday"))

        try test.database.pool.read { db in
            let actions = try String.fetchAll(db, sql: "SELECT action FROM audit_log WHERE business_id = ?", arguments: [business.id])
            #expect(actions.filter { $0 == "resource.override" }.count == 2)
            #expect(actions.contains("resource.block") && actions.contains("resource.create"))
            #expect(try AuditLog.verify(db, businessID: business.id) == .intact(entries: actions.count))
        }
    }

    // MARK: Settings and audit

    @Test func settingsAreValidatedAndAudited() throws {
        let test = try TestApp()
        let (browser, _, slug) = try SetupSupport.owner(test)
        try browser.get("/manage/\(slug)/settings")
        let bad = try browser.post("/manage/\(slug)/settings", [("name", "Zoë's"), ("timezone", "Nowhere/Land"), ("currency", "E1"),
                                                                ("description", "")])
        #expect(bad.status == .unprocessable)
        #expect(bad.text.contains("id=\"timezone-error\"") && bad.text.contains("id=\"currency-error\""))
        #expect(try SetupSupport.business(test, slug).timeZone == "Europe/Paris")

        let good = try browser.post("/manage/\(slug)/settings", [("name", "Zoë's Spa"), ("timezone", "America/Chicago"),
                                                                 ("currency", "usd"), ("description", "Walk-ins welcome")])
        #expect(good.status == .seeOther)
        let business = try SetupSupport.business(test, slug)
        #expect(business.name == "Zoë's Spa" && business.timeZone == "America/Chicago" && business.currency == "USD")
        #expect(business.description == "Walk-ins welcome")

        let audit = try browser.get("/manage/\(slug)/audit")
        #expect(audit.status == .ok)
        #expect(audit.text.contains("business.update"))
        #expect(audit.text.contains("Intact: all"))
        let filtered = try browser.get("/manage/\(slug)/audit?action=offer")
        #expect(filtered.text.contains("offer.create") && !filtered.text.contains("business.update"))
    }

    // MARK: Permissions

    @Test(arguments: [Role.staff, .provider, .client])
    func membersWithoutTheRightRoleGetNotFound(_ role: Role) throws {
        let test = try TestApp()
        let (_, _, slug) = try SetupSupport.owner(test)
        let business = try SetupSupport.business(test, slug)
        let (browser, _) = try test.member("\(role.rawValue)@setup.test", role: role, in: business.id)
        for path in ["/manage/\(slug)/", "/manage/\(slug)/offers", "/manage/\(slug)/offers/deep-tissue-massage",
                     "/manage/\(slug)/resources", "/manage/\(slug)/settings", "/manage/\(slug)/audit"] {
            #expect(try browser.get(path).status == .notFound, "\(path)")
        }
        try browser.get("/account")
        let resources = try SetupSupport.count(test, "resources")
        #expect(try browser.post("/manage/\(slug)/resources", [("name", "Sneaky"), ("kind", "host"), ("capacity", "1")]).status == .notFound)
        #expect(try browser.post("/manage/\(slug)/offers/deep-tissue-massage/status", [("status", "archived")]).status == .notFound)
        #expect(try browser.post("/manage/\(slug)/settings", [("name", "Mine"), ("timezone", "UTC"), ("currency", "USD")]).status == .notFound)
        #expect(try SetupSupport.count(test, "resources") == resources)
        #expect(try SetupSupport.business(test, slug).name == "Café Zoë")
        #expect(try test.database.pool.read { db in try Catalog.liveOffers(db, businessID: business.id).count } == 1)
    }

    @Test func managersBuildButCannotChangeSettingsOrReadTheAudit() throws {
        let test = try TestApp()
        let (_, _, slug) = try SetupSupport.owner(test)
        let business = try SetupSupport.business(test, slug)
        let (manager, _) = try test.member("manager@setup.test", role: .manager, in: business.id)
        #expect(try manager.get("/manage/\(slug)/").status == .ok)
        #expect(try manager.get("/manage/\(slug)/offers").status == .ok)
        #expect(try manager.get("/manage/\(slug)/resources").status == .ok)
        #expect(try manager.get("/manage/\(slug)/settings").status == .notFound)
        #expect(try manager.get("/manage/\(slug)/audit").status == .notFound)
        // Another business's owner sees nothing of this one.
        let (other, _, _) = try SetupSupport.owner(test, email: "other@setup.test",
                                                   fields: SetupSupport.form(["business_name": "Other Place"]))
        #expect(try other.get("/manage/\(slug)/").status == .notFound)
        #expect(try other.get("/manage/\(slug)/offers").status == .notFound)
        // Anonymous visitors are asked to log in.
        let anonymous = try test.browser().get("/manage/\(slug)/offers")
        #expect(anonymous.status == .seeOther)
        #expect(anonymous.headers["Location"]?.hasPrefix("/login?next=") == true)
    }

    @Test func theDashboardCountsBookingsAndListsWhatIsIncomplete() throws {
        let test = try TestApp()
        let (browser, _, slug) = try SetupSupport.owner(test)
        let business = try SetupSupport.business(test, slug)
        let monday = SetupSupport.nextMonday(test, zone: business.timeZone)
        try test.database.pool.write { db in
            let offer = try #require(try Catalog.offer(db, businessID: business.id, slug: "deep-tissue-massage"))
            for slot in try AvailabilityReads.slots(db, business: business, offer: offer, from: monday, to: monday, now: test.nowSeconds).prefix(3) {
                _ = try Bookings.book(db, business: business, request: BookingRequest(
                    offerSlug: offer.slug, start: slot.start, customer: CustomerDetails(name: "Ann", email: "ann@example.test"),
                    source: "web"), now: test.nowSeconds, actor: .guest)
            }
        }
        let page = try browser.get("/manage/\(slug)/")
        #expect(page.text.contains(#"<dd id="bookings-upcoming">3</dd>"#))
        #expect(page.text.contains(#"<dd id="bookings-today">0</dd>"#))
        #expect(!page.text.contains("Still to do"))
        try browser.post("/manage/\(slug)/resources", [("name", "Room 1"), ("kind", "venue"), ("capacity", "1")])
        let after = try browser.get("/manage/\(slug)/")
        #expect(after.text.contains("Room 1 has no weekly hours"))
    }

    // MARK: The issue's "done when"

    /// Submits a form exactly as a page rendered it (inputs, checked boxes, selected options), with
    /// `changes` applied.
    static func renderedForm(_ html: String, action: String, changes: [String: String] = [:]) throws -> [(String, String)] {
        let start = try #require(html.range(of: "action=\"\(action)\""))
        let form = String(html[start.upperBound...].prefix { _ in true }).components(separatedBy: "</form>")[0]
        var pairs: [(String, String)] = []
        func attribute(_ name: String, in tag: Substring) -> String? {
            guard let r = tag.range(of: " \(name)=\"") else { return nil }
            return String(tag[r.upperBound...].prefix { $0 != "\"" })
        }
        for part in form.components(separatedBy: "<input ").dropFirst() {
            let tag = (" " + part).prefix { $0 != ">" }
            guard let name = attribute("name", in: tag), name != "_csrf" else { continue }
            let type = attribute("type", in: tag) ?? "text"
            if (type == "checkbox" || type == "radio") && !tag.contains(" checked") { continue }
            pairs.append((name, (attribute("value", in: tag) ?? "").replacingOccurrences(of: "&#39;", with: "'")))
        }
        for part in form.components(separatedBy: "<select ").dropFirst() {
            let tag = (" " + part).prefix { $0 != ">" }
            guard let name = attribute("name", in: tag) else { continue }
            let options = part.components(separatedBy: "</select>")[0]
            let selected = options.range(of: "\" selected>").map { r in
                String(options[..<r.lowerBound].split(separator: "\"", omittingEmptySubsequences: false).last ?? "")
            }
            pairs.append((name, selected ?? ""))
        }
        return pairs.map { ($0.0, changes[$0.0] ?? $0.1) }
    }

    @Test func savingTheRenderedFormUnchangedKeepsTheRules() throws {
        let test = try TestApp()
        let (browser, _, slug) = try SetupSupport.owner(test)
        let path = "/manage/\(slug)/offers/deep-tissue-massage"
        let page = try browser.get(path)
        let fields = try Self.renderedForm(page.text, action: path + "/draft")
        let response = try browser.post(path + "/draft", fields)
        #expect(response.status == .seeOther, "\(response.text.components(separatedBy: "error-summary")[1...].joined().prefix(600)) \(fields)")
        let business = try SetupSupport.business(test, slug)
        try test.database.pool.read { db in
            let offer = try #require(try ManageCatalog.offer(db, businessID: business.id, slug: "deep-tissue-massage"))
            let published = try #require(try ManageCatalog.latestVersion(db, businessID: business.id, offerID: offer.id, status: "published"))
            let draft = try #require(try ManageCatalog.latestVersion(db, businessID: business.id, offerID: offer.id, status: "draft"))
            #expect(draft.version == 2)
            #expect(draft.spec == published.spec)
        }
    }

    @Test func anOwnerBuildsAClinicAndTheBookableTimesFollow() throws {
        let test = try TestApp()
        let (browser, user, slug) = try SetupSupport.owner(test)
        let base = "/manage/\(slug)"
        let business = try SetupSupport.business(test, slug)
        let monday = SetupSupport.nextMonday(test, zone: business.timeZone)
        let guest = test.browser()
        let massagePage = "/b/\(slug)/deep-tissue-massage?date=\(monday)"
        #expect(!(try guest.get(massagePage).text.contains("Sam Stylist")))
        try browser.get(base + "/resources")
        // A second host and a room, open Monday to Friday 09:00–17:00.
        for (name, kind, tags) in [("Sam Stylist", "host", ""), ("Room 1", "venue", "treatment")] {
            let created = try browser.post(base + "/resources", [("name", name), ("kind", kind), ("capacity", "1"), ("tags", tags)])
            let location = try #require(created.headers["Location"])
            var hours: [(String, String)] = []
            for day in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] {
                let open = !["sat", "sun"].contains(day)
                hours += [("opens_\(day)", open ? "09:00" : ""), ("closes_\(day)", open ? "17:00" : "")]
            }
            #expect(try browser.post(location + "/hours", hours).status == .seeOther)
        }
        // The public page offers the second host for the massage.
        #expect(try guest.get(massagePage).text.contains(#"<option value="sam-stylist">Sam Stylist</option>"#))
        #expect(!(try guest.get("/b/\(slug)").text.contains("Treatment")))
        // A treatment needing a host and a treatment room, with a cancellation policy.
        let created = try browser.post(base + "/offers", [("name", "Treatment"), ("mode", "slot"), ("duration_minutes", "60"), ("price", "90.00")])
        let offerPath = try #require(created.headers["Location"])
        let page = try browser.get(offerPath)
        let fields = try Self.renderedForm(page.text, action: offerPath + "/draft", changes: [
            "component_1": "kind:venue", "component_1_tag": "treatment", "component_1_role": "room",
            "tier_0_hours": "24", "tier_0_percent": "100", "tier_1_hours": "0", "tier_1_percent": "50",
        ])
        #expect(try browser.post(offerPath + "/draft", fields).status == .seeOther)
        #expect(try browser.post(offerPath + "/publish", []).status == .seeOther)
        // The service needing both is on the public page, bookable from 09:00 on Monday.
        #expect(try guest.get("/b/\(slug)").text.contains(#"<a href="/b/\#(slug)/treatment">Treatment</a>"#))
        let treatmentPage = "/b/\(slug)/treatment?date=\(monday)"
        #expect(try guest.get(treatmentPage).text.contains("aria-label=\"Book 09:00 on "))

        let clock = ZoneClock(identifier: business.timeZone)!
        func slots(_ date: LocalDate, _ resource: String? = nil) throws -> [AvailabilityReads.SlotView] {
            try test.database.pool.read { db in
                let offer = try #require(try Catalog.offer(db, businessID: business.id, slug: "treatment"))
                #expect(offer.spec.cancellationTiers.count == 2)
                return try AvailabilityReads.slots(db, business: business, offer: offer, from: date, to: date, now: test.nowSeconds,
                                                   resourceSlug: resource)
            }
        }
        let mondaySlots = try slots(monday)
        #expect(mondaySlots.first.map { clock.local($0.start).time.description } == "09:00")
        #expect(mondaySlots.allSatisfy { $0.resourceSlugs.contains("room-1") && $0.resourceSlugs.count == 2 })
        #expect(try slots(monday, "sam-stylist").count == mondaySlots.count)

        // A holiday closure of the room closes the treatment that day, but not the massage.
        try browser.get(base + "/resources/room-1")
        #expect(try browser.post(base + "/resources/room-1/overrides", [("date", monday.description), ("override_kind", "closed")]).status == .seeOther)
        #expect(try slots(monday).isEmpty)
        #expect(try slots(monday.adding(days: 1)).count == mondaySlots.count)
        #expect(try guest.get(treatmentPage).text.contains("Closed on this day."))
        // The cancellation policy is what a customer reads at checkout.
        let tuesday = try #require(try slots(monday.adding(days: 1)).first)
        let hold = try guest.post("/b/\(slug)/treatment/hold", [("start", RFC3339.format(tuesday.start))])
        #expect(hold.status == .seeOther)
        let checkout = try guest.get(try #require(hold.headers["Location"])).text
        #expect(checkout.contains("Free cancellation until 24 hours before the start; 50 % refund after that; no refund after the start."))
        let massage = try test.database.pool.read { db in
            try AvailabilityReads.slots(db, business: business, offer: try #require(try Catalog.offer(db, businessID: business.id, slug: "deep-tissue-massage")),
                                        from: monday, to: monday, now: test.nowSeconds)
        }
        #expect(!massage.isEmpty)
        _ = user
    }
}

struct ManageScheduleTests {
    @Test func seasonalHoursAddTimesAndOverridesCanBeRemoved() throws {
        let test = try TestApp()
        let (browser, user, slug) = try SetupSupport.owner(test)
        let business = try SetupSupport.business(test, slug)
        let host = Validation.slug(user.name)
        let base = "/manage/\(slug)/resources/\(host)"
        let monday = SetupSupport.nextMonday(test, zone: business.timeZone)
        let saturday = monday.adding(days: 5)
        let clock = ZoneClock(identifier: business.timeZone)!
        func times(_ date: LocalDate) throws -> [String] {
            try test.database.pool.read { db in
                let offer = try #require(try Catalog.offer(db, businessID: business.id, slug: "deep-tissue-massage"))
                return try AvailabilityReads.slots(db, business: business, offer: offer, from: date, to: date, now: test.nowSeconds)
                    .map { clock.local($0.start).time.description }
            }
        }
        try browser.get(base)
        #expect(try times(saturday).isEmpty)
        let bad = try browser.post(base + "/seasonal", [("season_days", "sat"), ("season_opens", "10:00"), ("season_closes", "11:00"),
                                                        ("season_from", saturday.description), ("season_until", monday.description)])
        #expect(bad.status == .unprocessable)
        #expect(bad.text.contains("<a href=\"#season_until\">"))
        #expect(try browser.post(base + "/seasonal", [("season_days", "sat"), ("season_opens", "10:00"), ("season_closes", "11:00"),
                                                      ("season_from", saturday.description),
                                                      ("season_until", saturday.adding(days: 7).description)]).status == .seeOther)
        #expect(try times(saturday) == ["10:00", "10:30"])
        #expect(try times(saturday.adding(days: 14)).isEmpty)
        // Saving the weekly hours keeps the seasonal ones.
        var hours: [(String, String)] = []
        for day in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] {
            let open = !["sat", "sun"].contains(day)
            hours += [("opens_\(day)", open ? "09:00" : ""), ("closes_\(day)", open ? "17:00" : "")]
        }
        #expect(try browser.post(base + "/hours", hours).status == .seeOther)
        #expect(try times(saturday) == ["10:00", "10:30"])

        // A closure, then removing it reopens the day.
        #expect(try browser.post(base + "/overrides", [("date", monday.description), ("override_kind", "closed")]).status == .seeOther)
        #expect(try times(monday).isEmpty)
        let ids = try test.database.pool.read { db in
            (try Int64.fetchOne(db, sql: "SELECT id FROM date_overlays")!,
             try Int64.fetchOne(db, sql: "SELECT id FROM availability_rules WHERE valid_from IS NOT NULL")!)
        }
        #expect(try browser.post(base + "/override/\(ids.0)/remove", []).status == .seeOther)
        #expect(try times(monday).count == 16)
        #expect(try browser.post(base + "/override/\(ids.0)/remove", []).status == .notFound)
        #expect(try browser.post(base + "/seasonal/\(ids.1)/remove", []).status == .seeOther)
        #expect(try times(saturday).isEmpty)
        // Another business's ids are not reachable through this resource.
        #expect(try browser.post(base + "/anything/1/remove", []).status == .notFound)
    }
}
