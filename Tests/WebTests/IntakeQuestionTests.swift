import BookingCore
import Foundation
import GRDB
import HTTPServer
import Synchronization
import Testing
@testable import Store
@testable import Web

/// Intake questions through the app (issue 19): the checkout's GOV.UK error pattern, the builder,
/// masking on the staff pages and in the API, and the per-email limit on the public pages.
@Suite(.serialized)
struct IntakeQuestionTests {
    static let secret = "Chest pain since Tuesday"

    func key(_ test: TestApp, role: BookingCore.Role = .owner) throws -> String {
        try test.database.pool.write { db in
            let business = try #require(try Catalog.business(db, slug: "demo"))
            return try APIKeys.create(db, businessID: business.id, name: "t", role: role, now: TestApp.Staff.seededAt, actor: .system).key
        }
    }

    func call(_ test: TestApp, _ method: String, _ path: String, _ body: String = "", key: String) throws -> (status: Int, text: String, json: [String: Any]) {
        let request = try Request(method: method, target: path,
                                  headers: Headers([("Content-Type", "application/json"), ("Authorization", "Bearer \(key)")]),
                                  body: Array(body.utf8))
        let response = test.app.respond(to: request)
        let text = String(decoding: response.body, as: UTF8.self)
        return (response.status.code, text, (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:])
    }

    static func errorField(_ json: [String: Any]) -> String? { (json["error"] as? [String: Any])?["field"] as? String }

    // MARK: Checkout

    @Test func aRequiredAnswerLeftEmptyIsRefusedByFieldWithTheValuesKeptThenBooked() throws {
        let test = try TestApp.bookingPages()
        let browser = test.browser()
        let checkout = try #require(try test.hold(browser, offer: "new-patient-visit").headers["Location"])
        let page = try browser.get(checkout).text
        #expect(page.contains(#"<label for="q_reason">What is the main reason for your visit?</label>"#))
        let refused = try browser.post(checkout, [("name", "Zed Racer"), ("email", "zed@example.com"), ("phone", "+1 212 555 0100"),
                                                  ("notes", "Please call first"), ("q_reason", "   ")])
        #expect(refused.status == .unprocessable)
        #expect(refused.text.contains("There is a problem"))
        #expect(refused.text.contains(##"<a href="#q_reason">Answer “What is the main reason for your visit?”.</a>"##))
        #expect(refused.text.contains(#"<p class="field-error" id="q_reason-error">"#))
        #expect(refused.text.contains(#"aria-invalid="true" aria-describedby="q_reason-error""#))
        #expect(refused.text.contains(#"value="Zed Racer""#) && refused.text.contains(#"value="zed@example.com""#))
        #expect(refused.text.contains("Please call first</textarea>"))
        let hold = String(checkout.split(separator: "/").last!)
        #expect(try test.status(of: hold) == "held")
        // Answered, it is booked (pending approval) with the answer frozen.
        let booked = try browser.post(checkout, [("name", "Zed Racer"), ("email", "zed@example.com"), ("q_reason", "Knee pain")])
        #expect(booked.status == .seeOther)
        #expect(try test.status(of: hold) == "pending")
        let stored = try test.database.pool.read { db in
            try String.fetchOne(db, sql: "SELECT intake_answers FROM booking_orders WHERE public_id = ?", arguments: [hold])
        }
        #expect(stored?.contains("Knee pain") == true && stored?.contains("What is the main reason for your visit?") == true)
    }

    @Test func aTooLongAnswerIsRefusedAndKept() throws {
        let test = try TestApp.bookingPages()
        let browser = test.browser()
        let checkout = try #require(try test.hold(browser, offer: "new-patient-visit").headers["Location"])
        try browser.get(checkout)
        let long = String(repeating: "x", count: 201)
        let refused = try browser.post(checkout, [("name", "Zed Racer"), ("email", "zed@example.com"), ("q_reason", long)])
        #expect(refused.status == .unprocessable)
        #expect(refused.text.contains("to 200 characters or fewer"))
        #expect(refused.text.contains(#"value="\#(long)""#))
    }

    // MARK: Masking

    /// A new-patient visit booked through the API with a sensitive answer; its id.
    func bookedVisit(_ test: TestApp) throws -> String {
        let body = #"{"offer":"new-patient-visit","start":"2026-11-23T20:00:00Z","customer":{"name":"Pat Patient","email":"pat@example.com"},"answers":{"reason":"\#(Self.secret)"}}"#
        let created = try call(test, "POST", "/api/v1/bookings", body, key: try key(test))
        #expect(created.status == 201, "\(created.text)")
        #expect((created.json["answers"] as? [String: String])?["reason"] == Self.secret)
        return try #require(created.json["id"] as? String)
    }

