import BookingCore
import Foundation
import GRDB
import HTTPServer
@testable import Store
import Testing
@testable import Web

/// `/manage/{business}/api-keys`: create (shown once), list, revoke; api_key:manage only; CSRF; audited.
struct APIKeyPagesTests {
    static func createdKey(in html: String) -> String? {
        guard let r = html.range(of: #"<code id="new-key">"#) else { return nil }
        return String(html[r.upperBound...].prefix { $0 != "<" })
    }

    func api(_ test: TestApp, _ key: String, _ path: String = "/api/v1/resources") throws -> Response {
        test.app.respond(to: try Request(method: "GET", target: path, headers: Headers([("Authorization", "Bearer \(key)")])))
    }

    @Test func anOwnerCreatesAKeyShownOnceThatWorksUntilRevoked() throws {
        let test = try TestApp()
        let businessID = try test.createBusiness(slug: "clinic")
        let (owner, _) = try test.member("owner@clinic.test", role: .owner, in: businessID)
        let list = try owner.get("/manage/clinic/api-keys")
        #expect(list.status == .ok)
        #expect(list.text.contains("No keys yet."))

        let bad = try owner.post("/manage/clinic/api-keys", [("name", ""), ("role", "emperor")])
        #expect(bad.status == .unprocessable)
        #expect(bad.text.contains("<a href=\"#name\">"))
        #expect(try test.database.pool.read { try APIKeys.list($0, businessID: businessID) }.isEmpty)

        let created = try owner.post("/manage/clinic/api-keys", [("name", "Patient app"), ("role", "staff")])
        #expect(created.status == .created)
        let key = try #require(Self.createdKey(in: created.text))
        #expect(key.hasPrefix("bz_"))
        #expect(created.headers["Cache-Control"] == "no-store")
        // Only the hash is stored; the list shows the prefix, never the key again.
        let stored = try test.database.pool.read { try String.fetchAll($0, sql: "SELECT key_hash FROM api_keys") }
        #expect(stored.count == 1)
        let again = try owner.get("/manage/clinic/api-keys")
        #expect(!again.text.contains(key))
        #expect(again.text.contains(String(key.prefix(10))))
        #expect(again.text.contains("Patient app") && again.text.contains("staff") && again.text.contains("never"))

        // The key acts with its role: staff may list bookings but not manage offers' versions.
        #expect(try api(test, key).status == .ok)
        #expect(try api(test, key, "/api/v1/bookings").status == .ok)
        #expect(try api(test, key, "/api/v1/offers/x/versions").status == .forbidden)
        #expect(try owner.get("/manage/clinic/api-keys").text.contains("never") == false)   // last used recorded

        let keyID = try #require(try test.database.pool.read { try Int64.fetchOne($0, sql: "SELECT id FROM api_keys") })
        // Without the form token nothing changes.
        #expect(try owner.post("/manage/clinic/api-keys/\(keyID)/revoke", [], csrf: .some(nil)).status == .forbidden)
        #expect(try api(test, key).status == .ok)
        let revoked = try owner.post("/manage/clinic/api-keys/\(keyID)/revoke", [])
        #expect(revoked.status == .seeOther)
        #expect(try api(test, key).status == .unauthorized)
        #expect(try owner.post("/manage/clinic/api-keys/\(keyID)/revoke", []).status == .notFound)
        #expect(try owner.get("/manage/clinic/api-keys").text.contains("Revoked"))
        let actions = try test.database.pool.read { try String.fetchAll($0, sql: "SELECT action FROM audit_log WHERE action LIKE 'api_key.%' ORDER BY rowid") }
        #expect(actions == ["api_key.create", "api_key.revoke"])
    }

    @Test func onlyMembersWithApiKeyManageSeeThePagesAndNobodyGivesMoreThanTheirRole() throws {
        let test = try TestApp()
        let businessID = try test.createBusiness(slug: "gym")
        let otherID = try test.createBusiness(slug: "spa")
        let (manager, _) = try test.member("manager@gym.test", role: .manager, in: businessID)
        #expect(try manager.get("/manage/gym/api-keys").status == .notFound)
        #expect(try manager.post("/manage/gym/api-keys", [("name", "x"), ("role", "staff")]).status == .notFound)
        let (admin, _) = try test.member("admin@gym.test", role: .admin, in: businessID)
        let page = try admin.get("/manage/gym/api-keys")
        #expect(page.status == .ok)
        #expect(!page.text.contains("value=\"owner\""))
        #expect(try admin.post("/manage/gym/api-keys", [("name", "x"), ("role", "owner")]).status == .unprocessable)
        // A key of another business cannot be revoked from here.
        let foreign = try test.database.pool.write { try APIKeys.create($0, businessID: otherID, name: "spa", now: 0, actor: .system) }
        try admin.get("/manage/gym/api-keys")
        #expect(try admin.post("/manage/gym/api-keys/\(foreign.id)/revoke", []).status == .notFound)
        #expect(try api(test, foreign.key).status == .ok)
        #expect(try test.browser().get("/manage/gym/api-keys").status == .seeOther)
    }

    @Test func anOwnerSetsAKeysRateLimitOnItsPage() throws {
        let test = try TestApp()
        let businessID = try test.createBusiness(slug: "clinic")
        let otherID = try test.createBusiness(slug: "spa")
        let (owner, _) = try test.member("owner@clinic.test", role: .owner, in: businessID)
        let created = try test.database.pool.write { try APIKeys.create($0, businessID: businessID, name: "Kiosk", now: 0, actor: .system) }
        let page = try owner.get("/manage/clinic/api-keys")
        #expect(page.text.contains("100 a second, bursts of 100 (default)"))
        #expect(page.text.contains("action=\"/manage/clinic/api-keys/\(created.id)/limit\""))
        #expect(page.text.contains("<label for=\"rate-\(created.id)\">"))
        // Out of range: a sentence per field, nothing stored
        let bad = try owner.post("/manage/clinic/api-keys/\(created.id)/limit", [("rate", "0"), ("burst", "lots")])
        #expect(bad.status == .unprocessable)
        #expect(bad.text.contains("href=\"#rate-\(created.id)\""))
        #expect(bad.text.contains("href=\"#burst-\(created.id)\""))
        // When the owner sets 2 a second with a burst of 3, the key's answers say so and the fourth is refused
        #expect(try owner.post("/manage/clinic/api-keys/\(created.id)/limit", [("rate", "2"), ("burst", "3")]).status == .seeOther)
        #expect(try owner.get("/manage/clinic/api-keys").text.contains("2 a second, bursts of 3"))
        let statuses = try (0..<4).map { _ in try api(test, created.key) }
        #expect(statuses.first?.headers["RateLimit-Limit"] == "3")
        #expect(statuses.map(\.status) == [.ok, .ok, .ok, .tooManyRequests])
        #expect(statuses.last?.headers["Retry-After"] == "1")
        // Empty fields go back to the default; a key of another business cannot be changed from here
        #expect(try owner.post("/manage/clinic/api-keys/\(created.id)/limit", [("rate", ""), ("burst", "")]).status == .seeOther)
        #expect(try owner.get("/manage/clinic/api-keys").text.contains("(default)"))
        let foreign = try test.database.pool.write { try APIKeys.create($0, businessID: otherID, name: "spa", now: 0, actor: .system) }
        #expect(try owner.post("/manage/clinic/api-keys/\(foreign.id)/limit", [("rate", "1"), ("burst", "1")]).status == .notFound)
        #expect(try owner.post("/manage/clinic/api-keys/\(created.id)/limit", [("rate", "1"), ("burst", "1")], csrf: .some(nil)).status == .forbidden)
        let actions = try test.database.pool.read { try String.fetchAll($0, sql: "SELECT action FROM audit_log WHERE action = 'api_key.rate_limit'") }
        #expect(actions.count == 2)
    }

    @Test func aKeyInUseIsRefusedOnTheVeryNextRequestAfterItsRevocationAndTakesANewLimitAtOnce() throws {
        // Given a key that has answered requests (so its principal is kept)
        let test = try TestApp()
        let businessID = try test.createBusiness(slug: "clinic")
        let (owner, _) = try test.member("owner@clinic.test", role: .owner, in: businessID)
        let created = try test.database.pool.write { try APIKeys.create($0, businessID: businessID, name: "Kiosk", now: 0, actor: .system) }
        for _ in 0..<3 { #expect(try api(test, created.key).status == .ok) }
        #expect(test.database.caches.apiKeys.count == 1)
        // When the owner sets its limit, the very next request is answered under it
        #expect(try owner.get("/manage/clinic/api-keys").status == .ok)
        #expect(try owner.post("/manage/clinic/api-keys/\(created.id)/limit", [("rate", "7"), ("burst", "9")]).status == .seeOther)
        #expect(try api(test, created.key).headers["RateLimit-Limit"] == "9")
        // When the owner revokes it, the very next request is refused
        #expect(try owner.post("/manage/clinic/api-keys/\(created.id)/revoke", []).status == .seeOther)
        #expect(try api(test, created.key).status == .unauthorized)
    }
}
