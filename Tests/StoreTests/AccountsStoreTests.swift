import BookingCore
import Foundation
import GRDB
import Testing
@testable import Store

struct AccountsStoreTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    func database() throws -> AppDatabase {
        try AppDatabase(dataDirectory: NSTemporaryDirectory() + "bizing-store-accounts-\(UUID().uuidString)",
                        migrationsDirectory: Self.root + "/migrations")
    }

    func session(_ byte: UInt8, expiresAt: Int64 = 10_000) -> NewSession {
        NewSession(tokenHash: Data(repeating: byte, count: 32), expiresAt: expiresAt, userAgent: "test", ip: "192.0.2.1")
    }

    func user(_ db: AppDatabase, _ email: String) throws -> User {
        try db.signUp(email: email, name: email, passwordHash: "$argon2id$v=19$m=1024,t=1,p=1$x$y",
                      session: session(UInt8(email.count)), replacing: nil, now: 0).0
    }

    func business(_ db: AppDatabase, _ slug: String) throws -> BusinessID {
        try db.pool.write { db in
            try db.execute(sql: "INSERT INTO businesses (slug, name, timezone, currency, created_at) VALUES (?, ?, 'UTC', 'USD', 0)",
                           arguments: [slug, slug])
            return BusinessID(rawValue: db.lastInsertedRowID)
        }
    }

    @Test func membershipChangesAreAuditedInTheBusinessChain() throws {
        let db = try database()
        let clinic = try business(db, "clinic")
        let owner = try user(db, "owner@example.com")
        let dana = try user(db, "dana@example.com")
        try db.setMembership(businessID: clinic, userID: owner.id, role: .owner, actor: "system", now: 1)
        try db.setMembership(businessID: clinic, userID: dana.id, role: .staff, actor: "user:\(owner.id)", now: 2)
        try db.setMembership(businessID: clinic, userID: dana.id, role: .provider, resourceID: 7, actor: "user:\(owner.id)", now: 3)
        try db.removeMembership(businessID: clinic, userID: dana.id, actor: "user:\(owner.id)", now: 4)
        let entries = try db.pool.read { try Row.fetchAll($0, sql: "SELECT action, actor, subject, details FROM audit_log WHERE business_id = ? ORDER BY seq", arguments: [clinic]) }
        #expect(entries.map { $0["action"] as String } == ["membership.add", "membership.add", "membership.change", "membership.remove"])
        #expect(entries[2]["subject"] as String == "user:\(dana.id)")
        #expect((entries[2]["details"] as String).contains(#""previous_role":"staff""#))
        #expect((entries[2]["details"] as String).contains(#""role":"provider""#))
        #expect(try db.pool.read { try AuditLog.verify($0, businessID: clinic) } == .intact(entries: 4))
        #expect(try db.membership(userID: dana.id, businessSlug: "clinic") == nil)
    }

    @Test func theLastOwnerCannotBeDemotedOrRemoved() throws {
        let db = try database()
        let clinic = try business(db, "clinic")
        let owner = try user(db, "owner@example.com")
        try db.setMembership(businessID: clinic, userID: owner.id, role: .owner, actor: "system", now: 1)
        #expect(throws: AccountStoreError.lastOwner) { try db.setMembership(businessID: clinic, userID: owner.id, role: .admin, actor: "system", now: 2) }
        #expect(throws: AccountStoreError.lastOwner) { try db.removeMembership(businessID: clinic, userID: owner.id, actor: "system", now: 2) }
        #expect(try db.membership(userID: owner.id, businessSlug: "clinic")?.role == .owner)
        #expect(try db.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_log") } == 1)
    }

    @Test func membershipsAreScopedToTheirBusiness() throws {
        let db = try database()
        let a = try business(db, "a")
        _ = try business(db, "b")
        let dana = try user(db, "dana@example.com")
        try db.setMembership(businessID: a, userID: dana.id, role: .admin, actor: "system", now: 1)
        #expect(try db.membership(userID: dana.id, businessSlug: "a")?.role == .admin)
        #expect(try db.membership(userID: dana.id, businessSlug: "b") == nil)
        #expect(try db.memberships(userID: dana.id).map(\.businessSlug) == ["a"])
    }

    @Test func sessionsExpireWhenIdleOrPastTheirEndAndAreTouchedSparingly() throws {
        let db = try database()
        let user = try user(db, "ada@example.com")
        let hash = Data(repeating: 0xAB, count: 32)
        _ = try db.logIn(userID: user.id, email: user.email, session: NewSession(tokenHash: hash, expiresAt: 1_000, userAgent: "", ip: ""),
                         replacing: nil, rehash: nil, now: 100)
        #expect(try db.session(tokenHash: hash, now: 130, idleTimeout: 200, touchInterval: 60)?.session.lastSeenAt == 100)
        #expect(try db.session(tokenHash: hash, now: 160, idleTimeout: 200, touchInterval: 60)?.session.lastSeenAt == 160)
        #expect(try db.session(tokenHash: hash, now: 359, idleTimeout: 200, touchInterval: 60)?.user?.id == user.id)
        // Idle beyond the timeout: gone, and deleted
        #expect(try db.session(tokenHash: hash, now: 559, idleTimeout: 200, touchInterval: 60) == nil)
        #expect(try db.session(tokenHash: hash, now: 360, idleTimeout: 200, touchInterval: 60) == nil)
        // Absolute end
        let other = Data(repeating: 0xCD, count: 32)
        _ = try db.logIn(userID: user.id, email: user.email, session: NewSession(tokenHash: other, expiresAt: 1_000, userAgent: "", ip: ""),
                         replacing: nil, rehash: nil, now: 900)
        #expect(try db.session(tokenHash: other, now: 999, idleTimeout: 500, touchInterval: 60) != nil)
        #expect(try db.session(tokenHash: other, now: 1_000, idleTimeout: 500, touchInterval: 60) == nil)
    }

    @Test func logInReplacesTheAnonymousSession() throws {
        let db = try database()
        let user = try user(db, "ada@example.com")
        let anonymous = try db.createAnonymousSession(session(0x01), now: 0)
        let fresh = try db.logIn(userID: user.id, email: user.email, session: session(0x02), replacing: anonymous.tokenHash,
                                 rehash: nil, now: 1)
        #expect(fresh.tokenHash != anonymous.tokenHash)
        #expect(try db.session(tokenHash: anonymous.tokenHash, now: 2, idleTimeout: 100, touchInterval: 60) == nil)
        #expect(try db.session(tokenHash: fresh.tokenHash, now: 2, idleTimeout: 100, touchInterval: 60)?.user?.id == user.id)
    }

    @Test func throttleCountsFailuresInTheWindowOnly() throws {
        let db = try database()
        for at in [100, 200, 300] as [Int64] {
            try db.recordLoginFailure(email: "a@example.com", address: "192.0.2.1", userID: nil, window: 1_000, now: at)
        }
        #expect(try db.throttledUntil(scope: .account, key: "a@example.com", limit: 3, window: 1_000, now: 301) == 1_100)
        #expect(try db.throttledUntil(scope: .account, key: "a@example.com", limit: 4, window: 1_000, now: 301) == nil)
        #expect(try db.throttledUntil(scope: .address, key: "192.0.2.1", limit: 3, window: 1_000, now: 301) == 1_100)
        #expect(try db.throttledUntil(scope: .account, key: "a@example.com", limit: 3, window: 1_000, now: 1_100) == nil)
        #expect(try db.throttledUntil(scope: .account, key: "b@example.com", limit: 1, window: 1_000, now: 301) == nil)
        #expect(try db.accountEvents().filter { $0.action == "login_failed" }.count == 3)
    }

    @Test func theServerSecretIsMadeOnceAndKept() throws {
        let db = try database()
        let first = try db.serverSecret()
        #expect(first.count == 32)
        #expect(try db.serverSecret() == first)
        #expect(try db.serverSecret(named: "other") != first)
    }

    @Test func accountEventsCannotBeRewritten() throws {
        let db = try database()
        _ = try user(db, "ada@example.com")
        #expect(throws: (any Error).self) { try db.pool.write { try $0.execute(sql: "DELETE FROM account_events") } }
        #expect(throws: (any Error).self) { try db.pool.write { try $0.execute(sql: "UPDATE account_events SET action = 'x'") } }
    }
}