    @Test func sensitiveAnswersNeverReachTheFrontDeskButTheProviderAndOwnerReadThem() throws {
        let test = try TestApp.staff()
        let id = try bookedVisit(test)
        let desk = try test.signedIn("frontdesk@demo.test")
        let deskPage = try desk.get("/staff/demo/bookings/\(id)")
        #expect(deskPage.status == .ok)
        #expect(!deskPage.text.contains(Self.secret))
        #expect(deskPage.text.contains("What is the main reason for your visit?"))
        #expect(deskPage.text.contains("withheld from your role"))
        #expect(!(try desk.get("/staff/demo/calendar?date=2026-11-23").text.contains(Self.secret)))
        let dana = try test.signedIn("dana@demo.test")
        #expect(try dana.get("/staff/demo/bookings/\(id)").text.contains(Self.secret))
        let owner = try test.signedIn("owner@demo.test")
        #expect(try owner.get("/staff/demo/bookings/\(id)").text.contains(Self.secret))
        // The API: a front-desk key gets "•••", never the words, in one booking and in the list.
        let staffKey = try key(test, role: .staff)
        let one = try call(test, "GET", "/api/v1/bookings/\(id)", key: staffKey)
        #expect(one.status == 200)
        #expect((one.json["answers"] as? [String: String])?["reason"] == IntakeRules.maskedValue)
        #expect(!one.text.contains(Self.secret))
        let list = try call(test, "GET", "/api/v1/bookings?from=2026-11-23&to=2026-11-24&status=pending", key: staffKey)
        #expect(list.status == 200 && !list.text.contains(Self.secret) && list.text.contains(id))
        let full = try call(test, "GET", "/api/v1/bookings/\(id)", key: try key(test))
        #expect((full.json["answers"] as? [String: String])?["reason"] == Self.secret)
        // The same key's own booking and hold answer as its reads do: masked.
        let body = #"{"offer":"new-patient-visit","start":"2026-11-23T20:00:00Z","customer":{"name":"Pat","email":"pat@example.com"},"answers":{"reason":"\#(Self.secret)"}}"#
        for path in ["/api/v1/bookings", "/api/v1/holds"] {
            let made = try call(test, "POST", path, body.replacingOccurrences(of: "20:00", with: path.hasSuffix("holds") ? "21:00" : "16:00"),
                                key: staffKey)
            #expect(made.status == 201, "\(path): \(made.text)")
            #expect((made.json["answers"] as? [String: String])?["reason"] == IntakeRules.maskedValue, "\(path)")
            #expect(!made.text.contains(Self.secret), "\(path)")
        }
    }

