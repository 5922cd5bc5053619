public import BookingCore
public import Foundation
import GRDB

/// `Idempotency-Key` records (Stripe's semantics), scoped per API key and kept 24 hours. A booking
/// and a webhook subscription record their answer in the transaction that makes them; every other
/// API POST claims the key first (a pending row, status 0), runs, then records its answer —
/// errors included — or releases the claim when the server failed (5xx).
public enum Idempotency {
    public struct Stored: Sendable, Hashable {
        public let requestHash: Data
        public let status: Int
        public let body: String
    }

    /// A key is answered again for this long after its first use (Stripe: 24 hours).
    public static let lifetime: Int64 = 86_400
    /// A claim still pending after this long was left by a request that never finished (a crash):
    /// the key may be used again.
    public static let abandonedAfter: Int64 = 60
    static let pending = 0

    /// The live record of the key: an expired one (or an abandoned claim) is removed first, so the
    /// key can be used afresh. Inside a write transaction.
    static func lookup(_ db: Database, businessID: BusinessID, keyID: APIKeyID, key: String, now: Instant) throws -> Stored? {
        try db.cachedStatement(sql: """
            DELETE FROM idempotency_keys WHERE business_id = ? AND api_key_id = ? AND key = ?
            AND (created_at <= ? OR (response_status = 0 AND created_at <= ?))
            """).execute(arguments: [businessID, keyID, key, now - lifetime, now - abandonedAfter])
        return try Row.fetchOne(db.cachedStatement(sql: """
            SELECT request_hash, response_status, response_body FROM idempotency_keys WHERE business_id = ? AND api_key_id = ? AND key = ?
            """), arguments: [businessID, keyID, key]).map {
            Stored(requestHash: $0["request_hash"], status: $0["response_status"], body: $0["response_body"])
        }
    }

    /// The record `lookup` would find, read without removing anything (in any transaction): none
    /// when it has expired or is an abandoned claim.
    static func live(_ db: Database, businessID: BusinessID, keyID: APIKeyID, key: String, now: Instant) throws -> Stored? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT request_hash, response_status, response_body FROM idempotency_keys WHERE business_id = ? AND api_key_id = ? AND key = ?
            AND created_at > ? AND NOT (response_status = 0 AND created_at <= ?)
            """), arguments: [businessID, keyID, key, now - lifetime, now - abandonedAfter]).map {
            Stored(requestHash: $0["request_hash"], status: $0["response_status"], body: $0["response_body"])
        }
    }

    static func record(_ db: Database, businessID: BusinessID, keyID: APIKeyID, key: String, requestHash: Data, status: Int,
                       body: String, now: Int64) throws {
        try db.cachedStatement(sql: """
            INSERT INTO idempotency_keys (business_id, api_key_id, key, request_hash, response_status, response_body, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [businessID, keyID, key, requestHash, status, body, now])
    }
}

/// What claiming an `Idempotency-Key` found.
public enum IdempotencyClaim: Sendable, Equatable {
    /// The key is new (or expired): the caller runs the request and records its answer.
    case claimed
    /// The first answer to this key and body.
    case replay(status: Int, body: [UInt8])
    /// The key was used with another request.
    case mismatch
    /// The first request with this key is still running.
    case inProgress
}

extension AppDatabase {
    /// Claims `key` of the API key for a request with this hash (see `IdempotencyClaim`).
    public func claimIdempotencyKey(businessID: BusinessID, keyID: APIKeyID, key: String, requestHash: Data,
                                    now: Instant) throws -> IdempotencyClaim {
        try write { db in
            if let stored = try Idempotency.lookup(db, businessID: businessID, keyID: keyID, key: key, now: now) {
                guard stored.requestHash == requestHash else { return .mismatch }
                return stored.status == Idempotency.pending ? .inProgress : .replay(status: stored.status, body: Array(stored.body.utf8))
            }
            try Idempotency.record(db, businessID: businessID, keyID: keyID, key: key, requestHash: requestHash,
                                   status: Idempotency.pending, body: "", now: now)
            return .claimed
        }
    }

    /// Records the answer of a claimed key, or (`answer` nil) releases the claim so the request
    /// can be tried again.
    public func finishIdempotencyKey(businessID: BusinessID, keyID: APIKeyID, key: String,
                                     answer: (status: Int, body: [UInt8])?) throws {
        try write { db in
            if let answer {
                try db.cachedStatement(sql: """
                    UPDATE idempotency_keys SET response_status = ?, response_body = ?
                    WHERE business_id = ? AND api_key_id = ? AND key = ? AND response_status = 0
                    """).execute(arguments: [answer.status, String(decoding: answer.body, as: UTF8.self), businessID, keyID, key])
            } else {
                try db.cachedStatement(sql: """
                    DELETE FROM idempotency_keys WHERE business_id = ? AND api_key_id = ? AND key = ? AND response_status = 0
                    """).execute(arguments: [businessID, keyID, key])
            }
        }
    }
}
