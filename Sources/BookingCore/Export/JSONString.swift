/// A JSON string literal written on UTF-8 bytes: the quote, the backslash and the control characters
/// escaped (`\n`, `\r`, `\t`, `\b`, `\f`, else `\u00xx`), every other byte as it is, so UTF-8 sequences
/// pass through whole. The API's bodies and the audit log's details both write strings with it.
public enum JSONString {
    public static func append(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        // Most strings (keys, slugs, times, names) need no escaping: copied whole.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            bytes.append(contentsOf: text.utf8)
        } else {
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(92); bytes.append(byte)
                case 0x0A: bytes.append(92); bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(92); bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(92); bytes.append(UInt8(ascii: "t"))
                case 0x08: bytes.append(92); bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(92); bytes.append(UInt8(ascii: "f"))
                case 0..<0x20:
                    bytes.append(92); bytes.append(UInt8(ascii: "u")); bytes.append(48); bytes.append(48)
                    bytes.append(hexDigit(byte >> 4)); bytes.append(hexDigit(byte & 15))
                default: bytes.append(byte)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 48 + nibble : 87 + nibble }
}
