/// Strict percent-decoding (RFC 3986) for paths, query strings and form bodies.
public enum PercentDecoding {
    public struct Malformed: Error, Equatable, Sendable {
        public let input: String
    }

    /// Decodes `%XX` escapes (and `+` as a space when `plusIsSpace`). A `%` not followed by two hex
    /// digits, a NUL byte, or bytes that are not UTF-8 are refused rather than guessed at.
    public static func decode(_ input: Substring, plusIsSpace: Bool) throws(Malformed) -> String {
        let utf8 = input.utf8
        // Fast path: nothing to decode.
        if !utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusIsSpace && $0 == UInt8(ascii: "+")) || $0 == 0 }) {
            return String(input)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                let first = utf8.index(after: index)
                guard first != utf8.endIndex else { throw Malformed(input: String(input)) }
                let second = utf8.index(after: first)
                guard second != utf8.endIndex,
                      let high = hexValue(utf8[first]), let low = hexValue(utf8[second])
                else { throw Malformed(input: String(input)) }
                let decoded = high << 4 | low
                guard decoded != 0 else { throw Malformed(input: String(input)) }
                bytes.append(decoded)
                index = utf8.index(after: second)
            } else if byte == 0 {
                throw Malformed(input: String(input))
            } else {
                bytes.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index = utf8.index(after: index)
            }
        }
        guard let string = String(validating: bytes, as: UTF8.self) else { throw Malformed(input: String(input)) }
        return string
    }

    /// Encodes everything but unreserved characters (for building URLs and forms).
    public static func encode(_ input: String) -> String {
        // Bytes, not `unicodeScalars.append` per character (a manage link's token cost 33 k instructions).
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(input.utf8.count)
        for byte in input.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 15)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
