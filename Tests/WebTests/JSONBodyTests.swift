import Foundation
import Testing
@testable import Web

/// The API's body reader against Foundation's `JSONSerialization`, which it replaced: the same
/// documents accepted, read as the same values; and the strict cases named one by one.
struct JSONBodyTests {
    /// A JSONBody as Foundation's tree, for comparison (numbers as Double; booleans apart).
    static func same(_ value: JSONBody, _ foundation: Any) -> Bool {
        switch value {
        case .null: return foundation is NSNull
        case .bool(let flag):
            guard let number = foundation as? NSNumber, String(cString: number.objCType) == "c" else { return false }
            return number.boolValue == flag
        case .number(let double, _):
            guard let number = foundation as? NSNumber, String(cString: number.objCType) != "c" else { return false }
            // Foundation keeps numbers past 2^64 or of many digits as Decimal, whose Double may differ in the last bit.
            return abs(number.doubleValue - double) <= 1e-12 * max(1, abs(double))
        case .string(let text): return (foundation as? String) == text
        case .array(let items):
            guard let array = foundation as? [Any], array.count == items.count else { return false }
            return zip(items, array).allSatisfy { same($0, $1) }
        case .object(let members):
            guard let object = foundation as? [String: Any], object.count == members.count else { return false }
            return members.allSatisfy { key, item in object[key].map { same(item, $0) } ?? false }
        }
    }

