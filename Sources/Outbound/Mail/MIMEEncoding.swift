import Foundation

/// The encodings MIME needs, as pure functions over bytes. Every output line ends in CRLF.
enum MIME {
    static let crlf: [UInt8] = [13, 10]

    /// Header text with every control character (CR, LF, NUL, TAB…) replaced by a space, so no field
    /// value can end its line and start another header.
    static func headerSafe(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                || scalar == "\u{2028}" || scalar == "\u{2029}" ? " " : scalar
        }))
    }

    /// Text with its line breaks (CRLF, CR or LF) split into lines.
    static func lines(_ text: String) -> [[UInt8]] {
        var lines: [[UInt8]] = [[]]
        var previousCR = false
        for byte in text.utf8 {
            if byte == 10 {
                if !previousCR { lines.append([]) }
                previousCR = false
            } else if byte == 13 {
                lines.append([])
                previousCR = true
            } else {
                lines[lines.count - 1].append(byte)
                previousCR = false
            }
        }
        return lines
    }

    /// Quoted-printable (RFC 2045 §6.7) of UTF-8 text, line breaks normalised to CRLF; no output line
    /// is longer than 76 characters (soft breaks `=` where needed); trailing spaces are encoded.
    static func quotedPrintable(_ text: String) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for (index, line) in lines(text).enumerated() {
            if index > 0 { out += crlf }
            var column = 0
            for (position, byte) in line.enumerated() {
                let isLast = position == line.count - 1
                var literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
                    || ((byte == 32 || byte == 9) && !isLast)
                // Room for the token plus a soft break "=" unless this is the line's last token.
                if column + (literal ? 1 : 3) > (isLast ? 76 : 75) {
                    out.append(UInt8(ascii: "="))
                    out += crlf
                    column = 0
                }
                // A leading "." is encoded too, so no body line can look like SMTP's end of data.
                if column == 0 && byte == UInt8(ascii: ".") { literal = false }
                if literal {
                    out.append(byte)
                    column += 1
                } else {
                    out.append(UInt8(ascii: "="))
                    out.append(hex[Int(byte >> 4)])
                    out.append(hex[Int(byte & 0xF)])
                    column += 3
                }
            }
        }
        return out
    }

    private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Base64 with no line breaks.
    static func base64(_ data: some Collection<UInt8>) -> [UInt8] {
        let bytes = Array(data)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let b0 = bytes[index]
            let b1 = index + 1 < bytes.count ? bytes[index + 1] : 0
            let b2 = index + 2 < bytes.count ? bytes[index + 2] : 0
            out.append(base64Alphabet[Int(b0 >> 2)])
            out.append(base64Alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            out.append(index + 1 < bytes.count ? base64Alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(index + 2 < bytes.count ? base64Alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            index += 3
        }
        return out
    }

    /// Base64 in lines of 76 characters, each ending in CRLF (RFC 2045 §6.8).
    static func base64Lines(_ data: [UInt8]) -> [UInt8] {
        let encoded = base64(data)
        var out: [UInt8] = []
        out.reserveCapacity(encoded.count + encoded.count / 76 * 2 + 2)
        var start = 0
        while start < encoded.count {
            let end = min(start + 76, encoded.count)
            out += encoded[start..<end]
            out += crlf
            start = end
        }
        return out
    }

    /// RFC 2047 "B" encoded words for `text`, each at most 75 characters, split only between
    /// Unicode scalars (a character's UTF-8 bytes are never split across two words).
    static func encodedWords(_ text: String) -> [String] {
        let prefix = "=?UTF-8?B?", suffix = "?="
        // 39 bytes → 52 base64 characters, 64 with the delimiters: "Subject: " and a word fit in 78.
        let maxPayloadBytes = 39
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > maxPayloadBytes {
                words.append(prefix + String(decoding: base64(chunk), as: UTF8.self) + suffix)
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty {
            words.append(prefix + String(decoding: base64(chunk), as: UTF8.self) + suffix)
        }
        return words
    }

    /// An RFC 5322 date in UTC: `"Wed, 02 Dec 2026 06:31:07 +0000"`.
    static func date(_ seconds: Int64) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday],
                                            from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int?) -> String { let v = value ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        return "\(weekdays[(parts.weekday ?? 1) - 1]), \(two(parts.day)) \(months[(parts.month ?? 1) - 1]) "
            + "\(parts.year ?? 1970) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }
}
