import BookingCore
import Foundation
import GRDB
import Testing
@testable import Store

struct AuditLogTests {
    func database() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE audit_log (business_id INTEGER NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL,
                  actor TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL DEFAULT '', details TEXT NOT NULL DEFAULT '{}',
                  prev_hash TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (business_id, seq))
                """)
            for i in 1...5 {
                try AuditLog.append(db, businessID: 1, at: Int64(i), actor: "user:1", action: "booking.create",
                                    subject: "booking:\(i)", details: ["n": "\(i)"])
            }
            try AuditLog.append(db, businessID: 2, at: 9, actor: "system", action: "other")
        }
        return queue
    }

    @Test func chainOfUntouchedEntriesVerifies() throws {
        let queue = try database()
        #expect(try queue.read { try AuditLog.verify($0, businessID: 1) } == .intact(entries: 5))
        #expect(try queue.read { try AuditLog.verify($0, businessID: 2) } == .intact(entries: 1))
    }

    @Test func eachBusinessHasItsOwnChain() throws {
        let queue = try database()
        let first = try queue.read { try String.fetchOne($0, sql: "SELECT prev_hash FROM audit_log WHERE business_id = 2 AND seq = 1") }
        #expect(first == "")
    }

    @Test(arguments: ["UPDATE audit_log SET actor = 'user:2' WHERE business_id = 1 AND seq = 3",
                      "UPDATE audit_log SET details = '{\"n\":\"9\"}' WHERE business_id = 1 AND seq = 3",
                      "DELETE FROM audit_log WHERE business_id = 1 AND seq = 3"])
    func editedOrDeletedEntryBreaksTheChainAtThatEntry(_ tamper: String) throws {
        let queue = try database()
        try queue.write { try $0.execute(sql: tamper) }
        guard case .broken(let seq, _) = try queue.read({ try AuditLog.verify($0, businessID: 1) }) else {
            Issue.record("tampering went unnoticed"); return
        }
        #expect(seq == 3)
    }

    @Test func rehashedEntryStillBreaksTheNextLink() throws {
        let queue = try database()
        try queue.write { db in
            // A forger who recomputes the edited entry's own hash still breaks entry 4's link.
            let hash = AuditLog.digest(businessID: 1, seq: 3, at: 3, actor: "user:666", action: "booking.create",
                                       subject: "booking:3", details: "{\"n\":\"3\"}",
                                       prevHash: try String.fetchOne(db, sql: "SELECT prev_hash FROM audit_log WHERE business_id=1 AND seq=3")!)
            try db.execute(sql: "UPDATE audit_log SET actor = 'user:666', hash = ? WHERE business_id = 1 AND seq = 3", arguments: [hash])
        }
        guard case .broken(let seq, _) = try queue.read({ try AuditLog.verify($0, businessID: 1) }) else {
            Issue.record("forgery went unnoticed"); return
        }
        #expect(seq == 4)
    }

    @Test func detailsAreJSONWithSortedKeysThatParsesBack() throws {
        let details = ["start": "2026-12-01T14:00:00Z", "offer": "a/b", "quote": "say \"hi\"\\", "control": "tab\tline\nbell\u{07}",
                       "unicode": "Zoë 🌿"]
        let text = AuditLog.encode(details)
        #expect(text.hasPrefix(#"{"control":"#))
        #expect(text.contains(#""offer":"a/b""#))
        #expect(text.contains(#"\u0007"#))
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]
        #expect(parsed == details)
        #expect(AuditLog.encode([:]) == "{}")
        let simple = ["n": "3", "a": "x"]
        let foundation = try JSONSerialization.data(withJSONObject: simple, options: [.sortedKeys, .withoutEscapingSlashes])
        #expect(AuditLog.encode(simple) == String(decoding: foundation, as: UTF8.self))
    }

    /// The details written on bytes are the text the former writer (unicode scalars appended to a
    /// String) made, so entries written before and after read alike: every control character, quotes,
    /// backslashes, and 2-, 3- and 4-byte UTF-8, in 2,000 random strings.
    @Test func detailsOnBytesAreWhatTheScalarWriterWrote() {
        func formerQuoted(_ text: String) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "\u{08}": out += "\\b"
                case "\u{0C}": out += "\\f"
                case "\u{00}"..."\u{1F}":
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
        func former(_ details: [String: String]) -> String {
            "{" + details.keys.sorted().map { formerQuoted($0) + ":" + formerQuoted(details[$0]!) }.joined(separator: ",") + "}"
        }
        let alphabet: [Unicode.Scalar] = (0...0x7F).compactMap(Unicode.Scalar.init) + ["é", "ß", "€", "日", "🌿", "\u{301}", "\u{2028}", "\u{FEFF}"]
        var generator = SystemRandomNumberGenerator()
        func random() -> String {
            var text = ""
            for _ in 0..<Int.random(in: 0...12, using: &generator) { text.unicodeScalars.append(alphabet.randomElement(using: &generator)!) }
            return text
        }
        for _ in 0..<2_000 {
            var details: [String: String] = [:]
            for _ in 0..<Int.random(in: 0...4, using: &generator) { details[random()] = random() }
            #expect(AuditLog.encode(details) == former(details))
        }
    }
}