    static func randomDocument(_ rng: inout SystemRandomNumberGenerator, depth: Int = 0) -> String {
        let strings = ["", "a", "Dana O'Neil", "caf\\u00e9", "\\ud83d\\ude00", "line\\nbreak", "tab\\t\\\"q\\\"\\\\", "ü ß 東京", "\\/", "e\\u0301"]
        let numbers = ["0", "-0", "1", "-1", "42", "3.25", "-0.5", "1e2", "2E-3", "1.5e+3", "9223372036854775807", "-9223372036854775808",
                       "9223372036854775808", "12345678901234567890123", "0.1", "100000"]
        switch Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &rng) {
        case 0: return "null"
        case 1: return Bool.random(using: &rng) ? "true" : "false"
        case 2: return numbers.randomElement(using: &rng)!
        case 3, 4: return "\"" + strings.randomElement(using: &rng)! + "\""
        case 5: return "[" + (0..<Int.random(in: 0...4, using: &rng)).map { _ in randomDocument(&rng, depth: depth + 1) }.joined(separator: ",") + "]"
        default:
            let keys = (0..<Int.random(in: 0...4, using: &rng)).map { _ in "\"" + strings.randomElement(using: &rng)! + "\"" }
            return " { " + keys.map { $0 + " : " + randomDocument(&rng, depth: depth + 1) }.joined(separator: " ,\n") + " } "
        }
    }

    /// The bytes with every comma that stands (outside strings) just before a closing bracket or
    /// brace removed; nil when a string is left open.
    static func withoutTrailingCommas(_ bytes: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        var inString = false, escaped = false
        var pendingComma: Int?
        for byte in bytes {
            if inString {
                out.append(byte)
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if let comma = pendingComma { out.remove(at: comma) }
                pendingComma = nil
            case UInt8(ascii: ","): pendingComma = out.count
            case 0x20, 0x0A, 0x0D, 0x09: break
            default:
                pendingComma = nil
                if byte == UInt8(ascii: "\"") { inString = true }
            }
            out.append(byte)
        }
        return inString ? nil : out
    }

    /// Random documents and the same with a byte changed, dropped or added: both readers accept
    /// the same ones and read the same values (a repeated key keeps its last value in both).
    @Test func readsWhatFoundationReadAndRefusesWhatItRefused() throws {
        var rng = SystemRandomNumberGenerator()
        let noise: [UInt8] = Array("{}[]\",:\\ 0-.eE+tfnu1aZ\u{7f}".utf8) + [0x00, 0x0A, 0xC3, 0xA9, 0xFF, 0xED, 0xA0, 0x80]
        var accepted = 0
        for round in 0..<4_000 {
            var bytes = Array(Self.randomDocument(&rng).utf8)
            if round % 2 == 1, !bytes.isEmpty {
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[at] = noise.randomElement(using: &rng)!
                case 1: bytes.remove(at: at)
                default: bytes.insert(noise.randomElement(using: &rng)!, at: at)
                }
            }
            let ours = try? JSONBody.parse(bytes)
            let theirs = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
            let text = String(decoding: bytes, as: UTF8.self)
            // A number beyond Double's range (an exponent of three digits or more, as a mutation makes
            // "1e2" into "1e223372…"): Foundation reads it as infinity or a Decimal; ours refuses it.
            if ours == nil, text.contains(/[eE][+-]?[0-9]{3,}/) { continue }
            // Foundation stops reading at a NUL byte ("0\u{0}" was 0); JSON has no place for one outside a string.
            if bytes.contains(0) {
                #expect(ours == nil)
                continue
            }
            // Foundation on Linux takes a trailing comma ("[1,]", "{"a":1,}"); JSON does not.
            if ours == nil, let theirs, let trimmed = Self.withoutTrailingCommas(bytes), trimmed != bytes {
                let read = try? JSONBody.parse(trimmed)
                #expect(read.map { Self.same($0, theirs) } == true, "\(text)")
                continue
            }
            #expect((ours != nil) == (theirs != nil), "\(text)")
            if let ours, let theirs {
                accepted += 1
                #expect(Self.same(ours, theirs), "\(text)")
            }
        }
        #expect(accepted > 2_000)
    }

    @Test func refusesWhatJSONDoesNotAllow() {
        let refused = ["", " ", "{", "{\"a\":1,}", "[1,]", "[01]", "[-]", "[1.]", "[.5]", "[1e]", "[+1]", "{'a':1}", "{a:1}",
                       "[\"\\ud800\"]", "[\"\\udc00\"]", "[\"\\ud800\\u0041\"]", "[\"\\x\"]", "[\"a\nb\"]", "[\"\\u12\"]",
                       "[tru]", "[nul]", "[1] [2]", "/* no */ {}", "[1e400]", "[NaN]", "[Infinity]",
                       String(repeating: "[", count: 300) + String(repeating: "]", count: 300)]
        for text in refused { #expect((try? JSONBody.parse(Array(text.utf8))) == nil, "\(text)") }
        #expect((try? JSONBody.parse([0x22, 0xC3, 0x22])) == nil)          // cut UTF-8
        #expect((try? JSONBody.parse([0x22, 0xED, 0xA0, 0x80, 0x22])) == nil)   // an encoded surrogate
    }

    @Test func readsNumbersStringsAndRepeatedKeys() throws {
        #expect(try JSONBody.parse(Array("[9223372036854775807, -0, 1e2, 2.5, 9223372036854775808]".utf8)) == .array([
            .number(9_223_372_036_854_775_807, integer: Int64.max), .number(-0.0, integer: 0), .number(100, integer: nil),
            .number(2.5, integer: nil), .number(9_223_372_036_854_775_808, integer: nil),
        ]))
        #expect(JSONBody.number(100, integer: nil).integer == 100)
        #expect(JSONBody.number(2.5, integer: nil).integer == nil)
        #expect(JSONBody.number(9_223_372_036_854_775_808, integer: nil).integer == nil)
        #expect(JSONBody.bool(true).integer == nil)
        #expect(try JSONBody.parse(Array(#"" caf\u00e9 \ud83d\ude00 \"\\\/\b\f\n\r\t""#.utf8)) == .string(" café 😀 \"\\/\u{8}\u{c}\n\r\t"))
        #expect(try JSONBody.parse(Array(#"{"a":1,"a":2}"#.utf8)) == .object(["a": .number(2, integer: 2)]))
        #expect(try JSONBody.parse(Array(" \t\r\n{ } ".utf8)) == .object([:]))
    }
}
