public import BookingCore
import Crypto
import Foundation
import GRDB

/// The per-business hash-chained audit log. Each entry's hash covers its own content and the previous
/// entry's hash, so editing or deleting any row (even with the triggers dropped) breaks the chain from
/// that row on. Append inside the same transaction as the change it records.
public enum AuditLog {
    public struct Entry: Sendable, Equatable {
        public let businessID: BusinessID
        public let seq: Int64
        public let at: Int64
        public let actor: String
        public let action: String
        public let subject: String
        public let details: String
        public let prevHash: String
        public let hash: String
    }

    /// Appends an entry; `details` is a JSON object of plain values.
    @discardableResult
    static func append(_ db: Database, businessID: BusinessID, at: Int64, actor: String, action: String,
                              subject: String = "", details: [String: String] = [:]) throws -> Entry {
        try append(db, businessID: businessID, at: at, actor: actor, action: action, subject: subject, encodedDetails: encode(details))
    }

    /// Appends an entry whose details were encoded (`encode`) before the transaction: only the
    /// chain link — the previous hash, the sequence number and this entry's hash — is worked out here.
    @discardableResult
    static func append(_ db: Database, businessID: BusinessID, at: Int64, actor: String, action: String,
                       subject: String, encodedDetails detailsJSON: String) throws -> Entry {
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit_log WHERE business_id = ? ORDER BY seq DESC LIMIT 1"),
                                    arguments: [businessID])
        let seq: Int64 = (last?["seq"] ?? 0) + 1
        let prevHash: String = last?["hash"] ?? ""
        let hash = digest(businessID: businessID, seq: seq, at: at, actor: actor, action: action, subject: subject,
                          details: detailsJSON, prevHash: prevHash)
        try db.cachedStatement(sql: """
            INSERT INTO audit_log (business_id, seq, at, actor, action, subject, details, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [businessID, seq, at, actor, action, subject, detailsJSON, prevHash, hash])
        return Entry(businessID: businessID, seq: seq, at: at, actor: actor, action: action, subject: subject,
                     details: detailsJSON, prevHash: prevHash, hash: hash)
    }

    public enum Verification: Equatable, Sendable {
        case intact(entries: Int)
        /// The first entry whose stored hash or link does not match.
        case broken(seq: Int64, reason: String)
    }

    static func verify(_ db: Database, businessID: BusinessID) throws -> Verification {
        var previous = ""
        var expectedSeq: Int64 = 1
        var count = 0
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT seq, at, actor, action, subject, details, prev_hash, hash FROM audit_log
            WHERE business_id = ? ORDER BY seq
            """), arguments: [businessID])
        while let row = try rows.next() {
            let seq: Int64 = row["seq"]
            guard seq == expectedSeq else { return .broken(seq: expectedSeq, reason: "entry \(expectedSeq) is missing") }
            let prevHash: String = row["prev_hash"]
            guard prevHash == previous else { return .broken(seq: seq, reason: "its link to the previous entry does not match") }
            let computed = digest(businessID: businessID, seq: seq, at: row["at"], actor: row["actor"], action: row["action"],
                                  subject: row["subject"], details: row["details"], prevHash: prevHash)
            let stored: String = row["hash"]
            guard computed == stored else { return .broken(seq: seq, reason: "its content does not match its hash") }
            previous = stored
            expectedSeq += 1
            count += 1
        }
        return .intact(entries: count)
    }

    static func digest(businessID: BusinessID, seq: Int64, at: Int64, actor: String, action: String, subject: String,
                       details: String, prevHash: String) -> String {
        // Length-prefixed fields: no two different entries serialise to the same bytes.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(96 + actor.utf8.count + action.utf8.count + subject.utf8.count + details.utf8.count + prevHash.utf8.count)
        func field(_ text: String) {
            bytes.append(contentsOf: String(text.utf8.count).utf8)
            bytes.append(58)
            bytes.append(contentsOf: text.utf8)
        }
        field(String(businessID))
        field(String(seq))
        field(String(at))
        for text in [actor, action, subject, details, prevHash] { field(text) }
        return Tokens.hex(Array(SHA256.hash(data: bytes)))
    }

    /// `details` as a JSON object with sorted keys, written by hand on UTF-8 bytes: JSONSerialization
    /// cost more than the rest of an audit append, and appending unicode scalars to a String about
    /// 500 instructions a character. (Verification hashes the stored text, whatever wrote it.)
    static func encode(_ details: [String: String]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(2 + details.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count + 6 })
        out.append(UInt8(ascii: "{"))
        for (index, key) in details.keys.sorted().enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONString.append(key, to: &out)
            out.append(UInt8(ascii: ":"))
            JSONString.append(details[key]!, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }
}
