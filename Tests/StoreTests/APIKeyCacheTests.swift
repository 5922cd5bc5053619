import BookingCore
import Foundation
import GRDB
import Testing
@testable import Store

/// Authenticated API keys are kept until a commit changes the key or its business (`APIKeyCache`).
struct APIKeyCacheTests {
    let base = BookingStoreTests()

    func keyed() throws -> (AppDatabase, Business, APIKeyID, String) {
        let (database, business) = try base.demo()
        let (id, key) = try database.createAPIKey(businessID: business.id, name: "app", role: .owner, now: BookingStoreTests.now,
                                                  actor: .system)
        return (database, business, id, key)
    }

    @Test func aKeptKeyIsRefusedOnTheFirstAuthenticationAfterItsRevocation() throws {
        // Given a key authenticated once (and so kept)
        let (database, business, id, key) = try keyed()
        #expect(try database.authenticateAPIKey(key)?.principal.keyID == id)
        #expect(database.caches.apiKeys.count == 1)
        // When it is revoked, then the very next authentication refuses it
        try database.revokeAPIKey(businessID: business.id, keyID: id, now: BookingStoreTests.now, actor: .system)
        #expect(try database.authenticateAPIKey(key) == nil)
        #expect(database.caches.apiKeys.count == 0)
    }

    @Test func aKeyChangedOrDeletedOutsideTheUseCasesIsReadAfresh() throws {
        let (database, _, id, key) = try keyed()
        #expect(try database.authenticateAPIKey(key)?.principal.role == .owner)
        // Any write through the pool's writer is seen, not only the use cases'.
        try database.pool.write { try $0.execute(sql: "UPDATE api_keys SET role = 'staff' WHERE id = ?", arguments: [id]) }
        #expect(try database.authenticateAPIKey(key)?.principal.role == .staff)
        try database.pool.write { try $0.execute(sql: "DELETE FROM api_keys WHERE id = ?", arguments: [id]) }
        #expect(try database.authenticateAPIKey(key) == nil)
    }

    @Test func aNewRateLimitOrBusinessNameIsSeenOnTheNextAuthentication() throws {
        let (database, business, id, key) = try keyed()
        #expect(try database.authenticateAPIKey(key)?.principal.rateLimit == nil)
        try database.setAPIKeyRateLimit(businessID: business.id, keyID: id, rate: (perSecond: 5, burst: 10), now: BookingStoreTests.now,
                                        actor: .system)
        #expect(try database.authenticateAPIKey(key)?.principal.rateLimit.map { [$0.rate, $0.burst] } == [5, 10])
        try database.updateBusinessSettings(business: business, name: "Renamed clinic", timeZone: "Europe/London", currency: "GBP",
                                            description: "", actor: "test", now: BookingStoreTests.now)
        let principal = try #require(try database.authenticateAPIKey(key)?.principal)
        #expect(principal.business.name == "Renamed clinic" && principal.business.timeZone == "Europe/London"
                && principal.business.currency == "GBP")
    }

    @Test func bookingsAndRecordedUseLeaveTheKeyKept() throws {
        // Given a kept key
        let (database, business, id, key) = try keyed()
        #expect(try database.authenticateAPIKey(key)?.lastUsedAt == nil)
        // When a booking commits (its triggers bump the business's version counters) and the key's use is recorded
        _ = try database.book(business: business, request: base.request("consultation", base.newYork("2026-12-03", "10:00")),
                              now: BookingStoreTests.now, actor: .guest)
        try database.touchAPIKey(keyID: id, now: BookingStoreTests.now + 5)
        // Then the key is still kept, and says when it was last used
        #expect(database.caches.apiKeys.count == 1)
        #expect(try database.authenticateAPIKey(key)?.lastUsedAt == BookingStoreTests.now + 5)
        #expect(try database.pool.read { try Int64.fetchOne($0, sql: "SELECT last_used_at FROM api_keys WHERE id = ?", arguments: [id]) }
                == BookingStoreTests.now + 5)
    }

    @Test func aReadBegunBeforeTheCacheWasEmptiedIsNotKept() throws {
        let (database, _, _, key) = try keyed()
        let cache = database.caches.apiKeys
        let generation = cache.generation
        let found = try #require(try database.pool.read { try APIKeys.authenticate($0, keyHash: Tokens.hash(key)) })
        // A commit empties the cache between the read and the keeping.
        cache.removeAll()
        cache.keep(APIKeyCache.Entry(principal: found.principal, lastUsedAt: found.lastUsedAt), for: Tokens.hash(key), readAt: generation)
        #expect(cache.count == 0)
    }

    @Test func malformedAndUnknownKeysAreRefusedAndNotKept() throws {
        let (database, _, _, _) = try keyed()
        #expect(try database.authenticateAPIKey("not-a-key") == nil)
        #expect(try database.authenticateAPIKey("bz_" + String(repeating: "0", count: 64)) == nil)
        #expect(database.caches.apiKeys.count == 0)
    }
}