    @Test func aMissingRequiredAnswerOverTheAPIIs422NamingTheKey() throws {
        let test = try TestApp.staff()
        let key = try key(test)
        let base = #"{"offer":"new-patient-visit","start":"2026-11-23T20:00:00Z","customer":{"name":"Pat","email":"pat@example.com"}"#
        for path in ["/api/v1/bookings", "/api/v1/holds"] {
            let missing = try call(test, "POST", path, base + "}", key: key)
            #expect(missing.status == 422, "\(path): \(missing.text)")
            #expect(Self.errorField(missing.json) == "reason")
        }
        let unknown = try call(test, "POST", "/api/v1/bookings", base + #","answers":{"reason":"x","colour":"red"}}"#, key: key)
        #expect(unknown.status == 422 && Self.errorField(unknown.json) == "colour")
        let wrongType = try call(test, "POST", "/api/v1/bookings", base + #","answers":{"reason":3}}"#, key: key)
        #expect(wrongType.status == 422 && Self.errorField(wrongType.json) == "answers.reason")
        // The questions are listed with the offer's versions.
        let versions = try call(test, "GET", "/api/v1/offers/new-patient-visit/versions", key: key)
        #expect(versions.text.contains(#""key":"reason""#) && versions.text.contains(#""sensitive":true"#))
    }

    // MARK: Builder

    @Test func anOwnerAddsChangesAndRemovesAQuestionThroughDraftsCustomersSeeOnlyPublished() throws {
        let test = try TestApp.staff()
        let owner = try test.signedIn("owner@demo.test")
        let page = try owner.get("/manage/demo/offers/consultation")
        #expect(page.text.contains("Questions at checkout"))
        let added = try owner.post("/manage/demo/offers/consultation/questions",
                                   [("question_label", "Have you been here before?"), ("question_kind", "yes_no"), ("question_required", "1")])
        #expect(added.status == .seeOther)
        // A draft: the published checkout does not ask yet.
        let guest = test.browser()
        var checkout = try #require(try test.hold(guest).headers["Location"])
        #expect(!(try guest.get(checkout).text.contains("Have you been here before?")))
        let refusedKey = try owner.post("/manage/demo/offers/consultation/questions",
                                        [("question_label", "Another"), ("question_key", "have_you_been_here_before"), ("question_kind", "short_text")])
        #expect(refusedKey.status == .unprocessable && refusedKey.text.contains("already has the key"))
        let badChoice = try owner.post("/manage/demo/offers/consultation/questions",
                                       [("question_label", "Colour"), ("question_kind", "choice"), ("question_options", "Red")])
        #expect(badChoice.status == .unprocessable && badChoice.text.contains(##"<a href="#question_options">"##))
        #expect(try owner.post("/manage/demo/offers/consultation/publish", []).status == .seeOther)
        checkout = try #require(try test.hold(guest, start: "2026-11-30T15:00:00Z").headers["Location"])
        let asked = try guest.get(checkout).text
        #expect(asked.contains("<legend>Have you been here before?</legend>"))
        #expect(asked.contains(#"name="q_have_you_been_here_before" type="radio" value="yes""#))
        // Changed to optional, then removed: each is a draft again.
        #expect(try owner.post("/manage/demo/offers/consultation/questions/have_you_been_here_before",
                               [("question_label", "Been here before?"), ("question_kind", "yes_no")]).status == .seeOther)
        let editor = try owner.get("/manage/demo/offers/consultation").text
        #expect(editor.contains("Been here before?") && editor.contains("Publish draft"))
        #expect(try owner.post("/manage/demo/offers/consultation/questions/have_you_been_here_before/remove", []).status == .seeOther)
        #expect(try owner.get("/manage/demo/offers/consultation").text.contains("No questions yet."))
        let audit = try test.audit(action: "offer_version.draft")
        #expect(audit.count >= 3)
    }

    // MARK: Per-email limit

    @Test func manyAddressesWithOneEmailCannotKeepMoreThanTheLimitOfRequestsOpen() throws {
        let test = try TestApp.bookingPages()
        // Approval-required visits: each checkout leaves a request that keeps its time until decided.
        let starts = (0..<8).map { RFC3339.format(1_795_442_400 + 7 * 86_400 + Int64($0) * 45 * 60) }   // Mon 30 Nov from 09:00 NY
        var checkouts: [(Browser, String)] = []
        for (index, start) in starts.enumerated() {
            let browser = test.browser("198.51.100.\(60 + index)")
            let held = try test.hold(browser, start: start, offer: "new-patient-visit")
            #expect(held.status == .seeOther, "\(start): \(held.status.code)")
            let checkout = try #require(held.headers["Location"])
            try browser.get(checkout)
            checkouts.append((browser, checkout))
        }
        let answers = Mutex<[(Int, String)]>([])
        let ready = checkouts
        DispatchQueue.concurrentPerform(iterations: ready.count) { index in
            let (browser, checkout) = ready[index]
            let answer = try? browser.post(checkout, [("name", "Bot \(index)"), ("email", "Script@Example.com"), ("q_reason", "x")])
            answers.withLock { $0.append((answer?.status.code ?? 500, answer?.text ?? "")) }
        }
        let all = answers.withLock { $0 }.map(\.0)
        for (_, text) in answers.withLock({ $0 }).filter({ $0.0 == 429 }) {
            #expect(text.contains("already has 6 times held or waiting for approval"))
            #expect(text.contains(##"<a href="#email">"##))
        }
        #expect(all.filter { $0 == 303 }.count == HoldLimits.openRequestsPerEmail, "\(all)")
        #expect(all.filter { $0 == 429 }.count == checkouts.count - HoldLimits.openRequestsPerEmail)
        let pending = try test.database.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM booking_orders WHERE status = 'pending' AND customer_email = 'script@example.com'")
        }
        #expect(pending == HoldLimits.openRequestsPerEmail)
    }
}
