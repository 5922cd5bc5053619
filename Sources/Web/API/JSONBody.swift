/// A JSON document (RFC 8259) read from a request body's bytes, for `StrictJSON`. Foundation's
/// `JSONSerialization` made a tree of bridged `NSNumber`/`NSDictionary` values: a booking's request
/// took ~85 k instructions to read, ~49 k with this, which reads the bytes once into plain values. It is
/// strict: no comments, no trailing commas, no leading zeros, no lone surrogates, no control
/// characters inside strings, valid UTF-8 only. A repeated key keeps its last value, as Foundation's did.
enum JSONBody: Equatable {
    case null
    case bool(Bool)
    /// `integer` when the literal is an integer (no fraction or exponent) that fits 64 bits.
    case number(Double, integer: Int64?)
    case string(String)
    case array([JSONBody])
    case object([String: JSONBody])

    struct Invalid: Error {}

    /// Nesting deeper than this is refused (the reader is recursive; request bodies never need it).
    static let maximumDepth = 200

    /// The document in `bytes`, or `Invalid`.
    static func parse(_ bytes: [UInt8]) throws -> JSONBody {
        try bytes.withUnsafeBufferPointer { buffer in
            var reader = Reader(bytes: buffer)
            reader.skipSpace()
            let value = try reader.value(depth: 0)
            reader.skipSpace()
            guard reader.at == buffer.count else { throw Invalid() }
            return value
        }
    }

    /// The value as an `Int`: an integer literal, or a number with no fractional part inside
    /// `Int`'s range (`1e2` is 100, as Foundation's numbers bridged it).
    var integer: Int? {
        guard case .number(let double, let integer) = self else { return nil }
        if let integer { return Int(exactly: integer) }
        guard double.rounded() == double, double >= -9.223372036854775808e18, double < 9.223372036854775808e18 else { return nil }
        return Int(double)
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func skipSpace() {
            while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0A || bytes[at] == 0x0D || bytes[at] == 0x09 { at += 1 }
        }

        mutating func value(depth: Int) throws -> JSONBody {
            guard at < bytes.count, depth <= JSONBody.maximumDepth else { throw Invalid() }
            switch bytes[at] {
            case UInt8(ascii: "{"): return try object(depth: depth + 1)
            case UInt8(ascii: "["): return try array(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            default: return try number()
            }
        }

        mutating func literal(_ word: StaticString) throws {
            let count = word.utf8CodeUnitCount
            guard bytes.count - at >= count else { throw Invalid() }
            for i in 0..<count where bytes[at + i] != word.utf8Start[i] { throw Invalid() }
            at += count
        }

        mutating func object(depth: Int) throws -> JSONBody {
            at += 1   // {
            var members: [String: JSONBody] = [:]
            skipSpace()
            if take(UInt8(ascii: "}")) { return .object(members) }
            while true {
                skipSpace()
                guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw Invalid() }
                let key = try string()
                skipSpace()
                guard take(UInt8(ascii: ":")) else { throw Invalid() }
                skipSpace()
                members[key] = try value(depth: depth)
                if try closes(with: UInt8(ascii: "}")) { return .object(members) }
            }
        }

        /// After an item: true past the closing bracket, false past a comma (another item follows).
        mutating func closes(with closing: UInt8) throws -> Bool {
            skipSpace()
            if take(closing) { return true }
            guard take(UInt8(ascii: ",")) else { throw Invalid() }
            return false
        }

        /// Steps over `byte` if it comes next.
        mutating func take(_ byte: UInt8) -> Bool {
            guard at < bytes.count, bytes[at] == byte else { return false }
            at += 1
            return true
        }

        mutating func array(depth: Int) throws -> JSONBody {
            at += 1   // [
            var items: [JSONBody] = []
            skipSpace()
            if take(UInt8(ascii: "]")) { return .array(items) }
            while true {
                skipSpace()
                items.append(try value(depth: depth))
                if try closes(with: UInt8(ascii: "]")) { return .array(items) }
            }
        }

        /// A string from its opening quote; escapes decoded, the UTF-8 checked.
        mutating func string() throws -> String {
            at += 1   // "
            let start = at
            // Fast path: no escape before the closing quote.
            while at < bytes.count {
                let byte = bytes[at]
                if byte == UInt8(ascii: "\"") {
                    let text = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
                    at += 1
                    guard let text else { throw Invalid() }
                    return text
                }
                if byte == UInt8(ascii: "\\") { break }
                guard byte >= 0x20 else { throw Invalid() }
                at += 1
            }
            var utf8 = Array(bytes[start..<at])
            while at < bytes.count {
                let byte = bytes[at]
                at += 1
                switch byte {
                case UInt8(ascii: "\""):
                    guard let text = String(validating: utf8, as: UTF8.self) else { throw Invalid() }
                    return text
                case UInt8(ascii: "\\"):
                    guard at < bytes.count else { throw Invalid() }
                    let escape = bytes[at]
                    at += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                    case UInt8(ascii: "b"): utf8.append(0x08)
                    case UInt8(ascii: "f"): utf8.append(0x0C)
                    case UInt8(ascii: "n"): utf8.append(0x0A)
                    case UInt8(ascii: "r"): utf8.append(0x0D)
                    case UInt8(ascii: "t"): utf8.append(0x09)
                    case UInt8(ascii: "u"): try unicodeEscape(into: &utf8)
                    default: throw Invalid()
                    }
                default:
                    guard byte >= 0x20 else { throw Invalid() }
                    utf8.append(byte)
                }
            }
            throw Invalid()
        }

        /// `\uXXXX` (after the `u`), a surrogate pair as one scalar; a lone surrogate is refused.
        mutating func unicodeEscape(into utf8: inout [UInt8]) throws {
            var scalar = try hex4()
            if (0xD800...0xDBFF).contains(scalar) {
                guard bytes.count - at >= 6, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") else { throw Invalid() }
                at += 2
                let low = try hex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw Invalid() }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw Invalid()
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw Invalid() }
            utf8.append(contentsOf: UTF8.encode(unicode)!)
        }

        mutating func hex4() throws -> UInt32 {
            guard bytes.count - at >= 4 else { throw Invalid() }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[at]
                at += 1
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw Invalid()
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }

        /// `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`
        mutating func number() throws -> JSONBody {
            let start = at
            _ = take(UInt8(ascii: "-"))
            if !take(UInt8(ascii: "0")) { try digits() }
            var isInteger = true
            if take(UInt8(ascii: ".")) {
                isInteger = false
                try digits()
            }
            if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
                isInteger = false
                _ = take(UInt8(ascii: "+")) || take(UInt8(ascii: "-"))
                try digits()
            }
            let literal = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
            guard let double = Double(literal), double.isFinite else { throw Invalid() }
            return .number(double, integer: isInteger ? Int64(literal) : nil)
        }

        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        /// One digit or more.
        mutating func digits() throws {
            guard at < bytes.count, isDigit(bytes[at]) else { throw Invalid() }
            while at < bytes.count, isDigit(bytes[at]) { at += 1 }
        }
    }
}
